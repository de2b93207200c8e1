"""The register, sponsorship, funds and insurance in the admin: read here, written through
people.services (the register's pages, the API). People are shown masked; her full record opens
on its page, where the opening is logged."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedModelAdmin
from federation.admin_filters import FederationTreeFilter
from people.models import (
    Attendance,
    Claim,
    Donation,
    Fund,
    InsurancePolicy,
    Pairing,
    Payout,
    Person,
    PersonAccess,
    Sponsor,
    Stipend,
    StipendCheck,
)


class ReadOnlyAdmin(ScopedModelAdmin):
    """Every field read-only: the services write (their rules, their checks, their log)."""

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]


class PersonTreeFilter(FederationTreeFilter):
    path_lookup = "person__federation__path"


class FundTreeFilter(FederationTreeFilter):
    path_lookup = "fund__federation__path"


class StipendTreeFilter(FederationTreeFilter):
    path_lookup = "pairing__person__federation__path"


@admin.register(Person)
class PersonAdmin(ReadOnlyAdmin):
    list_display = ["masked", "kind", "phone_masked", "federation", "registered_at", "record"]
    list_filter = [FederationTreeFilter, "kind"]
    list_select_related = ["federation"]
    fields = [
        "masked",
        "kind",
        "phone_masked",
        "federation",
        "birth_year",
        "registered_at",
        "record",
    ]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    @admin.display(description=_("name"))
    def masked(self, person):
        return person.masked_name

    @admin.display(description=_("phone"))
    def phone_masked(self, person):
        return person.masked_phone

    @admin.display(description=_("full record"))
    def record(self, person):
        return format_html(
            '<a href="{}">{}</a>', reverse("person-page", args=[person.pk]), _("Open (logged)")
        )


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["person", "activity", "order", "served_on", "method"]
    list_filter = [PersonTreeFilter, "method"]
    list_select_related = ["person", "activity", "order"]
    fields = ["person", "activity", "order", "served_on", "method", "recorded_by", "recorded_at"]


@admin.register(PersonAccess)
class PersonAccessAdmin(ReadOnlyAdmin):
    list_display = ["person", "user", "at", "via"]
    list_filter = [PersonTreeFilter]
    list_select_related = ["person", "user"]


@admin.register(Sponsor)
class SponsorAdmin(ReadOnlyAdmin):
    list_display = ["name", "kind", "federation"]
    list_filter = [FederationTreeFilter, "kind"]
    list_select_related = ["federation"]
    fields = ["name", "kind", "federation", "user", "volunteer", "organization"]


@admin.register(Pairing)
class PairingAdmin(ReadOnlyAdmin):
    list_display = ["code", "person", "sponsor", "fund", "monthly_amount", "months", "status"]
    list_filter = [PersonTreeFilter, "status"]
    list_select_related = ["person", "sponsor", "fund"]

    @admin.display(description=_("pairing"))
    def code(self, pairing):
        return pairing.code


@admin.register(Stipend)
class StipendAdmin(ReadOnlyAdmin):
    list_display = ["pairing", "due_on", "amount", "status", "return_reason"]
    list_filter = [StipendTreeFilter, "status"]
    list_select_related = ["pairing__sponsor"]
    date_hierarchy = "due_on"


@admin.register(StipendCheck)
class StipendCheckAdmin(ReadOnlyAdmin):
    list_display = ["stipend", "move", "by", "at", "reason"]
    list_select_related = ["stipend", "by"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "federation", "opened_on", "balance"]
    list_filter = [FederationTreeFilter]
    list_select_related = ["federation"]


@admin.register(Donation)
class DonationAdmin(ReadOnlyAdmin):
    list_display = ["receipt_number", "fund", "donor", "amount", "received_on", "restricted_to"]
    list_filter = [FundTreeFilter]
    list_select_related = ["fund"]
    date_hierarchy = "received_on"


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = ["fund", "kind", "amount", "paid_on", "note"]
    list_filter = [FundTreeFilter, "kind"]
    list_select_related = ["fund"]
    date_hierarchy = "paid_on"


@admin.register(InsurancePolicy)
class InsurancePolicyAdmin(ReadOnlyAdmin):
    list_display = ["name", "fund", "insurer", "starts_on", "ends_on", "premium_per_head"]
    list_filter = [FundTreeFilter]
    list_select_related = ["fund"]


@admin.register(Claim)
class ClaimAdmin(ReadOnlyAdmin):
    list_display = ["policy", "person", "claimed_on", "amount"]
    list_filter = [PersonTreeFilter]
    list_select_related = ["policy", "person"]
    fields = ["policy", "person", "claimed_on", "amount", "recorded_by"]
