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
