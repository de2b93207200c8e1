from rest_framework.routers import SimpleRouter

from federation.api.views import FederationViewSet

router = SimpleRouter()
router.register("federations", FederationViewSet, basename="federation")

urlpatterns = router.urls
