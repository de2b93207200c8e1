"""The organization portal's pages: scope (404 outside), forms that keep input and show errors."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from projects.models import Project, ProjectReport
from tests.upload_files import PDF, png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.demo("projects")]


@pytest.fixture
def portal(client, user_named):
    def sign_in(username):
        client.force_login(
            user_named(username), backend="django.contrib.auth.backends.ModelBackend"
        )
        return client

    return sign_in


def latest_report(code) -> ProjectReport:
    report = Project.objects.get(code=code).reports.order_by("-period__starts_on").first()
    ProjectReport.objects.filter(pk=report.pk).update(status="draft")
    report.refresh_from_db()
    return report


def test_home_lists_the_reports_to_write(portal, demo):
    report = latest_report("JN-2024-001")
    page = portal("jinan-org").get("/portal/").content.decode()
    assert "巾帼暖“新”服务项目" in page
    assert f"/portal/reports/{report.pk}/" in page
    assert "东营" not in page


def test_other_organizations_pages_are_404(portal, demo):
    client = portal("jinan-org")
    other = Project.objects.get(code="DY-2025-12338")
    assert client.get(f"/portal/projects/{other.pk}/").status_code == 404
    assert client.get(f"/portal/reports/{other.reports.first().pk}/").status_code == 404


def test_save_draft_then_submit(portal, demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    report = latest_report("JN-2024-001")
    client = portal("jinan-org")
    form = {
        "narrative": "开展汽车故障速解工坊",
        "activities_held": "2",
        "women_served": "25",
        "children_served": "0",
        "families_served": "0",
        "spending": "1500.00",
        "attachment": SimpleUploadedFile("签到表.png", png_bytes()),
        "save": "1",
    }
    assert client.post(f"/portal/reports/{report.pk}/", form).status_code == 302
    report.refresh_from_db()
    assert (report.status, report.women_served, report.attachments.count()) == ("draft", 25, 1)
    attachment = report.attachments.get()
    download = client.get(f"/attachments/{attachment.pk}/")
    assert download.status_code == 200 and b"PNG" in b"".join(download.streaming_content)
    form.pop("attachment")
    form.pop("save")
    form["submit"] = "1"
    client.post(f"/portal/reports/{report.pk}/", form)
    report.refresh_from_db()
    assert report.status == "submitted"


def test_bad_input_comes_back_with_the_error_and_what_was_typed(portal, demo):
    report = latest_report("JN-2024-001")
    response = portal("jinan-org").post(
        f"/portal/reports/{report.pk}/",
        {
            "narrative": "我写的总结",
            "activities_held": "1",
            "women_served": "1",
            "children_served": "0",
            "families_served": "0",
            "spending": "-3",
            "save": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "我写的总结" in page
    assert "is-invalid" in page or "invalid-feedback" in page
    report.refresh_from_db()
    assert report.narrative != "我写的总结"


def test_an_exe_is_refused_in_chinese(portal, demo):
    report = latest_report("JN-2024-001")
    response = portal("jinan-org").post(
        f"/portal/reports/{report.pk}/",
        {
            "narrative": "x",
            "activities_held": "0",
            "women_served": "0",
            "children_served": "0",
            "families_served": "0",
            "spending": "0",
            "save": "1",
            "attachment": SimpleUploadedFile("tool.exe", b"MZ\x90\x00"),
        },
    )
    assert "只能上传" in response.content.decode()
    assert report.attachments.count() == 0


def test_attachments_of_other_areas_are_404(client, portal, demo, settings, tmp_path, user_named):
    from projects.services import report_attach

    settings.MEDIA_ROOT = tmp_path
    report = latest_report("DY-2025-12338")
    attachment = report_attach(
        actor=user_named("dongying-org"),
        report=report,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.7 test"),
    )
    assert portal("jinan-org").get(f"/attachments/{attachment.pk}/").status_code == 404
    assert portal("huaiyin").get(f"/attachments/{attachment.pk}/").status_code == 404
    assert portal("dongying").get(f"/attachments/{attachment.pk}/").status_code == 200
    client.logout()
    assert client.get(f"/attachments/{attachment.pk}/").status_code == 302  # to the login page


def apply(client, call, document=None, **fields):
    """The application form as jinan-org fills it in, with her 申报书."""
    return client.post(
        f"/portal/calls/{call.pk}/apply/",
        {
            "organization": call.funder.guided_organizations.get().pk,
            "proposal": "家庭教育讲堂",
            "requested_amount": "90000",
            "proposal_document": document or SimpleUploadedFile("申报书.pdf", PDF),
            **fields,
        },
    )


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_open_calls_and_applying(portal, demo, media):
    client = portal("jinan-org")
    call = Project.objects.get(code="JN-2027-CALL")
    assert call.title in client.get("/portal/calls/").content.decode()
    response = apply(client, call)
    assert response.status_code == 302
    assert call.applications.count() == 1
    # 东营's organization is not guided under 济南: the call is not theirs to see.
    assert portal("dongying-org").get(f"/portal/calls/{call.pk}/apply/").status_code == 404


def test_my_applications_lists_each_with_its_state(portal, demo, media):
    """我的申报: after applying she lands on her applications and sees where each stands; another
    organization's are not listed."""
    client = portal("jinan-org")
    call = Project.objects.get(code="JN-2027-CALL")
    response = apply(client, call)
    assert response["Location"] == "/portal/applications/"
    page = client.get("/portal/applications/")
    [application] = page.context["applications"]
    assert application.project == call and "已提交" in page.content.decode()
    assert list(portal("dongying-org").get("/portal/applications/").context["applications"]) == []
    assert 'href="/portal/applications/"' in client.get("/portal/").content.decode()


def test_a_call_shows_its_guidelines_and_files_to_those_it_is_open_to(portal, demo, media):
    """A call's page: what it funds, its guidelines, its files to download, and Apply. Files of
    a call open elsewhere are 404."""
    call = Project.objects.get(code="JN-2027-CALL")
    document = call.call_documents.create(
        title="申报指南.pdf", file=SimpleUploadedFile("申报指南.pdf", PDF)
    )
    client = portal("jinan-org")
    calls = client.get("/portal/calls/").content.decode()
    assert f'href="/portal/calls/{call.pk}/"' in calls
    page = client.get(f"/portal/calls/{call.pk}/").content.decode()
    assert "资助方向" in page  # the demo's guidelines
    assert f'href="/call-documents/{document.pk}/"' in page
    assert f'href="/portal/calls/{call.pk}/apply/"' in page
    download = client.get(f"/call-documents/{document.pk}/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert portal("jinan").get(f"/call-documents/{document.pk}/").status_code == 200  # its funder
    outside = portal("dongying-org")
    assert outside.get(f"/portal/calls/{call.pk}/").status_code == 404
    assert outside.get(f"/call-documents/{document.pk}/").status_code == 404


def test_an_application_needs_its_proposal_document_and_refuses_a_script(portal, demo, media):
    call = Project.objects.get(code="JN-2027-CALL")
    client = portal("jinan-org")
    response = client.post(
        f"/portal/calls/{call.pk}/apply/",
        {
            "organization": call.funder.guided_organizations.get().pk,
            "proposal": "家庭教育讲堂",
            "requested_amount": "90000",
        },
    )
    assert response.status_code == 200 and "该字段是必填项" in response.content.decode()
    script = SimpleUploadedFile("申报书.html", b"<script>alert(1)</script>")
    response = apply(client, call, document=script)
    assert response.status_code == 200 and "只能上传" in response.content.decode()
    assert call.applications.count() == 0


def test_the_proposal_document_is_read_by_its_organization_and_reviewers_only(portal, demo, media):
    call = Project.objects.get(code="JN-2027-CALL")
    apply(portal("jinan-org"), call)
    application = call.applications.get()
    assert application.proposal_document_name == "申报书.pdf"
    url = f"/applications/{application.pk}/proposal/"
    assert portal("jinan-org").get(url).status_code == 200
    reviewer = portal("jinan")
    assert reviewer.get(url).status_code == 200
    admin_page = reviewer.get(f"/admin/projects/application/{application.pk}/change/")
    assert f'href="{url}"' in admin_page.content.decode()
    assert portal("dongying").get(url).status_code == 404
    assert portal("dongying-org").get(url).status_code == 404
