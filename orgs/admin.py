from django.contrib import admin

from core.admin_base import ScopedModelAdmin, ScopedTabularInline, SpreadsheetAdminMixin
from core.admin_history import TrackedHistoryAdminMixin
from federation.admin_filters import FederationTreeFilter
from federation.role_admin import (
    GrantedRoleAdminMixin,
    GrantedRoleInlineMixin,
    save_membership_formset,
)
from orgs.models import OrgMembership, ServiceDomain, SocialOrganization, TargetGroup
from orgs.resources import SocialOrganizationResource


class GuidingFederationFilter(FederationTreeFilter):
    path_lookup = "guiding_federation__path"


class OrgMembershipInline(GrantedRoleInlineMixin, ScopedTabularInline):
    model = OrgMembership
    extra = 0
    autocomplete_fields = ["user"]
    fields = ["user", "role", "is_active", "approval"]


@admin.register(SocialOrganization)
class SocialOrganizationAdmin(TrackedHistoryAdminMixin, SpreadsheetAdminMixin, ScopedModelAdmin):
    resource_classes = [SocialOrganizationResource]
    list_display = [
        "name",
        "legal_form",
        "relationship",
        "guiding_federation",
        "credit_code",
        "staff_count",
        "status",
    ]
    list_filter = [
        GuidingFederationFilter,
        "legal_form",
        "relationship",
        "status",
        "service_domains",
    ]
    search_fields = ["name", "credit_code"]
    autocomplete_fields = ["guiding_federation", "covering_federations"]
    filter_horizontal = ["service_domains"]
    list_select_related = ["guiding_federation"]
    inlines = [OrgMembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is OrgMembership:
            save_membership_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


class OrganizationFilter(FederationTreeFilter):
    path_lookup = "organization__guiding_federation__path"


@admin.register(OrgMembership)
class OrgMembershipAdmin(TrackedHistoryAdminMixin, GrantedRoleAdminMixin, ScopedModelAdmin):
    """Who works for which organization, in which role; case roles are approved here."""

    list_display = ["user", "role", "organization", "is_active", "approval"]
    list_filter = [OrganizationFilter, "awaiting_approval", "role", "is_active"]
    search_fields = ["user__username", "user__name", "organization__name"]
    autocomplete_fields = ["user", "organization"]
    list_select_related = ["user", "organization", "approved_by"]
    ordering = ["organization__name", "user__username"]


@admin.register(ServiceDomain, TargetGroup)
class VocabularyAdmin(admin.ModelAdmin):
    # The code is the vocabulary's key for imports and the API; people read the name.
    list_display = ["name"]
    search_fields = ["code", "name"]
