"""Projects, applications and reports: every transition, allowed and forbidden, and bad input."""

import threading
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from core.errors import InvalidTransition, NotAllowed, ServiceError
from orgs.models import ServiceDomain, SocialOrganization
from projects import services
from projects.choices import ProjectStatus as S
from projects.choices import ReportStatus as R
from projects.models import Indicator, Project, ProjectReport, StandardIndicator
from projects.schedule import reporting_periods
from projects.workflows import status_move
from tests.upload_files import png_bytes

pytestmark = [pytest.mark.django_db, pytest.mark.demo("projects")]


def org(name):
    return SocialOrganization.objects.get(name=name)


@pytest.fixture
def jinan_org(demo):
    return org("济南市女性社会组织联合会")


@pytest.fixture
def new_project(places, user_named):
    def make(**overrides):
        fields = {
            "code": f"JN-{Project.objects.count() + 1:04d}",
            "title": "巾帼暖“新”服务项目",
            "funder": places.jinan,
            "domain": ServiceDomain.objects.get(code="employment"),
            "procurement_mode": "venture",
            "budget": Decimal("200000.00"),
            "period_start": date(2026, 1, 1),
            "period_end": date(2026, 12, 31),
            "reporting_frequency": "quarter",
            **overrides,
        }
        return services.project_create(actor=user_named("jinan"), **fields)

    return make


@pytest.fixture
def running(new_project, user_named, jinan_org):
    """A commissioned project in progress, carried out by 济南市女性社会组织联合会."""
    project = new_project(procurement_mode="commission")
    Indicator.objects.create(
        project=project, name="培训人次", unit="人次", kind="count", target=300
    )
    services.project_award(actor=user_named("jinan"), project=project, organization=jinan_org)
    return services.project_transition(
        actor=user_named("jinan"), project=project, to_status=S.IN_PROGRESS
    )


def first_report(project) -> ProjectReport:
    return project.reports.order_by("period__starts_on").first()


# The schedule -------------------------------------------------------------------------


def test_quarterly_schedule_is_calendar_quarters_clipped_to_the_period():
    periods = list(reporting_periods(date(2026, 2, 15), date(2026, 11, 30), "quarter"))
    assert [(p[0], p[1]) for p in periods] == [
        (date(2026, 2, 15), date(2026, 3, 31)),
        (date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 7, 1), date(2026, 9, 30)),
        (date(2026, 10, 1), date(2026, 11, 30)),
    ]
    assert periods[0][2] == date(2026, 4, 10)


@pytest.mark.parametrize(("frequency", "count"), [("month", 12), ("half_year", 2), ("year", 1)])
def test_other_frequencies(frequency, count):
    assert len(list(reporting_periods(date(2026, 1, 1), date(2026, 12, 31), frequency))) == count


def test_award_draws_up_the_schedule_with_a_report_per_period(running):
    assert running.periods.count() == 4
    assert running.reports.filter(status=R.DRAFT).count() == 4


def test_projects_inherit_the_standard_indicators_of_the_federations_above(places, new_project):
    # The demo gives 山东省妇联 four standard indicators; 济南 adds one, 东营 another.
    StandardIndicator.objects.create(
        federation=places.jinan, name="新就业女性服务人次", unit="人次", kind="count"
    )
    StandardIndicator.objects.create(
        federation=places.dongying, name="别处", unit="次", kind="count"
    )
    project = new_project()
    assert set(project.indicators.values_list("name", flat=True)) == {
        "活动场次",
        "服务人次",
        "受益妇女",
        "新就业女性服务人次",
    }
    assert all(indicator.standard_id for indicator in project.indicators.all())


# Project transitions -------------------------------------------------------------------

ALL_STATES = list(S)
# What "set status" may do (the award has its own service), written out independently of
# projects.workflows.PROJECT, which must agree.
STATUS_MOVES = {
    (S.DRAFT, S.CALL_OPEN),
    (S.CALL_OPEN, S.UNDER_REVIEW),
    (S.AWARDED, S.IN_PROGRESS),
    (S.IN_PROGRESS, S.FINAL_REPORT),
    (S.FINAL_REPORT, S.EVALUATED),
    (S.EVALUATED, S.CLOSED),
    (S.IN_PROGRESS, S.SUSPENDED),
    (S.SUSPENDED, S.IN_PROGRESS),
    *(
        (state, S.TERMINATED)
        for state in (
            S.DRAFT,
            S.CALL_OPEN,
            S.UNDER_REVIEW,
            S.AWARDED,
            S.IN_PROGRESS,
            S.SUSPENDED,
            S.FINAL_REPORT,
        )
    ),
}


@pytest.mark.parametrize("to_status", ALL_STATES)
@pytest.mark.parametrize("from_status", ALL_STATES)
def test_every_project_transition(new_project, user_named, from_status, to_status):
    project = new_project()
    Project.objects.filter(pk=project.pk).update(status=from_status)
    project.refresh_from_db()
    allowed = (from_status, to_status) in STATUS_MOVES
    assert allowed == (status_move(from_status, to_status) is not None)
    if allowed:
        services.project_transition(actor=user_named("jinan"), project=project, to_status=to_status)
        project.refresh_from_db()
        assert project.status == to_status
        assert project.transitions.get().actor.username == "jinan"
    else:
        with pytest.raises(InvalidTransition):
            services.project_transition(
                actor=user_named("jinan"), project=project, to_status=to_status
            )
        project.refresh_from_db()
        assert project.status == from_status


def test_only_the_funders_staff_move_a_project(new_project, user_named):
    project = new_project()
    for outsider in ("huaiyin", "dongying", "jinan-org"):
        with pytest.raises(NotAllowed):
            services.project_transition(
                actor=user_named(outsider), project=project, to_status=S.CALL_OPEN
            )
    assert Project.objects.get(pk=project.pk).status == S.DRAFT
    services.project_transition(
        actor=user_named("shandong"), project=project, to_status=S.CALL_OPEN
    )


def test_call_application_review_and_award(new_project, user_named, demo):
    project = new_project()
    jinan = user_named("jinan")
    services.project_transition(actor=jinan, project=project, to_status=S.CALL_OPEN)
    application = services.application_submit(
        actor=user_named("jinan-org"),
        project=project,
        organization=org("济南市女性社会组织联合会"),
        proposal="面向新就业群体女性的服务方案",
        requested_amount=Decimal("180000"),
    )
    with pytest.raises(ServiceError):  # twice
        services.application_submit(
            actor=user_named("jinan-org"),
            project=project,
            organization=org("济南市女性社会组织联合会"),
            proposal="again",
            requested_amount=Decimal("1"),
        )
    with pytest.raises(InvalidTransition):  # scoring waits for the review
        services.application_score(
            actor=jinan, application=application, criterion="design", score=80
        )
    services.project_transition(actor=jinan, project=project, to_status=S.UNDER_REVIEW)
    with pytest.raises(InvalidTransition):  # the call has closed
        services.application_submit(
            actor=user_named("dongying-org"),
            project=project,
            organization=org("东营区希望心理咨询服务中心"),
            proposal="late",
            requested_amount=Decimal("1"),
        )
    services.application_score(actor=jinan, application=application, criterion="design", score=88)
    with pytest.raises(ServiceError):
        services.application_score(
            actor=jinan, application=application, criterion="budget", score=101
        )
    services.project_award(actor=jinan, project=project, application=application)
    project.refresh_from_db()
    application.refresh_from_db()
    assert (project.status, project.implementer.name) == (S.AWARDED, "济南市女性社会组织联合会")
    assert application.status == "awarded"
    with pytest.raises(InvalidTransition):
        services.project_award(actor=jinan, project=project, application=application)


def test_an_organization_applies_only_for_itself(new_project, user_named, demo):
    project = new_project()
    services.project_transition(actor=user_named("jinan"), project=project, to_status=S.CALL_OPEN)
    with pytest.raises(NotAllowed):
        services.application_submit(
            actor=user_named("jinan-org"),
            project=project,
            organization=org("东营区希望心理咨询服务中心"),
            proposal="x",
            requested_amount=Decimal("1"),
        )


def test_disbursements_stay_within_the_budget(running, user_named):
    services.disbursement_add(
        actor=user_named("jinan"),
        project=running,
        amount=Decimal("150000"),
        paid_on=date(2026, 2, 1),
    )
    with pytest.raises(ServiceError):
        services.disbursement_add(
            actor=user_named("jinan"),
            project=running,
            amount=Decimal("50000.01"),
            paid_on=date(2026, 6, 1),
        )
    assert running.disbursements.count() == 1


# Report transitions --------------------------------------------------------------------


def test_report_draft_submit_return_resubmit_approve(running, user_named):
    org_user, reviewer = user_named("jinan-org"), user_named("jinan")
    indicator = running.indicators.get(name="培训人次")
    report = services.report_save(
        actor=org_user,
        report=first_report(running),
        narrative="开展汽车故障速解工坊",
        activities_held=3,
        women_served=45,
        spending=Decimal("12000.50"),
        values={indicator: (Decimal("45"), None)},
    )
    assert report.status == R.DRAFT
    report = services.report_submit(actor=org_user, report=report)
    assert report.status == R.SUBMITTED and report.on_time is not None
    report = services.report_review(
        actor=reviewer, report=report, approve=False, comment="请补充签到表"
    )
    assert (report.status, report.reviewer_comment) == (R.RETURNED, "请补充签到表")
    report = services.report_save(actor=org_user, report=report, women_served=46)
    report = services.report_submit(actor=org_user, report=report)
    assert report.status == R.RESUBMITTED
    report = services.report_review(actor=reviewer, report=report, approve=True)
    assert report.status == R.APPROVED and report.is_locked
    history = list(report.transitions.values_list("to_status", "actor__username"))
    assert history == [
        (R.SUBMITTED, "jinan-org"),
        (R.RETURNED, "jinan"),
        (R.RESUBMITTED, "jinan-org"),
        (R.APPROVED, "jinan"),
    ]


@pytest.mark.parametrize("status", [R.SUBMITTED, R.RESUBMITTED, R.APPROVED])
def test_a_report_out_of_the_organizations_hands_cannot_be_edited(running, user_named, status):
    report = first_report(running)
    ProjectReport.objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        services.report_save(actor=user_named("jinan-org"), report=report, narrative="改")
    assert ProjectReport.objects.get(pk=report.pk).narrative == ""


@pytest.mark.parametrize("status", [R.SUBMITTED, R.RESUBMITTED, R.APPROVED])
def test_cannot_submit_twice(running, user_named, status):
    report = first_report(running)
    ProjectReport.objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        services.report_submit(actor=user_named("jinan-org"), report=report)


@pytest.mark.parametrize("status", [R.DRAFT, R.RETURNED, R.APPROVED])
@pytest.mark.parametrize("approve", [True, False])
def test_only_submitted_reports_are_reviewed(running, user_named, status, approve):
    report = first_report(running)
    ProjectReport.objects.filter(pk=report.pk).update(status=status)
    with pytest.raises(InvalidTransition):
        services.report_review(
            actor=user_named("jinan"), report=report, approve=approve, comment="x"
        )
    assert ProjectReport.objects.get(pk=report.pk).status == status


def test_roles_on_reports(running, user_named):
    report = first_report(running)
    for outsider in ("jinan", "dongying-org", "huaiyin"):
        with pytest.raises(NotAllowed):
            services.report_submit(actor=user_named(outsider), report=report)
    report = services.report_submit(actor=user_named("jinan-org"), report=report)
    for outsider in ("jinan-org", "huaiyin", "dongying"):
        with pytest.raises(NotAllowed):
            services.report_review(actor=user_named(outsider), report=report, approve=True)


def test_returning_needs_a_comment(running, user_named):
    report = services.report_submit(actor=user_named("jinan-org"), report=first_report(running))
    with pytest.raises(ServiceError):
        services.report_review(actor=user_named("jinan"), report=report, approve=False, comment=" ")
    assert ProjectReport.objects.get(pk=report.pk).status == R.SUBMITTED


def test_bad_report_input_changes_nothing(running, user_named, demo):
    from django.core.exceptions import ValidationError

    org_user = user_named("jinan-org")
    report = first_report(running)
    with pytest.raises(ValidationError):
        services.report_save(
            actor=org_user, report=report, spending=Decimal("-1"), narrative="负数"
        )
    other_project = Project.objects.create(
        code="X-1",
        title="别的项目",
        funder=running.funder,
        domain=running.domain,
        procurement_mode="commission",
        budget=1,
        period_start=date(2026, 1, 1),
        period_end=date(2026, 2, 1),
    )
    foreign = Indicator.objects.create(
        project=other_project, name="外", unit="次", kind="count", target=1
    )
    with pytest.raises(ServiceError):
        services.report_save(
            actor=org_user, report=report, narrative="外", values={foreign: (Decimal(1), None)}
        )
    report.refresh_from_db()
    assert (report.narrative, report.spending, report.values.count()) == ("", Decimal("0"), 0)


def test_a_report_for_a_project_not_ones_own_is_refused(running, user_named):
    with pytest.raises(NotAllowed):
        services.report_save(
            actor=user_named("dongying-org"), report=first_report(running), narrative="x"
        )


@pytest.mark.parametrize(
    ("name", "content", "size"),
    [
        ("virus.exe", b"MZ\x90\x00", None),
        ("huge.pdf", b"%PDF-1.7", 30 * 1024 * 1024),
        ("fake.pdf", b"MZ\x90\x00 not a pdf", None),
    ],
)
def test_bad_attachments_are_refused(running, user_named, name, content, size):
    upload = SimpleUploadedFile(name, content)
    if size:
        upload.size = size
    with pytest.raises(ServiceError) as error:
        services.report_attach(
            actor=user_named("jinan-org"), report=first_report(running), upload=upload
        )
    assert error.value.message
    assert first_report(running).attachments.count() == 0


def test_a_photo_is_attached(running, user_named, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("签到表.png", png_bytes())
    attachment = services.report_attach(
        actor=user_named("jinan-org"), report=first_report(running), upload=upload
    )
    assert attachment.content_type == "image/png"
    assert attachment.original_name == "签到表.png"


# Two reviewers at once -----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_at_once_exactly_one_wins(running, user_named, places):
    from accounts.models import User
    from federation.models import StaffMembership

    report = services.report_submit(actor=user_named("jinan-org"), report=first_report(running))
    second = User.objects.create_user("jinan-officer", password="x")
    StaffMembership.objects.create(user=second, federation=places.jinan, role="project_officer")
    barrier = threading.Barrier(2)
    outcomes = []

    def review(username, approve):
        try:
            barrier.wait()
            services.report_review(
                actor=User.objects.get(username=username),
                report=report,
                approve=approve,
                comment="请修改",
            )
            outcomes.append("won")
        except InvalidTransition:
            outcomes.append("lost")
        finally:
            connection.close()  # each thread has its own database connection

    threads = [
        threading.Thread(target=review, args=args)
        for args in (("jinan", True), ("jinan-officer", False))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["lost", "won"]
    report.refresh_from_db()
    assert report.transitions.filter(to_status__in=[R.APPROVED, R.RETURNED]).count() == 1


def test_a_period_outside_the_project_is_refused(running):
    from django.core.exceptions import ValidationError

    from projects.models import ReportingPeriod

    period = ReportingPeriod(
        project=running,
        starts_on=date(2027, 1, 1),
        ends_on=date(2027, 3, 31),
        due_on=date(2027, 4, 10),
    )
    with pytest.raises(ValidationError) as error:
        period.full_clean()
    assert "项目执行期" in str(error.value)


def test_only_approved_reports_count_and_pending_are_shown_apart(running, user_named):
    from projects.selectors import report_totals

    org_user, reviewer = user_named("jinan-org"), user_named("jinan")
    first, second, third = running.reports.order_by("period__starts_on")[:3]
    for report, women in ((first, 10), (second, 20), (third, 40)):
        services.report_save(
            actor=org_user, report=report, women_served=women, spending=Decimal("100")
        )
    services.report_submit(actor=org_user, report=first)
    services.report_review(actor=reviewer, report=first, approve=True)
    services.report_submit(actor=org_user, report=second)  # pending; the third stays a draft
    totals = report_totals(running.reports.all())
    assert totals["approved"]["women_served"] == 10
    assert totals["pending"]["women_served"] == 20
    assert totals["approved"]["spending"] == Decimal("100")


@pytest.mark.parametrize("status", [R.SUBMITTED, R.RESUBMITTED])
@pytest.mark.parametrize(("approve", "expected"), [(True, R.APPROVED), (False, R.RETURNED)])
def test_every_allowed_review(running, user_named, status, approve, expected):
    report = first_report(running)
    ProjectReport.objects.filter(pk=report.pk).update(status=status)
    report = services.report_review(
        actor=user_named("jinan"), report=report, approve=approve, comment="意见"
    )
    assert report.status == expected
    assert report.transitions.get().from_status == status


def test_an_application_is_withdrawn_only_while_the_call_is_open(new_project, user_named, demo):
    project = new_project()
    jinan = user_named("jinan")
    services.project_transition(actor=jinan, project=project, to_status=S.CALL_OPEN)
    application = services.application_submit(
        actor=user_named("jinan-org"),
        project=project,
        organization=org("济南市女性社会组织联合会"),
        proposal="方案",
        requested_amount=Decimal("1000"),
    )
    with pytest.raises(NotAllowed):
        services.application_withdraw(actor=user_named("dongying-org"), application=application)
    assert (
        services.application_withdraw(actor=user_named("jinan-org"), application=application).status
        == "withdrawn"
    )
    with pytest.raises(InvalidTransition):
        services.application_withdraw(actor=user_named("jinan-org"), application=application)
    with pytest.raises(ServiceError):  # a withdrawn application cannot win the award
        services.project_transition(actor=jinan, project=project, to_status=S.UNDER_REVIEW)
        services.project_award(actor=jinan, project=project, application=application)
