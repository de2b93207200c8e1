"""Figures shared by statistics and dashboards: counts by a choice field in the same query as
the other figures, and percentages."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q
from django.db.models.functions import Length, Substr

from core.scoping import SEGMENT_WIDTH


def count_each(prefix, field, choices, *, contains=False, distinct=False) -> dict:
    """Aggregate expressions `<prefix>_<value>` counting rows per value of a choice field
    (`contains` for an array field, where a row counts once in each of its values)."""
    return {
        f"{prefix}_{value}": Count(
            "pk",
            filter=Q(**{f"{field}__contains": [value]} if contains else {field: value}),
            distinct=distinct,
        )
        for value in choices.values
    }


def parts(figures, prefix, choices) -> dict:
    """The counts of count_each, by value."""
    return {value: figures[f"{prefix}_{value}"] for value in choices.values}


def percentage(part, whole) -> Decimal | None:
    """part ÷ whole in percent with one decimal (halves up), or None when there is no whole."""
    if not whole:
        return None
    return (Decimal(100) * part / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def grouped_below(queryset, path_lookup, federation, levels_down=1, **aggregates) -> dict:
    """Aggregates of the rows under `federation`, grouped by the node `levels_down` below it
    that each lies under, keyed by that node's path (one query, whatever the number of nodes).
    Rows of nodes above that level (the federation's own) are left out."""
    length = len(federation.path) + SEGMENT_WIDTH * levels_down
    rows = (
        queryset.filter(**{f"{path_lookup}__startswith": federation.path})
        .annotate(path_length=Length(path_lookup))
        .filter(path_length__gte=length)
        .annotate(node_path=Substr(path_lookup, 1, length))
        .values("node_path")
        .annotate(**aggregates)
    )
    return {row.pop("node_path"): row for row in rows}
