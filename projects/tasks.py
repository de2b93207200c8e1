"""Reminders about reports that are due soon or overdue."""

from datetime import timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import notify
from orgs.models import OrgMembership
from projects.choices import ProjectStatus, ReportStatus
from projects.models import ProjectReport

# Reports due within this many days are reminded.
DUE_SOON_DAYS = 7


def reports_to_remind(today):
    return ProjectReport.objects.filter(
        status__in=[ReportStatus.DRAFT, ReportStatus.RETURNED],
        project__status__in=[ProjectStatus.IN_PROGRESS, ProjectStatus.FINAL_REPORT],
        period__ends_on__lt=today,  # a period is reported on once it has ended
        period__due_on__lte=today + timedelta(days=DUE_SOON_DAYS),
    ).select_related("project", "period")


def recipients_by_organization(organization_ids) -> dict[int, list]:
    memberships = (
        OrgMembership.objects.effective()
        .filter(organization_id__in=organization_ids)
        .select_related("user")
    )
    recipients: dict[int, list] = {}
    for membership in memberships:
        recipients.setdefault(membership.organization_id, []).append(membership.user)
    return recipients


@shared_task
def remind_project_reports(today_iso: str | None = None) -> int:
    """Tell the implementing organization's staff, once per report and due date."""
    today = (
        timezone.localdate()
        if today_iso is None
        else timezone.datetime.fromisoformat(today_iso).date()
    )
    reports = list(reports_to_remind(today))
    recipients = recipients_by_organization({report.project.implementer_id for report in reports})
    sent = 0
    with override("zh-hans"):
        for report in reports:
            overdue = report.period.due_on < today
            kind = "overdue" if overdue else "due"
            title = (
                _("Overdue report: %(project)s, %(period)s")
                if overdue
                else _("Report due on %(due)s: %(project)s, %(period)s")
            ) % {
                "project": report.project.title,
                "period": report.period,
                "due": report.period.due_on,
            }
            for user in recipients.get(report.project.implementer_id, []):
                created = notify(
                    user=user,
                    key=f"report-{kind}:{report.pk}:{report.period.due_on:%Y-%m-%d}",
                    title=title,
                    url=reverse("portal-report", args=[report.pk]),
                )
                sent += created is not None
    return sent
