"""Who sees which case, and how much: 404 outside, masked lists, the full record only for its
circle with every opening logged (page, API, admin), break-glass with a reason, exports."""

from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from accounts.models import User
from cases import services
from cases.exports import neutralised
from cases.models import AccessLog, Case, CaseEvent, Party
from core.errors import NotAllowed
from orgs.models import SocialOrganization
from tests.factories import org_case_worker
from tests.scope_contract import ScopedAdminContract, ScopedAPIContract, count_queries, listed_ids

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases")]


@pytest.fixture
def crisis(demo):
    """The demo's crisis case of 东营区, assigned to dongying-worker."""
    return Case.objects.get(risk="crisis", federation__division_code="370502")


def secrets_of(cases) -> list[str]:
    parties = Party.objects.filter(case__in=cases)
    return [value for party in parties for value in (party.phone, party.id_number) if value]


def opened(case) -> int:
    return AccessLog.objects.filter(case=case).count()


@pytest.mark.parametrize("username", ["huaiyin", "jinan-org", "jinan"])
def test_cases_of_dongying_are_not_found_from_elsewhere(admin_client_as, api_as, crisis, username):
    assert admin_client_as(username).get(f"/cases/{crisis.pk}/").status_code == 404
    assert api_as(username).get(f"/api/v1/cases/{crisis.pk}/").status_code == 404
    assert crisis.pk not in {
        row["id"] for row in api_as(username).get("/api/v1/cases/").json()["results"]
    }
    assert opened(crisis) == 0


def test_huaiyin_gets_404_in_the_admin_too(admin_client_as, crisis):
    assert (
        admin_client_as("huaiyin").get(f"/admin/cases/case/{crisis.pk}/change/").status_code == 404
    )


def test_the_hotline_worker_sees_only_her_organizations_cases(api_as, crisis):
    listed = {
        row["id"] for row in api_as("dongying-worker").get("/api/v1/cases/").json()["results"]
    }
    hotline = SocialOrganization.objects.get(name="东营区希望心理咨询服务中心")
    assert listed == set(Case.objects.filter(organization=hotline).values_list("pk", flat=True))
    assert crisis.pk in listed


@pytest.mark.parametrize("username", ["dongying", "dongying-worker", "admin"])
def test_lists_and_exports_never_show_a_phone_or_id_number(
    admin_client_as, api_as, crisis, username
):
    secrets = secrets_of(Case.objects.all())
    listed = api_as(username).get("/api/v1/cases/", {"page_size": 200}).content.decode()
    queue = admin_client_as(username).get("/cases/").content.decode()
    for secret in secrets:
        assert secret not in listed and secret not in queue
    assert "139****0123" in listed


def test_the_export_is_masked_and_neutralises_formulas(admin_client_as, crisis):
    Party.objects.filter(case=crisis, role="help_seeker").update(name="")
    party = crisis.parties.get(role="help_seeker")
    party.name = "=HYPERLINK(1)"
    party.save()
    response = admin_client_as("dongying").get("/cases/export/")
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    cells = [cell for row in sheet.iter_rows(values_only=True) for cell in row if cell]
    assert "'=************" in cells
    assert not any(str(cell).startswith("=") for cell in cells)
    assert not set(secrets_of(Case.objects.all())) & {str(cell) for cell in cells}
    assert neutralised("@SUM(A1)") == "'@SUM(A1)" and neutralised("李**") == "李**"


def test_the_export_needs_its_permission(admin_client_as, crisis):
    assert admin_client_as("dongying-worker").get("/cases/export/").status_code == 403
    assert admin_client_as("huaiyin").get("/cases/export/").status_code == 403


# Opening the full record ----------------------------------------------------------------


def test_each_opening_adds_exactly_one_log_row(admin_client_as, api_as, crisis):
    page = admin_client_as("dongying-worker").get(f"/cases/{crisis.pk}/")
    assert "李晓梅" in page.content.decode() and opened(crisis) == 1
    full = api_as("dongying").get(f"/api/v1/cases/{crisis.pk}/").json()
    assert full["parties"][0]["phone"] == "13905460123" and opened(crisis) == 2
    admin = admin_client_as("dongying").get(f"/admin/cases/case/{crisis.pk}/change/")
    assert admin.status_code == 200 and "李晓梅" in admin.content.decode()
    assert opened(crisis) == 3
    assert list(AccessLog.objects.filter(case=crisis).values_list("via", flat=True)) == [
        "admin",
        "api",
        "page",
    ]


@pytest.fixture
def hotline_colleague(crisis):
    """Another case worker of the handling organization: the case is not hers."""
    return org_case_worker(crisis.organization)


def test_outside_the_circle_the_case_is_masked_and_not_logged(
    client, api_as, crisis, hotline_colleague
):
    client.force_login(hotline_colleague, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(f"/cases/{crisis.pk}/")
    assert response.status_code == 200, response
    page = response.content.decode()
    assert "李晓梅" not in page and "李**" in page
    assert "break-glass" not in page  # organization staff may not break the glass
    api = api_as(None)
    api.force_authenticate(hotline_colleague)
    masked = api.get(f"/api/v1/cases/{crisis.pk}/").json()
    assert "summary" not in masked and masked["parties"][0]["phone"] == "139****0123"
    assert opened(crisis) == 0
    assert client.post(f"/cases/{crisis.pk}/open/", {"reason": "想看看"}).status_code == 403


def test_staff_of_the_handling_organization_without_the_case_role_see_no_case(
    admin_client_as, api_as, crisis
):
    """Finding 3: a report writer of the hotline's organization neither sees nor takes a case."""
    assert admin_client_as("dongying-org").get(f"/cases/{crisis.pk}/").status_code == 404
    assert api_as("dongying-org").get(f"/api/v1/cases/{crisis.pk}/").status_code == 404
    assert api_as("dongying-org").get("/api/v1/cases/").json()["results"] == []
    assert not Case.objects.visible_to(User.objects.get(username="dongying-org")).exists()
    unassigned = Case.objects.filter(organization=crisis.organization).exclude(pk=crisis.pk)
    for case in unassigned:
        with pytest.raises(NotAllowed):
            services.case_claim(actor=User.objects.get(username="dongying-org"), case=case)


@pytest.fixture
def colleague(places):
    """A case worker of 东营区妇联: she sees its cases, but this one is not hers."""
    user = User.objects.create(username="dongying-colleague", name="同事", is_staff=True)
    user.staff_memberships.create(federation=places.dongying, role="case_worker")
    return user


def test_break_glass_needs_a_reason_and_is_shown_to_the_owning_federation(
    client, colleague, crisis, admin_client_as
):
    client.force_login(colleague, backend="django.contrib.auth.backends.ModelBackend")
    assert "李晓梅" not in client.get(f"/cases/{crisis.pk}/").content.decode()
    assert client.post(f"/cases/{crisis.pk}/open/", {"reason": ""}).status_code == 400
    assert opened(crisis) == 0
    response = client.post(f"/cases/{crisis.pk}/open/", {"reason": "责任社工休假，家属来电求助"})
    assert "李晓梅" in response.content.decode()
    entry = AccessLog.objects.get(case=crisis)
    assert (entry.break_glass, entry.user, entry.via) == (True, colleague, "page")
    shown = admin_client_as("dongying").get(f"/cases/{crisis.pk}/").content.decode()
    assert "责任社工休假，家属来电求助" in shown


def test_break_glass_through_the_api(api_as, colleague, crisis):
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(colleague)
    assert client.post(f"/api/v1/cases/{crisis.pk}/open/", {}, format="json").status_code == 400
    response = client.post(f"/api/v1/cases/{crisis.pk}/open/", {"reason": "紧急"}, format="json")
    assert response.status_code == 200 and response.json()["parties"][0]["name"] == "李晓梅"
    assert AccessLog.objects.filter(case=crisis, break_glass=True).count() == 1


# Lists stay fast ---------------------------------------------------------------------------


def test_the_queue_and_the_api_list_run_constant_queries(
    admin_client_as, api_as, places, user_named
):
    from tests.test_cases_workflow import take_call

    def add(count):
        for number in range(count):
            take_call(
                user_named("dongying"), places.dongying, phone=f"1370546{number:04d}", id_number=""
            )

    add(3)
    client = admin_client_as("dongying")
    few = (
        count_queries(lambda: client.get("/cases/")),
        count_queries(lambda: api_as("dongying").get("/api/v1/cases/")),
    )
    add(12)
    many = (
        count_queries(lambda: client.get("/cases/")),
        count_queries(lambda: api_as("dongying").get("/api/v1/cases/")),
    )
    assert few == many


# Intake on the page ---------------------------------------------------------------------------


def intake_form(places, **changes):
    fields = {
        "risk": "crisis",
        "categories": ["domestic_violence"],
        "channel": "hotline",
        "federation": places.dongying.pk,
        "name": "孙芳",
        "phone": "13905460123",
        "summary": "再次来电",
        "consent_to_statistics": "on",
    }
    fields.update(changes)
    return fields


def test_a_known_caller_is_offered_her_case_before_a_new_one(admin_client_as, places, crisis):
    client = admin_client_as("dongying")
    before = Case.objects.count()
    response = client.post("/cases/intake/", intake_form(places))
    assert response.status_code == 200 and list(response.context["matches"]) == [crisis]
    assert Case.objects.count() == before
    client.post(f"/cases/{crisis.pk}/call/")
    assert crisis.calls.count() == 2
    client.post("/cases/intake/", {**intake_form(places), "new_case": "1"})
    assert Case.objects.count() == before + 1


def test_a_bad_id_number_keeps_the_form_and_creates_nothing(admin_client_as, places):
    before = Case.objects.count()
    response = admin_client_as("dongying").post(
        "/cases/intake/", intake_form(places, phone="13800000000", id_number="370502199001011234")
    )
    assert "校验码" in response.content.decode()
    assert 'value="孙芳"' in response.content.decode()
    assert Case.objects.count() == before


def test_moves_on_the_case_page(admin_client_as, places, user_named):
    from tests.test_cases_workflow import hotline_org, take_call

    case = take_call(user_named("dongying"), places.dongying)
    supervisor = admin_client_as("dongying")
    supervisor.post(
        f"/cases/{case.pk}/triage/",
        {
            "triage-risk": "crisis",
            "triage-categories": ["domestic_violence"],
            "triage-organization": hotline_org().pk,
        },
    )
    outsider = User.objects.get(username="jinan-org")
    refused = supervisor.post(f"/cases/{case.pk}/assign/", {"assign-worker": outsider.pk})
    assert refused.status_code == 400
    supervisor.post(
        f"/cases/{case.pk}/assign/", {"assign-worker": user_named("dongying-worker").pk}
    )
    case.refresh_from_db()
    assert (case.status, case.assigned_to.username) == ("assigned", "dongying-worker")
    assert admin_client_as("huaiyin").post(f"/cases/{case.pk}/resolve/", {}).status_code == 404
    services.case_start(actor=user_named("dongying-worker"), case=case)
    worker = admin_client_as("dongying-worker")
    response = worker.post(f"/cases/{case.pk}/resolve/", {"resolve-outcome": "de_escalated"})
    assert response.status_code == 302
    follow_up = case.follow_ups.first()
    worker.post(
        f"/cases/follow-ups/{follow_up.pk}/done/",
        {f"done-{follow_up.pk}-result": "情况稳定", f"done-{follow_up.pk}-method": "phone"},
    )
    case.refresh_from_db()
    assert case.status == "follow_up"


# The admin: scoped like every other changelist ------------------------------------------


def case_owned_by(federation):
    return Case.objects.create(
        number=f"T-{Case.objects.count() + 1:06d}",
        channel="hotline",
        received_at=timezone.now(),
        received_by=User.objects.get(username="admin"),
        federation=federation,
        categories=["marriage"],
        risk="low",
    )


class TestCaseAdmin(ScopedAdminContract):
    admin_name = "cases_case"

    def make(self, federation):
        return case_owned_by(federation)

    def test_change_page_inside_opens(self, admin_client_as, places):
        """An administrator outside the case's circle lists it, but does not open it."""
        inside = self.make(places.yingshijie)
        assert admin_client_as("huaiyin").get(self.change_url(inside)).status_code == 404
        assert not AccessLog.objects.filter(case=inside).exists()


class TestAccessLogAdmin(ScopedAdminContract):
    admin_name = "cases_accesslog"

    def make(self, federation):
        case = case_owned_by(federation)
        return AccessLog.objects.create(case=case, user=case.received_by, via="page")

    def test_change_page_inside_opens(self, admin_client_as, places):
        inside = self.make(places.yingshijie)
        response = admin_client_as("huaiyin").get(self.change_url(inside))
        assert response.status_code == 200  # read only: the log cannot be edited
        assert b'name="_save"' not in response.content


class TestSLAPolicyAdmin(ScopedAdminContract):
    admin_name = "cases_slapolicy"

    def make(self, federation):
        from cases.models import SLAPolicy

        return SLAPolicy.objects.create(
            federation=federation,
            risk="crisis",
            category=f"marriage{SLAPolicy.objects.count()}"[:32],
            first_contact_hours=2,
            resolution_hours=24,
        )


# The timelines: the events' own federation column, kept by the database -----------------


def event_of(case):
    return CaseEvent.objects.create(case=case, kind="call", at=timezone.now(), result="来电")


class TestCaseEventAPI(ScopedAPIContract):
    """Below a province the events are scoped on their own copy of the case's federation."""

    list_url = "/api/v1/case-events/"

    def make(self, federation):
        return event_of(case_owned_by(federation))


def test_an_event_takes_its_cases_federation_and_follows_an_escalation(api_as, places):
    city = places.dongying.parent
    case = case_owned_by(city)
    earlier = event_of(case)
    assert CaseEvent.objects.get(pk=earlier.pk).federation == city
    operator = User.objects.create(username="dongying-city")
    operator.staff_memberships.create(federation=city, role="case_worker")
    services.case_escalate(actor=operator, case=case, to_federation=places.dongying)
    assert set(case.events.values_list("federation", flat=True)) == {places.dongying.pk}
    listed = listed_ids(api_as("dongying").get("/api/v1/case-events/", {"page_size": 200}))
    assert earlier.pk in listed


def test_the_hotline_worker_lists_the_events_of_her_organizations_cases(api_as, crisis):
    listed = listed_ids(api_as("dongying-worker").get("/api/v1/case-events/", {"page_size": 200}))
    hotline = SocialOrganization.objects.get(name="东营区希望心理咨询服务中心")
    mine = CaseEvent.objects.filter(case__organization=hotline)
    assert listed == set(mine.values_list("pk", flat=True)) and crisis.events.exists()


def test_a_township_worker_who_also_answers_a_hotline_lists_both(api_as, places, crisis):
    """Her township's events by their column, her organization's cases' events besides."""
    hotline = SocialOrganization.objects.get(name="东营区希望心理咨询服务中心")
    worker = org_case_worker(hotline)
    worker.staff_memberships.create(federation=places.yingshijie, role="case_worker")
    township = event_of(case_owned_by(places.yingshijie))
    elsewhere = event_of(case_owned_by(places.huaiyin))
    client = APIClient()
    client.force_authenticate(worker)
    listed = listed_ids(client.get("/api/v1/case-events/", {"page_size": 200}))
    hotlines = set(
        CaseEvent.objects.filter(case__organization=hotline).values_list("pk", flat=True)
    )
    assert listed == hotlines | {township.pk} and elsewhere.pk not in listed


# Found in review --------------------------------------------------------------------------


def test_a_refused_move_that_shows_the_full_record_logs_it(admin_client_as, crisis):
    response = admin_client_as("dongying-worker").post(
        f"/cases/{crisis.pk}/event/", {"event-kind": "note"}
    )
    assert response.status_code == 400 and "李晓梅" in response.content.decode()
    assert opened(crisis) == 1


def test_intake_lookups_are_logged(admin_client_as, places, crisis):
    admin_client_as("dongying").post("/cases/intake/", intake_form(places))
    assert list(AccessLog.objects.filter(case=crisis).values_list("via", flat=True)) == ["lookup"]


def test_a_district_admin_cannot_set_the_provinces_sla_policy(admin_client_as, places):
    from cases.models import SLAPolicy

    client = admin_client_as("huaiyin")
    for federation in (places.shandong, places.dongying):
        client.post(
            "/admin/cases/slapolicy/add/",
            {
                "federation": federation.pk,
                "risk": "crisis",
                "category": "",
                "first_contact_hours": "48",
                "resolution_hours": "480",
                "warn_hours": "1",
            },
        )
    assert not SLAPolicy.objects.exists()
    client.post(
        "/admin/cases/slapolicy/add/",
        {
            "federation": places.huaiyin.pk,
            "risk": "crisis",
            "category": "",
            "first_contact_hours": "1",
            "resolution_hours": "48",
            "warn_hours": "1",
        },
    )
    assert SLAPolicy.objects.filter(federation=places.huaiyin).exists()
