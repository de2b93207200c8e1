from django.urls import path

from public import views, volunteering
from volunteers import views as volunteer_pages

urlpatterns = [
    path("m/", views.home, name="public-home"),
    path("m/sign-in/", views.sign_in, name="public-sign-in"),
    path("m/sign-in/code/", views.sign_in_code, name="public-sign-in-code"),
    path("m/sign-out/", views.sign_out, name="public-sign-out"),
    path("m/places/", views.places, name="public-places"),
    path("m/needs/", views.my_needs, name="public-needs"),
    path("m/needs/new/", views.need_new, name="public-need-new"),
    path("m/needs/<int:pk>/", views.need_detail, name="public-need"),
    path("m/help/", views.help_start, name="public-help"),
    path("m/leave/", views.leave, name="public-leave"),
    path("m/help/new/", views.help_new, name="public-help-new"),
    path("m/help/sent/", views.help_sent, name="public-help-sent"),
    path("m/help/mine/", views.help_mine, name="public-help-mine"),
    path("m/volunteer/", volunteering.volunteer_home, name="public-volunteer"),
    path(
        "m/volunteer/register/", volunteering.volunteer_register, name="public-volunteer-register"
    ),
    path(
        "m/volunteer/opportunities/<int:pk>/sign-up/",
        volunteer_pages.sign_up,
        {"then": "public-volunteer"},
        name="public-sign-up",
    ),
    path("m/volunteer/signups/<int:pk>/cancel/", volunteering.cancel, name="public-sign-up-cancel"),
    path("m/volunteer/certificate/", volunteering.certificate, name="public-certificate"),
    path("m/check/<str:token>/", volunteering.check, name="public-check"),
    path("v/<str:code>/", volunteering.certificate_check, name="public-certificate-check"),
]
