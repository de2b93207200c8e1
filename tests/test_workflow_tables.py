"""Every move is declared once, in its process's table (core.workflow).

For a move of every process: while the table declares it, its button, API action and admin action
are offered and its service makes it; taken out of the table, the button and the admin action are
gone and the service, the page's form and the API action all refuse it, changing nothing.
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from cases import services as cases
from cases.workflows import CASE, REFERRAL
from core.errors import InvalidTransition
from core.workflow import PROCESSES, Process, workflows_document
from federation.models import Federation
from menu import services as menu
from menu.models import MenuPublication
from menu.workflows import NEED, ORDER, PUBLICATION
from orgs.models import ServiceDomain, SocialOrganization, TargetGroup
from people import services as people
from people.workflows import PAIRING, STIPEND
from projects import services as projects
from projects.choices import ProjectStatus
from projects.workflows import APPLICATION, PROJECT, REPORT
from tests.factories import ProjectFactory, UserFactory, application_to, huaiyin_orders
from tests.people_tree import build_tree, fund_with, pairing_of, register_child
from volunteers import services as volunteers
from volunteers.models import Opportunity, SignUp, Volunteer
from volunteers.workflows import SIGNUP

pytestmark = pytest.mark.django_db

JINAN_ORG = "济南市女性社会组织联合会"


@dataclass
class Scenario:
    """A move, a record it may be made on, who makes it and every way she would."""

    process: Process
    move: str
    record: Any
    actor: str
    outsider: str  # sees the record (or not) but plays no part in the move
    service: Any  # makes the move through the service
    page: str = ""  # the page that offers it …
    button: str = ""  # … and what on that page is its button
    post: str = ""  # the page's form that makes it
    post_data: dict = field(default_factory=dict)
    api: str = ""
    api_body: dict = field(default_factory=dict)
    admin_list: str = ""  # a changelist offering it as an action …
    admin_action: str = ""
    admin_page: str = ""  # … or an admin page with its button
    admin_button: str = ""


def case_in(places, user_named):
    return cases.case_intake(
        actor=user_named("dongying"),
        federation=places.dongying,
        channel="hotline",
        risk="medium",
        categories=["domestic_violence"],
        name="周丽",
        phone="13705461234",
    )


def case_triage(places, user_named, **_):
    case = case_in(places, user_named)
    return Scenario(
        CASE,
        "triage",
        case,
        "dongying",
        "dongying-worker",
        lambda: cases.case_triage(
            actor=user_named("dongying"), case=case, risk="high", categories=["marriage"]
        ),
        page=f"/cases/{case.pk}/",
        button='id="move-triage"',
        post=f"/cases/{case.pk}/triage/",
        post_data={"triage-risk": "high", "triage-categories": ["marriage"]},
        api=f"/api/v1/cases/{case.pk}/triage/",
        api_body={"risk": "high", "categories": ["marriage"]},
    )


def referral_accept(places, user_named, **_):
    case = case_in(places, user_named)
    referral = cases.referral_send(
        actor=user_named("dongying"),
        case=case,
        department="health",
        respond_by=timezone.now() + timedelta(days=2),
        override_reason="需要就医",
    )
    url = f"/cases/referrals/{referral.pk}/accept/"
    return Scenario(
        REFERRAL,
        "accept",
        referral,
        "dongying",
        "jinan",
        lambda: cases.referral_update(
            actor=user_named("dongying"), referral=referral, verb="accept"
        ),
        page=f"/cases/{case.pk}/",
        button=f'formaction="{url}"',
        post=url,
    )


def order_cancel(places, user_named, workshop, **_):
    order = huaiyin_orders(workshop, places.huaiyin)
    return Scenario(
        ORDER,
        "cancel",
        order,
        "huaiyin",
        "jinan-org",
        lambda: menu.order_cancel(actor=user_named("huaiyin"), order=order),
        page=f"/menu/orders/{order.pk}/",
        button='id="move-cancel"',
        post=f"/menu/orders/{order.pk}/cancel/",
        api=f"/api/v1/service-orders/{order.pk}/cancel/",
    )


def publication_withdraw(user_named, workshop, **_):
    publication = MenuPublication.objects.get(item=workshop)
    return Scenario(
        PUBLICATION,
        "withdraw",
        publication,
        "jinan",
        "huaiyin",
        lambda: menu.item_withdraw(actor=user_named("jinan"), publication=publication),
        admin_list="/admin/menu/menupublication/",
        admin_action="withdraw",
    )


def project_open_call(places, user_named, **_):
    project = ProjectFactory(funder=places.jinan, status=ProjectStatus.DRAFT)
    return Scenario(
        PROJECT,
        "open-call",
        project,
        "jinan",
        "huaiyin",
        lambda: projects.project_transition(
            actor=user_named("jinan"), project=project, to_status=ProjectStatus.CALL_OPEN
        ),
        admin_list="/admin/projects/project/",
        admin_action="move_open_call",
    )


def application_to_a_call(places, user_named):
    project = ProjectFactory(funder=places.jinan, status=ProjectStatus.CALL_OPEN)
    return application_to(project, SocialOrganization.objects.get(name=JINAN_ORG))


def application_withdraw(places, user_named, **_):
    application = application_to_a_call(places, user_named)
    return Scenario(
        APPLICATION,
        "withdraw",
        application,
        "jinan-org",
        "dongying-org",
        lambda: projects.application_withdraw(
            actor=user_named("jinan-org"), application=application
        ),
        api=f"/api/v1/applications/{application.pk}/withdraw/",
    )


def application_award(places, user_named, **_):
    application = application_to_a_call(places, user_named)
    application.project.status = ProjectStatus.UNDER_REVIEW
    application.project.procurement_mode = "venture"
    application.project.save()
    return Scenario(
        APPLICATION,
        "award",
        application,
        "jinan",
        "jinan-org",
        lambda: projects.project_award(
            actor=user_named("jinan"), project=application.project, application=application
        ),
        admin_list="/admin/projects/application/",
        admin_action="award",
    )


def jinan_report(places, status):
    project = ProjectFactory(
        funder=places.jinan, implementer=SocialOrganization.objects.get(name=JINAN_ORG)
    )
    report = project.reports.get()
    report.status = status
    report.save()
    return report


def report_submit(places, user_named, **_):
    report = jinan_report(places, "draft")
    return Scenario(
        REPORT,
        "submit",
        report,
        "jinan-org",
        "jinan",
        lambda: projects.report_submit(actor=user_named("jinan-org"), report=report),
        page=f"/portal/reports/{report.pk}/",
        button='name="submit"',
        post=f"/portal/reports/{report.pk}/",
        post_data={"submit": "1"},
        api=f"/api/v1/project-reports/{report.pk}/submit/",
    )


def report_approve(places, user_named, **_):
    report = jinan_report(places, "submitted")
    return Scenario(
        REPORT,
        "approve",
        report,
        "jinan",
        "jinan-org",
        lambda: projects.report_review(actor=user_named("jinan"), report=report, approve=True),
        api=f"/api/v1/project-reports/{report.pk}/approve/",
        admin_page=f"/admin/projects/projectreport/{report.pk}/change/",
        admin_button='name="approve"',
    )


def signup_confirm(places, user_named, **_):
    start = timezone.now() + timedelta(days=3)
    opportunity = Opportunity.objects.create(
        title="周六活动摄影",
        federation=places.huaiyin,
        starts_at=start,
        ends_at=start + timedelta(hours=3),
        place="营市街社区",
        places=5,
    )
    account = UserFactory(is_staff=False)
    account.save()
    volunteer = Volunteer.objects.create(
        user=account, name="志愿者", federation=places.huaiyin, registered_on=timezone.localdate()
    )
    signup = SignUp.objects.create(opportunity=opportunity, volunteer=volunteer, status="applied")
    url = f"/volunteers/signups/{signup.pk}/confirm/"
    return Scenario(
        SIGNUP,
        "confirm",
        signup,
        "huaiyin",
        "dongying",
        lambda: volunteers.signup_confirm(actor=user_named("huaiyin"), signup=signup),
        page=f"/volunteers/opportunities/{opportunity.pk}/",
        button=f'action="{url}"',
        post=url,
        api=f"/api/v1/signups/{signup.pk}/confirm/",
    )


def need_publish(places, user_named, **_):
    """A need posted by a woman of 营市街社区 on her phone, reviewed by 槐荫区妇联."""
    poster = User.objects.create(username="phone-poster", is_public=True)
    need = menu.need_post(
        actor=poster,
        federation=Federation.objects.get(division_code="370104006001"),
        title="想学手机防诈骗",
        description="",
        domain=ServiceDomain.objects.get(code="skills-training"),
        target_group=TargetGroup.objects.get(code="new-employment-women"),
        people_count=20,
    )
    url = f"/menu/needs/{need.pk}/publish/"
    return Scenario(
        NEED,
        "publish",
        need,
        "huaiyin",
        "dongying",
        lambda: menu.need_publish(actor=user_named("huaiyin"), need=need),
        page="/menu/needs/review/",
        button=f'action="{url}"',
        post=url,
    )


def paired_child():
    """丹东's three levels of officers (tests/people_tree.py) and a child paired with a sponsor."""
    tree = build_tree()
    return tree, pairing_of(tree, register_child(tree), fund_with(tree, 10_000))


def stipend_confirm(**_):
    tree, pairing = paired_child()
    stipend = pairing.stipends.first()
    url = f"/stipends/{stipend.pk}/confirm/"
    return Scenario(
        STIPEND,
        "confirm",
        stipend,
        "village-officer",
        "county-officer",
        lambda: people.stipend_confirm(actor=tree.village_officer, stipend=stipend),
        page=f"/pairings/{pairing.pk}/",
        button=f'formaction="{url}"',
        post=url,
        api=f"/api/v1/stipends/{stipend.pk}/confirm/",
    )


def pairing_end(**_):
    tree, pairing = paired_child()
    url = f"/pairings/{pairing.pk}/end/"
    return Scenario(
        PAIRING,
        "end",
        pairing,
        "county-officer",
        "village-officer",
        lambda: people.pairing_end(actor=tree.county_officer, pairing=pairing, reason="升学"),
        page=f"/pairings/{pairing.pk}/",
        button=f'action="{url}"',
        post=url,
        post_data={"reason": "升学"},
        api=f"/api/v1/pairings/{pairing.pk}/end/",
        api_body={"reason": "升学"},
    )


SCENARIOS = [
    stipend_confirm,
    pairing_end,
    need_publish,
    case_triage,
    referral_accept,
    order_cancel,
    publication_withdraw,
    project_open_call,
    application_withdraw,
    application_award,
    report_submit,
    report_approve,
    signup_confirm,
]


def test_every_process_has_a_scenario():
    assert {scenario.__name__.split("_")[0] for scenario in SCENARIOS} == {
        name.replace("-", "_") for name in PROCESSES
    }


def offers(scenario, client, admin_client) -> dict:
    """Where the move shows now: page button, admin action, admin button."""
    seen = {}
    if scenario.page:
        seen["page"] = scenario.button in client.get(scenario.page).content.decode()
    if scenario.admin_list:
        form = admin_client.get(scenario.admin_list).context["action_form"]  # None: no action
        choices = dict(form.fields["action"].choices) if form else {}
        seen["admin action"] = scenario.admin_action in choices
    if scenario.admin_page:
        seen["admin button"] = (
            scenario.admin_button in admin_client.get(scenario.admin_page).content.decode()
        )
    return seen


@pytest.mark.parametrize("make", SCENARIOS, ids=lambda make: make.__name__)
def test_a_move_out_of_its_table_is_refused_everywhere(
    make, request, client, api_as, admin_client_as, monkeypatch
):
    fixtures = {
        name: request.getfixturevalue(name) for name in ("places", "user_named", "workshop")
    }
    scenario = make(**fixtures)
    process, record = scenario.process, scenario.record
    state = process.state_of(record)
    admin_client = admin_client_as(scenario.actor)  # the test client, signed in as her
    assert process.may(scenario.move, fixtures["user_named"](scenario.actor), record)
    assert not process.may(scenario.move, fixtures["user_named"](scenario.outsider), record)
    assert all(offers(scenario, client, admin_client).values())

    without = {name: move for name, move in process.table.items() if name != scenario.move}
    monkeypatch.setattr(process, "table", without)

    assert not any(offers(scenario, client, admin_client).values())
    if scenario.post:
        response = client.post(scenario.post, scenario.post_data)
        assert response.status_code in {200, 400, 404}  # refused, the form shown again
    if scenario.api:
        response = api_as(scenario.actor).post(scenario.api, scenario.api_body, format="json")
        assert response.status_code == 409
    with pytest.raises(InvalidTransition):
        scenario.service()
    record.refresh_from_db()
    assert process.state_of(record) == state


@pytest.mark.parametrize("make", SCENARIOS, ids=lambda make: make.__name__)
def test_a_declared_move_is_made_by_its_api_action_admin_action_or_page(
    make, request, api_as, admin_client_as
):
    """The other half: each way of making the move is wired to the right move and service."""
    fixtures = {
        name: request.getfixturevalue(name) for name in ("places", "user_named", "workshop")
    }
    scenario = make(**fixtures)
    process, record = scenario.process, scenario.record
    if scenario.api:
        response = api_as(scenario.actor).post(scenario.api, scenario.api_body, format="json")
        assert response.status_code == 200, response.json()
    elif scenario.admin_list:
        response = admin_client_as(scenario.actor).post(
            scenario.admin_list,
            {"action": scenario.admin_action, "_selected_action": [record.pk], "confirmed": "yes"},
        )
        assert response.status_code == 302
    else:
        response = admin_client_as(scenario.actor).post(scenario.post, scenario.post_data)
        assert response.status_code == 302
    record.refresh_from_db()
    assert process.state_of(record) in process.move(scenario.move).targets


def test_the_diagrams_in_docs_are_drawn_from_the_tables():
    """docs/workflows.md is current: run `python manage.py workflow_diagrams` after a change."""
    document = Path(settings.BASE_DIR) / "docs" / "workflows.md"
    assert document.read_text(encoding="utf-8") == workflows_document()


def test_every_move_names_states_and_parties_its_process_knows():
    for process in PROCESSES.values():
        states = set(process.states.values)
        assert set(process.initial) <= states, process.name
        for move in process.table.values():
            assert move.sources and move.sources <= states, (process.name, move.name)
            assert set(move.targets) <= states, (process.name, move.name)
            assert move.parties and set(move.parties) <= set(process.parties), move.name
            assert not move.notice or process.notify_task, move.name
