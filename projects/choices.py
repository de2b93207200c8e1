from django.db import models
from django.utils.translation import gettext_lazy as _


class ProcurementMode(models.TextChoices):
    PUBLIC_TENDER = "public_tender", _("Public tender (公开招标)")
    VENTURE = "venture", _("Venture competition (公益创投)")
    COMMISSION = "commission", _("Direct commission (委托)")


class ProjectStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    CALL_OPEN = "call_open", _("Call open")
    UNDER_REVIEW = "under_review", _("Under review")
    AWARDED = "awarded", _("Awarded")
    IN_PROGRESS = "in_progress", _("In progress")
    FINAL_REPORT = "final_report", _("Final report")
    EVALUATED = "evaluated", _("Evaluated")
    CLOSED = "closed", _("Closed")
    SUSPENDED = "suspended", _("Suspended")
    TERMINATED = "terminated", _("Terminated")


class ReportingFrequency(models.TextChoices):
    MONTH = "month", _("Monthly")
    QUARTER = "quarter", _("Quarterly")
    HALF_YEAR = "half_year", _("Half-yearly")
    YEAR = "year", _("Yearly")


class FundingSource(models.TextChoices):
    FEDERATION = "federation", _("Federation funds")
    GOVERNMENT = "government", _("Government purchase of services")
    LOTTERY = "lottery", _("Welfare lottery fund")
    CHARITY = "charity", _("Charitable donations")
    OTHER = "other", _("Other")


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    AWARDED = "awarded", _("Awarded")
    NOT_AWARDED = "not_awarded", _("Not awarded")


class ReviewCriterion(models.TextChoices):
    NEED_FIT = "need_fit", _("Fit with the needs")
    DESIGN = "design", _("Service design")
    CAPACITY = "capacity", _("Organization's capacity")
    BUDGET = "budget", _("Budget")


class IndicatorKind(models.TextChoices):
    COUNT = "count", _("Count")
    AMOUNT = "amount", _("Amount (CNY)")
    PERCENTAGE = "percentage", _("Percentage")


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned with comments")
    RESUBMITTED = "resubmitted", _("Resubmitted")
    APPROVED = "approved", _("Approved")
