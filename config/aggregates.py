"""Figures shared by statistics and dashboards: counts by a choice field in the same query as
the other figures, and percentages."""

from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q


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
