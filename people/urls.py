from django.urls import path

from people import views

urlpatterns = [
    path("people/", views.person_list, name="person-list"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/<int:pk>/", views.person_page, name="person-page"),
    path("people/<int:pk>/flag/", views.person_flag, name="person-flag"),
    path("people/<int:pk>/consent/", views.person_consent, {"given": True}, name="person-consent"),
    path(
        "people/<int:pk>/consent/withdraw/",
        views.person_consent,
        {"given": False},
        name="person-consent-withdraw",
    ),
    path("people/<int:pk>/growth/", views.growth_add, name="growth-add"),
    path("people/<int:pk>/pair/", views.pairing_new, name="pairing-new"),
    path("people/growth/<int:pk>/photo/", views.growth_photo, name="growth-photo"),
    path("people/attendance/<str:kind>/<int:pk>/", views.attendance, name="attendance"),
    path("pairings/", views.pairing_list, name="pairing-list"),
    path("pairings/<int:pk>/", views.pairing_page, name="pairing-page"),
    path("pairings/<int:pk>/end/", views.pairing_end, name="pairing-end"),
    path("stipends/<int:pk>/<str:move>/", views.stipend_move, name="stipend-move"),
    path("funds/", views.fund_list, name="fund-list"),
    path("funds/<int:pk>/", views.fund_page, name="fund-page"),
    path("funds/<int:pk>/insure/", views.policy_new, name="policy-new"),
    path("funds/policies/<int:pk>/", views.policy_page, name="policy-page"),
    path("funds/donations/<int:pk>/receipt/", views.donation_receipt, name="donation-receipt"),
    path("m/sponsor/", views.sponsor_home, name="sponsor-home"),
]
