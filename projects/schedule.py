"""The reporting schedule: calendar periods covering a project's period."""

from datetime import date, timedelta

from projects.choices import ReportingFrequency

MONTHS_PER_PERIOD = {
    ReportingFrequency.MONTH: 1,
    ReportingFrequency.QUARTER: 3,
    ReportingFrequency.HALF_YEAR: 6,
    ReportingFrequency.YEAR: 12,
}
# A report is due this many days after its period ends.
REPORT_GRACE_DAYS = 10


def add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, 1)


def calendar_period_start(day: date, months: int) -> date:
    """The first day of the calendar month/quarter/half/year that holds `day`."""
    month = (day.month - 1) // months * months + 1
    return date(day.year, month, 1)


def reporting_periods(start: date, end: date, frequency: str):
    """(starts_on, ends_on, due_on) for each calendar period overlapping start..end, clipped."""
    months = MONTHS_PER_PERIOD[frequency]
    period_start = calendar_period_start(start, months)
    while period_start <= end:
        next_start = add_months(period_start, months)
        period_end = next_start - timedelta(days=1)
        clipped_end = min(period_end, end)
        yield max(period_start, start), clipped_end, clipped_end + timedelta(days=REPORT_GRACE_DAYS)
        period_start = next_start
