"""The sign-up's moves, and who plays which part in them.

Read by volunteers.services (which guards and records with it), the volunteer's and the
coordinator's pages and the API's actions: see core.workflow.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.errors import NotAllowed
from core.scoping import has_role_at
from core.workflow import Move, Process
from federation.choices import Role
from volunteers.choices import SignUpStatus

COORDINATING = (Role.ADMIN, Role.VOLUNTEER_COORDINATOR)
S = SignUpStatus


def require_coordinator(actor, federation):
    if not has_role_at(actor, federation, COORDINATING):
        raise NotAllowed(_("Only a volunteer coordinator of this federation may do this."))


def require_herself(actor, signup):
    if signup.volunteer.user_id is None or signup.volunteer.user_id != actor.pk:
        raise NotAllowed(_("Only the volunteer herself may do this."))


SIGNUP = Process(
    name="signup",
    states=SignUpStatus,
    # First come, first served: confirmed while places remain, else waiting for one.
    initial=(S.CONFIRMED, S.APPLIED),
    parties={
        "volunteer": require_herself,
        "coordinator": lambda actor, signup: require_coordinator(
            actor, signup.opportunity.federation
        ),
    },
    moves=[
        Move(
            "sign-up-again",
            gettext_lazy("Sign up"),
            frozenset({S.CANCELLED}),
            (S.CONFIRMED, S.APPLIED),
            ("volunteer",),
        ),
        Move(
            "confirm",
            gettext_lazy("Give a place"),
            frozenset({S.APPLIED}),
            (S.CONFIRMED,),
            ("coordinator",),
        ),
        Move(
            "attend",
            gettext_lazy("Attended: confirm hours"),
            frozenset({S.CONFIRMED}),
            (S.ATTENDED,),
            ("coordinator",),
        ),
        Move(
            "no-show",
            gettext_lazy("Record a no-show"),
            frozenset({S.CONFIRMED}),
            (S.NO_SHOW,),
            ("coordinator",),
        ),
        Move(
            "cancel",
            gettext_lazy("Cancel"),
            frozenset({S.APPLIED, S.CONFIRMED}),
            (S.CANCELLED,),
            ("coordinator", "volunteer"),
            confirm=True,
        ),
    ],
)
