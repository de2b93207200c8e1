from django.contrib import admin
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedModelAdmin
from core.admin_history import TrackedHistoryAdminMixin
from federation.admin_filters import FederationTreeFilter
from federation.models import (
    ExecutiveMember,
    Federation,
    RoleChange,
    StaffMembership,
    Venue,
    WomenGroup,
)
from federation.role_admin import GrantedRoleAdminMixin


class SubtreeFilter(FederationTreeFilter):
    path_lookup = "path"


@admin.register(Federation)
class FederationAdmin(ScopedModelAdmin):
    # No parent column: the top row's parent lies outside a user's area, and the
    # indentation already shows the tree. Each row links to its children instead.
    list_display = [
        "indented_name",
        "level",
        "kind",
        "division_code",
        "children_link",
        "groups_link",
        "is_active",
    ]
    list_filter = [SubtreeFilter, "level", "kind", "build_mode", "is_active"]
    search_fields = ["name", "division_code"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "level", "kind", "division_code", "parent", "is_active"]}),
        (_("New-field federation"), {"fields": ["build_mode", "host_type"]}),
    ]

    @admin.display(description=_("name"), ordering="path")
    def indented_name(self, obj):
        return format_html("{}{}", "\u3000" * (obj.depth - 1), obj.name)

    def get_queryset(self, request):
        # Explicit order: Meta.ordering does not apply to a grouped (annotated) query.
        return (
            super()
            .get_queryset(request)
            .annotate(
                children_count=Count("children", distinct=True),
                groups_count=Count("women_groups", distinct=True),
            )
            .order_by("path")
        )

    @admin.display(description=_("subordinate federations"), ordering="children_count")
    def children_link(self, obj):
        if not obj.children_count:
            return "—"
        url = reverse("admin:federation_federation_changelist") + f"?parent__id__exact={obj.pk}"
        return format_html('<a href="{}">{}</a>', url, obj.children_count)

    @admin.display(description=_("women's groups (1+N)"), ordering="groups_count")
    def groups_link(self, obj):
        """The federation and its N women's groups (福建's "1+N"), linked to the groups."""
        if not obj.groups_count:
            return "—"
        url = reverse("admin:federation_womengroup_changelist") + f"?federation__id__exact={obj.pk}"
        return format_html('<a href="{}">1+{}</a>', url, obj.groups_count)


class FederationChildAdmin(ScopedModelAdmin):
    """Models that hang on one federation node."""

    list_filter = [FederationTreeFilter]
    autocomplete_fields = ["federation"]
    list_select_related = ["federation"]


@admin.register(Venue)
class VenueAdmin(FederationChildAdmin):
    list_display = ["name", "kind", "federation", "address", "is_active"]
    list_filter = [FederationTreeFilter, "kind", "is_active"]
    search_fields = ["name", "address"]


@admin.register(ExecutiveMember)
class ExecutiveMemberAdmin(FederationChildAdmin):
    list_display = ["name", "committee", "position", "federation", "term_start", "term_end"]
    list_filter = [FederationTreeFilter, "committee"]
    search_fields = ["name", "position"]
    date_hierarchy = "term_start"


@admin.register(WomenGroup)
class WomenGroupAdmin(FederationChildAdmin):
    list_display = ["name", "grid", "federation", "leader", "leader_name", "member_count"]
    list_filter = [FederationTreeFilter, "federation__kind"]
    search_fields = ["name", "grid"]
    autocomplete_fields = ["federation", "leader"]
    list_select_related = ["federation", "leader"]


@admin.register(StaffMembership)
class StaffMembershipAdmin(TrackedHistoryAdminMixin, GrantedRoleAdminMixin, FederationChildAdmin):
    list_display = ["user", "role", "federation", "is_active", "approval", "created_at"]
    list_filter = [FederationTreeFilter, "awaiting_approval", "role", "is_active"]
    search_fields = ["user__username", "user__name", "federation__name"]
    autocomplete_fields = ["user", "federation"]
    list_select_related = ["user", "federation", "approved_by"]


@admin.register(RoleChange)
class RoleChangeAdmin(ScopedModelAdmin):
    """The record of every grant, approval, rejection, revocation and refused attempt."""

    list_display = ["at", "action", "actor", "user", "role", "federation", "organization"]
    list_filter = [FederationTreeFilter, "action"]
    search_fields = ["user__username", "user__name", "actor__username", "organization"]
    list_select_related = ["actor", "user", "federation"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("federation.view_staffmembership")
