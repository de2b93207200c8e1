"""The order's and the publication's moves, and who plays which part in them.

Read by menu.services (which guards and records with it), the order page (its buttons), the API's
actions and the admin's publication actions: see core.workflow.
"""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.errors import NotAllowed
from core.scoping import has_role_at, require_staff_of, user_scope
from core.workflow import Move, Process
from federation.choices import Role
from menu.choices import NeedStatus, OrderStatus, PublicationStatus

ORDERING_ROLES = (Role.ADMIN, Role.PROJECT_OFFICER)
O = OrderStatus  # noqa: E741 - the table reads better with one letter
P = PublicationStatus
N = NeedStatus


def require_federation_role(actor, federation):
    if federation is None or not has_role_at(actor, federation, ORDERING_ROLES):
        raise NotAllowed(_("Your role at this federation does not allow this."))


DELIVERERS_ONLY = gettext_lazy("Only the organization delivering this service may do this.")


def require_organization_staff(actor, organization_id):
    require_staff_of(actor, organization_id, DELIVERERS_ONLY)


def require_claimant(actor, order):
    """Any organization's staff may try; the service checks that her item qualifies."""
    if not user_scope(actor).organization_ids:
        raise NotAllowed(DELIVERERS_ONLY)


ORDER = Process(
    name="order",
    states=OrderStatus,
    initial=(O.REQUESTED, O.NEW),  # an item ordered (点单); a request to dispatch (派单)
    notify_task="menu.tasks.notify_order_event",
    parties={
        "orderer": lambda actor, order: require_federation_role(actor, order.federation),
        "handler": lambda actor, order: require_federation_role(
            actor, order.handler or order.federation
        ),
        "organization": lambda actor, order: require_organization_staff(
            actor, order.organization_id
        ),
        "claimant": require_claimant,
    },
    moves=[
        Move(
            "dispatch-down",
            gettext_lazy("Dispatch to a federation below"),
            frozenset({O.NEW}),
            (O.NEW,),
            ("handler",),
            notice="dispatched",
        ),
        Move(
            "dispatch-organization",
            gettext_lazy("Dispatch to an organization"),
            frozenset({O.NEW}),
            (O.REQUESTED,),
            ("handler",),
            notice="requested",
        ),
        Move(
            "open",
            pgettext_lazy("move", "Open for claiming"),
            frozenset({O.NEW}),
            (O.OPEN,),
            ("handler",),
            notice="open",
        ),
        Move(
            "claim",
            gettext_lazy("Claim"),
            frozenset({O.OPEN}),
            (O.ACCEPTED,),
            ("claimant",),
            notice=("claimed", "taken"),
        ),
        Move(
            "accept",
            gettext_lazy("Accept"),
            frozenset({O.REQUESTED}),
            (O.ACCEPTED,),
            ("organization",),
            notice="accepted",
        ),
        Move(
            "decline",
            gettext_lazy("Decline"),
            frozenset({O.REQUESTED}),
            # A dispatched request goes back to the federation that sent it.
            (O.DECLINED, O.NEW),
            ("organization",),
            reason=gettext_lazy("Say why the order is declined."),
            confirm=True,
            notice={O.DECLINED: "declined", O.NEW: "returned"},
        ),
        Move(
            "schedule",
            gettext_lazy("Schedule"),
            frozenset({O.ACCEPTED, O.SCHEDULED}),
            (O.SCHEDULED,),
            ("organization",),
            notice="scheduled",
        ),
        Move(
            "deliver",
            gettext_lazy("Mark delivered"),
            frozenset({O.SCHEDULED}),
            (O.DELIVERED,),
            ("organization",),
            notice="delivered",
        ),
        Move(
            "add-photo",
            gettext_lazy("Add a photo"),
            frozenset({O.DELIVERED, O.CONFIRMED}),
            (),
            ("organization",),
        ),
        Move(
            "confirm",
            gettext_lazy("Confirm and rate"),
            frozenset({O.DELIVERED}),
            (O.CONFIRMED,),
            ("orderer",),
        ),
        Move(
            "cancel",
            gettext_lazy("Cancel the order"),
            frozenset({O.NEW, O.OPEN, O.REQUESTED, O.ACCEPTED, O.SCHEDULED}),
            (O.CANCELLED,),
            ("orderer",),
            confirm=True,
            notice="cancelled",
        ),
    ],
)


PUBLICATION = Process(
    name="publication",
    states=PublicationStatus,
    initial=(P.PENDING,),
    notify_task="menu.tasks.notify_publication_event",
    parties={
        "organization": lambda actor, publication: require_organization_staff(
            actor, publication.item.organization_id
        ),
        "federation": lambda actor, publication: require_federation_role(
            actor, publication.federation
        ),
    },
    moves=[
        Move(
            "submit",
            gettext_lazy("Ask for the menu"),
            frozenset({P.PENDING, P.WITHDRAWN}),
            (P.PENDING,),
            ("organization",),
            notice="pending",
        ),
        Move(
            "publish",
            gettext_lazy("Approve and publish on the menu"),
            # Publishing again records who decided, and when.
            frozenset({P.PENDING, P.WITHDRAWN, P.PUBLISHED}),
            (P.PUBLISHED,),
            ("federation",),
            notice="published",
        ),
        Move(
            "withdraw",
            gettext_lazy("Withdraw from the menu"),
            frozenset({P.PUBLISHED}),
            (P.WITHDRAWN,),
            ("federation",),
        ),
    ],
)


# A need posted by the public (提需求) is reviewed by the staff of the federation where it landed
# (or above) before anyone works on it; a duplicate joins the need it repeats, whose progress its
# poster then follows.
NEED = Process(
    name="need",
    states=NeedStatus,
    initial=(N.PENDING, N.OPEN),  # posted by the public; entered by staff
    notify_task="menu.tasks.notify_need_event",
    parties={
        "reviewer": lambda actor, need: require_federation_role(actor, need.federation),
    },
    moves=[
        Move(
            "publish",
            gettext_lazy("Accept and publish"),
            frozenset({N.PENDING}),
            (N.OPEN,),
            ("reviewer",),
            notice="published",
        ),
        Move(
            "reject",
            gettext_lazy("Reject"),
            frozenset({N.PENDING}),
            (N.REJECTED,),
            ("reviewer",),
            reason=gettext_lazy("Say why the need is rejected: she is told."),
            notice="rejected",
        ),
        Move(
            "merge",
            gettext_lazy("Merge into the same need"),
            frozenset({N.PENDING, N.OPEN}),
            (N.MERGED,),
            ("reviewer",),
            notice="merged",
        ),
    ],
)
