from django.urls import path

from projects import views

urlpatterns = [
    path("attachments/<int:pk>/", views.attachment_download, name="attachment-download"),
    path("portal/", views.portal_home, name="portal-home"),
    path("portal/calls/", views.open_calls, name="portal-calls"),
    path("portal/calls/<int:pk>/", views.call_detail, name="portal-call"),
    path("call-documents/<int:pk>/", views.call_document_download, name="call-document-download"),
    path(
        "applications/<int:pk>/proposal/",
        views.proposal_document_download,
        name="proposal-document-download",
    ),
    path("portal/calls/<int:pk>/apply/", views.apply_to_call, name="portal-apply"),
    path("portal/applications/", views.my_applications, name="portal-applications"),
    path("portal/projects/<int:pk>/", views.project_detail, name="portal-project"),
    path("portal/reports/<int:pk>/", views.report_edit, name="portal-report"),
]
