from django.urls import path

from cases import views

urlpatterns = [
    path("cases/", views.queue, name="case-queue"),
    path("cases/intake/", views.intake, name="case-intake"),
    path("cases/export/", views.export, name="case-export"),
    path("cases/<int:pk>/", views.case_detail, name="case-page"),
    path("cases/<int:pk>/open/", views.break_glass, name="case-break-glass"),
    path("cases/<int:pk>/call/", views.call_on_existing, name="case-call"),
    path("cases/<int:pk>/<slug:name>/", views.case_move, name="case-move"),
    path("cases/follow-ups/<int:pk>/done/", views.follow_up_done, name="case-follow-up-done"),
    path("cases/referrals/<int:pk>/<slug:verb>/", views.referral_update, name="case-referral"),
]
