"""The dashboard of a node down to the county, read from its roll-ups (dashboards.models.Rollup).

A node's rows hold its whole subtree, so its dashboard reads a few hundred rows whatever lies
below: the period's whole months at the month grain, the days at its edges at the day grain,
and the snapshot figures. It answers exactly what `selectors.dashboard_from_facts` answers
(tests/test_rollups.py holds the two together); below the county the facts are read directly.

Two small questions still go to the facts: executive members in office at the period's end,
and the distinct items on the subtree's menus (a distinct count does not add up from below).
"""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.db import connections, router
from django.utils import timezone

from cases.choices import CaseStatus, Category, Channel, Risk
from core.aggregates import percentage
from dashboards.models import Rollup
from dashboards.rollup_sql import REPORT_FIGURES, ROLLED_LEVELS
from menu.choices import NeedSource, OrderStatus
from orgs.choices import LegalForm, Relationship
from orgs.models import TargetGroup
from projects.choices import ProjectStatus
from volunteers.choices import TeamKind

DELIVERED = (OrderStatus.DELIVERED, OrderStatus.CONFIRMED)
EXPECTED = (OrderStatus.ACCEPTED, OrderStatus.SCHEDULED, *DELIVERED)
# Figures in yuan or hours; every other figure is a count.
DECIMAL_FIGURES = {
    "projects.budget",
    "projects.disbursed",
    "projects.indicator_share",
    "projects.approved:spending",
    "projects.pending:spending",
    "volunteers.hours",
    "menu.answer_hours",
    "people.stipends_paid_amount",
    "funds.raised",
    "funds.spent",
    "funds.balance",
}
SINCE_EVER = date(1900, 1, 1)


def is_rolled_up(federation) -> bool:
    return federation.level in ROLLED_LEVELS


def reading():
    """The connection the roll-ups are read from: the replica inside `replica_reads()`."""
    return connections[router.db_for_read(Rollup)]


def month_after(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def period_rows(start: date, end: date, month="m", day="d") -> tuple[str, list]:
    """The rows that make up [start, end]: snapshots, the whole months, the days outside them."""
    first = start if start.day == 1 else month_after(start)
    after = end + timedelta(days=1)
    last_end = end if after.day == 1 else end.replace(day=1) - timedelta(days=1)
    if first > last_end:  # no whole month inside
        return f"grain = 's' OR (grain = '{day}' AND period BETWEEN %s AND %s)", [start, end]
    return (
        f"grain = 's' OR (grain = '{month}' AND period BETWEEN %s AND %s) "
        f"OR (grain = '{day}' AND (period BETWEEN %s AND %s OR period BETWEEN %s AND %s))",
        [
            first,
            last_end.replace(day=1),
            start,
            first - timedelta(days=1),
            last_end + timedelta(days=1),
            end,
        ],
    )


def read(federation_ids, start: date, end: date, figures=None, grains="md") -> list[tuple]:
    """(federation id, figure, month or None for a snapshot, value) of the period, summed per
    month. `grains` are the letters of the month's and the day's rows."""
    condition, params = period_rows(start, end, *grains)
    only = "AND figure = ANY(%s)" if figures else ""
    with reading().cursor() as cursor:
        cursor.execute(
            f"""SELECT federation_id, figure, date_trunc('month', period)::date, sum(value)
                FROM dashboards_rollup
                WHERE federation_id = ANY(%s) AND ({condition}) {only}
                GROUP BY 1, 2, 3""",  # noqa: S608 - the condition is ours, values are params
            [list(federation_ids), *params, *([list(figures)] if figures else [])],
        )
        return cursor.fetchall()


def as_number(figure: str, value: Decimal):
    return value if figure in DECIMAL_FIGURES else int(value)


class Sums(dict):
    """Figure → value over the period; a figure without a row is zero."""

    def __missing__(self, figure):
        return Decimal("0") if figure in DECIMAL_FIGURES else 0

    def choice_parts(self, prefix, choices) -> dict:
        return {value: self[f"{prefix}:{value}"] for value in choices.values}

    def due_by(self, figure, day: date) -> int:
        """The reports' `figure@<due date>` whose due date has come by the day."""
        return sum(
            value
            for key, value in self.items()
            if key.startswith(figure + "@") and date.fromisoformat(key.split("@")[1]) <= day
        )

    def with_prefix(self, prefix) -> dict:
        return {
            key.split(":", 1)[1]: value for key, value in self.items() if key.startswith(prefix)
        }


def totals(rows) -> Sums:
    sums = Sums()
    for _federation, figure, _month, value in rows:
        sums[figure] = sums[figure] + as_number(figure, value)
    return sums


def middle_positions(size: int) -> tuple[int, int]:
    """The 0-based positions percentile_cont(0.5) averages (the same one twice when odd)."""
    return (size - 1) // 2, size // 2


def at_position(counts: dict[int, int], position: int) -> tuple[int, int]:
    """The value at a 0-based position of a sorted histogram, and how many come before it."""
    seen = 0
    for value in sorted(counts):
        if position < seen + counts[value]:
            return value, seen
        seen += counts[value]
    raise IndexError(position)


def median_first_response(federation, start, end, hours: dict[int, int]) -> int | None:
    """The exact median in whole minutes: the hour each middle case falls in from the hours'
    histogram, then its minute from that hour's minutes (a few dozen rows, not thousands)."""
    size = sum(hours.values())
    if not size:
        return None
    minutes_of_hour: dict[int, dict[int, int]] = {}  # read once, mostly both are in one hour
    middle = []
    for position in middle_positions(size):
        hour, before = at_position(hours, position)
        if hour not in minutes_of_hour:
            names = [f"cases.response_minutes:{m}" for m in range(hour * 60, hour * 60 + 60)]
            minutes = totals(read([federation.pk], start, end, names, grains="MD"))
            minutes_of_hour[hour] = {
                int(name.split(":")[1]): count for name, count in minutes.items() if count
            }
        middle.append(at_position(minutes_of_hour[hour], position - before)[0])
    return round(sum(middle) / 2)


def quotient(numerator, denominator):
    """numerator ÷ denominator as PostgreSQL's avg() computes it (numeric division)."""
    with reading().cursor() as cursor:
        cursor.execute("SELECT %s::numeric / %s::numeric", [numerator, denominator])
        return cursor.fetchone()[0]


# The blocks --------------------------------------------------------------------------------


def organizations_block(sums, leaders, build_modes) -> dict:
    return {
        "total": sums["organizations.total"],
        "by_legal_form": sums.choice_parts("organizations.form", LegalForm),
        "by_relationship": sums.choice_parts("organizations.relationship", Relationship),
        "covered": sums["organizations.covered"],
        "coverage_rate": percentage(sums["organizations.covered"], sums["organizations.total"]),
        "leaders_on_executive_committees": leaders,
        "new_field_by_build_mode": build_modes,
    }


def projects_block(sums, end) -> dict:
    today = timezone.localdate()
    due_by = min(end, today)
    due = sums.due_by
    share, indicators = sums["projects.indicator_share"], sums["projects.indicators"]
    completion = quotient(share, indicators) if indicators else None
    return {
        "total": sums["projects.total"],
        "by_status": sums.choice_parts("projects.status", ProjectStatus),
        "budget": sums["projects.budget"] or Decimal("0"),
        "disbursed": sums["projects.disbursed"] or Decimal("0"),
        "approved": {name: sums[f"projects.approved:{name}"] or 0 for name in REPORT_FIGURES},
        "pending": {name: sums[f"projects.pending:{name}"] or 0 for name in REPORT_FIGURES},
        "indicator_completion": (Decimal(100) * completion).quantize(Decimal("0.1"))
        if completion is not None
        else None,
        "reports_expected": due("projects.reports", due_by),
        "reports_submitted": due("projects.reports_submitted", due_by),
        "reports_on_time": due("projects.reports_on_time", due_by),
        "reports_late": due("projects.reports_late", due_by),
        # overdue: due before today
        "reports_overdue": due("projects.reports_open", min(due_by, today - timedelta(days=1))),
    }


def days_from_hours(hours, answered):
    """The average time to answer in days, to a tenth (as the facts' avg() gives it)."""
    if not answered:
        return None
    return (Decimal(hours) / Decimal(answered) / 24).quantize(Decimal("0.1"))


def menu_block(sums, published_items) -> dict:
    orders = sums.choice_parts("menu.status", OrderStatus)
    rated = sums["menu.rating_count"]
    return {
        "published_items": published_items,
        "needs_open": sums["menu.needs:open"],
        "needs_answered": sums["menu.needs:answered"],
        "needs_by_source": sums.choice_parts("menu.needs_source", NeedSource),
        "average_days_to_answer": days_from_hours(sums["menu.answer_hours"], sums["menu.answered"]),
        "orders_by_status": orders,
        "delivery_rate": percentage(
            sum(orders[status] for status in DELIVERED), sum(orders[status] for status in EXPECTED)
        ),
        "average_rating": round(sums["menu.rating_sum"] / rated, 2) if rated else None,
    }


def cases_block(sums, overdue_follow_ups, median) -> dict:
    mediated, reconciled = sums["cases.mediated_closed"], sums["cases.reconciled"]
    return {
        "total": sums["cases.total"],
        "by_category": sums.choice_parts("cases.category", Category),
        "by_risk": sums.choice_parts("cases.risk", Risk),
        "by_status": sums.choice_parts("cases.status", CaseStatus),
        "by_channel": sums.choice_parts("cases.channel", Channel),
        "disputes_resolved": sums["cases.disputes_resolved"],
        "rights_matters_handled": sums["cases.rights_matters_handled"],
        "mediated_closed": mediated,
        "reconciled": reconciled,
        "reconciliation_rate": percentage(reconciled, mediated),
        "median_first_response_minutes": median,
        "sla_compliance": percentage(
            sums["cases.contacted_in_time"], sums["cases.with_deadline_contacted"]
        ),
        "overdue_follow_ups": overdue_follow_ups,
    }


def volunteers_block(sums) -> dict:
    return {
        "teams_by_kind": sums.choice_parts("volunteers.team", TeamKind),
        "volunteers": sums["volunteers.total"],
        "former_beneficiaries": sums["volunteers.former"],
        "self_registered": sums["volunteers.self_registered"],
        "confirmed_hours": sums["volunteers.hours"] or Decimal("0"),
        "check_ins": sums["volunteers.check_ins"],
    }


def people_block(sums, late) -> dict:
    """Unique persons are counted to date (a distinct count does not add up over days);
    person-times, stipends due and paid, and money in and out, within the period."""
    served_groups = sums.with_prefix("people.served_group:")
    names = dict(TargetGroup.objects.filter(pk__in=served_groups).values_list("pk", "name"))
    return {
        "registered": sums["people.registered"],
        "unique_served": sums["people.served"],
        "person_times": sums["people.times"],
        "served_by_target_group": {
            names[int(pk)]: count
            for pk, count in sorted(served_groups.items(), key=lambda item: int(item[0]))
            if count
        },
        "became_volunteers": sums["people.became_volunteers"],
        "pairings_active": sums["people.pairings_active"],
        "stipends_due": sums["people.stipends_unpaid"],
        "stipends_late": late,
        "stipends_returned": sums["people.stipends_returned"],
        "stipends_paid": sums["people.stipends_paid"],
        "stipends_paid_amount": sums["people.stipends_paid_amount"],
        "funds_raised": sums["funds.raised"],
        "funds_spent": sums["funds.spent"],
        "funds_balance": sums["funds.balance"],
    }


def trend(rows) -> list[dict]:
    """Cases received, orders delivered and confirmed hours, month by month (months where
    something happened)."""
    months: dict[date, dict] = defaultdict(lambda: {"cases": 0, "orders_delivered": 0, "hours": 0})
    keys = {
        "cases.total": "cases",
        **{f"menu.status:{status}": "orders_delivered" for status in DELIVERED},
        "volunteers.hours": "hours",
    }
    for _federation, figure, month, value in rows:
        if figure in keys and month is not None and value:
            values = months[month]
            values[keys[figure]] += as_number(figure, value)
    return [
        {"month": month.strftime("%Y-%m"), **values}
        for month, values in sorted(months.items())
        if any(values.values())
    ]


RANKING_FIGURES = {
    "organizations": ("organizations.total",),
    "projects": ("projects.total",),
    "budget": ("projects.budget",),
    "volunteers": ("volunteers.total",),
    "orders_delivered": tuple(f"menu.status:{status}" for status in DELIVERED),
    "cases": ("cases.total",),
    "hours": ("volunteers.hours",),
}


def sums_of_each(nodes, start, end, figures) -> dict[int, Sums]:
    """Node id → these figures of its subtree over the period (one read for all the nodes)."""
    sums: dict[int, Sums] = defaultdict(Sums)
    for federation, figure, _month, value in read([n.pk for n in nodes], start, end, figures):
        sums[federation][figure] += as_number(figure, value)
    return sums


def children_ranking(children, start, end) -> list[dict]:
    """Each child's subtree side by side, from the children's own roll-ups."""
    wanted = [figure for figures in RANKING_FIGURES.values() for figure in figures]
    by_child = sums_of_each(children, start, end, wanted)
    return [
        {
            "id": child.pk,
            "name": child.name,
            "division_code": child.division_code,
            **{
                key: sum(by_child[child.pk][figure] for figure in figures)
                for key, figures in RANKING_FIGURES.items()
            },
        }
        for child in children
    ]


def blocks(federation, start, end, *, leaders, build_modes, published_items) -> dict:
    rows = read([federation.pk], start, end)
    sums = totals(rows)
    today = timezone.localdate()
    overdue = totals(
        read(
            [federation.pk],
            SINCE_EVER,
            today - timedelta(days=1),
            ["cases.followups_open", "people.stipends_unpaid"],
        )
    )
    return {
        "organizations": organizations_block(sums, leaders, build_modes),
        "projects": projects_block(sums, end),
        "menu": menu_block(sums, published_items),
        "cases": cases_block(
            sums,
            overdue["cases.followups_open"],
            median_first_response(
                federation,
                start,
                end,
                {int(h): n for h, n in sums.with_prefix("cases.response_hours:").items() if n},
            ),
        ),
        "volunteers": volunteers_block(sums),
        "people": people_block(sums, overdue["people.stipends_unpaid"]),
        "trend": trend(rows),
    }


# The volunteer hours page --------------------------------------------------------------------


def hours_of_children(children, start, end) -> list[dict]:
    """The children, each with its subtree's confirmed hours, most first."""
    hours = sums_of_each(children, start, end, ["volunteers.hours"])
    rows = [{"federation": c, "hours": hours[c.pk]["volunteers.hours"]} for c in children]
    return sorted(rows, key=lambda row: -row["hours"])


def top_volunteers(federation, year: int, limit=50) -> list[dict]:
    """The volunteers of the subtree with the most confirmed hours in the year, read down the
    year's ranking index until `limit` of them are found."""
    with reading().cursor() as cursor:
        cursor.execute(
            """SELECT y.volunteer_id, v.name, y.hours, y.times
               FROM dashboards_volunteeryear y
               JOIN volunteers_volunteer v ON v.id = y.volunteer_id
               JOIN federation_federation f ON f.id = v.federation_id
               WHERE y.year = %s AND y.hours > 0 AND f.path LIKE %s
               ORDER BY y.hours DESC, v.name LIMIT %s""",
            [year, federation.path + "%", limit],
        )
        columns = ("volunteer_id", "volunteer__name", "hours", "times")
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
