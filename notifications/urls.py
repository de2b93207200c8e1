from django.urls import path

from notifications import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.mark_all_read, name="notifications-read"),
    path("notifications/<int:pk>/", views.notification_open, name="notification-open"),
]
