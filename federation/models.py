"""The federation tree (妇联组织体系) and what hangs on its nodes."""

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.scoping import SEGMENT_WIDTH, ScopedQuerySet, paths_q, subtree_q, user_scope
from core.validators import division_code_level, validate_division_code
from federation.choices import (
    LEVEL_RANK,
    BuildMode,
    Committee,
    HostType,
    Kind,
    Level,
    Role,
    VenueKind,
)
from federation.signals import subtree_moved, subtree_moving

# Each node adds its id, as 8 hex digits, to its parent's path: fixed width, so
# "this node and everything below" is one prefix match on an indexed column.

# How many leading digits of a division code its children share, by level.
CHILD_CODE_PREFIX = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9}


def path_segment(pk: int) -> str:
    return format(pk, f"0{SEGMENT_WIDTH}x")


def path_and_ancestors(path: str) -> list[str]:
    """The paths of the node with this path and of every node above it."""
    return [path[:end] for end in range(SEGMENT_WIDTH, len(path) + 1, SEGMENT_WIDTH)]


def reaches_a_province(paths) -> bool:
    """Whether one of these subtrees is a province's or the nation's. Such an area holds most
    rows of a table: its newest rows are read down the table's own index, where a smaller
    area's are gathered through its federations (area_ids)."""
    return any(len(path) <= 2 * SEGMENT_WIDTH for path in paths)


def area_ids(paths) -> ArraySubquery:
    """The ids of the federations in these subtrees, as one array evaluated once: compared with
    `= ANY` (core.scoping.EqualsAny) on a table's own federation column, an index serves it."""
    return ArraySubquery(Federation.objects.filter(paths_q("path", paths)).order_by().values("pk"))


class FederationQuerySet(ScopedQuerySet):
    scope_path = "path"

    def within(self, federation):
        """This node and every node below it."""
        return self.filter(subtree_q("path", federation))

    def with_parent(self):
        return self.select_related("parent")

    def where_user_holds(self, user, roles):
        """The nodes where the user holds one of `roles` (not those below them)."""
        return self.filter(path__in=user_scope(user).paths_with(roles))

    def under_user_holding(self, user, roles):
        """The subtrees of the nodes where the user holds one of `roles`; all for a superuser."""
        if user.is_superuser:
            return self.all()
        return self.filter(paths_q("path", user_scope(user).paths_with(roles)))

    def highest_of(self, user):
        """The highest node where the user holds a role (the first by name among equals), or
        None: where her dashboards and rankings start."""
        paths = user_scope(user).federation_paths
        return self.filter(path__in=paths).order_by("depth", "name").first()


class Federation(models.Model):
    """A women's federation (妇联): one node of the tree, regional or new-field."""

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.REGIONAL)
    division_code = models.CharField(
        _("division code"),
        max_length=12,
        blank=True,
        validators=[validate_division_code],
        help_text=_("GB/T 2260 code of a regional federation's place (6, 9 or 12 digits)."),
    )
    build_mode = models.CharField(
        _("build mode"), max_length=24, choices=BuildMode.choices, blank=True
    )
    host_type = models.CharField(
        _("built inside"), max_length=24, choices=HostType.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent federation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    path = models.CharField(
        _("tree path"), max_length=255, unique=True, editable=False, db_collation="C"
    )
    depth = models.PositiveSmallIntegerField(_("depth"), editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = FederationQuerySet.as_manager()

    class Meta:
        verbose_name = _("federation")
        verbose_name_plural = _("federations")
        ordering = ["path"]
        constraints = [
            models.UniqueConstraint(
                fields=["division_code"],
                condition=~models.Q(division_code="") & models.Q(kind=Kind.REGIONAL),
                name="federation_unique_regional_division_code",
            ),
        ]

    def __str__(self):
        return self.name

    @transaction.atomic
    def save(self, *args, **kwargs):
        if self._state.adding:
            self.assign_new_path()
        elif self.parent_id != getattr(self, "_loaded_parent_id", self.parent_id):
            self.move_subtree_under(self.parent)
        super().save(*args, **kwargs)
        self._loaded_parent_id = self.parent_id

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        instance._loaded_parent_id = instance.__dict__.get("parent_id")
        return instance

    # Validation ---------------------------------------------------------------

    def clean(self):
        super().clean()
        self.clean_parent()
        if self.kind == Kind.REGIONAL:
            self.clean_regional()
        else:
            self.clean_new_field()

    def clean_parent(self):
        if self.parent is None:
            return
        if self.pk and self.parent.path.startswith(self.path or "\0"):
            raise ValidationError(
                {"parent": _("A federation cannot be placed under itself or its own subtree.")}
            )
        own_rank, parent_rank = LEVEL_RANK[self.level], LEVEL_RANK[self.parent.level]
        too_high = own_rank <= parent_rank if self.kind == Kind.REGIONAL else own_rank < parent_rank
        if too_high:
            raise ValidationError(
                {"level": _("A federation's level must be below its parent's level.")}
            )

    def clean_regional(self):
        if self.build_mode or self.host_type:
            raise ValidationError(
                {"build_mode": _("Only new-field federations have a build mode.")}
            )
        if self.level == Level.NATIONAL:
            return
        if not self.division_code:
            raise ValidationError(
                {"division_code": _("A regional federation needs its division code.")}
            )
        if division_code_level(self.division_code) != self.level:
            raise ValidationError(
                {"division_code": _("This division code does not name a place of this level.")}
            )
        prefix_length = CHILD_CODE_PREFIX.get(self.parent.level) if self.parent else None
        if prefix_length and not self.division_code.startswith(
            self.parent.division_code[:prefix_length]
        ):
            raise ValidationError(
                {"division_code": _("The division code does not lie within the parent's place.")}
            )

    def clean_new_field(self):
        if self.parent is None:
            raise ValidationError(
                {"parent": _("A new-field federation hangs under a regional federation.")}
            )
        if not self.build_mode:
            raise ValidationError({"build_mode": _("Choose how this federation was built.")})
        if not self.host_type:
            raise ValidationError({"host_type": _("Choose what this federation is built inside.")})

    # The materialized path ------------------------------------------------------

    def assign_new_path(self):
        # Take the id from the sequence first: the path is built from it.
        if self.pk is None:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [self._meta.db_table]
                )
                self.pk = cursor.fetchone()[0]
        parent_path = self.parent.path if self.parent_id else ""
        self.path = parent_path + path_segment(self.pk)
        self.depth = len(self.path) // SEGMENT_WIDTH

    def move_subtree_under(self, new_parent):
        """Rewrite the paths of this node and all its descendants in one UPDATE."""
        old_path = Federation.objects.select_for_update().get(pk=self.pk).path
        new_path = (new_parent.path if new_parent else "") + path_segment(self.pk)
        if new_parent is not None and new_parent.path.startswith(old_path):
            raise ValidationError(
                {"parent": _("A federation cannot be placed under itself or its own subtree.")}
            )
        subtree_moving.send(Federation, old_path=old_path, new_path=new_path)
        self.rewrite_paths(old_path, new_path)
        subtree_moved.send(Federation, old_path=old_path, new_path=new_path)
        self.path = new_path
        self.depth = len(new_path) // SEGMENT_WIDTH

    @staticmethod
    def rewrite_paths(old_path, new_path):
        Federation.objects.filter(path__startswith=old_path).update(
            path=models.functions.Concat(
                models.Value(new_path),
                models.functions.Substr("path", len(old_path) + 1),
                output_field=models.CharField(),
            ),
            depth=models.F("depth") + (len(new_path) - len(old_path)) // SEGMENT_WIDTH,
        )

    # Reading the tree -----------------------------------------------------------

    def ancestor_paths(self) -> list[str]:
        return path_and_ancestors(self.path)[:-1]

    def ancestors(self):
        """The nodes above this one, from the root down (one query)."""
        return Federation.objects.filter(path__in=self.ancestor_paths()).order_by("depth")

    def descendants(self, include_self=False):
        subtree = Federation.objects.within(self)
        return subtree if include_self else subtree.exclude(pk=self.pk)

    def is_within(self, other) -> bool:
        return self.path.startswith(other.path)


class Venue(models.Model):
    """A place where services are delivered (阵地)."""

    federation = models.ForeignKey(
        Federation, verbose_name=_("federation"), on_delete=models.PROTECT, related_name="venues"
    )
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=24, choices=VenueKind.choices)
    address = models.CharField(_("address"), max_length=200, blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        ordering = ["federation__path", "name"]

    def __str__(self):
        return self.name


class ExecutiveMember(models.Model):
    """A member of a federation's executive or standing committee (执委/常委)."""

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="executive_members",
    )
    name = models.CharField(_("name"), max_length=64)
    committee = models.CharField(
        _("committee"), max_length=16, choices=Committee.choices, default=Committee.EXECUTIVE
    )
    position = models.CharField(_("position"), max_length=64, blank=True)
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"), null=True, blank=True)
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("from social organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="executive_members",
        help_text=_("Org leaders on executive committees are a headline figure."),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("executive member")
        verbose_name_plural = _("executive members")
        ordering = ["federation__path", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.term_end and self.term_start and self.term_end < self.term_start:
            raise ValidationError({"term_end": _("The term cannot end before it starts.")})


class WomenGroup(models.Model):
    """A women's group (妇女小组) of any federation — a village's on its grid (网格), or one of a
    new-field federation's N groups (福建's "1+N": 剪纸协会妇联 with its 7 groups) — led by one of
    the federation's executive members (执委) or by a member named here."""

    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="women_groups",
    )
    name = models.CharField(_("name"), max_length=100)
    grid = models.CharField(_("grid"), max_length=100, blank=True)
    leader = models.ForeignKey(
        ExecutiveMember,
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_groups",
    )
    leader_name = models.CharField(
        _("leader (a member, not an executive member)"), max_length=50, blank=True
    )
    member_count = models.PositiveIntegerField(_("members"), default=0)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("women's group")
        verbose_name_plural = _("women's groups")
        ordering = ["federation__path", "name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if self.leader_id and self.leader_name:
            raise ValidationError(
                {"leader_name": _("Name either an executive member or a member as its leader.")}
            )
        if self.leader_id and self.leader.federation_id != self.federation_id:
            raise ValidationError(
                {"leader": _("The leader must sit on this federation's committee.")}
            )


class GrantedRoleQuerySet(ScopedQuerySet):
    def effective(self):
        """Roles that count: active, approved where approval is needed, of active users."""
        return self.filter(is_active=True, awaiting_approval=False, user__is_active=True)

    def awaiting_approval(self):
        return self.filter(is_active=True, awaiting_approval=True)


class GrantedRole(models.Model):
    """Who granted a role and who approved it.

    A case role gives no access while it awaits approval by a second administrator
    (federation.grants); the scope (core.scoping.user_scope) ignores it until then.
    """

    awaiting_approval = models.BooleanField(_("awaiting approval"), default=False)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("granted by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("approved by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)

    class Meta:
        abstract = True


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class StaffMembership(GrantedRole):
    """A user's role at one federation: the role says what, the node says where."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="staff_memberships",
    )
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="staff_memberships",
    )
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = GrantedRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("staff membership")
        verbose_name_plural = _("staff memberships")
        ordering = ["federation__path", "user__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "federation", "role"], name="staff_membership_unique_role"
            ),
        ]

    def __str__(self):
        return f"{self.user} · {self.federation} · {self.get_role_display()}"


class RoleChange(models.Model):
    """One grant, approval, rejection, revocation or refused attempt of a role: who did it to
    whom, what, where and when. Written by federation.grants only, never changed."""

    class Action(models.TextChoices):
        GRANTED = "granted", _("granted")
        REQUESTED = "requested", _("requested, awaiting approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        REVOKED = "revoked", _("revoked")
        REFUSED = "refused", _("refused (own roles)")

    at = models.DateTimeField(_("at"), auto_now_add=True, db_index=True)
    action = models.CharField(_("action"), max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("whose role"),
        on_delete=models.PROTECT,
        related_name="role_changes",
    )
    federation = models.ForeignKey(
        Federation,
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="role_changes",
    )
    # The organization's name as it was: a log keeps what happened, not a live link.
    organization = models.CharField(_("social organization"), max_length=200, blank=True)
    role = models.CharField(_("role"), max_length=32)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("role change")
        verbose_name_plural = _("role changes")
        ordering = ["-at"]
        # The record is evidence: the database refuses to change or delete it.
        triggers = [
            pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} → {self.user}: {self.get_action_display()}"

    def admin_url(self) -> str:
        return (
            reverse("admin:federation_rolechange_changelist") + f"?user__id__exact={self.user_id}"
        )
