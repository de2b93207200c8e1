"""The large export: the node's dashboard and, level by level, every federation below it."""

from celery import shared_task
from django.core.files.base import ContentFile
from django.utils import timezone

from dashboards.choices import ExportStatus
from dashboards.exports import large_workbook
from dashboards.models import DashboardExport


@shared_task
def run_dashboard_export(export_id: int) -> str:
    export = DashboardExport.objects.select_related("federation").get(pk=export_id)
    export.status = ExportStatus.RUNNING
    export.save(update_fields=["status"])

    def advance(percent):
        DashboardExport.objects.filter(pk=export_id).update(progress=percent)

    try:
        content = large_workbook(export.federation, export.start, export.end, advance)
    except Exception:
        DashboardExport.objects.filter(pk=export_id).update(status=ExportStatus.FAILED)
        raise
    export.refresh_from_db()
    export.file.save(
        f"export-{export.pk}.xlsx",
        ContentFile(content),
        save=False,  # its name is given at download
    )
    export.status, export.progress, export.finished_at = ExportStatus.DONE, 100, timezone.now()
    export.save()
    return export.status
