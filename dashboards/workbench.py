"""The workbench (工作台): what is waiting for the signed-in user, each a count that links to the
list where she does it. One query per kind of work, whatever the size of her area, and only the
kinds her roles give her."""

from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.choices import OPEN_STATUSES, CaseStatus
from cases.models import Case, FollowUp, works_on_cases
from core.scoping import user_scope
from federation.choices import Role
from menu.choices import NeedStatus, OrderStatus, PublicationStatus
from menu.models import MenuPublication, Need, ServiceOrder
from menu.workflows import ORDERING_ROLES
from people.models import keeps_people
from people.selectors import stipends_awaiting
from projects.choices import ReportStatus
from projects.models import ProjectReport
from projects.workflows import FUNDER_STAFF
from volunteers.choices import SignUpStatus, VolunteerStatus
from volunteers.models import SignUp, Volunteer
from volunteers.workflows import COORDINATING

# Cases whose next deadline falls within this many hours are "due soon".
DUE_SOON_HOURS = 24


@dataclass(frozen=True)
class ToDo:
    label: str
    count: int
    url: str


def listed(name, **query) -> str:
    url = reverse(name)
    return f"{url}?{urlencode(query, doseq=True)}" if query else url


def federation_work(user) -> list[ToDo]:
    """Reports to review and listings to approve where she is funder staff; requests to
    dispatch and deliveries to confirm where she orders."""
    scope = user_scope(user)
    funding = scope.paths_with(FUNDER_STAFF)
    ordering = scope.paths_with(ORDERING_ROLES)
    if not (funding or ordering) and not user.is_superuser:
        return []
    reviewing = [ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED]
    reports = ProjectReport.objects.visible_to(user).filter(status__in=reviewing)
    if not user.is_superuser:
        reports = reports.filter(project__funder__path__in=funding)
    listings = MenuPublication.objects.visible_to(user).filter(status=PublicationStatus.PENDING)
    if not user.is_superuser:
        listings = listings.filter(federation__path__in=ordering)
    orders = ServiceOrder.objects.visible_to(user)
    mine = Q() if user.is_superuser else Q(federation__path__in=ordering)
    handled = Q() if user.is_superuser else Q(handler__path__in=ordering)
    return [
        ToDo(
            _("Reports to review"),
            reports.count(),
            listed("admin:projects_projectreport_changelist", status__in=",".join(reviewing)),
        ),
        ToDo(
            _("Services to approve for the menu"),
            listings.count(),
            listed("admin:menu_menupublication_changelist", status=PublicationStatus.PENDING),
        ),
        ToDo(
            _("Requests to dispatch"),
            orders.filter(handled, status=OrderStatus.NEW).count(),
            listed("menu-orders", status=OrderStatus.NEW),
        ),
        ToDo(
            _("Deliveries to confirm and rate"),
            orders.filter(mine, status=OrderStatus.DELIVERED).count(),
            listed("menu-orders", status=OrderStatus.DELIVERED),
        ),
        ToDo(
            _("Needs posted by the public to review"),
            Need.objects.visible_to(user).filter(status=NeedStatus.PENDING).count(),
            listed("menu-need-review"),
        ),
    ]


def organization_work(user) -> list[ToDo]:
    """Orders to accept and to schedule, and reports to fill in, for her organizations."""
    organizations = user_scope(user).organization_ids
    if not organizations:
        return []
    orders = ServiceOrder.objects.filter(organization_id__in=organizations)
    reports = ProjectReport.objects.filter(
        project__implementer_id__in=organizations,
        status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        period__starts_on__lte=timezone.localdate(),
    )
    return [
        ToDo(
            _("Orders to accept"),
            orders.filter(status=OrderStatus.REQUESTED).count(),
            listed("menu-orders", status=OrderStatus.REQUESTED),
        ),
        ToDo(
            _("Orders to schedule"),
            orders.filter(status=OrderStatus.ACCEPTED).count(),
            listed("menu-orders", status=OrderStatus.ACCEPTED),
        ),
        ToDo(_("Reports to fill in"), reports.count(), listed("portal-home")),
    ]


def case_work(user) -> list[ToDo]:
    """Her open cases due soon, follow-ups due, and (for supervisors) cases to assign."""
    scope = user_scope(user)
    if not works_on_cases(scope):
        return []
    soon = timezone.now() + timedelta(hours=DUE_SOON_HOURS)
    mine = Case.objects.visible_to(user).filter(assigned_to=user, status__in=OPEN_STATUSES)
    due_soon = mine.filter(
        Q(first_contacted_at__isnull=True, first_contact_due__lte=soon)
        | Q(resolution_due__lte=soon, resolved_at__isnull=True)
    )
    follow_ups = FollowUp.objects.visible_to(user).filter(
        case__assigned_to=user, done_at__isnull=True, due_on__lte=timezone.localdate()
    )
    work = [
        ToDo(_("My cases due within a day"), due_soon.count(), listed("case-queue", mine=1)),
        ToDo(_("Follow-ups due"), follow_ups.count(), listed("case-queue", mine=1)),
    ]
    if scope.paths_with((Role.CASE_SUPERVISOR,)) or user.is_superuser:
        to_assign = Case.objects.visible_to(user).filter(
            status__in=[CaseStatus.RECEIVED, CaseStatus.TRIAGED], assigned_to__isnull=True
        )
        work.append(ToDo(_("Cases to triage or assign"), to_assign.count(), listed("case-queue")))
    return work


def volunteer_work(user) -> list[ToDo]:
    """Sign-ups waiting for a place, where she coordinates."""
    if not (user_scope(user).paths_with(COORDINATING) or user.is_superuser):
        return []
    waiting = SignUp.objects.visible_to(user).filter(status=SignUpStatus.APPLIED)
    applicants = Volunteer.objects.visible_to(user).filter(status=VolunteerStatus.PENDING)
    return [
        ToDo(
            _("Sign-ups waiting for a place"),
            waiting.count(),
            listed("volunteer-opportunities"),
        ),
        ToDo(_("Volunteers to approve"), applicants.count(), listed("volunteer-applicants")),
    ]


def register_work(user) -> list[ToDo]:
    """Stipends waiting for her check, where she keeps the register of people served."""
    if not keeps_people(user_scope(user)):
        return []
    return [
        ToDo(
            _("Stipends waiting for your check"),
            stipends_awaiting(user).count(),
            listed("pairing-list"),
        )
    ]


def workbench(user) -> list[ToDo]:
    """Everything waiting for her, the kinds her roles give her, fullest first."""
    work = [
        *federation_work(user),
        *organization_work(user),
        *case_work(user),
        *volunteer_work(user),
        *register_work(user),
    ]
    return sorted(work, key=lambda item: -item.count)
