"""The subtree of a federation at a glance, for a period: counts and sums only, never a person.

Every block is a handful of aggregate queries over the base tables, filtered by the node's path
prefix (one indexed match) and the period; the number of queries does not depend on the data.
"""

from datetime import date, datetime
from decimal import Decimal

from django.db.models import (
    Avg,
    Count,
    DecimalField,
    Exists,
    F,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Least, TruncMonth
from django.utils import timezone

from cases.models import Case
from cases.statistics import case_statistics
from core.aggregates import count_each, grouped_below, parts, percentage
from core.db_router import reads_from_replica
from core.scoping import subtree_q
from dashboards import rollups
from federation.choices import BuildMode, Kind
from federation.models import ExecutiveMember, Federation
from menu.choices import NeedSource, NeedStatus, OrderStatus, PublicationStatus
from menu.models import MenuPublication, Need, ServiceOrder
from orgs.choices import LegalForm, Relationship
from orgs.models import SocialOrganization
from people.choices import UNPAID, PairingStatus, StipendStatus
from people.models import Attendance, Donation, Insured, Pairing, Payout, Person, Stipend
from projects.choices import IndicatorKind, ProjectStatus, ReportStatus
from projects.models import Disbursement, Indicator, IndicatorValue, Project, ProjectReport
from volunteers.choices import TeamKind, VolunteerStatus
from volunteers.models import SignUp, Volunteer, VolunteerTeam

PENDING_REPORTS = (ReportStatus.SUBMITTED, ReportStatus.RESUBMITTED)
REPORT_FIGURES = ("spending", "women_served", "children_served", "families_served")
DELIVERED_ORDERS = (OrderStatus.DELIVERED, OrderStatus.CONFIRMED)
# Orders a delivery is expected of: taken by an organization and not cancelled.
EXPECTED_ORDERS = (
    OrderStatus.ACCEPTED,
    OrderStatus.SCHEDULED,
    OrderStatus.DELIVERED,
    OrderStatus.CONFIRMED,
)


def leaders_in_office(federation, end) -> int:
    """Executive members from an organization, in office at the end of the period."""
    return (
        ExecutiveMember.objects.filter(
            subtree_q("federation__path", federation), organization__isnull=False
        )
        .filter(Q(term_end__isnull=True) | Q(term_end__gte=end), term_start__lte=end)
        .count()
    )


def federations_by_build_mode(federation) -> dict:
    """The new-field federations of the subtree by how they were built (单建, 统建 …): read from
    the tree itself, a small table, like the executive members."""
    figures = Federation.objects.filter(
        subtree_q("path", federation), kind=Kind.NEW_FIELD
    ).aggregate(**count_each("mode", "build_mode", BuildMode))
    return parts(figures, "mode", BuildMode)


def published_items(federation) -> int:
    """Distinct items on the subtree's menus (a distinct count: not summed from below)."""
    return (
        MenuPublication.objects.filter(
            subtree_q("federation__path", federation), status=PublicationStatus.PUBLISHED
        )
        .values("item")
        .distinct()
        .count()
    )


def organizations_block(federation, start, end) -> dict:
    organizations = SocialOrganization.objects.filter(
        subtree_q("guiding_federation__path", federation)
    )
    # distinct: the coverage join repeats an organization covered twice.
    figures = organizations.aggregate(
        total=Count("pk", distinct=True),
        covered=Count("pk", filter=Q(covering_federations__isnull=False), distinct=True),
        **count_each("form", "legal_form", LegalForm, distinct=True),
        **count_each("relationship", "relationship", Relationship, distinct=True),
    )
    return {
        "total": figures["total"],
        "by_legal_form": parts(figures, "form", LegalForm),
        "by_relationship": parts(figures, "relationship", Relationship),
        "covered": figures["covered"],
        "coverage_rate": percentage(figures["covered"], figures["total"]),
        "leaders_on_executive_committees": leaders_in_office(federation, end),
        "new_field_by_build_mode": federations_by_build_mode(federation),
    }


def projects_block(federation, start, end) -> dict:
    projects = Project.objects.filter(subtree_q("funder__path", federation)).aggregate(
        total=Count("pk"), budget=Sum("budget"), **count_each("status", "status", ProjectStatus)
    )
    today = timezone.localdate()
    approved, pending = Q(status=ReportStatus.APPROVED), Q(status__in=PENDING_REPORTS)
    due = Q(period__due_on__lte=min(end, today))
    reports = ProjectReport.objects.filter(
        subtree_q("project__funder__path", federation),
        period__ends_on__gte=start,
        period__ends_on__lte=end,
    ).aggregate(
        **{f"approved_{name}": Sum(name, filter=approved) for name in REPORT_FIGURES},
        **{f"pending_{name}": Sum(name, filter=pending) for name in REPORT_FIGURES},
        expected=Count("pk", filter=due),
        submitted=Count("pk", filter=due & ~Q(status=ReportStatus.DRAFT)),
        in_time=Count("pk", filter=due & Q(on_time=True)),
        too_late=Count("pk", filter=due & Q(on_time=False)),
        overdue=Count(
            "pk",
            filter=due
            & Q(status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED], period__due_on__lt=today),
        ),
    )
    achieved = (
        IndicatorValue.objects.filter(
            indicator=OuterRef("pk"), report__status=ReportStatus.APPROVED
        )
        .values("indicator")
        .annotate(total=Sum("value"))
        .values("total")
    )
    completion = (
        Indicator.objects.filter(
            subtree_q("project__funder__path", federation),
            kind__in=[IndicatorKind.COUNT, IndicatorKind.AMOUNT],
            target__gt=0,
        )
        .annotate(
            share=Least(
                Coalesce(Subquery(achieved), Value(Decimal("0"))) / F("target"),
                Value(Decimal("1")),
                output_field=DecimalField(),
            )
        )
        .aggregate(average=Avg("share"))["average"]
    )
    disbursed = Disbursement.objects.filter(
        subtree_q("project__funder__path", federation), paid_on__gte=start, paid_on__lte=end
    ).aggregate(total=Sum("amount"))["total"]
    return {
        "total": projects["total"],
        "by_status": parts(projects, "status", ProjectStatus),
        "budget": projects["budget"] or Decimal("0"),
        "disbursed": disbursed or Decimal("0"),
        "approved": {name: reports[f"approved_{name}"] or 0 for name in REPORT_FIGURES},
        "pending": {name: reports[f"pending_{name}"] or 0 for name in REPORT_FIGURES},
        "indicator_completion": (Decimal(100) * completion).quantize(Decimal("0.1"))
        if completion is not None
        else None,
        "reports_expected": reports["expected"],
        "reports_submitted": reports["submitted"],
        "reports_on_time": reports["in_time"],
        "reports_late": reports["too_late"],
        "reports_overdue": reports["overdue"],
    }


# A need's hours from posting to the order that answered it, as the roll-ups count them.
HOURS_TO_ANSWER = RawSQL(
    'extract(epoch FROM "menu_need"."answered_at" - "menu_need"."created_at") / 3600',
    [],
    output_field=DecimalField(),
)


def menu_block(federation, start, end) -> dict:
    orders = ServiceOrder.objects.filter(
        subtree_q("federation__path", federation), window_start__gte=start, window_start__lte=end
    )
    area_needs = Need.objects.filter(subtree_q("federation__path", federation))
    needs = area_needs.aggregate(
        open=Count("pk", filter=Q(status="open")),
        answered=Count("pk", filter=Q(status="answered")),
        **{
            f"source_{source}": Count("pk", filter=Q(source=source) & ~Q(status=NeedStatus.MERGED))
            for source in NeedSource.values
        },
    )
    answered = area_needs.filter(
        answered_at__date__gte=start, answered_at__date__lte=end
    ).aggregate(hours=Sum(HOURS_TO_ANSWER), count=Count("pk"))
    figures = orders.aggregate(
        expected=Count("pk", filter=Q(status__in=EXPECTED_ORDERS)),
        delivered=Count("pk", filter=Q(status__in=DELIVERED_ORDERS)),
        average_rating=Avg("rating", filter=Q(rating__isnull=False)),
        **count_each("status", "status", OrderStatus),
    )
    return {
        "published_items": published_items(federation),
        "needs_open": needs["open"],
        "needs_answered": needs["answered"],
        "needs_by_source": parts(needs, "source", NeedSource),
        "average_days_to_answer": rollups.days_from_hours(answered["hours"], answered["count"]),
        "orders_by_status": parts(figures, "status", OrderStatus),
        "delivery_rate": percentage(figures["delivered"], figures["expected"]),
        "average_rating": round(figures["average_rating"], 2)
        if figures["average_rating"] is not None
        else None,
    }


def volunteers_block(federation, start, end) -> dict:
    volunteers = Volunteer.objects.filter(subtree_q("federation__path", federation)).aggregate(
        total=Count("pk"),
        former=Count("pk", filter=Q(former_beneficiary=True)),
        self_registered=Count(
            "pk",
            filter=Q(consented_at__isnull=False) & ~Q(status=VolunteerStatus.REJECTED),
        ),
    )
    check_ins = SignUp.objects.filter(
        subtree_q("volunteer__federation__path", federation),
        checked_in_at__isnull=False,
        opportunity__starts_at__date__gte=start,
        opportunity__starts_at__date__lte=end,
    ).count()
    teams = VolunteerTeam.objects.filter(subtree_q("federation__path", federation)).aggregate(
        **count_each("kind", "kind", TeamKind)
    )
    hours = (
        SignUp.objects.credited_between(start, end)
        .filter(subtree_q("volunteer__federation__path", federation))
        .aggregate(total=Sum("hours"))["total"]
    )
    return {
        "teams_by_kind": parts(teams, "kind", TeamKind),
        "volunteers": volunteers["total"],
        "former_beneficiaries": volunteers["former"],
        "self_registered": volunteers["self_registered"],
        "confirmed_hours": hours or Decimal("0"),
        "check_ins": check_ins,
    }


def people_block(federation, start, end) -> dict:
    """As the roll-ups count them (dashboards.rollups.people_block)."""
    today = timezone.localdate()
    people = Person.objects.filter(subtree_q("federation__path", federation))
    served = (
        Exists(Attendance.objects.filter(person=OuterRef("pk")))
        | Exists(Pairing.objects.filter(person=OuterRef("pk")))
        | Exists(Insured.objects.filter(person=OuterRef("pk")))
    )
    figures = people.aggregate(
        registered=Count("pk"),
        served=Count("pk", filter=Q(served)),
        became_volunteers=Count("pk", filter=Q(volunteer__isnull=False)),
    )
    by_group = (
        people.filter(served, target_groups__isnull=False)
        .values_list("target_groups__name")
        .annotate(count=Count("pk"))
        .order_by("target_groups__pk")
    )
    stipends = Stipend.objects.filter(subtree_q("pairing__person__federation__path", federation))
    stipend_figures = stipends.aggregate(
        due=Count("pk", filter=Q(status__in=UNPAID, due_on__gte=start, due_on__lte=end)),
        late=Count("pk", filter=Q(status__in=UNPAID, due_on__lt=today)),
        returned=Count("pk", filter=Q(status=StipendStatus.RETURNED)),
        paid=Count("pk", filter=Q(status=StipendStatus.PAID, **paid_between(start, end))),
        paid_amount=Sum("amount", filter=Q(status=StipendStatus.PAID, **paid_between(start, end))),
    )
    donations = Donation.objects.filter(subtree_q("fund__federation__path", federation))
    payouts = Payout.objects.filter(subtree_q("fund__federation__path", federation))
    raised = donations.filter(received_on__gte=start, received_on__lte=end)
    spent = payouts.filter(paid_on__gte=start, paid_on__lte=end)
    return {
        "registered": figures["registered"],
        "unique_served": figures["served"],
        "person_times": Attendance.objects.filter(
            subtree_q("person__federation__path", federation),
            served_on__gte=start,
            served_on__lte=end,
        ).count(),
        "served_by_target_group": dict(by_group),
        "became_volunteers": figures["became_volunteers"],
        "pairings_active": Pairing.objects.filter(
            subtree_q("person__federation__path", federation), status=PairingStatus.ACTIVE
        ).count(),
        "stipends_due": stipend_figures["due"],
        "stipends_late": stipend_figures["late"],
        "stipends_returned": stipend_figures["returned"],
        "stipends_paid": stipend_figures["paid"],
        "stipends_paid_amount": stipend_figures["paid_amount"] or Decimal("0"),
        "funds_raised": total(raised),
        "funds_spent": total(spent),
        "funds_balance": total(donations) - total(payouts),
    }


def paid_between(start, end) -> dict:
    return {"payout__paid_on__gte": start, "payout__paid_on__lte": end}


def total(money) -> Decimal:
    return money.aggregate(total=Sum("amount"))["total"] or Decimal("0")


def cases_block(federation, start, end) -> dict:
    return case_statistics(
        federation,
        timezone.make_aware(timezone.datetime.combine(start, timezone.datetime.min.time())),
        timezone.make_aware(timezone.datetime.combine(end, timezone.datetime.max.time())),
    )


RANKING_MEASURES = [
    # (key, queryset, path lookup, aggregate)
    ("organizations", SocialOrganization.objects.all(), "guiding_federation__path", Count("pk")),
    ("projects", Project.objects.all(), "funder__path", Count("pk")),
    ("budget", Project.objects.all(), "funder__path", Sum("budget")),
    ("volunteers", Volunteer.objects.all(), "federation__path", Count("pk")),
]


def nodes_below(federation, levels_down=1) -> list:
    return list(
        federation.descendants().filter(depth=federation.depth + levels_down).order_by("path")
    )


@reads_from_replica
def children_ranking(federation, start, end, levels_down=1) -> list[dict]:
    """The nodes `levels_down` below (the children by default) side by side, each with its
    whole subtree: from their roll-ups when they have them."""
    nodes = nodes_below(federation, levels_down)
    if all(rollups.is_rolled_up(node) for node in nodes):
        return rollups.children_ranking(nodes, start, end)
    return children_ranking_from_facts(federation, nodes, start, end, levels_down)


def children_ranking_from_facts(federation, nodes, start, end, levels_down) -> list[dict]:
    in_period = {
        "orders_delivered": (
            ServiceOrder.objects.filter(
                status__in=DELIVERED_ORDERS, window_start__gte=start, window_start__lte=end
            ),
            "federation__path",
            Count("pk"),
        ),
        "cases": (
            Case.objects.counted_in_statistics().filter(
                received_at__date__gte=start, received_at__date__lte=end
            ),
            "federation__path",
            Count("pk"),
        ),
        "hours": (
            SignUp.objects.credited_between(start, end),
            "volunteer__federation__path",
            Sum("hours"),
        ),
    }
    measures = {
        key: (queryset, lookup, aggregate) for key, queryset, lookup, aggregate in RANKING_MEASURES
    }
    measures.update(in_period)
    grouped = {
        key: grouped_below(queryset, lookup, federation, levels_down, value=aggregate)
        for key, (queryset, lookup, aggregate) in measures.items()
    }
    return [
        {
            "id": child.pk,
            "name": child.name,
            "division_code": child.division_code,
            **{key: (grouped[key].get(child.path) or {}).get("value") or 0 for key in measures},
        }
        for child in nodes
    ]


def monthly_trend(federation, start, end) -> list[dict]:
    """Cases received, orders delivered and confirmed volunteer hours, month by month."""
    months: dict[date, dict] = {}

    def add(rows, key):
        for row in rows:
            month = row["month"]  # a datetime for timestamps, a date for dates
            month = month.date() if isinstance(month, datetime) else month
            months.setdefault(month, {})[key] = row["value"]

    add(
        Case.objects.counted_in_statistics()
        .filter(
            subtree_q("federation__path", federation),
            received_at__date__gte=start,
            received_at__date__lte=end,
        )
        .annotate(month=TruncMonth("received_at"))
        .values("month")
        .annotate(value=Count("pk")),
        "cases",
    )
    add(
        ServiceOrder.objects.filter(
            subtree_q("federation__path", federation),
            status__in=DELIVERED_ORDERS,
            window_start__gte=start,
            window_start__lte=end,
        )
        .annotate(month=TruncMonth("window_start"))
        .values("month")
        .annotate(value=Count("pk")),
        "orders_delivered",
    )
    add(
        SignUp.objects.credited_between(start, end)
        .filter(subtree_q("volunteer__federation__path", federation))
        .annotate(month=TruncMonth("opportunity__starts_at"))
        .values("month")
        .annotate(value=Sum("hours")),
        "hours",
    )
    return [
        {"month": month.strftime("%Y-%m"), "cases": 0, "orders_delivered": 0, "hours": 0, **values}
        for month, values in sorted(months.items())
        if any(values.values())
    ]


@reads_from_replica
def dashboard(federation, start: date, end: date) -> dict:
    """Every block; read from the replica when there is one (who may see what was decided on
    the primary before this is called), from the roll-ups down to the county."""
    if not rollups.is_rolled_up(federation):
        return dashboard_from_facts(federation, start, end)
    return {
        "federation": {"id": federation.pk, "name": federation.name},
        "period": {"from": start, "to": end},
        **rollups.blocks(
            federation,
            start,
            end,
            leaders=leaders_in_office(federation, end),
            build_modes=federations_by_build_mode(federation),
            published_items=published_items(federation),
        ),
        "children": children_ranking(federation, start, end),
    }


def dashboard_from_facts(federation, start: date, end: date) -> dict:
    """The same figures counted on the base tables: below the county, and as the roll-ups'
    brute-force check."""
    return {
        "federation": {"id": federation.pk, "name": federation.name},
        "period": {"from": start, "to": end},
        "organizations": organizations_block(federation, start, end),
        "projects": projects_block(federation, start, end),
        "menu": menu_block(federation, start, end),
        "cases": cases_block(federation, start, end),
        "volunteers": volunteers_block(federation, start, end),
        "people": people_block(federation, start, end),
        "trend": monthly_trend(federation, start, end),
        "children": children_ranking_from_facts(
            federation, nodes_below(federation), start, end, levels_down=1
        ),
    }
