"""The case's and the referral's moves, and who plays which part in a case.

Read by cases.services (which guards and records with it), the case page (its buttons) and the
API's actions: see core.workflow.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from cases.choices import (
    ENDED_STATUSES,
    OPEN_STATUSES,
    SUPERVISED_CLOSING,
    CaseStatus,
    ReferralStatus,
)
from cases.models import CASE_ROLES
from core.errors import NotAllowed
from core.scoping import has_role_at, user_scope
from core.workflow import Move, Process
from federation.choices import Role
from orgs.models import SocialOrganization

S = CaseStatus
OPEN = frozenset(OPEN_STATUSES)
SUPERVISING = (Role.CASE_SUPERVISOR,)


# Who may do what --------------------------------------------------------------------------


def works_on_cases_at(user, federation) -> bool:
    return has_role_at(user, federation, CASE_ROLES)


def supervises(user, case) -> bool:
    return has_role_at(user, case.federation, SUPERVISING)


def eligible_worker(worker, case) -> bool:
    """A case worker of the handling organization, or case staff of the owning federation."""
    if case.organization_id is not None:
        return case.organization_id in user_scope(worker).case_organization_ids
    return works_on_cases_at(worker, case.federation)


def hotline_organization(user, federation):
    """The organization through which the user takes calls for `federation`: one she is a case
    worker of and that the federation guides (a contracted 12338 line), else None."""
    return (
        SocialOrganization.objects.filter(
            pk__in=user_scope(user).case_organization_ids, guiding_federation=federation
        )
        .order_by("name")
        .first()
    )


def require_case_staff(actor, case):
    if not works_on_cases_at(actor, case.federation):
        raise NotAllowed(_("Only case staff of the owning federation may do this."))


def require_supervisor(actor, case):
    if not supervises(actor, case):
        raise NotAllowed(_("Only a case supervisor of the owning federation may do this."))


def require_worker_or_supervisor(actor, case):
    if actor.pk != case.assigned_to_id and not supervises(actor, case):
        raise NotAllowed(_("Only the assigned worker or a supervisor may do this."))


def require_case_staff_or_assigned(actor, case):
    if actor.pk != case.assigned_to_id and not works_on_cases_at(actor, case.federation):
        raise NotAllowed(_("Only case staff of the owning federation may do this."))


def require_claimant(actor, case):
    if case.assigned_to_id is not None or not eligible_worker(actor, case):
        raise NotAllowed(_("Only a worker of the handling organization may take this case."))


def require_may_end(actor, case):
    """Ending a case (closing, transferring, withdrawing): the worker or a supervisor; a
    high-risk or crisis case only a supervisor."""
    if case.risk in SUPERVISED_CLOSING:
        if not supervises(actor, case):
            raise NotAllowed(_("Closing a high-risk case needs a supervisor's approval."))
    else:
        require_worker_or_supervisor(actor, case)


# The case ---------------------------------------------------------------------------------

CASE = Process(
    name="case",
    states=CaseStatus,
    initial=(S.RECEIVED,),
    notify_task="cases.tasks.notify_case_event",
    parties={
        "staff": require_case_staff,
        "supervisor": require_supervisor,
        "worker": require_worker_or_supervisor,
        "claimant": require_claimant,
        "closer": require_may_end,
    },
    moves=[
        Move(
            "triage",
            gettext_lazy("Triage"),
            frozenset({S.RECEIVED, S.TRIAGED}),
            (S.TRIAGED,),
            ("staff",),
        ),
        Move(
            "assign",
            gettext_lazy("Assign"),
            frozenset({S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS}),
            (S.ASSIGNED,),
            ("supervisor",),
            notice="assigned",
        ),
        Move(
            "claim",
            gettext_lazy("Take this case"),
            frozenset({S.TRIAGED}),
            (S.ASSIGNED,),
            ("claimant",),
        ),
        Move(
            "start",
            gettext_lazy("Start work"),
            frozenset({S.ASSIGNED}),
            (S.IN_PROGRESS,),
            ("worker",),
        ),
        # Steps that keep the state: open cases only.
        Move("event", gettext_lazy("Add to the timeline"), OPEN, (), ("worker",)),
        Move("referral", gettext_lazy("Refer"), OPEN, (), ("worker",)),
        Move("follow-up", gettext_lazy("Schedule a follow-up"), OPEN, (), ("worker",)),
        # 催办 / 督办: on the timeline, and the worker is told.
        Move(
            "urge",
            gettext_lazy("Urge the worker on"),
            OPEN,
            (),
            ("supervisor",),
            reason=gettext_lazy("Say what must be done, and by when."),
            notice="urged",
        ),
        Move(
            "wait",
            gettext_lazy("Waiting for a department"),
            frozenset({S.IN_PROGRESS}),
            (S.WAITING,),
            ("worker",),
        ),
        Move(
            "unreachable",
            gettext_lazy("Mark unreachable"),
            frozenset({S.ASSIGNED, S.IN_PROGRESS, S.WAITING}),
            (S.UNREACHABLE,),
            ("worker",),
        ),
        Move(
            "resume",
            gettext_lazy("Resume"),
            frozenset({S.WAITING, S.UNREACHABLE}),
            (S.IN_PROGRESS,),
            ("worker",),
        ),
        Move(
            "resolve",
            gettext_lazy("Resolve"),
            frozenset({S.IN_PROGRESS, S.WAITING}),
            (S.RESOLVED,),
            ("worker",),
            confirm=True,
        ),
        # The first follow-up recorded after the resolution.
        Move(
            "followed-up",
            gettext_lazy("Follow-up recorded"),
            frozenset({S.RESOLVED}),
            (S.FOLLOW_UP,),
            ("worker",),
        ),
        Move(
            "close",
            pgettext_lazy("case", "Close"),
            frozenset({S.RESOLVED, S.FOLLOW_UP}),
            (S.CLOSED,),
            ("closer",),
            confirm=True,
        ),
        Move(
            "escalate",
            gettext_lazy("Escalate to a federation below"),
            frozenset({S.RECEIVED, S.TRIAGED, S.ASSIGNED, S.IN_PROGRESS}),
            (S.TRIAGED,),
            ("staff",),
            notice="escalated",
        ),
        Move(
            "transfer",
            gettext_lazy("Transfer out"),
            OPEN,
            (S.TRANSFERRED,),
            ("closer",),
            reason=gettext_lazy("Say to whom and why the case is transferred."),
            confirm=True,
        ),
        Move(
            "withdraw",
            gettext_lazy("She withdrew"),
            OPEN,
            (S.WITHDRAWN,),
            ("closer",),
            confirm=True,
        ),
        Move(
            "reopen",
            gettext_lazy("Reopen"),
            frozenset({S.RESOLVED, S.FOLLOW_UP, S.UNREACHABLE, *ENDED_STATUSES}),
            (S.IN_PROGRESS, S.TRIAGED),  # to the worker if one is assigned
            ("worker",),
            reason=gettext_lazy("Say why the case is reopened."),
        ),
    ],
)


# Referrals (联动转介) ------------------------------------------------------------------------

R = ReferralStatus

REFERRAL = Process(
    name="referral",
    states=ReferralStatus,
    initial=(R.SENT,),
    parties={
        "worker": lambda actor, referral: require_worker_or_supervisor(actor, referral.case),
        "supervisor": lambda actor, referral: require_supervisor(actor, referral.case),
    },
    moves=[
        Move(
            "accept", gettext_lazy("They accepted"), frozenset({R.SENT}), (R.ACCEPTED,), ("worker",)
        ),
        Move(
            "reject",
            gettext_lazy("They declined"),
            frozenset({R.SENT}),
            (R.REJECTED,),
            ("worker",),
            reason=gettext_lazy("Give the reason."),
        ),
        Move(
            "done",
            pgettext_lazy("referral", "Done"),
            frozenset({R.ACCEPTED}),
            (R.DONE,),
            ("worker",),
        ),
        Move(
            "revoke",
            gettext_lazy("Revoke"),
            frozenset({R.SENT, R.ACCEPTED}),
            (R.REVOKED,),
            ("supervisor",),
            reason=gettext_lazy("Give the reason."),
            confirm=True,
        ),
    ],
)
