from rest_framework.routers import SimpleRouter

from menu.api.views import MenuItemViewSet, NeedViewSet, ServiceOrderViewSet

router = SimpleRouter()
router.register("needs", NeedViewSet, basename="need")
router.register("menu-items", MenuItemViewSet, basename="menu-item")
router.register("service-orders", ServiceOrderViewSet, basename="service-order")

urlpatterns = router.urls
