"""Cases for supervisors: read in the admin, moved only through cases.services (case pages,
API). A full case opens here only for its circle, and each opening is logged."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from cases import services
from cases.choices import Category, Vulnerability
from cases.models import AccessLog, Case, CaseEvent, Party, SLAPolicy
from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_history import TrackedHistoryAdminMixin
from federation.admin_filters import FederationTreeFilter
from federation.choices import Role
from federation.models import Federation


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


def labels_of(values, choices) -> str:
    """A list of codes as their words (an unknown code stays as it is)."""
    return "、".join(str(dict(choices.choices).get(value, value)) for value in values)


class PartyInline(ReadOnlyMixin, ScopedTabularInline):
    model = Party
    fields = ["role", "name", "phone", "id_number", "address", "vulnerability_labels"]
    readonly_fields = fields
    extra = 0

    @admin.display(description=_("vulnerabilities"))
    def vulnerability_labels(self, party):
        return labels_of(party.vulnerabilities, Vulnerability)


class EventInline(ReadOnlyMixin, ScopedTabularInline):
    model = CaseEvent
    fields = ["at", "kind", "step", "worker", "to_status", "result"]
    readonly_fields = fields
    extra = 0


@admin.register(Case)
class CaseAdmin(ReadOnlyMixin, ScopedModelAdmin):
    list_display = [
        "number",
        "federation",
        "organization",
        "risk",
        "status",
        "received_at",
        "assigned_to",
    ]
    list_filter = [FederationTreeFilter, "status", "risk", "channel"]
    search_fields = ["number"]
    list_select_related = ["federation", "organization", "assigned_to"]
    date_hierarchy = "received_at"
    exclude = ["summary", "categories"]
    readonly_fields = [
        "number",
        "channel",
        "received_at",
        "received_by",
        "federation",
        "organization",
        "assigned_to",
        "category_labels",
        "risk",
        "status",
        "outcome",
        "case_summary",
        "first_contact_due",
        "resolution_due",
        "first_contacted_at",
        "resolved_at",
        "closed_at",
    ]
    inlines = [PartyInline, EventInline]

    @admin.display(description=_("categories"))
    def category_labels(self, case):
        return labels_of(case.categories, Category)

    @admin.display(description=_("summary"))
    def case_summary(self, case):
        return case.summary

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        if not services.opens_in_full(request.user, case):
            raise Http404(_("No such record in your area."))
        if request.method == "GET":
            services.case_open_full(actor=request.user, case=case, via="admin")
        return super().change_view(request, object_id, form_url, extra_context)


@admin.register(SLAPolicy)
class SLAPolicyAdmin(TrackedHistoryAdminMixin, ScopedModelAdmin):
    """Federation admins set the due times of their subtree's cases."""

    list_display = ["federation", "risk", "category", "first_contact_hours", "resolution_hours"]
    list_filter = [FederationTreeFilter, "risk"]
    list_select_related = ["federation"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "federation":
            kwargs["queryset"] = administered_federations(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # A role held elsewhere must not set the due times of another subtree.
        if not administered_federations(request.user).filter(pk=obj.federation_id).exists():
            raise PermissionDenied(
                _("Only an administrator of this federation may set its policy.")
            )
        super().save_model(request, obj, form, change)


def administered_federations(user):
    """Federations in the subtrees where the user is an administrator."""
    return Federation.objects.under_user_holding(user, [Role.ADMIN])


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyMixin, ScopedModelAdmin):
    """Who opened which case, how and why (append-only)."""

    list_display = ["at", "case", "user", "via", "break_glass", "reason"]
    list_filter = ["break_glass", "via"]
    search_fields = ["case__number", "user__username"]
    list_select_related = ["case", "user"]
    date_hierarchy = "at"
