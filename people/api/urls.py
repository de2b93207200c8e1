from rest_framework.routers import SimpleRouter

from people.api.views import (
    DonationViewSet,
    FundViewSet,
    InsuranceClaimViewSet,
    InsurancePolicyViewSet,
    PairingViewSet,
    PayoutViewSet,
    PersonViewSet,
    SponsorPairingViewSet,
    StipendViewSet,
)

# The names start with "people-": the register's pages already use "person-list",
# "pairing-list", "pairing-end", "fund-list" … (people/urls.py).
router = SimpleRouter()
router.register("people", PersonViewSet, basename="people-person")
router.register("pairings", PairingViewSet, basename="people-pairing")
router.register("stipends", StipendViewSet, basename="people-stipend")
router.register("sponsor/pairings", SponsorPairingViewSet, basename="people-sponsor-pairing")
router.register("funds", FundViewSet, basename="people-fund")
router.register("donations", DonationViewSet, basename="people-donation")
router.register("payouts", PayoutViewSet, basename="people-payout")
router.register("insurance-policies", InsurancePolicyViewSet, basename="people-policy")
router.register("insurance-claims", InsuranceClaimViewSet, basename="people-claim")

urlpatterns = router.urls
