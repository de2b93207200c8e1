"""Scoping, written once: who may see which part of the federation tree.

Every scoped model's queryset derives from ScopedQuerySet and answers
`visible_to(user)`. The admin base, the API viewset base and the pages call it;
no view filters by hand. Out of scope and nonexistent look the same (404).
"""

from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db import models

from core.errors import NotAllowed

# Each level of the tree adds this many characters to a federation's materialized path.
SEGMENT_WIDTH = 8

# The organization role that works on the organization's cases (orgs.choices.OrgRole).
ORG_CASE_ROLE = "case_worker"


@dataclass(frozen=True)
class UserScope:
    """Where a user works: the subtrees she holds roles in, and the organizations she staffs."""

    roles_by_path: dict[str, frozenset[str]]
    organization_ids: frozenset[int] = frozenset()
    # The organizations whose cases she works on: a report writer of the same organization
    # sees none of them.
    case_organization_ids: frozenset[int] = frozenset()

    @property
    def federation_paths(self) -> tuple[str, ...]:
        return outermost_paths(self.roles_by_path)

    def paths_with(self, roles) -> tuple[str, ...]:
        """The paths of the nodes where she holds one of these roles."""
        return tuple(path for path, held in self.roles_by_path.items() if held & set(roles))

    def roles_at(self, path: str) -> set[str]:
        """Roles that apply at the node with this path: those held at it or above it."""
        roles: set[str] = set()
        for held_path, held_roles in self.roles_by_path.items():
            if path.startswith(held_path):
                roles |= held_roles
        return roles


def outermost_paths(paths) -> tuple[str, ...]:
    """Drop paths that lie inside another one: the prefix match already covers them."""
    kept: list[str] = []
    for path in sorted(paths):
        if not any(path.startswith(outer) for outer in kept):
            kept.append(path)
    return tuple(kept)


def user_scope(user) -> UserScope:
    """The user's scope, read once and kept on the user object for the request."""
    cached = getattr(user, "_scope_cache", None)
    if cached is not None:
        return cached
    roles_by_path: dict[str, set[str]] = {}
    roles_by_organization: dict[int, set[str]] = {}
    if user.is_authenticated and user.is_active:
        # A role awaiting a second administrator's approval gives nothing yet.
        memberships = user.staff_memberships.filter(
            is_active=True, awaiting_approval=False
        ).values_list("federation__path", "role")
        for path, role in memberships:
            roles_by_path.setdefault(path, set()).add(role)
        org_memberships = user.org_memberships.filter(
            is_active=True, awaiting_approval=False
        ).values_list("organization_id", "role")
        for organization_id, role in org_memberships:
            roles_by_organization.setdefault(organization_id, set()).add(role)
    scope = UserScope(
        {path: frozenset(roles) for path, roles in roles_by_path.items()},
        frozenset(roles_by_organization),
        frozenset(pk for pk, roles in roles_by_organization.items() if ORG_CASE_ROLE in roles),
    )
    user._scope_cache = scope
    return scope


def subtree_q(lookup: str, federation) -> models.Q:
    """Rows whose federation (reached by `lookup`, a path lookup) is this node or below it: the
    one way the project writes "this node and its subtree"."""
    return models.Q(**{f"{lookup}__startswith": federation.path})


def paths_q(lookup: str, paths) -> models.Q:
    """Rows whose federation path lies under any of `paths`; nothing when empty."""
    if not paths:
        return models.Q(pk__in=[])
    return reduce(or_, (models.Q(**{f"{lookup}__startswith": path}) for path in paths))


class EqualsAny(models.Func):
    """`column = ANY(array)`: with an ARRAY(subquery), evaluated once and served by the column's
    index, where `column IN (subquery)` under an OR becomes a scan of the whole table."""

    arg_joiner = " = ANY("
    template = "(%(expressions)s))"
    output_field = models.BooleanField()


def require_staff_of(actor, organization_id, refusal):
    """Refuse (NotAllowed, with the words `refusal`) an actor who is not staff of the
    organization: the one rule of "her organization's work" for every app."""
    if organization_id is None or organization_id not in user_scope(actor).organization_ids:
        raise NotAllowed(refusal)


def has_role_at(user, federation, roles) -> bool:
    """Whether the user holds one of `roles` at this federation or one above it."""
    if user.is_superuser:
        return True
    return bool(user_scope(user).roles_at(federation.path) & set(roles))


class ScopedQuerySet(models.QuerySet):
    """A queryset of rows that belong to a place in the federation tree.

    Subclasses name `scope_path`, the lookup to the owning federation's path
    (e.g. "federation__path"), or override `scope_filter` for other rules.
    """

    scope_path = "federation__path"

    def visible_to(self, user):
        if user is None or not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(self.scope_filter(user))

    def scope_filter(self, user) -> models.Q:
        return paths_q(self.scope_path, user_scope(user).federation_paths)


def object_scope_path(obj) -> str | None:
    """The federation path a scoped object belongs to, following its scope_path lookup."""
    queryset = type(obj)._default_manager.all()
    if not isinstance(queryset, ScopedQuerySet):
        return None
    value = obj
    for attribute in queryset.scope_path.split("__"):
        value = getattr(value, attribute, None)
        if value is None:
            return None
    return value
