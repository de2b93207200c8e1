"""The project API: scope for federations and organizations, and the report workflow."""

import pytest

from projects.api.serializers import NOT_THIS_PROJECTS_INDICATOR
from projects.models import Project, ProjectReport
from tests.factories import OrganizationFactory, ProjectFactory
from tests.scope_contract import ScopedAdminContract, ScopedAPIContract, listed_ids

pytestmark = [pytest.mark.django_db, pytest.mark.demo("projects")]


def project_in(federation):
    return ProjectFactory(
        funder=federation, implementer=OrganizationFactory(guiding_federation=federation)
    )


class TestProjectAPI(ScopedAPIContract):
    list_url = "/api/v1/projects/"

    def make(self, federation):
        return project_in(federation)


class TestProjectReportAPI(ScopedAPIContract):
    list_url = "/api/v1/project-reports/"

    def make(self, federation):
        return project_in(federation).reports.get()


class TestProjectAdmin(ScopedAdminContract):
    admin_name = "projects_project"

    def make(self, federation):
        return project_in(federation)


class TestProjectReportAdmin(ScopedAdminContract):
    admin_name = "projects_projectreport"

    def make(self, federation):
        return project_in(federation).reports.get()


@pytest.fixture
def two_projects(places):
    from orgs.models import SocialOrganization

    jinan = ProjectFactory(
        funder=places.jinan,
        implementer=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
    )
    dongying = ProjectFactory(
        funder=places.dongying,
        implementer=SocialOrganization.objects.get(name="东营区希望心理咨询服务中心"),
    )
    return jinan, dongying


def test_jinan_org_sees_its_own_project_and_reports_only(api_as, two_projects):
    own, other = two_projects
    client = api_as("jinan-org")
    listed = listed_ids(client.get("/api/v1/projects/"))
    assert own.pk in listed and other.pk not in listed
    assert all(
        p.implementer.name == "济南市女性社会组织联合会"
        for p in Project.objects.filter(pk__in=listed)
    )
    assert client.get(f"/api/v1/projects/{other.pk}/").status_code == 404
    other_report = other.reports.get()
    assert client.get(f"/api/v1/project-reports/{other_report.pk}/").status_code == 404
    assert client.post(f"/api/v1/project-reports/{other_report.pk}/submit/").status_code == 404
    reports = listed_ids(client.get("/api/v1/project-reports/", {"page_size": 200}))
    assert own.reports.get().pk in reports and other_report.pk not in reports


def test_huaiyin_does_not_see_dongyings_projects(api_as, two_projects):
    assert two_projects[1].pk not in listed_ids(api_as("huaiyin").get("/api/v1/projects/"))


def test_report_workflow_through_the_api(api_as, two_projects):
    project = two_projects[0]
    report = project.reports.get()
    indicator = project.indicators.create(name="培训人次", unit="人次", kind="count", target=300)
    org_client, reviewer = api_as("jinan-org"), api_as("jinan")
    url = f"/api/v1/project-reports/{report.pk}/"
    response = org_client.patch(
        url,
        {
            "narrative": "开展培训",
            "women_served": 30,
            "spending": "800.00",
            "values": [{"indicator": indicator.pk, "value": "30"}],
        },
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert org_client.post(url + "submit/").json()["status"] == "submitted"
    assert reviewer.post(url + "return/", {"comment": ""}, format="json").status_code == 400
    returned = reviewer.post(url + "return/", {"comment": "请补充照片"}, format="json").json()
    assert (returned["status"], returned["reviewer_comment"]) == ("returned", "请补充照片")
    assert org_client.post(url + "approve/").status_code == 403  # may see it, may not approve
    assert org_client.post(url + "submit/").json()["status"] == "resubmitted"
    assert reviewer.post(url + "approve/").json()["status"] == "approved"
    assert org_client.patch(url, {"narrative": "改"}, format="json").status_code == 409
    assert org_client.post(url + "submit/").status_code == 409


def test_bad_report_input_is_refused_with_a_translated_message(api_as, two_projects):
    report = two_projects[0].reports.get()
    response = api_as("jinan-org").patch(
        f"/api/v1/project-reports/{report.pk}/", {"spending": "-5"}, format="json"
    )
    assert response.status_code == 400
    assert "spending" in response.json()
    other_indicator = two_projects[1].indicators.create(
        name="外", unit="次", kind="count", target=1
    )
    response = api_as("jinan-org").patch(
        f"/api/v1/project-reports/{report.pk}/",
        {"values": [{"indicator": other_indicator.pk, "value": "1"}]},
        format="json",
    )
    assert response.status_code == 400
    # Worded like an indicator that does not exist (tests/test_security_findings.py).
    assert response.json() == {"values": {"0": {"indicator": [str(NOT_THIS_PROJECTS_INDICATOR)]}}}
    assert ProjectReport.objects.get(pk=report.pk).values.count() == 0


class TestApplicationAdmin(ScopedAdminContract):
    admin_name = "projects_application"

    def make(self, federation):
        from accounts.models import User
        from projects.models import Application

        project = ProjectFactory(funder=federation, status="call_open")
        return Application.objects.create(
            project=project,
            organization=OrganizationFactory(guiding_federation=federation),
            proposal="方案",
            requested_amount=1,
            submitted_by=User.objects.get(username="jinan-org"),
        )


class TestApplicationAPI(TestApplicationAdmin, ScopedAPIContract):
    list_url = "/api/v1/applications/"


def test_admin_actions_move_projects_through_the_service(admin_client_as, places):
    draft = ProjectFactory(funder=places.jinan, status="draft")
    elsewhere = ProjectFactory(funder=places.jinan, status="closed")
    client = admin_client_as("jinan")
    client.post(
        "/admin/projects/project/",
        {"action": "move_open_call", "_selected_action": [draft.pk, elsewhere.pk]},
    )
    draft.refresh_from_db()
    elsewhere.refresh_from_db()
    assert (draft.status, elsewhere.status) == ("call_open", "closed")
    assert draft.transitions.get().actor.username == "jinan"


def test_terminating_in_the_admin_asks_first(admin_client_as, places):
    """An irreversible move (the table's confirm) shows the projects and one button before it
    is made."""
    project = ProjectFactory(funder=places.jinan, status="in_progress")
    client = admin_client_as("jinan")
    asked = client.post(
        "/admin/projects/project/",
        {"action": "move_terminate", "_selected_action": [project.pk]},
    )
    assert asked.status_code == 200
    assert project.title in asked.content.decode() and 'name="confirmed"' in asked.content.decode()
    project.refresh_from_db()
    assert project.status == "in_progress"
    client.post(
        "/admin/projects/project/",
        {"action": "move_terminate", "_selected_action": [project.pk], "confirmed": "yes"},
    )
    project.refresh_from_db()
    assert project.status == "terminated"


def test_the_admins_start_action_does_not_resume_a_suspended_project(admin_client_as, places):
    """Two moves lead to "in progress": each admin action makes only its own."""
    project = ProjectFactory(funder=places.jinan, status="suspended")
    admin_client_as("jinan").post(
        "/admin/projects/project/", {"action": "move_start", "_selected_action": [project.pk]}
    )
    project.refresh_from_db()
    assert project.status == "suspended"
