from django.urls import path

from dashboards import views

urlpatterns = [
    path("dashboards/", views.dashboard_home, name="dashboard-home"),
    path("dashboards/<int:pk>/", views.dashboard_page, name="dashboard-page"),
    path("dashboards/<int:pk>/export/", views.dashboard_export, name="dashboard-export"),
]
