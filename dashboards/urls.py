from django.urls import path

from dashboards import views

urlpatterns = [
    # the volunteers' hours read from the roll-ups too (the address is the volunteers')
    path("volunteers/hours/", views.volunteer_hours, name="volunteer-hours"),
    path("dashboards/", views.dashboard_home, name="dashboard-home"),
    path("dashboards/<int:pk>/", views.dashboard_page, name="dashboard-page"),
    path("dashboards/<int:pk>/export/", views.dashboard_export, name="dashboard-export"),
    path("dashboards/<int:pk>/exports/", views.export_start, name="dashboard-export-start"),
    path("dashboards/exports/<int:pk>/", views.export_status, name="dashboard-export-status"),
    path(
        "dashboards/exports/<int:pk>/download/",
        views.export_download,
        name="dashboard-export-download",
    ),
]
