"""The stipends' notices and the visits' reminders. They name the pairing by its code, never the
child."""

from datetime import date, timedelta

from celery import shared_task
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from federation.choices import Level
from federation.models import StaffMembership
from notifications.services import notify
from people.choices import GrowthKind, PairingStatus, StipendStatus
from people.models import PERSON_ROLES, Pairing, Stipend, VisitReminder
from people.workflows import level_path

# event → (the level whose officers are told, the words)
NOTICES = {
    "to-check": (
        Level.COUNTY,
        gettext_noop("Stipend %(month)s of pairing %(code)s awaits the county's check"),
    ),
    "to-release": (
        Level.CITY,
        gettext_noop("Stipend %(month)s of pairing %(code)s awaits the city's release"),
    ),
    "returned": (
        Level.VILLAGE,
        gettext_noop("Stipend %(month)s of pairing %(code)s was returned: %(reason)s"),
    ),
}
# A notice still worth sending: the stipend has not moved on since (a worker that was down
# would otherwise tell the county of months the city has long paid).
STILL_TRUE = {
    "to-check": StipendStatus.VILLAGE_CONFIRMED,
    "to-release": StipendStatus.COUNTY_CHECKED,
    "returned": StipendStatus.RETURNED,
}
# How long before a visit is due its reminder goes out.
VISIT_NOTICE = timedelta(days=7)


def officers_at(person, level):
    path = level_path(person.federation, level)
    memberships = StaffMembership.objects.effective().filter(
        federation__path=path, role__in=PERSON_ROLES
    )
    return [membership.user for membership in memberships.select_related("user")]


@shared_task
def notify_stipend(stipend_id: int, event: str) -> int:
    stipend = Stipend.objects.select_related("pairing__person__federation").get(pk=stipend_id)
    if stipend.status != STILL_TRUE[event]:
        return 0
    level, words = NOTICES[event]
    told = 0
    for user in officers_at(stipend.pairing.person, level):
        with override("zh-hans"):
            title = _(words) % {
                "month": f"{stipend.due_on:%Y-%m}",
                "code": stipend.pairing.code,
                "reason": stipend.return_reason,
            }
        sent = notify(
            user=user,
            key=f"stipend-{event}:{stipend.pk}:{stipend.checks.count()}",
            title=title,
            url=stipend.pairing.get_absolute_url(),
        )
        told += sent is not None
    return told


def visit_due(pairing, last_visit) -> date:
    return (last_visit or pairing.starts_on) + timedelta(days=pairing.visit_every_days)


@shared_task
def remind_visits(today_iso: str | None = None) -> int:
    """The village contact of each active pairing whose next visit falls within a week, once
    per visit due."""
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    pairings = (
        Pairing.objects.filter(status=PairingStatus.ACTIVE)
        .annotate(
            last_visit=Max("person__growth__on", filter=Q(person__growth__kind=GrowthKind.VISIT))
        )
        .select_related("village_contact")
    )
    told = 0
    for pairing in pairings:
        due = visit_due(pairing, pairing.last_visit)
        if due - VISIT_NOTICE > today:
            continue
        try:
            with transaction.atomic():
                VisitReminder.objects.create(pairing=pairing, due_on=due)
        except IntegrityError:
            continue  # already reminded of this visit
        with override("zh-hans"):
            title = _("Pairing %(code)s: a home visit is due by %(date)s") % {
                "code": pairing.code,
                "date": f"{due:%Y-%m-%d}",
            }
        notify(
            user=pairing.village_contact,
            key=f"visit:{pairing.pk}:{due}",
            title=title,
            url=pairing.get_absolute_url(),
        )
        told += 1
    return told
