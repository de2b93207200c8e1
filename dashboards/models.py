"""Large dashboard exports run in Celery: the request creates one, the page follows its progress."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.uploads import SERVER_EXPORTS, PolicyFileField
from dashboards.choices import ExportStatus


class DashboardExportQuerySet(models.QuerySet):
    def of_user(self, user):
        """Her own exports: nobody else's workbook is served to her."""
        return self.filter(user=user)


class DashboardExport(models.Model):
    """A workbook of a node and every level below it, made in the background."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="+"
    )
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    start = models.DateField(pgettext_lazy("date window", "from"))
    end = models.DateField(pgettext_lazy("date window", "until"))
    status = models.CharField(
        _("status"), max_length=16, choices=ExportStatus.choices, default=ExportStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # Private like every file: served by a view that checks the export is the user's.
    file = PolicyFileField(
        _("file"), upload_to="exports/%Y/%m/", blank=True, policy=SERVER_EXPORTS.name
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = DashboardExportQuerySet.as_manager()

    class Meta:
        verbose_name = _("dashboard export")
        verbose_name_plural = _("dashboard exports")

    def __str__(self):
        return f"{self.federation} {self.start}~{self.end}"


class NumericField(models.DecimalField):
    """PostgreSQL's numeric without precision or scale: a sum keeps its facts' scale (¥1.50
    stays 1.50) and an average's share its full precision."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, max_digits=None, decimal_places=None, **kwargs)

    def _check_decimal_places(self):
        return []

    def _check_max_digits(self):
        return []

    def _check_decimal_places_and_max_digits(self, **kwargs):
        return []

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_digits", None)
        kwargs.pop("decimal_places", None)
        return name, path, args, kwargs

    def db_type(self, connection):
        return "numeric"


class Rollup(models.Model):
    """A dashboard figure of a node's whole subtree for a day, a month, or now (a snapshot),
    kept by triggers in the transaction that changes the facts (dashboards/rollup_sql.py).
    Only nodes down to the county have them; a figure without a row is zero."""

    class Grain(models.TextChoices):
        SNAPSHOT = "s", _("now")
        MONTH = "m", _("month")
        DAY = "d", _("day")
        # the first-response minutes' histogram, kept apart from the other figures
        MONTH_OF_MINUTES = "M", _("month (minutes)")
        DAY_OF_MINUTES = "D", _("day (minutes)")

    # No index of its own: the key's index begins with it (a second one misled the planner
    # into reading all of a node's rows, every day of them).
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
    )
    figure = models.CharField(_("figure"), max_length=80)
    grain = models.CharField(_("grain"), max_length=1, choices=Grain.choices)
    period = models.DateField(_("period"), null=True, blank=True)
    value = NumericField(_("value"))

    class Meta:
        verbose_name = _("roll-up")
        verbose_name_plural = _("roll-ups")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "grain", "period", "figure"],
                name="rollup_key",
                nulls_distinct=False,
            )
        ]
        # A few figures of a node (the children's ranking, the follow-ups) without its others.
        indexes = [
            models.Index(
                fields=["federation", "figure", "grain", "period"], name="rollup_by_figure"
            )
        ]

    def __str__(self):
        return f"{self.federation_id} {self.figure} {self.grain}{self.period or ''}"


class VolunteerYear(models.Model):
    """A volunteer's confirmed hours and services in a calendar year (of the opportunity's
    start), kept by the same triggers as Rollup: the hours rankings read the top of it."""

    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours = NumericField(_("hours"))
    times = models.IntegerField(_("times"))

    class Meta:
        verbose_name = _("volunteer's year")
        verbose_name_plural = _("volunteers' years")
        constraints = [
            models.UniqueConstraint(fields=["volunteer", "year"], name="volunteer_year_key")
        ]
        indexes = [models.Index("year", models.F("hours").desc(), name="volunteer_year_ranking")]

    def __str__(self):
        return f"{self.volunteer_id} {self.year}"
