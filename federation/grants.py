"""Who may give whom a role: separation of duties for case data.

A role held at a federation (StaffMembership) or in an organization (OrgMembership) changes
only here, whether through the admin's forms or its inlines. Three rules:

- nobody changes her own roles or memberships;
- a case role (case worker or supervisor at a federation, case worker in an organization,
  the register's beneficiary officer)
  gives nothing until a *different* administrator at that node or above approves it;
- every grant, approval, rejection, revocation and refused attempt is written to RoleChange,
  and the node's case supervisors are told of every one that concerns a case role.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from core.errors import InvalidTransition, NotAllowed
from core.scoping import has_role_at
from federation.choices import Role
from federation.models import RoleChange, StaffMembership, path_and_ancestors
from notifications.services import notify

# The same codes at a federation (Role) and in an organization (OrgRole). The register of
# people served opens survivors' and children's records as a case does: its officer too.
CASE_GRANT_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR, Role.BENEFICIARY_OFFICER})

NOTICES = {
    RoleChange.Action.REQUESTED: gettext_noop(
        "Case role awaiting approval: %(role)s for %(user)s at %(place)s, granted by %(actor)s"
    ),
    RoleChange.Action.APPROVED: gettext_noop(
        "Case role approved: %(role)s for %(user)s at %(place)s, by %(actor)s"
    ),
    RoleChange.Action.REJECTED: gettext_noop(
        "Case role rejected: %(role)s for %(user)s at %(place)s, by %(actor)s"
    ),
    RoleChange.Action.REVOKED: gettext_noop(
        "Case role revoked: %(role)s of %(user)s at %(place)s, by %(actor)s"
    ),
    RoleChange.Action.REFUSED: gettext_noop(
        "%(actor)s tried to give herself the role %(role)s at %(place)s (refused)"
    ),
}


OWN_ROLES_REFUSED = gettext_lazy(
    "Nobody may change her own roles or memberships: ask another administrator."
)


def node_known(membership) -> bool:
    """Whether the membership names its place yet (an inline row of a new organization does not)."""
    if isinstance(membership, StaffMembership):
        return membership.federation_id is not None
    return membership.organization_id is not None


def role_node(membership):
    """The federation whose administrators answer for this role."""
    if isinstance(membership, StaffMembership):
        return membership.federation
    return membership.organization.guiding_federation


def is_case_role(membership) -> bool:
    return membership.role in CASE_GRANT_ROLES


def administers(user, federation) -> bool:
    return has_role_at(user, federation, {Role.ADMIN})


def administers_user(actor, user) -> bool:
    """Whether the actor is an administrator at, or above, one of the user's places."""
    if actor.is_superuser:
        return True
    places = [membership.federation for membership in user.staff_memberships.all()]
    places += [m.organization.guiding_federation for m in user.org_memberships.all()]
    return any(administers(actor, place) for place in places)


def is_own(actor, membership) -> bool:
    return membership.user_id == actor.pk


# The moves -------------------------------------------------------------------------------


def role_grant(*, actor, membership):
    """Save a new role, or a changed one: a case role then waits for a second administrator."""
    refuse_own(actor, membership)
    require_administrator(actor, membership)
    with transaction.atomic():
        membership.is_active = True
        membership.granted_by = actor
        membership.awaiting_approval = is_case_role(membership)
        membership.approved_by, membership.approved_at = None, None
        membership.save()
        action = (
            RoleChange.Action.REQUESTED if is_case_role(membership) else RoleChange.Action.GRANTED
        )
        record(actor=actor, membership=membership, action=action)
    return membership


def role_approve(*, actor, membership):
    """A second administrator lets a case role take effect."""
    refuse_own(actor, membership)
    with transaction.atomic():
        membership = locked_awaiting(membership)
        if actor.pk == membership.granted_by_id:
            raise NotAllowed(
                _(
                    "A second administrator must approve: not the one who granted it, nor its holder."
                )
            )
        require_administrator(actor, membership)
        membership.awaiting_approval = False
        membership.approved_by, membership.approved_at = actor, timezone.now()
        membership.save()
        record(actor=actor, membership=membership, action=RoleChange.Action.APPROVED)
    return membership


def role_reject(*, actor, membership):
    """A second administrator turns a case role down: it never takes effect."""
    refuse_own(actor, membership)
    with transaction.atomic():
        membership = locked_awaiting(membership)
        require_administrator(actor, membership)
        membership.is_active = False
        membership.awaiting_approval = False
        membership.save()
        record(actor=actor, membership=membership, action=RoleChange.Action.REJECTED)
    return membership


def role_revoke(*, actor, membership, delete=False):
    """End a role (deleting the membership, when asked); effective at once."""
    refuse_own(actor, membership)
    require_administrator(actor, membership)
    with transaction.atomic():
        record(actor=actor, membership=membership, action=RoleChange.Action.REVOKED)
        if delete:
            membership.delete()
        else:
            membership.is_active = False
            membership.awaiting_approval = False
            membership.save()
    return membership


def role_save(*, actor, membership, changed_fields, is_new):
    """What the admin's forms call: ending a role is a revocation, anything else a grant."""
    if is_new:
        return role_grant(actor=actor, membership=membership)
    if not changed_fields:
        return membership
    if changed_fields == {"is_active"} and not membership.is_active:
        return role_revoke(actor=actor, membership=membership)
    return role_grant(actor=actor, membership=membership)


# Guards ----------------------------------------------------------------------------------


def refuse_own(actor, membership):
    """Refuse, and record and report the attempt in a transaction of its own (it must stay
    when the caller's rolls back)."""
    if not is_own(actor, membership):
        return
    if node_known(membership):  # an inline row of an organization not yet saved names none
        with transaction.atomic():
            record(actor=actor, membership=membership, action=RoleChange.Action.REFUSED)
    raise NotAllowed(OWN_ROLES_REFUSED)


def require_administrator(actor, membership):
    if not administers(actor, role_node(membership)):
        raise NotAllowed(_("Only an administrator of this federation or above may do this."))


def locked_awaiting(membership):
    """The membership, locked, if it still awaits approval (a second decision finds it taken)."""
    membership = type(membership).objects.select_for_update().get(pk=membership.pk)
    if not membership.awaiting_approval or not membership.is_active:
        raise InvalidTransition(_("This role is not awaiting approval."))
    return membership


# The record and who is told ------------------------------------------------------------


def record(*, actor, membership, action) -> RoleChange:
    organization = getattr(membership, "organization", None)
    with translation.override(settings.LANGUAGE_CODE):
        role = str(membership.get_role_display())
    change = RoleChange.objects.create(
        action=action,
        actor=actor,
        user=membership.user,
        federation=role_node(membership),
        organization=organization.name if organization else "",
        role=role,
    )
    if is_case_role(membership) or action == RoleChange.Action.REFUSED:
        tell(change)
    return change


def tell(change: RoleChange) -> int:
    """The node's case supervisors (and, for a request, its other administrators) are told."""
    template = NOTICES.get(change.action)
    if template is None:
        return 0
    place = change.organization or change.federation.name
    with translation.override(settings.LANGUAGE_CODE):
        title = _(template) % {
            "role": change.role,
            "user": change.user,
            "actor": change.actor,
            "place": place,
        }
    roles = {Role.CASE_SUPERVISOR}
    if change.action == RoleChange.Action.REQUESTED:
        roles.add(Role.ADMIN)
    memberships = StaffMembership.objects.effective().filter(
        federation__path__in=path_and_ancestors(change.federation.path), role__in=roles
    )
    told = {membership.user for membership in memberships.select_related("user")}
    told.discard(change.actor)
    if change.action == RoleChange.Action.REQUESTED:
        told.discard(change.user)
    return sum(
        notify(user=user, key=f"role-change:{change.pk}", title=title, url=change.admin_url())
        is not None
        for user in told
    )
