"""Reminders about reports that are due soon or overdue; the notices of reports' and
applications' moves (projects.workflows)."""

from datetime import timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from federation.models import StaffMembership
from notifications.services import notify
from orgs.models import OrgMembership
from projects.choices import ProjectStatus, ReportStatus
from projects.models import Application, ProjectReport
from projects.workflows import FUNDER_STAFF

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


# event: (who is told, what)
REPORT_EVENTS = {
    "submitted": ("funder", gettext_noop("Report to review: %(project)s, %(period)s")),
    "approved": ("organization", gettext_noop("Report approved: %(project)s, %(period)s")),
    "returned": ("organization", gettext_noop("Report returned: %(project)s, %(period)s")),
}
APPLICATION_EVENTS = {
    "awarded": gettext_noop("Your application is awarded: %(project)s"),
    "not_awarded": gettext_noop("Your application was not chosen: %(project)s"),
}


def funder_staff(federation) -> list:
    memberships = (
        StaffMembership.objects.effective()
        .filter(federation=federation, role__in=FUNDER_STAFF)
        .select_related("user")
    )
    return list({membership.user for membership in memberships})


def tell_all(users, key, title, url) -> int:
    return sum(notify(user=user, key=key, title=title, url=url) is not None for user in users)


@shared_task
def notify_report_event(report_id: int, event: str) -> int:
    """Submitted: the funder's staff, who review it. Approved or returned: the organization."""
    report = ProjectReport.objects.select_related("project__funder", "period").get(pk=report_id)
    who, template = REPORT_EVENTS[event]
    with override("zh-hans"):
        title = _(template) % {"project": report.project.title, "period": report.period}
    if who == "funder":
        users = funder_staff(report.project.funder)
        url = reverse("admin:projects_projectreport_change", args=[report.pk])
    else:
        users = recipients_by_organization([report.project.implementer_id]).get(
            report.project.implementer_id, []
        )
        url = reverse("portal-report", args=[report.pk])
    # One notice per move: a report is submitted, returned and resubmitted more than once.
    key = f"report-{event}:{report.pk}:{report.transitions.count()}"
    return tell_all(users, key, title, url)


@shared_task
def notify_application_event(application_id: int, event: str) -> int:
    """The applying organization's staff hear whether their application won."""
    application = Application.objects.select_related("project").get(pk=application_id)
    with override("zh-hans"):
        title = _(APPLICATION_EVENTS[event]) % {"project": application.project.title}
    users = recipients_by_organization([application.organization_id]).get(
        application.organization_id, []
    )
    # The winner now carries the project out; the others see the open calls again.
    if event == "awarded":
        url = reverse("portal-project", args=[application.project_id])
    else:
        url = reverse("portal-calls")
    return tell_all(users, f"application-{event}:{application.pk}", title, url)
