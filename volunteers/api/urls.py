from rest_framework.routers import SimpleRouter

from volunteers.api.views import (
    OpportunityViewSet,
    SignUpViewSet,
    VolunteerTeamViewSet,
    VolunteerViewSet,
)

router = SimpleRouter()
router.register("volunteer-teams", VolunteerTeamViewSet, basename="volunteer-team")
router.register("volunteers", VolunteerViewSet, basename="volunteer")
router.register("opportunities", OpportunityViewSet, basename="opportunity")
router.register("signups", SignUpViewSet, basename="signup")

urlpatterns = router.urls
