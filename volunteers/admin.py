from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedModelAdmin, ScopedTabularInline, SpreadsheetAdminMixin
from core.personal_data import phone_hash
from core.validators import validate_mobile, validate_resident_id
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


class VolunteerForm(forms.ModelForm):
    """Her phone and ID number are shown masked, even here: a coordinator types a new one to
    change it and leaves the field empty to keep it."""

    phone = forms.CharField(
        label=_("phone"), required=False, max_length=20, validators=[validate_mobile]
    )
    id_number = forms.CharField(
        label=_("resident ID number"),
        required=False,
        max_length=18,
        validators=[validate_resident_id],
    )

    class Meta:
        model = Volunteer
        fields = [
            "user",
            "name",
            "phone",
            "id_number",
            "federation",
            "organization",
            "skills",
            "former_beneficiary",
            "registered_on",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, masked in (
            ("phone", self.instance.masked_phone),
            ("id_number", self.instance.masked_id_number),
        ):
            self.initial[name] = ""
            if masked:
                self.fields[name].help_text = _(
                    "Now %(value)s. Type a new one to change it; leave it empty to keep it."
                ) % {"value": masked}

    def clean_phone(self):
        return self.cleaned_data["phone"] or self.instance.phone

    def clean_id_number(self):
        return self.cleaned_data["id_number"].upper() or self.instance.id_number

    def save(self, commit=True):
        self.instance.phone_hash = phone_hash(self.cleaned_data["phone"])
        return super().save(commit)


@admin.register(Volunteer)
class VolunteerAdmin(SpreadsheetAdminMixin, ScopedModelAdmin):
    """Phone and ID numbers are masked in the list, the export and the change page."""

    form = VolunteerForm
    resource_classes = [VolunteerResource]
    list_display = ["name", "phone_masked", "federation", "former_beneficiary", "registered_on"]
    list_filter = [FederationTreeFilter, "former_beneficiary"]
    search_fields = ["name"]
    list_select_related = ["federation"]
    autocomplete_fields = ["federation", "organization", "user"]

    @admin.display(description=_("phone"))
    def phone_masked(self, volunteer):
        return volunteer.masked_phone

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
