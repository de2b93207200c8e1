"""The SLA watchdog and the case notices. Notices carry the case number, never a name."""

from datetime import datetime, timedelta

from celery import shared_task
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from cases.choices import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    PAUSED_STATUSES,
    CaseStatus,
    EventKind,
    ReferralStatus,
)
from cases.models import Alert, Case, CaseEvent, FollowUp, Referral
from cases.services import sla_hours
from federation.choices import Role
from federation.models import StaffMembership, path_and_ancestors
from notifications.services import notify
from orgs.choices import OrgRole
from orgs.models import OrgMembership

NOTICES = {
    "received": ("supervisors", gettext_noop("New case %(number)s (%(risk)s risk)")),
    "asked_online": (
        "hotline",
        gettext_noop("A woman asked for help online: case %(number)s (%(risk)s risk)"),
    ),
    "assigned": ("worker", gettext_noop("Case %(number)s is assigned to you")),
    "urged": ("worker", gettext_noop("Case %(number)s: a supervisor urges you on")),
    "escalated": ("supervisors", gettext_noop("Case %(number)s was escalated to you")),
    "break_glass": (
        "supervisors",
        gettext_noop("Case %(number)s was opened by someone outside its circle, with a reason"),
    ),
    "first_contact_soon": ("worker", gettext_noop("Case %(number)s: first contact due soon")),
    "resolution_soon": ("worker", gettext_noop("Case %(number)s: resolution due soon")),
    "first_contact_breach": (
        "supervisors",
        gettext_noop("SLA breached: no first contact on case %(number)s"),
    ),
    "resolution_breach": ("supervisors", gettext_noop("SLA breached: case %(number)s unresolved")),
    "follow_up_overdue": ("worker", gettext_noop("Case %(number)s: a follow-up is overdue")),
    "referral_overdue": ("sender", gettext_noop("Case %(number)s: a referral has no answer")),
}


def supervisors(case):
    memberships = (
        StaffMembership.objects.effective()
        .filter(
            federation__path__in=path_and_ancestors(case.federation.path),
            role=Role.CASE_SUPERVISOR,
        )
        .select_related("user")
    )
    return list({membership.user for membership in memberships})


def hotline_workers(case):
    """The case workers of the organization that answers 12338 for the case."""
    memberships = (
        OrgMembership.objects.effective()
        .filter(organization_id=case.organization_id, role=OrgRole.CASE_WORKER)
        .select_related("user")
    )
    return [membership.user for membership in memberships]


def recipients(case, who, sender=None):
    if who == "hotline":
        return hotline_workers(case)
    if who == "worker":
        return [case.assigned_to] if case.assigned_to else supervisors(case)
    if who == "sender":
        return [sender]
    return supervisors(case)


def send_notice(case, event, key, sender=None) -> int:
    who, template = NOTICES[event]
    with override("zh-hans"):
        title = _(template) % {"number": case.number, "risk": case.get_risk_display()}
    return sum(
        notify(user=user, key=f"{key}:{user.pk}", title=title, url=case.get_absolute_url())
        is not None
        for user in recipients(case, who, sender)
    )


@shared_task
def notify_case_event(case_id: int, event: str) -> int:
    case = Case.objects.select_related("federation", "assigned_to").get(pk=case_id)
    return send_notice(case, event, f"case-{event}:{case.pk}:{timezone.now():%Y%m%d%H%M%S%f}")


def raise_once(case, key) -> bool:
    """Whether this alert is new (and so is now recorded)."""
    try:
        with transaction.atomic():
            Alert.objects.create(case=case, key=key)
    except IntegrityError:
        return False
    return True


def watch_target(case, target, due, now) -> int:
    """Remind before the target is due; on a breach, record an escalation and tell the
    supervisors. Each once per case, target and due time."""
    _first, _resolution, warn_hours = sla_hours(case)
    stamp = f"{case.pk}:{due:%Y%m%d%H%M}"
    sent = 0
    if now > due and raise_once(case, f"{target}-breach:{stamp}"):
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.ESCALATION,
            at=now,
            result=str(NOTICES[f"{target}_breach"][1] % {"number": case.number}),
        )
        sent += send_notice(case, f"{target}_breach", f"{target}-breach:{stamp}")
    elif due - timedelta(hours=warn_hours) <= now <= due and raise_once(
        case, f"{target}-soon:{stamp}"
    ):
        sent += send_notice(case, f"{target}_soon", f"{target}-soon:{stamp}")
    return sent


@shared_task
def case_watchdog(now_iso: str | None = None) -> int:
    """SLA targets, overdue follow-ups and unanswered referrals; safe to run twice."""
    now = timezone.now() if now_iso is None else datetime.fromisoformat(now_iso)
    sent = 0
    running = (
        Case.objects.exclude(status__in=[*ENDED_STATUSES, *PAUSED_STATUSES])
        .filter(anonymised_at__isnull=True)
        .select_related("federation", "assigned_to")
    )
    unresolved = running.exclude(status__in=[CaseStatus.RESOLVED, CaseStatus.FOLLOW_UP])
    for case in unresolved.filter(first_contacted_at__isnull=True, first_contact_due__isnull=False):
        sent += watch_target(case, "first_contact", case.first_contact_due, now)
    for case in unresolved.filter(resolution_due__isnull=False):
        sent += watch_target(case, "resolution", case.resolution_due, now)
    today = timezone.localdate(now)
    for follow_up in FollowUp.objects.filter(
        done_at__isnull=True,
        due_on__lt=today,
        case__status__in=[CaseStatus.RESOLVED, CaseStatus.FOLLOW_UP],
    ).select_related("case__federation", "case__assigned_to"):
        key = f"follow-up-overdue:{follow_up.pk}"
        if raise_once(follow_up.case, key):
            sent += send_notice(follow_up.case, "follow_up_overdue", key)
    for referral in Referral.objects.filter(
        status=ReferralStatus.SENT, respond_by__lt=now, case__status__in=OPEN_STATUSES
    ).select_related("case__federation", "case__assigned_to", "sent_by"):
        key = f"referral-overdue:{referral.pk}"
        if raise_once(referral.case, key):
            sent += send_notice(referral.case, "referral_overdue", key, sender=referral.sent_by)
    return sent
