from rest_framework.routers import SimpleRouter

from cases.api.views import CaseEventViewSet, CaseViewSet, FollowUpViewSet, ReferralViewSet

router = SimpleRouter()
router.register("cases", CaseViewSet, basename="case")
router.register("case-events", CaseEventViewSet, basename="case-event")
router.register("case-referrals", ReferralViewSet, basename="case-referral")
router.register("case-follow-ups", FollowUpViewSet, basename="case-follow-up")

urlpatterns = router.urls
