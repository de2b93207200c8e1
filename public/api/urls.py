from django.urls import path
from rest_framework.routers import SimpleRouter

from public.api.views import (
    CodeView,
    HelpRequestViewSet,
    NeedViewSet,
    OpportunityViewSet,
    PlaceViewSet,
    SignUpViewSet,
    TokenView,
    VolunteerView,
)

router = SimpleRouter()
router.register("public/places", PlaceViewSet, basename="public-place")
router.register("public/needs", NeedViewSet, basename="public-need")
router.register("public/help", HelpRequestViewSet, basename="public-help")
router.register("public/opportunities", OpportunityViewSet, basename="public-opportunity")
router.register("public/signups", SignUpViewSet, basename="public-signup")

urlpatterns = [
    path("public/code/", CodeView.as_view(), name="public-code"),
    path("public/token/", TokenView.as_view(), name="public-token"),
    path("public/volunteer/", VolunteerView.as_view(), name="public-volunteer-record"),
    *router.urls,
]
