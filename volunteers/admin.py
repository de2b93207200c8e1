from django.contrib import admin
from import_export.admin import ImportExportMixin

from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from federation.admin_filters import FederationTreeFilter
from volunteers.models import (
    ExpertMatch,
    Opportunity,
    SignUp,
    TeamMembership,
    Volunteer,
    VolunteerTeam,
)
from volunteers.resources import VolunteerResource


class TeamChildTreeFilter(FederationTreeFilter):
    path_lookup = "team__federation__path"


@admin.register(Volunteer)
class VolunteerAdmin(ImportExportMixin, ScopedModelAdmin):
    """Phone and ID numbers are masked in the list and the export; the change page shows them
    to coordinators of her federation."""

    resource_classes = [VolunteerResource]
    list_display = ["name", "masked_phone", "federation", "former_beneficiary", "registered_on"]
    list_filter = [FederationTreeFilter, "former_beneficiary"]
    search_fields = ["name"]
    list_select_related = ["federation"]
    autocomplete_fields = ["federation", "organization", "user"]
    exclude = ["phone_hash"]

    def get_import_resource_kwargs(self, request, **kwargs):
        return {**super().get_import_resource_kwargs(request, **kwargs), "user": request.user}

    def get_export_resource_kwargs(self, request, **kwargs):
        return {**super().get_export_resource_kwargs(request, **kwargs), "user": request.user}


class MembershipInline(ScopedTabularInline):
    model = TeamMembership
    extra = 0
    autocomplete_fields = ["volunteer"]


@admin.register(VolunteerTeam)
class VolunteerTeamAdmin(ScopedModelAdmin):
    list_display = ["name", "kind", "federation", "project", "status"]
    list_filter = [FederationTreeFilter, "kind", "status"]
    search_fields = ["name"]
    list_select_related = ["federation", "project"]
    autocomplete_fields = ["federation", "project", "leader"]
    inlines = [MembershipInline]


@admin.register(ExpertMatch)
class ExpertMatchAdmin(ScopedModelAdmin):
    list_display = ["expert_group", "team", "since"]
    list_filter = [TeamChildTreeFilter]
    list_select_related = ["expert_group", "team"]
    autocomplete_fields = ["expert_group", "team"]


@admin.register(Opportunity)
class OpportunityAdmin(ScopedModelAdmin):
    list_display = ["title", "federation", "starts_at", "places", "status"]
    list_filter = [FederationTreeFilter, "status"]
    search_fields = ["title", "place"]
    list_select_related = ["federation"]
    autocomplete_fields = ["federation", "organization", "activity", "service_order"]
    date_hierarchy = "starts_at"


@admin.register(SignUp)
class SignUpAdmin(ScopedModelAdmin):
    """Read here; moves go through volunteers.services (the coordinator's page, the API)."""

    list_display = ["volunteer", "opportunity", "status", "hours", "hours_confirmed_at"]
    list_filter = ["status"]
    list_select_related = ["volunteer", "opportunity"]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
