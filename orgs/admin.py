from django.contrib import admin
from import_export.admin import ImportExportMixin

from accounts.admin_base import FederationTreeFilter, ScopedModelAdmin
from orgs.models import OrgMembership, ServiceDomain, SocialOrganization, TargetGroup
from orgs.resources import SocialOrganizationResource


class GuidingFederationFilter(FederationTreeFilter):
    path_lookup = "guiding_federation__path"


class OrgMembershipInline(admin.TabularInline):
    model = OrgMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(SocialOrganization)
class SocialOrganizationAdmin(ImportExportMixin, ScopedModelAdmin):
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

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


@admin.register(ServiceDomain, TargetGroup)
class VocabularyAdmin(admin.ModelAdmin):
    list_display = ["code", "name"]
    search_fields = ["code", "name"]
