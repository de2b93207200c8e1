from django.urls import path

from volunteers import views

urlpatterns = [
    path("volunteer/", views.volunteer_home, name="volunteer-home"),
    path("volunteer/opportunities/<int:pk>/sign-up/", views.sign_up, name="volunteer-sign-up"),
    path("volunteers/opportunities/", views.opportunity_list, name="volunteer-opportunities"),
    path(
        "volunteers/opportunities/<int:pk>/", views.opportunity_detail, name="volunteer-opportunity"
    ),
    path("volunteers/signups/<int:pk>/<slug:verb>/", views.signup_move, name="volunteer-signup"),
    path("volunteers/teams/", views.teams, name="volunteer-teams"),
    path("volunteers/applicants/", views.applicants, name="volunteer-applicants"),
    path(
        "volunteers/applicants/<int:pk>/<slug:verb>/",
        views.applicant_decide,
        name="volunteer-applicant-decide",
    ),
    path(
        "volunteers/opportunities/<int:pk>/qr/",
        views.opportunity_qr,
        name="volunteer-opportunity-qr",
    ),
    path(
        "volunteers/opportunities/<int:pk>/confirm-proposed/",
        views.confirm_proposed,
        name="volunteer-confirm-proposed",
    ),
    path("volunteers/opportunities/<int:pk>/walk-in/", views.walk_in, name="volunteer-walk-in"),
]
