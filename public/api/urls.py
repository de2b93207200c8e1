from django.urls import path
from rest_framework.routers import SimpleRouter

from public.api.views import CodeView, NeedViewSet, PlaceViewSet, TokenView

router = SimpleRouter()
router.register("public/places", PlaceViewSet, basename="public-place")
router.register("public/needs", NeedViewSet, basename="public-need")

urlpatterns = [
    path("public/code/", CodeView.as_view(), name="public-code"),
    path("public/token/", TokenView.as_view(), name="public-token"),
    *router.urls,
]
