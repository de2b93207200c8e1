"""Report reminders: due soon and overdue, once per report and due date, in-app and by email."""

from datetime import date, timedelta

import pytest
from django.core import mail

from notifications.models import Notification
from projects.models import ProjectReport
from projects.tasks import remind_project_reports
from tests.factories import ProjectFactory

pytestmark = [pytest.mark.django_db, pytest.mark.demo("projects")]


@pytest.fixture
def quarter_report(places, user_named):
    """A Q1-2026 report of 济南市女性社会组织联合会, due 2026-04-10."""
    from orgs.models import SocialOrganization

    jinan_org = SocialOrganization.objects.get(name="济南市女性社会组织联合会")
    user_named("jinan-org").__class__.objects.filter(username="jinan-org").update(
        email="org@example.cn"
    )
    return ProjectFactory(funder=places.jinan, implementer=jinan_org).reports.get()


def notes():
    return Notification.objects.filter(user__username="jinan-org", key__contains=":")


def test_due_soon_is_reminded_once_even_when_the_task_runs_twice(
    quarter_report, django_capture_on_commit_callbacks
):
    ProjectReport.objects.exclude(pk=quarter_report.pk).update(status="approved")
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_project_reports("2026-04-05") == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert remind_project_reports("2026-04-05") == 0
    assert remind_project_reports("2026-04-06") == 0
    note = notes().get()
    assert note.title.startswith("报告将于")
    assert note.url == f"/portal/reports/{quarter_report.pk}/"
    assert len(mail.outbox) == 1


def test_overdue_is_reminded_once_more(quarter_report):
    ProjectReport.objects.exclude(pk=quarter_report.pk).update(status="approved")
    remind_project_reports("2026-04-05")
    assert remind_project_reports("2026-04-11") == 1
    assert remind_project_reports("2026-04-12") == 0
    assert {n.key.split(":")[0] for n in notes()} == {"report-due", "report-overdue"}


def test_nothing_before_the_period_ends_or_after_submission(quarter_report):
    ProjectReport.objects.exclude(pk=quarter_report.pk).update(status="approved")
    assert remind_project_reports("2026-03-30") == 0  # the quarter has not ended
    ProjectReport.objects.filter(pk=quarter_report.pk).update(status="submitted")
    assert remind_project_reports("2026-04-20") == 0


def test_a_new_due_date_is_a_new_reminder(quarter_report):
    ProjectReport.objects.exclude(pk=quarter_report.pk).update(status="approved")
    remind_project_reports("2026-04-05")
    quarter_report.period.due_on = date(2026, 4, 20)
    quarter_report.period.save()
    assert remind_project_reports(str(date(2026, 4, 20) - timedelta(days=2))) == 1


def test_the_notifications_page_and_the_unread_count(client, quarter_report, user_named):
    ProjectReport.objects.exclude(pk=quarter_report.pk).update(status="approved")
    remind_project_reports("2026-04-05")
    client.force_login(user_named("jinan-org"), backend="django.contrib.auth.backends.ModelBackend")
    page = client.get("/notifications/").content.decode()
    assert "报告将于" in page
    assert 'id="topbar-unread">1<' in page
    client.post("/notifications/read/")
    assert 'id="topbar-unread">0<' in client.get("/notifications/").content.decode()


def test_a_deactivated_account_is_never_told(db, django_capture_on_commit_callbacks):
    """One rule for every app's recipients: notify() itself leaves deactivated accounts out."""
    from accounts.models import User
    from notifications.models import Notification
    from notifications.services import notify

    gone = User.objects.create_user("left-us", email="left@example.cn", is_active=False)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert notify(user=gone, key="x:1", title="报告即将到期") is None
    assert not Notification.objects.filter(user=gone).exists() and callbacks == []
