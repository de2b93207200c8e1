"""The life of a case: every transition allowed and forbidden, bad input refused, the claim race,
consent, escalation with history, SLA reminders and breaches on a frozen clock."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from accounts.models import User
from cases import services
from cases.choices import CaseStatus as S
from cases.models import Alert, Case, CaseEvent, FollowUp, Referral
from cases.statistics import case_statistics
from cases.tasks import case_watchdog
from core.errors import InvalidTransition, NotAllowed, ServiceError
from federation.models import Federation
from notifications.models import Notification
from orgs.models import OrgMembership, SocialOrganization
from tests.factories import UserFactory, org_case_worker
from tests.races import race

pytestmark = [pytest.mark.django_db, pytest.mark.demo("cases")]

HOTLINE = "东营区希望心理咨询服务中心"
VALID_ID = "370502199001011233"


def hotline_org():
    return SocialOrganization.objects.get(name=HOTLINE)


def take_call(actor, federation, **changes):
    fields = {
        "federation": federation,
        "channel": "hotline",
        "risk": "crisis",
        "categories": ["domestic_violence"],
        "summary": "丈夫酒后动手，孩子受惊吓",
        "name": "周丽",
        "phone": "13705461234",
        "id_number": VALID_ID,
        "address": "东营区某小区",
    }
    fields.update(changes)
    return services.case_intake(actor=actor, **fields)


@pytest.fixture
def case(places, user_named):
    return take_call(user_named("dongying"), places.dongying)


@pytest.fixture
def assigned(case, user_named):
    supervisor = user_named("dongying")
    services.case_triage(
        actor=supervisor,
        case=case,
        risk="crisis",
        categories=["domestic_violence"],
        organization=hotline_org(),
    )
    return services.case_assign(actor=supervisor, case=case, worker=user_named("dongying-worker"))


def test_the_whole_life_of_a_case(assigned, user_named):
    worker, supervisor = user_named("dongying-worker"), user_named("dongying")
    services.event_add(actor=worker, case=assigned, kind="home_visit", at=timezone.now())
    case = Case.objects.get(pk=assigned.pk)
    assert case.status == S.IN_PROGRESS and case.first_contacted_at is not None
    services.referral_send(
        actor=supervisor,
        case=case,
        department="health",
        respond_by=timezone.now() + timedelta(days=2),
        override_reason="孩子需要紧急就医",
    )
    case = services.case_resolve(actor=worker, case=case, outcome="de_escalated")
    assert case.follow_ups.count() == 3
    services.follow_up_done(actor=worker, follow_up=case.follow_ups.first(), result="情况稳定")
    case.refresh_from_db()
    assert case.status == S.FOLLOW_UP
    with pytest.raises(NotAllowed):  # a crisis case closes only with a supervisor
        services.case_close(actor=worker, case=case)
    assert services.case_close(actor=supervisor, case=case).status == S.CLOSED
    reopened = services.case_reopen(actor=supervisor, case=case, reason="再次求助")
    assert reopened.status == S.IN_PROGRESS
    kinds = list(reopened.events.values_list("to_status", flat=True))
    assert kinds[-1] == S.IN_PROGRESS and S.CLOSED in kinds


# Every move from every state -------------------------------------------------------------

OTHER_FEDERATION_BELOW = "370502001"


def below_dongying():
    parent = Federation.objects.get(division_code="370502", kind="regional")
    return Federation.objects.get_or_create(
        name="文汇街道妇联", parent=parent, defaults={"level": "township", "kind": "regional"}
    )[0]


MOVES = {
    "triage": lambda c, u: services.case_triage(
        actor=u("dongying"),
        case=c,
        risk="high",
        categories=["marriage"],
        organization=hotline_org(),
    ),
    "assign": lambda c, u: services.case_assign(
        actor=u("dongying"), case=c, worker=u("dongying-worker")
    ),
    "claim": lambda c, u: services.case_claim(actor=u("dongying-worker"), case=c),
    "start": lambda c, u: services.case_start(actor=u("dongying"), case=c),
    "wait": lambda c, u: services.case_wait(actor=u("dongying"), case=c),
    "unreachable": lambda c, u: services.case_unreachable(actor=u("dongying"), case=c),
    "resume": lambda c, u: services.case_resume(actor=u("dongying"), case=c),
    "escalate": lambda c, u: services.case_escalate(
        actor=u("dongying"), case=c, to_federation=below_dongying()
    ),
    "transfer": lambda c, u: services.case_transfer(actor=u("dongying"), case=c, note="迁居外省"),
    "withdraw": lambda c, u: services.case_withdraw(actor=u("dongying"), case=c),
    "resolve": lambda c, u: services.case_resolve(
        actor=u("dongying"), case=c, outcome="reconciled"
    ),
    "close": lambda c, u: services.case_close(actor=u("dongying"), case=c),
    "reopen": lambda c, u: services.case_reopen(actor=u("dongying"), case=c, reason="再次求助"),
}
OPEN = {
    S.RECEIVED,
    S.TRIAGED,
    S.ASSIGNED,
    S.IN_PROGRESS,
    S.WAITING,
    S.UNREACHABLE,
    S.RESOLVED,
    S.FOLLOW_UP,
}
ALLOWED = {
    "triage": {S.RECEIVED: S.TRIAGED, S.TRIAGED: S.TRIAGED},
    "assign": {S.TRIAGED: S.ASSIGNED, S.ASSIGNED: S.ASSIGNED, S.IN_PROGRESS: S.ASSIGNED},
    "claim": {S.TRIAGED: S.ASSIGNED},
    "start": {S.ASSIGNED: S.IN_PROGRESS},
    "wait": {S.IN_PROGRESS: S.WAITING},
    "unreachable": {
        S.ASSIGNED: S.UNREACHABLE,
        S.IN_PROGRESS: S.UNREACHABLE,
        S.WAITING: S.UNREACHABLE,
    },
    "resume": {S.WAITING: S.IN_PROGRESS, S.UNREACHABLE: S.IN_PROGRESS},
    "escalate": dict.fromkeys((S.RECEIVED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS), S.TRIAGED),
    "transfer": dict.fromkeys(OPEN, S.TRANSFERRED),
    "withdraw": dict.fromkeys(OPEN, S.WITHDRAWN),
    "resolve": {S.IN_PROGRESS: S.RESOLVED, S.WAITING: S.RESOLVED},
    "close": {S.RESOLVED: S.CLOSED, S.FOLLOW_UP: S.CLOSED},
    "reopen": dict.fromkeys(
        (S.RESOLVED, S.FOLLOW_UP, S.CLOSED, S.TRANSFERRED, S.WITHDRAWN, S.UNREACHABLE), S.TRIAGED
    ),
}


@pytest.mark.parametrize("status", list(S))
@pytest.mark.parametrize("move", list(MOVES))
def test_every_case_move(case, user_named, move, status):
    Case.objects.filter(pk=case.pk).update(status=status, organization=hotline_org())
    case.refresh_from_db()
    expected = ALLOWED[move].get(status)
    if expected is None:
        with pytest.raises(InvalidTransition):
            MOVES[move](case, user_named)
        case.refresh_from_db()
        assert case.status == status
    else:
        assert MOVES[move](case, user_named).status == expected


@pytest.mark.parametrize(
    ("move", "outsider"),
    [
        ("triage", "huaiyin"),
        ("assign", "dongying-worker"),
        ("escalate", "jinan-org"),
        ("transfer", "dongying-org"),
    ],
)
def test_the_wrong_people_cannot_move_a_case(case, user_named, move, outsider):
    Case.objects.filter(pk=case.pk).update(status=S.TRIAGED, organization=hotline_org())
    case.refresh_from_db()
    names = {"dongying": outsider}
    with pytest.raises(NotAllowed):
        MOVES[move](case, lambda name: user_named(names.get(name, name)))


# Bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"id_number": "370502199001011234"}, "身份证"),
        ({"phone": "12345"}, "手机"),
        ({"categories": []}, "类别"),
    ],
)
def test_bad_intake_is_refused_and_creates_nothing(places, user_named, changes, message):
    before = Case.objects.count()
    with pytest.raises(ServiceError) as error:
        take_call(user_named("dongying"), places.dongying, **changes)
    assert message in str(error.value.message)
    assert Case.objects.count() == before


def test_a_follow_up_dated_before_resolution_is_refused(assigned, user_named):
    worker = user_named("dongying-worker")
    services.case_start(actor=worker, case=assigned)
    case = services.case_resolve(actor=worker, case=assigned, outcome="de_escalated")
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() + timedelta(days=3))
    case.refresh_from_db()
    with pytest.raises(ServiceError) as error:
        services.follow_up_schedule(actor=worker, case=case, due_on=timezone.localdate())
    assert "结案" in str(error.value.message) or "解决" in str(error.value.message)
    assert case.follow_ups.count() == 3


def test_assigning_a_worker_outside_the_handling_organization_is_refused(case, user_named):
    supervisor = user_named("dongying")
    services.case_triage(
        actor=supervisor,
        case=case,
        risk="high",
        categories=["marriage"],
        organization=hotline_org(),
    )
    with pytest.raises(ServiceError) as error:
        services.case_assign(actor=supervisor, case=case, worker=user_named("jinan-org"))
    assert "承办组织" in str(error.value.message)
    case.refresh_from_db()
    assert (case.status, case.assigned_to) == (S.TRIAGED, None)


def test_a_mediation_session_names_its_step(assigned, user_named):
    with pytest.raises(ServiceError):
        services.event_add(
            actor=user_named("dongying-worker"), case=assigned, kind="mediation", at=timezone.now()
        )
    event = services.event_add(
        actor=user_named("dongying-worker"),
        case=assigned,
        kind="mediation",
        at=timezone.now(),
        step="assessment",
    )
    assert event.get_step_display().startswith("婚姻研判")


def test_a_referral_without_consent_needs_a_supervisors_reason(assigned, user_named):
    worker, supervisor = user_named("dongying-worker"), user_named("dongying")
    due = timezone.now() + timedelta(days=1)
    with pytest.raises(NotAllowed):
        services.referral_send(actor=worker, case=assigned, department="police", respond_by=due)
    with pytest.raises(ServiceError):
        services.referral_send(actor=supervisor, case=assigned, department="police", respond_by=due)
    referral = services.referral_send(
        actor=supervisor,
        case=assigned,
        department="police",
        respond_by=due,
        override_reason="人身安全受到威胁",
    )
    assert (referral.consent_override_by, referral.consent_override_reason) == (
        supervisor,
        "人身安全受到威胁",
    )


def test_referral_moves(assigned, user_named):
    supervisor, worker = user_named("dongying"), user_named("dongying-worker")
    assigned.consent.to_share = True
    assigned.consent.save()
    referral = services.referral_send(
        actor=worker, case=assigned, department="health", respond_by=timezone.now() + timedelta(1)
    )
    with pytest.raises(InvalidTransition):
        services.referral_update(actor=worker, referral=referral, verb="done")
    with pytest.raises(ServiceError):
        services.referral_update(actor=worker, referral=referral, verb="reject")
    services.referral_update(actor=worker, referral=referral, verb="accept", answer="已安排")
    with pytest.raises(NotAllowed):
        services.referral_update(actor=worker, referral=referral, verb="revoke", answer="不再需要")
    services.referral_update(actor=worker, referral=referral, verb="done")
    referral.refresh_from_db()
    assert referral.status == "done"
    with pytest.raises(InvalidTransition):
        services.referral_update(actor=supervisor, referral=referral, verb="revoke", answer="x")


def test_escalation_keeps_the_whole_history(places, user_named):
    city = Federation.objects.get(division_code="370500", kind="regional")
    operator = User.objects.create(username="dongying-city")
    operator.staff_memberships.create(federation=city, role="case_worker")
    case = take_call(operator, city, risk="high")
    services.case_escalate(actor=operator, case=case, to_federation=places.dongying)
    case.refresh_from_db()
    assert case.federation == places.dongying
    assert case.events.filter(kind="escalation").exists()
    assert case.calls.count() == 1
    # The district now sees and works it; the city still sees it (it lies below).
    assert Case.objects.visible_to(user_named("dongying")).filter(pk=case.pk).exists()
    assert Case.objects.visible_to(operator).filter(pk=case.pk).exists()


@pytest.mark.django_db(transaction=True)
def test_two_workers_claiming_one_case_one_wins(places, user_named):
    case = take_call(user_named("dongying"), places.dongying)
    services.case_triage(
        actor=user_named("dongying"),
        case=case,
        risk="crisis",
        categories=["domestic_violence"],
        organization=hotline_org(),
    )
    workers = iter([user_named("dongying-worker"), org_case_worker(hotline_org())])
    refusals = []
    assert race(2, lambda: services.case_claim(actor=next(workers), case=case), refusals) == 1
    assert isinstance(refusals[0], InvalidTransition)
    case.refresh_from_db()
    assert case.status == S.ASSIGNED and case.assigned_to is not None


# The SLA clock, on a frozen clock ----------------------------------------------------------

T0 = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.get_default_timezone())


@pytest.fixture
def crisis_at_nine(places, user_named, eager_tasks, django_capture_on_commit_callbacks):
    with time_machine.travel(T0, tick=False):
        case = take_call(user_named("dongying"), places.dongying)
        services.case_triage(
            actor=user_named("dongying"),
            case=case,
            risk="crisis",
            categories=["domestic_violence"],
            organization=hotline_org(),
        )
        return services.case_assign(
            actor=user_named("dongying"), case=case, worker=user_named("dongying-worker")
        )


def notices(username, text):
    return Notification.objects.filter(user__username=username, title__contains=text).count()


def test_the_worker_is_reminded_before_first_contact_is_due_once(crisis_at_nine):
    assert crisis_at_nine.first_contact_due == T0 + timedelta(hours=2)
    with time_machine.travel(T0 + timedelta(minutes=70), tick=False):
        assert case_watchdog() == 1
        assert case_watchdog() == 0
    assert notices("dongying-worker", "首次联系即将到期") == 1


def test_a_breach_is_escalated_to_the_supervisor_once(crisis_at_nine):
    with time_machine.travel(T0 + timedelta(hours=2, minutes=5), tick=False):
        case_watchdog()
        case_watchdog()
    assert notices("dongying", "超时") == 1
    assert CaseEvent.objects.filter(case=crisis_at_nine, kind="escalation").count() == 1


def test_the_clock_pauses_while_waiting(crisis_at_nine, user_named):
    worker = user_named("dongying-worker")
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        services.case_start(actor=worker, case=crisis_at_nine)
        services.case_wait(actor=worker, case=crisis_at_nine, note="等待卫健局")
    with time_machine.travel(T0 + timedelta(hours=5), tick=False):
        assert case_watchdog() == 0  # waiting: no breach
        services.case_resume(actor=worker, case=crisis_at_nine)
    crisis_at_nine.refresh_from_db()
    assert crisis_at_nine.first_contact_due == T0 + timedelta(hours=6, minutes=30)


def test_overdue_follow_ups_and_referrals_are_reminded_once(crisis_at_nine, user_named):
    worker, supervisor = user_named("dongying-worker"), user_named("dongying")
    with time_machine.travel(T0 + timedelta(hours=1), tick=False):
        services.event_add(actor=worker, case=crisis_at_nine, kind="call", at=timezone.now())
        services.referral_send(
            actor=supervisor,
            case=crisis_at_nine,
            department="health",
            respond_by=timezone.now() + timedelta(days=1),
            override_reason="就医",
        )
        services.case_resolve(actor=worker, case=crisis_at_nine, outcome="de_escalated")
    with time_machine.travel(T0 + timedelta(days=9), tick=False):
        case_watchdog()
        case_watchdog()
    number = crisis_at_nine.number
    assert notices("dongying-worker", f"{number}：回访已逾期") == 1
    assert notices("dongying", f"{number}：转介尚未答复") == 1
    assert Alert.objects.filter(case=crisis_at_nine, key__startswith="follow-up").count() == 1


def test_resolution_schedules_follow_ups_at_the_configured_intervals(
    assigned, user_named, settings
):
    settings.CASE_FOLLOW_UP_DAYS = [3, 10]
    worker = user_named("dongying-worker")
    services.case_start(actor=worker, case=assigned)
    case = services.case_resolve(actor=worker, case=assigned, outcome="de_escalated")
    today = timezone.localdate()
    assert list(case.follow_ups.values_list("due_on", flat=True)) == [
        today + timedelta(days=3),
        today + timedelta(days=10),
    ]


def test_statistics_count_only(demo, places):
    linghai = Federation.objects.get(division_code="210781", kind="regional")
    period = (timezone.now() - timedelta(days=400), timezone.now())
    figures = case_statistics(linghai, *period)
    assert (figures["mediated_closed"], figures["reconciled"]) == (6, 2)
    assert str(figures["reconciliation_rate"]) == "33.3"
    assert figures["by_channel"]["registry"] == 6
    dongying = case_statistics(places.dongying, *period)
    assert dongying["by_risk"]["crisis"] == 1 and dongying["overdue_follow_ups"] == 0
    assert dongying["median_first_response_minutes"] == 60


def test_a_worker_of_another_organization_cannot_take_the_case(case, user_named):
    services.case_triage(
        actor=user_named("dongying"),
        case=case,
        risk="high",
        categories=["marriage"],
        organization=hotline_org(),
    )
    other = UserFactory(is_staff=False)
    OrgMembership.objects.create(
        user=other, organization=SocialOrganization.objects.get(name="济南市女性社会组织联合会")
    )
    with pytest.raises(NotAllowed):
        services.case_claim(actor=other, case=case)
    assert not FollowUp.objects.filter(case=case).exists()
    assert not Referral.objects.filter(case=case).exists()


def test_only_a_supervisor_ends_a_crisis_case(assigned, user_named):
    worker = user_named("dongying-worker")
    for end in (services.case_withdraw, services.case_transfer):
        with pytest.raises(NotAllowed):
            end(actor=worker, case=assigned, note="她撤回了")
    assigned.refresh_from_db()
    assert assigned.status == S.ASSIGNED


def test_nothing_is_added_to_an_ended_case(assigned, user_named):
    supervisor, worker = user_named("dongying"), user_named("dongying-worker")
    services.case_start(actor=worker, case=assigned)
    case = services.case_resolve(actor=worker, case=assigned, outcome="de_escalated")
    services.case_close(actor=supervisor, case=case)
    with pytest.raises(InvalidTransition):
        services.follow_up_done(actor=worker, follow_up=case.follow_ups.first(), result="好")
    with pytest.raises(InvalidTransition):
        services.call_log(actor=supervisor, case=case, outcome="reached")


def test_withdrawn_cases_are_anonymised_too_with_their_vulnerabilities(case, user_named):
    from cases.models import Party

    Party.objects.filter(case=case).update(vulnerabilities=["pregnant"])
    services.case_withdraw(actor=user_named("dongying"), case=case, note="不再需要")
    assert services.cases_anonymise(closed_before=timezone.now() + timedelta(days=1)) >= 1
    party = Party.objects.get(case=case)
    assert (party.name, party.phone, party.vulnerabilities) == ("", "", [])


def test_a_pause_survives_a_new_triage(crisis_at_nine, user_named):
    worker, supervisor = user_named("dongying-worker"), user_named("dongying")
    with time_machine.travel(T0 + timedelta(minutes=30), tick=False):
        services.case_start(actor=worker, case=crisis_at_nine)
        services.case_wait(actor=worker, case=crisis_at_nine)
    with time_machine.travel(T0 + timedelta(hours=1, minutes=30), tick=False):
        services.case_resume(actor=worker, case=crisis_at_nine)
        services.case_escalate(
            actor=supervisor, case=crisis_at_nine, to_federation=below_dongying()
        )
    case = Case.objects.get(pk=crisis_at_nine.pk)
    Case.objects.filter(pk=case.pk).update(federation=case.federation.parent)
    case.refresh_from_db()
    services.case_triage(
        actor=supervisor, case=case, risk="crisis", categories=["domestic_violence"]
    )
    case.refresh_from_db()
    assert case.first_contact_due == T0 + timedelta(hours=3)
