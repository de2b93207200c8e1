"""Service projects (服务项目): calls, applications, indicators, reports, money and activities."""

from decimal import Decimal

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet, paths_q, user_scope
from core.uploads import DOCUMENTS, PolicyFileField
from federation.models import path_and_ancestors
from projects.choices import (
    ApplicationStatus,
    FundingSource,
    IndicatorKind,
    ProcurementMode,
    ProjectStatus,
    ReportingFrequency,
    ReportStatus,
    ReviewCriterion,
)

MONEY = {"max_digits": 14, "decimal_places": 2}
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class ProjectQuerySet(ScopedQuerySet):
    """Federations see what is funded in their area; organizations what they carry out."""

    scope_path = "funder__path"
    organization_lookup = "implementer_id__in"

    def scope_filter(self, user):
        scope = user_scope(user)
        return paths_q(self.scope_path, scope.federation_paths) | models.Q(
            **{self.organization_lookup: scope.organization_ids}
        )

    def payable_for(self, federation):
        """Projects in progress that may pay for this federation's service orders: those
        funded by it or by a federation above it (a city's project pays for its districts)."""
        return self.filter(
            funder__path__in=path_and_ancestors(federation.path), status=ProjectStatus.IN_PROGRESS
        )

    def payable_by(self, user):
        """Projects that may pay for orders the user places anywhere in her area."""
        if user.is_superuser:
            return self.filter(status=ProjectStatus.IN_PROGRESS)
        paths = user_scope(user).federation_paths
        above = {ancestor for path in paths for ancestor in path_and_ancestors(path)}
        return self.filter(
            paths_q(self.scope_path, paths) | models.Q(funder__path__in=above),
            status=ProjectStatus.IN_PROGRESS,
        )


class ProjectChildQuerySet(ProjectQuerySet):
    scope_path = "project__funder__path"
    organization_lookup = "project__implementer_id__in"


class ApplicationQuerySet(ProjectQuerySet):
    scope_path = "project__funder__path"
    organization_lookup = "organization_id__in"


class ReportChildQuerySet(ProjectQuerySet):
    scope_path = "report__project__funder__path"
    organization_lookup = "report__project__implementer_id__in"


class StandardIndicator(models.Model):
    """An indicator a federation asks of all projects it funds, so that they add up."""

    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="standard_indicators",
    )
    name = models.CharField(_("name"), max_length=60)
    unit = models.CharField(_("unit"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    cumulative = models.BooleanField(
        _("cumulative"),
        default=True,
        help_text=_("Reported values add up over periods (otherwise the latest value counts)."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("standard indicator")
        verbose_name_plural = _("standard indicators")
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="standard_indicator_unique")
        ]

    def __str__(self):
        return f"{self.name}（{self.unit}）"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Project(models.Model):
    code = models.CharField(_("project code"), max_length=40, unique=True)
    title = models.CharField(_("title"), max_length=200)
    funder = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("funding federation"),
        on_delete=models.PROTECT,
        related_name="funded_projects",
    )
    implementer = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("implementing organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="projects",
    )
    domain = models.ForeignKey(
        "orgs.ServiceDomain", verbose_name=_("service domain"), on_delete=models.PROTECT
    )
    target_groups = models.ManyToManyField(
        "orgs.TargetGroup", verbose_name=_("target groups"), blank=True
    )
    procurement_mode = models.CharField(
        _("procurement mode"), max_length=16, choices=ProcurementMode.choices
    )
    budget = models.DecimalField(_("budget (CNY)"), validators=NOT_NEGATIVE, **MONEY)
    period_start = models.DateField(_("period start"))
    period_end = models.DateField(_("period end"))
    areas_served = models.ManyToManyField(
        "federation.Federation",
        verbose_name=_("areas served"),
        blank=True,
        related_name="served_by_projects",
    )
    reporting_frequency = models.CharField(
        _("reporting frequency"),
        max_length=16,
        choices=ReportingFrequency.choices,
        default=ReportingFrequency.QUARTER,
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ProjectStatus.choices, default=ProjectStatus.DRAFT
    )
    call_closes_on = models.DateField(_("call closes on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    guidelines = models.TextField(
        _("call guidelines"),
        blank=True,
        help_text=_("What the call funds, who may apply and how applications are scored."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("service project")
        verbose_name_plural = _("service projects")
        ordering = ["-period_start", "code"]
        indexes = [models.Index(fields=["status", "period_start"])]

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        if self.period_start and self.period_end and self.period_end < self.period_start:
            raise ValidationError({"period_end": _("The period cannot end before it starts.")})


class FundingLine(models.Model):
    """Where a project's budget comes from."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="funding_lines")
    source = models.CharField(_("source"), max_length=16, choices=FundingSource.choices)
    amount = models.DecimalField(_("amount (CNY)"), validators=NOT_NEGATIVE, **MONEY)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding line")
        verbose_name_plural = _("funding lines")

    def __str__(self):
        return f"{self.get_source_display()} {self.amount}"


def call_document_path(instance, filename):
    return f"calls/{instance.project_id}/{filename}"


class CallDocument(models.Model):
    """A file of a call (申报指南, a form to fill, the scoring rules) for those it is open to."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="call_documents"
    )
    title = models.CharField(_("title"), max_length=200)
    file = PolicyFileField(_("file"), upload_to=call_document_path, policy=DOCUMENTS.name)
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("call document")
        verbose_name_plural = _("call documents")
        ordering = ["pk"]

    def __str__(self):
        return self.title


def proposal_document_path(instance, filename):
    # Under MEDIA_ROOT, which no URL serves: the download view checks scope.
    return f"applications/{instance.project_id}/{instance.organization_id}/{filename}"


class Application(models.Model):
    """An organization's application (申报) to a project's call."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="applications"
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("social organization"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    proposal = models.TextField(_("proposal"))
    requested_amount = models.DecimalField(
        _("requested amount (CNY)"), validators=NOT_NEGATIVE, **MONEY
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    proposal_document = PolicyFileField(
        _("proposal document"),
        upload_to=proposal_document_path,
        policy=DOCUMENTS.name,
        blank=True,
    )
    proposal_document_name = models.CharField(_("file name"), max_length=200, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("application")
        ordering = ["-submitted_at"]
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["project", "organization"], name="one_application_per_org"
            )
        ]

    def __str__(self):
        return f"{self.organization} → {self.project}"

    def total_score(self) -> Decimal | None:
        scores = [score.score for score in self.scores.all()]
        return sum(scores) / len(scores) if scores else None


class ReviewScore(models.Model):
    application = models.ForeignKey(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, related_name="scores"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    criterion = models.CharField(_("criterion"), max_length=16, choices=ReviewCriterion.choices)
    score = models.PositiveSmallIntegerField(_("score"), validators=[MaxValueValidator(100)])
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        verbose_name = _("review score")
        verbose_name_plural = _("review scores")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "reviewer", "criterion"], name="one_score_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.get_criterion_display()} {self.score}"


class Indicator(models.Model):
    """A performance indicator (绩效指标) with a typed target.

    A percentage is stored as numerator and denominator and summed as such — never averaged.
    """

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="indicators"
    )
    standard = models.ForeignKey(
        StandardIndicator,
        verbose_name=_("standard indicator"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indicators",
    )
    name = models.CharField(_("name"), max_length=60)
    unit = models.CharField(_("unit"), max_length=20)
    kind = models.CharField(_("kind"), max_length=16, choices=IndicatorKind.choices)
    cumulative = models.BooleanField(_("cumulative"), default=True)
    target = models.DecimalField(_("target"), validators=NOT_NEGATIVE, **MONEY)
    target_denominator = models.DecimalField(
        _("target denominator"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        constraints = [
            models.UniqueConstraint(fields=["project", "name"], name="indicator_unique_name")
        ]

    def __str__(self):
        return f"{self.name}（{self.unit}）"

    def clean(self):
        super().clean()
        if (self.kind == IndicatorKind.PERCENTAGE) != (self.target_denominator is not None):
            raise ValidationError(
                {"target_denominator": _("A percentage, and only a percentage, has a denominator.")}
            )


class ReportingPeriod(models.Model):
    """One calendar period of a project's reporting schedule."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="periods"
    )
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    due_on = models.DateField(_("due on"))

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["project", "starts_on"]
        constraints = [
            models.UniqueConstraint(fields=["project", "starts_on"], name="period_unique_start")
        ]

    def __str__(self):
        return f"{self.starts_on:%Y-%m-%d} ~ {self.ends_on:%Y-%m-%d}"

    def clean(self):
        super().clean()
        project = self.project
        if self.starts_on < project.period_start or self.ends_on > project.period_end:
            raise ValidationError(_("A reporting period must lie within the project's period."))
        if self.ends_on < self.starts_on:
            raise ValidationError(_("The period cannot end before it starts."))


class ProjectReport(models.Model):
    """The organization's report (项目报告) for one period."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="reports"
    )
    period = models.OneToOneField(
        ReportingPeriod, verbose_name=_("period"), on_delete=models.PROTECT, related_name="report"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    narrative = models.TextField(_("narrative"), blank=True)
    activities_held = models.PositiveIntegerField(_("activities held"), default=0)
    women_served = models.PositiveIntegerField(_("women served (person-times)"), default=0)
    children_served = models.PositiveIntegerField(_("children served (person-times)"), default=0)
    families_served = models.PositiveIntegerField(_("families served (person-times)"), default=0)
    spending = models.DecimalField(
        _("spending (CNY)"), default=Decimal("0"), validators=NOT_NEGATIVE, **MONEY
    )
    reviewer_comment = models.TextField(_("reviewer's comment"), blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    on_time = models.BooleanField(_("on time"), null=True, blank=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("project report")
        verbose_name_plural = _("project reports")
        ordering = ["project", "period__starts_on"]

    def __str__(self):
        return f"{self.project} · {self.period}"

    @property
    def is_locked(self) -> bool:
        return self.status == ReportStatus.APPROVED

    @property
    def is_editable(self) -> bool:
        return self.status in {ReportStatus.DRAFT, ReportStatus.RETURNED}


class IndicatorValue(models.Model):
    report = models.ForeignKey(
        ProjectReport, verbose_name=_("report"), on_delete=models.CASCADE, related_name="values"
    )
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.PROTECT, related_name="values"
    )
    value = models.DecimalField(_("value"), validators=NOT_NEGATIVE, **MONEY)
    denominator = models.DecimalField(
        _("denominator"), null=True, blank=True, validators=NOT_NEGATIVE, **MONEY
    )

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        constraints = [
            models.UniqueConstraint(fields=["report", "indicator"], name="one_value_per_indicator")
        ]

    def __str__(self):
        return f"{self.indicator.name} {self.shown_value}"

    @property
    def shown_value(self):
        """A count as a whole number (20, not 20.00), as the organization typed it."""
        return int(self.value) if self.indicator.kind == IndicatorKind.COUNT else self.value


def attachment_path(instance, filename):
    # Stored under MEDIA_ROOT, which no URL serves: the download view checks scope.
    return f"reports/{instance.report.project_id}/{instance.report_id}/{filename}"


class ReportAttachment(models.Model):
    report = models.ForeignKey(
        ProjectReport,
        verbose_name=_("report"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = PolicyFileField(_("file"), upload_to=attachment_path, policy=DOCUMENTS.name)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    objects = ReportChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class TransitionRecord(models.Model):
    """Who moved a record from one state to another, and when (never edited)."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "pk"]

    def __str__(self):
        return f"{self.get_from_status_display()} → {self.get_to_status_display()}"


class ReportTransition(TransitionRecord):
    report = models.ForeignKey(ProjectReport, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=ReportStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ReportStatus.choices)
    comment = models.TextField(_("comment"), blank=True)

    objects = ReportChildQuerySet.as_manager()

    class Meta(TransitionRecord.Meta):
        verbose_name = _("report history")
        verbose_name_plural = _("report history")


class ProjectTransition(TransitionRecord):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(_("from"), max_length=16, choices=ProjectStatus.choices)
    to_status = models.CharField(_("to"), max_length=16, choices=ProjectStatus.choices)

    objects = ProjectChildQuerySet.as_manager()

    class Meta(TransitionRecord.Meta):
        verbose_name = _("project history")
        verbose_name_plural = _("project history")


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class Disbursement(models.Model):
    """A tranche (拨付) paid against the budget."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.PROTECT, related_name="disbursements"
    )
    amount = models.DecimalField(_("amount (CNY)"), validators=NOT_NEGATIVE, **MONEY)
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["project", "paid_on"]

    def __str__(self):
        return f"{self.paid_on} {self.amount}"


class Activity(models.Model):
    """One delivered event (活动) of a project."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="activities"
    )
    title = models.CharField(_("title"), max_length=200)
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    participants = models.PositiveIntegerField(_("participants"), default=0)
    volunteers = models.PositiveIntegerField(_("volunteers"), default=0)

    objects = ProjectChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-held_on"]
        indexes = [models.Index(fields=["project", "held_on"])]

    def __str__(self):
        return self.title
