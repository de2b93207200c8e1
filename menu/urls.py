from django.urls import path

from menu import views

urlpatterns = [
    path("menu/", views.menu_browse, name="menu-browse"),
    path("menu/items/<int:pk>/", views.item_detail, name="menu-item"),
    path("menu/requests/new/", views.request_new, name="menu-request-new"),
    path("menu/orders/", views.order_list, name="menu-orders"),
    path("menu/orders/<int:pk>/", views.order_detail, name="menu-order"),
    path("menu/orders/<int:pk>/cards/", views.rating_cards, name="menu-order-cards"),
    path("menu/photos/<int:pk>/", views.order_photo, name="menu-order-photo"),
    path("menu/items/<int:pk>/photo/", views.item_photo, name="menu-item-photo"),
    path("menu/orders/<int:pk>/<slug:name>/", views.order_move, name="menu-order-move"),
    path("menu/needs/review/", views.need_review, name="menu-need-review"),
    path("menu/needs/<int:pk>/photo/", views.need_photo, name="menu-need-photo"),
    path("menu/needs/<int:pk>/<slug:name>/", views.need_move, name="menu-need-move"),
    path("rate/<str:code>/", views.rate, name="rate"),
    path("portal/services/", views.my_services, name="portal-services"),
    path("portal/services/new/", views.service_edit, name="portal-service-new"),
    path("portal/services/<int:pk>/", views.service_edit, name="portal-service"),
    path("portal/services/<int:pk>/submit/", views.service_submit, name="portal-service-submit"),
]
