"""Issue 13's defects, each reproduced as it was seen, then gone."""

import os
import subprocess
import sys
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from cases import services as cases
from cases.forms import IntakeForm
from cases.models import Case
from cases.statistics import case_statistics
from core.errors import ServiceError
from menu import services as menu
from menu.choices import OrderStatus
from tests.factories import application_to, huaiyin_orders

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases", "menu", "volunteers")]

ROOT = Path(__file__).resolve().parents[1]
TOMORROW = timezone.localdate() + timedelta(days=1)


def new_case(places, user_named, **changes):
    fields = {
        "federation": places.dongying,
        "channel": "hotline",
        "risk": "high",
        "categories": ["domestic_violence"],
        "name": "周丽",
        "phone": "13705461234",
    }
    return cases.case_intake(actor=user_named("dongying"), **{**fields, **changes})


def test_the_sla_countdown_shows_the_time_left():
    """Seen: "剩余 0 分钟" eight hours before the first-contact deadline."""
    now = timezone.now()
    html = render_to_string("cases/_due.html", {"due": now + timedelta(hours=8), "now": now})
    assert "8" in html and "小时" in html
    assert "0 分钟" not in html


def test_cases_without_a_deadline_are_not_counted_late(places, user_named):
    """Seen: 7.1% compliance because cases without a deadline counted as late."""
    on_time = new_case(places, user_named)
    without_deadline = new_case(places, user_named)
    Case.objects.filter(pk=on_time.pk).update(
        first_contacted_at=on_time.received_at + timedelta(minutes=30)
    )
    Case.objects.filter(pk=without_deadline.pk).update(
        first_contacted_at=without_deadline.received_at + timedelta(minutes=30),
        first_contact_due=None,
    )
    today = timezone.localtime()
    figures = case_statistics(places.dongying, today - timedelta(days=1), today + timedelta(days=1))
    assert figures["sla_compliance"] == 100


def test_the_demo_server_runs_without_debug():
    """Seen: a mistyped public link showed Django's technical 404 with every URL pattern."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local"}
    environment.pop("DEBUG", None)
    probe = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"
    result = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "False"


def scheduled_order(workshop, places, user_named, day):
    organization = user_named("jinan-org")
    order = huaiyin_orders(workshop, places.huaiyin)
    order = menu.order_accept(actor=organization, order=order)
    return menu.order_schedule(
        actor=organization,
        order=order,
        scheduled_at=timezone.make_aware(datetime.combine(day, time(14))),
        place="营市街社区妇女之家",
    )


def test_a_service_is_not_delivered_before_its_day(workshop, places, user_named):
    """Seen: marked delivered (and then rated) before the scheduled date."""
    order = scheduled_order(workshop, places, user_named, TOMORROW)
    with pytest.raises(ServiceError):
        menu.order_deliver(actor=user_named("jinan-org"), order=order, actual_participants=12)
    order.refresh_from_db()
    assert order.status == OrderStatus.SCHEDULED and order.activity_id is None


def test_resolving_keeps_the_follow_up_she_scheduled(places, user_named):
    """Seen: 7/30/90-day follow-ups added beside the one already scheduled."""
    supervisor = user_named("dongying")
    case = new_case(places, user_named)
    cases.case_triage(actor=supervisor, case=case, risk="high", categories=["marriage"])
    case = cases.case_assign(actor=supervisor, case=case, worker=supervisor)
    cases.case_start(actor=supervisor, case=case)
    cases.follow_up_schedule(actor=supervisor, case=case, due_on=TOMORROW + timedelta(days=6))
    cases.case_resolve(actor=supervisor, case=case, outcome="de_escalated")
    assert list(case.follow_ups.values_list("due_on", flat=True)) == [TOMORROW + timedelta(days=6)]


def test_intake_shows_every_mistake_at_once(user_named):
    """Seen: a wrong phone, then (once fixed) a wrong ID number: one error at a time."""
    form = IntakeForm(
        {"risk": "high", "categories": ["marriage"], "phone": "123", "id_number": "123"},
        user=user_named("dongying"),
    )
    assert not form.is_valid()
    assert {"phone", "id_number"} <= set(form.errors)


# Notices that close the loop --------------------------------------------------------------


def notices_of(username, key_start):
    from notifications.models import Notification

    return list(Notification.objects.filter(user__username=username, key__startswith=key_start))


def jinan_report(places, status="draft"):
    from orgs.models import SocialOrganization
    from tests.factories import ProjectFactory

    project = ProjectFactory(
        funder=places.jinan,
        implementer=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
    )
    report = project.reports.get()
    report.status = status
    report.save()
    return report


def test_each_report_move_tells_whoever_acts_next(
    places, user_named, django_capture_on_commit_callbacks
):
    """Seen: the organization was not told when its report was returned or approved."""
    from projects import services as projects

    report = jinan_report(places)
    with django_capture_on_commit_callbacks(execute=True):
        projects.report_submit(actor=user_named("jinan-org"), report=report)
    [to_review] = notices_of("jinan", "report-submitted")
    assert to_review.url == f"/admin/projects/projectreport/{report.pk}/change/"
    with django_capture_on_commit_callbacks(execute=True):
        projects.report_review(
            actor=user_named("jinan"), report=report, approve=False, comment="请补充签到表"
        )
    [returned] = notices_of("jinan-org", "report-returned")
    assert returned.url == f"/portal/reports/{report.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        projects.report_submit(actor=user_named("jinan-org"), report=report)
        projects.report_review(actor=user_named("jinan"), report=report, approve=True)
    assert len(notices_of("jinan", "report-submitted")) == 2  # resubmitted: told again
    assert len(notices_of("jinan-org", "report-approved")) == 1


def test_the_organization_hears_of_its_award_and_of_its_listing(
    places, user_named, workshop, django_capture_on_commit_callbacks
):
    """Seen: no notice when an application was awarded or a service listing approved."""
    from menu.models import MenuPublication
    from orgs.models import SocialOrganization
    from projects import services as projects
    from tests.factories import OrganizationFactory, ProjectFactory

    project = ProjectFactory(funder=places.jinan, status="under_review", procurement_mode="venture")
    winner, loser = (
        application_to(project, organization)
        for organization in (
            SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
            OrganizationFactory(guiding_federation=places.jinan),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        projects.project_award(actor=user_named("jinan"), project=project, application=winner)
    [awarded] = notices_of("jinan-org", "application-awarded")
    assert awarded.url == f"/portal/projects/{project.pk}/"
    loser.refresh_from_db()
    assert loser.status == "not_awarded"

    publication = MenuPublication.objects.get(item=workshop)
    with django_capture_on_commit_callbacks(execute=True):
        menu.item_withdraw(actor=user_named("jinan"), publication=publication)
        menu.item_publish(actor=user_named("jinan"), item=workshop, federation=places.jinan)
    assert notices_of("jinan-org", "publication-published")


def test_the_orderer_hears_of_the_delivery(
    workshop, places, user_named, django_capture_on_commit_callbacks
):
    """Seen: the orderer was not told on delivery."""
    order = scheduled_order(workshop, places, user_named, TOMORROW)
    order.scheduled_at = timezone.now()
    order.save()
    with django_capture_on_commit_callbacks(execute=True):
        menu.order_deliver(actor=user_named("jinan-org"), order=order, actual_participants=12)
    [delivered] = notices_of("huaiyin", "order-delivered")
    assert delivered.url == f"/menu/orders/{order.pk}/"


def test_a_notice_is_a_link_that_marks_itself_read(client, user_named):
    """Seen: notices were not links, reading did not mark them read, items ended in "·"."""
    from notifications.services import notify

    huaiyin, jinan = user_named("huaiyin"), user_named("jinan")
    mine = notify(user=huaiyin, key="t:1", title="订单已送达", url="/menu/orders/")
    theirs = notify(user=jinan, key="t:2", title="别人的", url="/menu/orders/")
    client.force_login(huaiyin)
    listing = client.get("/notifications/").content.decode()
    assert f'href="/notifications/{mine.pk}/"' in listing
    assert " · <" not in listing.replace("\n", "") and "· </div>" not in listing
    response = client.get(f"/notifications/{mine.pk}/")
    assert response.status_code == 302 and response["Location"] == "/menu/orders/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert client.get(f"/notifications/{theirs.pk}/").status_code == 404


def test_the_admin_header_shows_the_unread_count(client, user_named):
    from notifications.services import notify

    jinan = user_named("jinan")
    notify(user=jinan, key="t:3", title="待审核报告")
    client.force_login(jinan, backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/admin/").content.decode()
    assert 'id="admin-unread">1<' in page


# Every role's way in ------------------------------------------------------------------------


def test_an_organizations_case_worker_takes_a_call_and_works_it(client, places, user_named):
    """Seen: dongying-worker's intake form had no federation to choose, so it never saved."""
    worker = user_named("dongying-worker")
    client.force_login(worker)
    form = client.get("/cases/intake/").context["form"]
    assert list(form.fields["federation"].queryset) == [places.dongying]
    response = client.post(
        "/cases/intake/",
        {
            "risk": "high",
            "categories": ["domestic_violence"],
            "channel": "hotline",
            "federation": places.dongying.pk,
            "phone": "13705469999",
            "consent_to_statistics": "on",
            "new_case": "1",
        },
    )
    case = Case.objects.latest("pk")
    assert response.status_code == 302 and response["Location"] == f"/cases/{case.pk}/"
    assert (case.status, case.assigned_to, case.organization.name) == (
        "assigned",
        worker,
        "东营区希望心理咨询服务中心",
    )
    cases.event_add(actor=worker, case=case, kind="home_visit", at=timezone.now(), result="已联系")
    cases.follow_up_schedule(actor=worker, case=case, due_on=TOMORROW)
    case.refresh_from_db()
    assert case.status == "in_progress" and case.follow_ups.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/cases/intake/",
        "/volunteers/opportunities/",
        "/volunteers/teams/",
        "/volunteers/hours/",
    ],
)
def test_a_volunteer_gets_no_coordinators_page(client, user_named, url):
    """Seen: a volunteer could open the coordinators' pages and the intake form."""
    client.force_login(user_named("huaiyin-volunteer"))
    assert client.get(url).status_code == 404


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_reviewer_sees_the_evidence_and_no_save_button(
    admin_client_as, places, user_named, media
):
    """Seen: the admin review page listed no attachments, indicator values or organization,
    offered "保存" though nothing could be edited, and kept an old return comment after
    approval."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from projects import services as projects
    from tests.upload_files import PDF

    report = jinan_report(places)
    organization = user_named("jinan-org")
    indicator = report.project.indicators.create(
        name="服务人次", unit="人次", kind="count", target=10
    )
    projects.report_save(actor=organization, report=report, values={indicator: (7, None)})
    projects.report_attach(
        actor=organization, report=report, upload=SimpleUploadedFile("签到表.pdf", PDF)
    )
    projects.report_submit(actor=organization, report=report)
    projects.report_review(
        actor=user_named("jinan"), report=report, approve=False, comment="补照片"
    )
    projects.report_submit(actor=organization, report=report)
    client = admin_client_as("jinan")
    url = f"/admin/projects/projectreport/{report.pk}/change/"
    page = client.get(url).content.decode()
    assert "签到表.pdf" in page and "服务人次" in page and "济南市女性社会组织联合会" in page
    assert 'name="_save"' not in page
    assert 'id="review-form"' in page
    projects.report_review(actor=user_named("jinan"), report=report, approve=True)
    report.refresh_from_db()
    assert report.reviewer_comment == ""  # the old return's words are in the history only


def test_the_case_workers_side_bar_leads_to_the_intake(client, user_named):
    """Seen: the side bar had no "接听来电" link for an organization's case worker."""
    client.force_login(user_named("dongying-worker"))
    assert 'href="/cases/intake/"' in client.get("/cases/").content.decode()


def test_an_application_is_awarded_or_not_chosen_from_its_own_page(
    admin_client_as, places, user_named, django_capture_on_commit_callbacks
):
    """Seen: "项目当前状态不能立项" with no hint that the project had first to be set to review
    in another list; no award or reject button on the application; no "未中选"."""
    from orgs.models import SocialOrganization
    from tests.factories import OrganizationFactory, ProjectFactory

    project = ProjectFactory(funder=places.jinan, status="call_open", procurement_mode="venture")
    first, second, third = (
        application_to(project, organization)
        for organization in (
            SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
            OrganizationFactory(guiding_federation=places.jinan),
            OrganizationFactory(guiding_federation=places.jinan),
        )
    )
    client = admin_client_as("jinan")
    page = client.get(f"/admin/projects/application/{third.pk}/change/").content.decode()
    assert 'id="decision-form"' in page and 'name="award"' in page and 'name="reject"' in page
    client.post(f"/admin/projects/application/{third.pk}/decide/", {"reject": "1"})
    third.refresh_from_db()
    assert third.status == "not_awarded"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/admin/projects/application/{first.pk}/decide/", {"award": "1"})
    project.refresh_from_db()
    second.refresh_from_db()
    assert (project.status, project.implementer.name) == ("awarded", "济南市女性社会组织联合会")
    assert list(project.transitions.values_list("to_status", flat=True)) == [
        "under_review",
        "awarded",
    ]
    assert second.status == "not_awarded"
    assert notices_of("jinan-org", "application-awarded")


def test_awarding_in_the_wrong_state_says_what_is_needed(places, user_named):
    from projects import services as projects
    from tests.factories import OrganizationFactory, ProjectFactory

    project = ProjectFactory(funder=places.jinan, status="in_progress", procurement_mode="venture")
    application = application_to(project, OrganizationFactory(guiding_federation=places.jinan))
    with pytest.raises(ServiceError) as refusal:
        projects.project_award(actor=user_named("jinan"), project=project, application=application)
    assert "评审中" in str(refusal.value.message)


def test_the_volunteer_page_shows_her_phone_masked_and_keeps_it(admin_client_as, user_named):
    """Seen: the volunteer edit page showed the phone unmasked, in a five-line box."""
    from core.personal_data import phone_hash
    from volunteers.models import Volunteer

    volunteer = Volunteer.objects.get(user__username="huaiyin-volunteer")
    phone = volunteer.phone
    client = admin_client_as("huaiyin")
    url = f"/admin/volunteers/volunteer/{volunteer.pk}/change/"
    response = client.get(url)
    page = response.content.decode()
    assert phone not in page and volunteer.masked_phone in page
    assert response.context["adminform"].form.fields["phone"].widget.input_type == "text"
    form = response.context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"skills"}
    }
    data.update(phone="", id_number="", registered_on=volunteer.registered_on.isoformat())
    data["federation"] = volunteer.federation_id
    data["user"] = volunteer.user_id
    assert client.post(url, data).status_code == 302
    volunteer.refresh_from_db()
    assert volunteer.phone == phone
    data["phone"] = "13912345678"
    client.post(url, data)
    volunteer.refresh_from_db()
    assert (volunteer.phone, volunteer.phone_hash) == ("13912345678", phone_hash("13912345678"))


def test_irreversible_moves_ask_first(client, admin_client_as, places, user_named):
    """Seen: no confirmation before submitting or approving a report, or resolving a case."""
    from cases.workflows import CASE
    from projects.workflows import REPORT

    assert REPORT.move("submit").confirm and REPORT.move("approve").confirm
    assert CASE.move("resolve").confirm
    report = jinan_report(places)
    client.force_login(user_named("jinan-org"))
    page = client.get(f"/portal/reports/{report.pk}/").content.decode()
    summary, button = page.index('id="confirm-submit"'), page.index('name="submit"')
    assert summary < button  # the button is inside the question
    report.status = "submitted"
    report.save()
    page = admin_client_as("jinan").get(f"/admin/projects/projectreport/{report.pk}/change/")
    assert 'id="confirm-approve"' in page.content.decode()


# The portal -----------------------------------------------------------------------------------


def test_the_portal_reads_right(client, places, user_named, workshop):
    """Seen: "提交审核上架" for an item already listed; 活动场次（人次）; 支出 twice; counts as "5.00";
    future periods listed as "to fill"; "（征集中）" in a project's title."""
    from projects import services as projects
    from projects.models import Indicator, Project

    client.force_login(user_named("jinan-org"))
    services_page = client.get("/portal/services/")
    [listed] = [item for item in services_page.context["items"] if item.pk == workshop.pk]
    assert not listed.may_submit
    assert set(Indicator.objects.filter(name="活动场次").values_list("unit", flat=True)) == {"场"}
    assert not Indicator.objects.filter(name="支出").exists()
    assert not Project.objects.filter(title__contains="征集中").exists()

    report = jinan_report(places)
    indicator = report.project.indicators.create(
        name="服务人次", unit="人次", kind="count", target=9
    )
    projects.report_save(
        actor=user_named("jinan-org"), report=report, values={indicator: (5, None)}
    )
    page = client.get(f"/portal/reports/{report.pk}/").content.decode()
    assert 'value="5"' in page and 'value="5.00"' not in page
    from orgs.models import SocialOrganization
    from tests.factories import ProjectFactory

    today = timezone.localdate()
    running = ProjectFactory(
        funder=places.jinan,
        implementer=SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=365),
    )
    future = running.reports.filter(period__starts_on__gt=today)
    assert future.count() >= 3
    home = client.get("/portal/")
    assert not set(future.values_list("pk", flat=True)) & {r.pk for r in home.context["reports"]}


# Exports ------------------------------------------------------------------------------------


def test_a_dashboard_workbook_says_whose_and_when(admin_client_as, places):
    """Seen: files named dashboard-2-….xlsx (the levels-below workbook too), sheets without a
    title row."""
    from io import BytesIO
    from urllib.parse import unquote

    from openpyxl import load_workbook

    response = admin_client_as("jinan").get(
        f"/dashboards/{places.jinan.pk}/export/?start=2026-01-01&end=2026-06-30"
    )
    disposition = unquote(response["Content-Disposition"])
    assert "济南市妇联" in disposition and "2026-01-01" in disposition
    workbook = load_workbook(BytesIO(response.content))
    for sheet in workbook.worksheets:
        assert "济南市妇联" in sheet["A1"].value and "2026-06-30" in sheet["A1"].value


def test_the_volunteer_export_says_yes_or_no_and_is_dated_locally(admin_client_as, demo):
    """Seen: True/False in the cells and the file dated by the UTC day."""
    import time_machine

    from volunteers.models import Volunteer
    from volunteers.resources import VolunteerResource

    rows = VolunteerResource().export(queryset=Volunteer.objects.all()).dict
    assert {row["曾受助"] for row in rows} <= {"是", "否"}
    client = admin_client_as("huaiyin")
    # 01:30 in Beijing is still the day before in UTC.
    with time_machine.travel("2026-12-01 01:30 +0800", tick=False):
        response = client.post(
            "/admin/volunteers/volunteer/export/",
            {"format": "0", **{f"volunteerresource_{name}": "on" for name in ("name", "skills")}},
        )
    assert "2026-12-01" in unquote_disposition(response)


def unquote_disposition(response) -> str:
    from urllib.parse import unquote

    return unquote(response.get("Content-Disposition", ""))


# The case desk ---------------------------------------------------------------------------


def test_the_desk_finds_a_case_by_phone_id_or_number_and_logs_it(client, places, user_named):
    from cases.models import AccessLog

    case = new_case(places, user_named, id_number="370502199001011233")
    client.force_login(user_named("dongying"))
    for text in ("13705461234", "370502199001011233", case.number):
        found = client.get("/cases/", {"q": text}).context["found"]
        assert case in found, text
    assert AccessLog.objects.filter(case=case, user__username="dongying", via="lookup").count() == 3
    # Out of her area: nothing, whatever she types.
    client.force_login(user_named("jinan"))
    assert client.get("/cases/", {"q": "13705461234"}).context["found"] == []


def test_a_supervisor_urges_the_worker_who_is_told(
    client, places, user_named, django_capture_on_commit_callbacks
):
    """催办 / 督办: logged on the timeline and the worker told; refused to the worker herself."""
    from cases.models import CaseEvent

    supervisor = user_named("dongying")
    case = new_case(places, user_named)
    worker = user_named("dongying-worker")
    case = cases.case_triage(
        actor=supervisor,
        case=case,
        risk="high",
        categories=["marriage"],
        organization=worker.org_memberships.first().organization,
    )
    case = cases.case_assign(actor=supervisor, case=case, worker=worker)
    with pytest.raises(ServiceError):
        cases.case_urge(actor=worker, case=case, reason="快")
    with pytest.raises(ServiceError):
        cases.case_urge(actor=supervisor, case=case, reason=" ")
    client.force_login(supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/cases/{case.pk}/urge/", {"urge-reason": "今天下班前完成首次联系"})
    assert response.status_code == 302
    assert CaseEvent.objects.filter(case=case, kind="urge", worker=supervisor).exists()
    assert notices_of("dongying-worker", "case-urged")


def test_the_queue_runs_by_the_real_time_left(client, places, user_named):
    """A medium-risk case due in an hour comes before a crisis case due in two; a case waiting
    for a department (its clock paused) comes last."""
    now = timezone.now()
    medium = new_case(places, user_named, risk="medium")
    crisis = new_case(places, user_named, risk="crisis")
    paused = new_case(places, user_named, risk="crisis")
    Case.objects.filter(pk=medium.pk).update(first_contact_due=now + timedelta(hours=1))
    Case.objects.filter(pk=crisis.pk).update(first_contact_due=now + timedelta(hours=2))
    Case.objects.filter(pk=paused.pk).update(status="waiting", first_contact_due=now)
    client.force_login(user_named("dongying"))
    order = [case.pk for case in client.get("/cases/").context["cases"]]
    ours = [pk for pk in order if pk in {medium.pk, crisis.pk, paused.pk}]
    assert ours == [medium.pk, crisis.pk, paused.pk]


PAGES_OF_OTHERS = {
    "huaiyin-volunteer": [
        "/menu/",
        "/menu/orders/",
        "/menu/requests/new/",
        "/cases/",
        "/portal/",
        "/portal/calls/",
        "/portal/services/",
    ],
    "jinan-org": ["/menu/requests/new/", "/cases/", "/cases/intake/", "/volunteers/hours/"],
    "dongying-org": ["/cases/", "/cases/intake/", "/dashboards/"],
}


@pytest.mark.parametrize("username", list(PAGES_OF_OTHERS))
def test_a_page_a_role_cannot_use_is_not_found(client, user_named, username):
    """Seen: pages full of buttons the server would refuse; now they do not exist for her."""
    client.force_login(user_named(username))
    assert {url: client.get(url).status_code for url in PAGES_OF_OTHERS[username]} == dict.fromkeys(
        PAGES_OF_OTHERS[username], 404
    )


def test_another_funders_review_and_decision_pages_are_not_found(admin_client_as, places):
    """A report or application outside her area: 404 on its review and decision URLs, not 500."""
    from orgs.models import SocialOrganization
    from tests.factories import ProjectFactory

    report = jinan_report(places, "submitted")
    application = application_to(
        ProjectFactory(funder=places.jinan, status="call_open", procurement_mode="venture"),
        SocialOrganization.objects.get(name="济南市女性社会组织联合会"),
    )
    client = admin_client_as("dongying")
    for url in (
        f"/admin/projects/projectreport/{report.pk}/review/",
        f"/admin/projects/application/{application.pk}/decide/",
    ):
        assert client.post(url, {"approve": "1", "award": "1"}).status_code == 404
    report.refresh_from_db()
    application.refresh_from_db()
    assert (report.status, application.status) == ("submitted", "submitted")
