"""Figures of a federation's subtree and a period, for dashboards: counts only, never a person.

Cases are counted by the owning federation's subtree and the time they were received;
anonymised archives count like any other case. A case whose help-seeker refused anonymous
statistics (Consent.to_statistics) is counted nowhere: every count starts from
`counted_in_statistics()`.
"""

from django.db.models import (
    Aggregate,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Func,
    Q,
)
from django.utils import timezone

from cases.choices import CaseStatus, Category, Channel, EventKind, Outcome, Risk
from cases.models import Case, FollowUp
from core.aggregates import count_each, parts, percentage
from core.scoping import subtree_q

DONE = (CaseStatus.RESOLVED, CaseStatus.FOLLOW_UP, CaseStatus.CLOSED)
RIGHTS_CATEGORIES = [
    Category.DOMESTIC_VIOLENCE,
    Category.WOMENS_RIGHTS,
    Category.CHILDRENS_RIGHTS,
    Category.EMPLOYMENT,
    Category.PROPERTY,
]


class Median(Aggregate):
    function = "percentile_cont"
    template = "percentile_cont(0.5) WITHIN GROUP (ORDER BY %(expressions)s)"


def rounded(minutes: float | None) -> int | None:
    return round(minutes) if minutes is not None else None


def case_statistics(federation, start, end) -> dict:
    cases = Case.objects.counted_in_statistics().filter(
        subtree_q("federation__path", federation), received_at__gte=start, received_at__lt=end
    )
    response = ExpressionWrapper(F("first_contacted_at") - F("received_at"), DurationField())
    # In whole minutes, so that the dashboards' roll-ups can keep it as a histogram (exact).
    response_minutes = Func(
        response,
        template="floor(extract(epoch FROM %(expressions)s) / 60)",
        output_field=FloatField(),
    )
    figures = cases.aggregate(
        total=Count("pk"),
        disputes_resolved=Count(
            "pk",
            filter=Q(categories__contains=[Category.MARRIAGE], status__in=DONE)
            & ~Q(outcome=Outcome.UNRESOLVED),
        ),
        rights_matters_handled=Count(
            "pk", filter=Q(categories__overlap=RIGHTS_CATEGORIES, status__in=DONE)
        ),
        # Compliance is measured on the cases that had a first-contact deadline.
        with_deadline_contacted=Count(
            "pk", filter=Q(first_contacted_at__isnull=False, first_contact_due__isnull=False)
        ),
        contacted_in_time=Count("pk", filter=Q(first_contacted_at__lte=F("first_contact_due"))),
        median_first_response=Median(response_minutes, filter=Q(first_contacted_at__isnull=False)),
        **count_each("category", "categories", Category, contains=True),
        **count_each("risk", "risk", Risk),
        **count_each("status", "status", CaseStatus),
        **count_each("channel", "channel", Channel),
    )
    mediated = cases.filter(
        categories__contains=[Category.MARRIAGE],
        status=CaseStatus.CLOSED,
        pk__in=Case.objects.filter(events__kind=EventKind.MEDIATION).values("pk"),
    ).aggregate(closed=Count("pk"), reconciled=Count("pk", filter=Q(outcome=Outcome.RECONCILED)))
    return {
        "total": figures["total"],
        "by_category": parts(figures, "category", Category),
        "by_risk": parts(figures, "risk", Risk),
        "by_status": parts(figures, "status", CaseStatus),
        "by_channel": parts(figures, "channel", Channel),
        "disputes_resolved": figures["disputes_resolved"],
        "rights_matters_handled": figures["rights_matters_handled"],
        "mediated_closed": mediated["closed"],
        "reconciled": mediated["reconciled"],
        "reconciliation_rate": percentage(mediated["reconciled"], mediated["closed"]),
        "median_first_response_minutes": rounded(figures["median_first_response"]),
        "sla_compliance": percentage(
            figures["contacted_in_time"], figures["with_deadline_contacted"]
        ),
        "overdue_follow_ups": FollowUp.objects.counted_in_statistics()
        .filter(
            subtree_q("case__federation__path", federation),
            done_at__isnull=True,
            due_on__lt=timezone.localdate(),
        )
        .count(),
    }
