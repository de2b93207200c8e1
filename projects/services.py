"""Workflow moves of projects, applications and reports: the only place they change state.

Each service checks who may act and what state allows it, runs in a transaction
with the row locked where two people can race, records who did it and when.
"""

from decimal import Decimal

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition, ServiceError
from core.workflow import locked
from projects.choices import ProcurementMode, ReportStatus
from projects.choices import ProjectStatus as S
from projects.models import (
    Application,
    Disbursement,
    Indicator,
    IndicatorValue,
    Project,
    ProjectReport,
    ProjectTransition,
    ReportAttachment,
    ReportingPeriod,
    ReportTransition,
    ReviewScore,
    StandardIndicator,
)
from projects.schedule import reporting_periods
from projects.workflows import (
    APPLICATION,
    FUNDER_STAFF,
    PROJECT,
    REPORT,
    require_funder_role,
    require_org_staff,
    status_move,
)


@transaction.atomic
def record_project_move(*, project, actor, name):
    from_status = PROJECT.advance(project, name)
    ProjectTransition.objects.create(
        project=project, from_status=from_status, to_status=project.status, actor=actor
    )
    project.save(update_fields=["status"])


# Projects -------------------------------------------------------------------------------


def project_create(*, actor, target_groups=(), areas_served=(), **fields) -> Project:
    """A draft project of a federation, with the standard indicators it inherits."""
    project = Project(**fields)
    require_funder_role(actor, project, FUNDER_STAFF)
    project.full_clean()
    with transaction.atomic():
        project.save()
        project.target_groups.set(target_groups)
        project.areas_served.set(areas_served)
        project_inherit_standard_indicators(project)
    return project


def project_inherit_standard_indicators(project) -> None:
    """Copy the funder's and its ancestors' standard indicators (target 0 until set)."""
    paths = [*project.funder.ancestor_paths(), project.funder.path]
    for standard in StandardIndicator.objects.filter(federation__path__in=paths):
        Indicator.objects.get_or_create(
            project=project,
            name=standard.name,
            defaults={
                "standard": standard,
                "unit": standard.unit,
                "kind": standard.kind,
                "cumulative": standard.cumulative,
                "target": Decimal("0"),
                "target_denominator": Decimal("0") if standard.kind == "percentage" else None,
            },
        )


def project_transition(*, actor, project, to_status, name=None) -> Project:
    """Set the status, by the move of projects.workflows.PROJECT that leads there (and only
    by the move `name`, when the admin's action for it asks)."""
    with transaction.atomic():
        project = locked(project)
        move = status_move(project.status, to_status)
        if move is None or name not in (None, move.name):
            raise InvalidTransition(
                _("A project that is “%(from)s” cannot become “%(to)s”.")
                % {"from": project.get_status_display(), "to": S(to_status).label}
            )
        PROJECT.guard(move.name, actor, project)
        record_project_move(project=project, actor=actor, name=move.name)
    return project


def project_award(*, actor, project, organization=None, application=None) -> Project:
    """Award a project: to the best application after review, or directly when commissioned.
    Awarding an application while its call is still open closes the call for review first."""
    with transaction.atomic():
        project = locked(project)
        PROJECT.require_party(PROJECT.move("award"), actor, project)
        # A commissioned project is awarded from its draft, any other after review; awarding
        # an application while its call is open closes the call for review first.
        commissioned = project.procurement_mode == ProcurementMode.COMMISSION
        closing_the_call = application is not None and project.status == S.CALL_OPEN
        if project.status != (S.DRAFT if commissioned else S.UNDER_REVIEW) and not closing_the_call:
            raise InvalidTransition(
                _(
                    "A project that is “%(status)s” cannot be awarded: a call is awarded to one "
                    "of its applications while it is open or under review, a commissioned "
                    "project from its draft."
                )
                % {"status": project.get_status_display()}
            )
        if closing_the_call:
            PROJECT.guard("review", actor, project)
            record_project_move(project=project, actor=actor, name="review")
        PROJECT.guard("award", actor, project)
        if application is not None:
            application = locked(application)
            if application.project_id != project.pk:
                raise ServiceError(_("Choose a submitted application to this project."))
            application_award(actor=actor, application=application)
            organization = application.organization
        if organization is None:
            raise ServiceError(_("Choose the organization that will carry out the project."))
        project.implementer = organization
        project.save(update_fields=["implementer"])
        record_project_move(project=project, actor=actor, name="award")
        project_generate_schedule(project)
    return project


def project_generate_schedule(project) -> list[ReportingPeriod]:
    """The reporting periods, each with its (empty) report, from the period and frequency."""
    periods = []
    for starts_on, ends_on, due_on in reporting_periods(
        project.period_start, project.period_end, project.reporting_frequency
    ):
        period, _created = ReportingPeriod.objects.get_or_create(
            project=project, starts_on=starts_on, defaults={"ends_on": ends_on, "due_on": due_on}
        )
        ProjectReport.objects.get_or_create(project=project, period=period)
        periods.append(period)
    return periods


def disbursement_add(*, actor, project, amount, paid_on, note="") -> Disbursement:
    with transaction.atomic():
        project = locked(project)
        require_funder_role(actor, project, FUNDER_STAFF)
        if amount <= 0:
            raise ServiceError(_("A disbursement must be more than zero."))
        paid = project.disbursements.aggregate(total=Sum("amount"))["total"] or Decimal("0")
        if paid + amount > project.budget:
            raise ServiceError(_("This tranche would pay out more than the budget."))
        return Disbursement.objects.create(
            project=project, amount=amount, paid_on=paid_on, note=note
        )


# Applications ---------------------------------------------------------------------------


def application_submit(
    *, actor, project, organization, proposal, requested_amount, proposal_document=None
) -> Application:
    """The organization applies to an open call, with its 申报书 when the form asks for one."""
    require_org_staff(actor, getattr(organization, "pk", None))
    with transaction.atomic():
        project = locked(project)
        if project.status != S.CALL_OPEN:
            raise InvalidTransition(_("This call is not open for applications."))
        if requested_amount < 0 or requested_amount > project.budget:
            raise ServiceError(_("The requested amount must lie between zero and the budget."))
        if project.applications.filter(organization=organization).exists():
            raise ServiceError(_("Your organization has already applied to this call."))
        application = Application(
            project=project,
            organization=organization,
            proposal=proposal,
            requested_amount=requested_amount,
            submitted_by=actor,
        )
        if proposal_document:
            application.proposal_document_name = proposal_document.name[:200]
            application.proposal_document.save(
                proposal_document.name, proposal_document, save=False
            )
        application.save()
        return application


def application_withdraw(*, actor, application) -> Application:
    """The organization takes its application back while the call is still open."""
    with transaction.atomic():
        application = locked(application)
        APPLICATION.guard("withdraw", actor, application)
        if application.project.status != S.CALL_OPEN:
            raise InvalidTransition(
                _("An application can be withdrawn only while the call is open.")
            )
        APPLICATION.advance(application, "withdraw")
        application.save(update_fields=["status"])
    return application


def application_reject(*, actor, application) -> Application:
    """The funder decides against one application (未中选); its organization is told."""
    return APPLICATION.make("not-awarded", actor=actor, record=application)


@transaction.atomic
def application_award(*, actor, application) -> Application:
    """The application wins (inside project_award, which has locked both); the others
    submitted to the call do not."""
    APPLICATION.guard("award", actor, application)
    losing_move = APPLICATION.move("not-awarded")
    losing = application.project.applications.exclude(pk=application.pk).filter(
        status__in=losing_move.sources
    )
    for other in losing:
        APPLICATION.announce(other, losing_move)
    losing.update(status=losing_move.target)
    APPLICATION.advance(application, "award")
    application.save(update_fields=["status"])
    return application


def application_score(*, actor, application, criterion, score, comment="") -> ReviewScore:
    project = Project.objects.get(pk=application.project_id)  # its present state
    require_funder_role(actor, project, FUNDER_STAFF)
    if project.status != S.UNDER_REVIEW:
        raise InvalidTransition(_("Applications are scored while the project is under review."))
    if not 0 <= score <= 100:
        raise ServiceError(_("A score lies between 0 and 100."))
    review, _created = ReviewScore.objects.update_or_create(
        application=application,
        reviewer=actor,
        criterion=criterion,
        defaults={"score": score, "comment": comment},
    )
    return review


# Reports --------------------------------------------------------------------------------


def record_report_move(*, report, actor, name, target=None, comment=""):
    from_status = REPORT.advance(report, name, target)
    ReportTransition.objects.create(
        report=report,
        from_status=from_status,
        to_status=report.status,
        actor=actor,
        comment=comment,
    )


def report_save(*, actor, report, values=None, **fields) -> ProjectReport:
    """Save the organization's draft: figures, narrative and indicator values."""
    values = values or {}
    with transaction.atomic():
        report = locked(report)
        REPORT.guard("edit", actor, report)
        for name, value in fields.items():
            setattr(report, name, value)
        report.full_clean(exclude=["project", "period"])
        report.save()
        save_indicator_values(report, values)
    return report


def save_indicator_values(report, values: dict) -> None:
    """values: {indicator: (value, denominator or None)}."""
    for indicator, (value, denominator) in values.items():
        if indicator.project_id != report.project_id:
            # Worded like the API's answer to an id that does not exist: it tells nothing.
            raise ServiceError(_("Choose an indicator of this report's project."))
        if value is None:
            continue
        if value < 0 or (denominator is not None and denominator < 0):
            raise ServiceError(_("Indicator values cannot be negative."))
        if indicator.kind == "percentage" and denominator is None:
            raise ServiceError(
                _("“%(name)s” is a percentage: give the numerator and the denominator.")
                % {"name": indicator.name}
            )
        IndicatorValue.objects.update_or_create(
            report=report,
            indicator=indicator,
            defaults={"value": value, "denominator": denominator},
        )


def report_attach(*, actor, report, upload) -> ReportAttachment:
    REPORT.guard("edit", actor, report)
    checked = ReportAttachment._meta.get_field("file").policy.check(upload)
    return ReportAttachment.objects.create(
        report=report,
        file=checked,
        original_name=upload.name[:200],
        content_type=checked.content_type,
        size=checked.size,
        uploaded_by=actor,
    )


def report_submit(*, actor, report) -> ProjectReport:
    with transaction.atomic():
        report = locked(report)
        REPORT.guard("submit", actor, report)
        first_time = report.status == ReportStatus.DRAFT
        if report.project.status not in {S.IN_PROGRESS, S.FINAL_REPORT, S.AWARDED}:
            raise InvalidTransition(_("The project is not taking reports now."))
        now = timezone.now()
        if report.first_submitted_at is None:
            report.first_submitted_at = now
            report.on_time = timezone.localdate(now) <= report.period.due_on
        target = ReportStatus.SUBMITTED if first_time else ReportStatus.RESUBMITTED
        record_report_move(report=report, actor=actor, name="submit", target=target)
        report.save()
    return report


def report_review(*, actor, report, approve: bool, comment="") -> ProjectReport:
    """Approve, or return with comments. Two reviewers at once: the first wins."""
    name = "approve" if approve else "return"
    with transaction.atomic():
        report = locked(report)
        REPORT.guard(name, actor, report, reason=comment)
        if approve:
            report.approved_at = timezone.now()
        # The latest review's words: an approval does not keep showing an old return's.
        report.reviewer_comment = comment
        record_report_move(report=report, actor=actor, name=name, comment=comment)
        report.save()
    return report
