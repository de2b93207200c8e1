"""The moves of a project, of an application to its call and of a periodic report, and who plays
which part in them.

Read by projects.services (which guards and records with it), the portal's report page, the
API's actions and the admin's actions and review form: see core.workflow.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.errors import NotAllowed
from core.scoping import has_role_at, require_staff_of
from core.workflow import Move, Process
from federation.choices import Role
from projects.choices import ApplicationStatus, ProjectStatus, ReportStatus

FUNDER_STAFF = (Role.ADMIN, Role.PROJECT_OFFICER)
FUNDER_ADMIN = (Role.ADMIN,)
S = ProjectStatus
A = ApplicationStatus
R = ReportStatus


def require_funder_role(actor, project, roles):
    if not has_role_at(actor, project.funder, roles):
        raise NotAllowed(_("Your role at the funding federation does not allow this."))


IMPLEMENTERS_ONLY = gettext_lazy("Only the implementing organization's staff may do this.")


def require_org_staff(actor, organization_id):
    require_staff_of(actor, organization_id, IMPLEMENTERS_ONLY)


# The project ------------------------------------------------------------------------------

PROJECT = Process(
    name="project",
    states=ProjectStatus,
    initial=(S.DRAFT,),
    parties={
        "funder_staff": lambda actor, project: require_funder_role(actor, project, FUNDER_STAFF),
        "funder_admin": lambda actor, project: require_funder_role(actor, project, FUNDER_ADMIN),
    },
    moves=[
        Move(
            "open-call",
            gettext_lazy("Open the call"),
            frozenset({S.DRAFT}),
            (S.CALL_OPEN,),
            ("funder_staff",),
        ),
        Move(
            "review",
            gettext_lazy("Close the call and review"),
            frozenset({S.CALL_OPEN}),
            (S.UNDER_REVIEW,),
            ("funder_staff",),
        ),
        # After review, or at once when the project is commissioned (the service checks which).
        Move(
            "award",
            gettext_lazy("Award"),
            frozenset({S.DRAFT, S.UNDER_REVIEW}),
            (S.AWARDED,),
            ("funder_staff",),
        ),
        Move(
            "start",
            gettext_lazy("Start the work"),
            frozenset({S.AWARDED}),
            (S.IN_PROGRESS,),
            ("funder_staff",),
        ),
        Move(
            "final-report",
            gettext_lazy("Ask for the final report"),
            frozenset({S.IN_PROGRESS}),
            (S.FINAL_REPORT,),
            ("funder_staff",),
        ),
        Move(
            "evaluate",
            gettext_lazy("Evaluate"),
            frozenset({S.FINAL_REPORT}),
            (S.EVALUATED,),
            ("funder_staff",),
        ),
        Move(
            "close",
            pgettext_lazy("project", "Close"),
            frozenset({S.EVALUATED}),
            (S.CLOSED,),
            ("funder_staff",),
        ),
        Move(
            "suspend",
            gettext_lazy("Suspend"),
            frozenset({S.IN_PROGRESS}),
            (S.SUSPENDED,),
            ("funder_admin",),
        ),
        Move(
            "resume",
            pgettext_lazy("project", "Resume"),
            frozenset({S.SUSPENDED}),
            (S.IN_PROGRESS,),
            ("funder_admin",),
        ),
        Move(
            "terminate",
            gettext_lazy("Terminate"),
            frozenset(
                {
                    S.DRAFT,
                    S.CALL_OPEN,
                    S.UNDER_REVIEW,
                    S.AWARDED,
                    S.IN_PROGRESS,
                    S.SUSPENDED,
                    S.FINAL_REPORT,
                }
            ),
            (S.TERMINATED,),
            ("funder_admin",),
            confirm=True,
        ),
    ],
)

# Moves with a service of their own (the award picks the implementer and draws up the
# schedule); the rest only change the status, and the admin offers them as actions.
OWN_SERVICE = frozenset({"award"})


def status_move(source, target) -> Move | None:
    """The move that only sets a project's status from `source` to `target`, if declared."""
    move = PROJECT.moves_to(source, target)
    return None if move is None or move.name in OWN_SERVICE else move


# Applications to a call -----------------------------------------------------------------

APPLICATION = Process(
    name="application",
    states=ApplicationStatus,
    initial=(A.SUBMITTED,),
    notify_task="projects.tasks.notify_application_event",
    parties={
        "organization": lambda actor, application: require_org_staff(
            actor, application.organization_id
        ),
        "funder_staff": lambda actor, application: require_funder_role(
            actor, application.project, FUNDER_STAFF
        ),
    },
    moves=[
        Move(
            "withdraw",
            gettext_lazy("Withdraw the application"),
            frozenset({A.SUBMITTED}),
            (A.WITHDRAWN,),
            ("organization",),
            confirm=True,
        ),
        Move(
            "award",
            gettext_lazy("Award the project to this application"),
            frozenset({A.SUBMITTED}),
            (A.AWARDED,),
            ("funder_staff",),
            notice="awarded",
        ),
        # Decided against by hand, or the other submitted ones when one is awarded.
        Move(
            "not-awarded",
            pgettext_lazy("move", "Not chosen"),
            frozenset({A.SUBMITTED}),
            (A.NOT_AWARDED,),
            ("funder_staff",),
            confirm=True,
            notice="not_awarded",
        ),
    ],
)


# Periodic reports -------------------------------------------------------------------------

REPORT = Process(
    name="report",
    states=ReportStatus,
    initial=(R.DRAFT,),
    notify_task="projects.tasks.notify_report_event",
    parties={
        "organization": lambda actor, report: require_org_staff(
            actor, report.project.implementer_id
        ),
        "funder_staff": lambda actor, report: require_funder_role(
            actor, report.project, FUNDER_STAFF
        ),
    },
    moves=[
        # Saving figures, narrative and attachments keeps the state.
        Move(
            "edit",
            gettext_lazy("Save the draft"),
            frozenset({R.DRAFT, R.RETURNED}),
            (),
            ("organization",),
        ),
        Move(
            "submit",
            gettext_lazy("Submit for review"),
            frozenset({R.DRAFT, R.RETURNED}),
            (R.SUBMITTED, R.RESUBMITTED),  # a returned report comes back resubmitted
            ("organization",),
            confirm=True,
            notice="submitted",
        ),
        Move(
            "approve",
            gettext_lazy("Approve"),
            frozenset({R.SUBMITTED, R.RESUBMITTED}),
            (R.APPROVED,),
            ("funder_staff",),
            confirm=True,
            notice="approved",
        ),
        Move(
            "return",
            gettext_lazy("Return with comment"),
            frozenset({R.SUBMITTED, R.RESUBMITTED}),
            (R.RETURNED,),
            ("funder_staff",),
            reason=gettext_lazy("Say what should change when returning a report."),
            notice="returned",
        ),
    ],
)
