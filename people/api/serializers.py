"""The register in the API: people masked in every list, her full record only on opening it
(logged by the view through people.services); sponsors see progress, never the child."""

from datetime import date
from decimal import Decimal

from django.db.models import Count, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.models import User
from core.api import ScopedRelationsMixin
from core.personal_data import normalized_phone
from core.validators import validate_mobile
from orgs.models import TargetGroup
from people.choices import ConsentUse, StipendStatus
from people.forms import officer_villages
from people.models import (
    Claim,
    Donation,
    Fund,
    GrowthEntry,
    InsurancePolicy,
    Pairing,
    Payout,
    Person,
    PersonFlag,
    Stipend,
)
from people.workflows import PAIRING, STIPEND

# What the API takes in: below the columns' 14 digits, so that a fund's balance cannot be
# pushed past them by a few large amounts.
AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": Decimal("0.01")}
# The columns' own shape, for what the API gives out.
MONEY = {"max_digits": 14, "decimal_places": 2, "read_only": True}
# The dates the register takes: a stipend's schedule runs months past its start.
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)
OUT_OF_RANGE = _("Give a date between 2000 and 2099.")


def within_range(value):
    if not FIRST_DAY <= value <= LAST_DAY:
        raise serializers.ValidationError(OUT_OF_RANGE)
    return value


def moves_of(process, serializer, record) -> list[str]:
    """The moves the caller may make on the record now (the table's `available`)."""
    request = serializer.context.get("request")
    if request is None:
        return []
    return [move.name for move in process.available(request.user, record)]


# The register ---------------------------------------------------------------------------------


class PhoneField(serializers.CharField):
    """Her mobile number, as she gives it (+86, spaces, dashes): kept as its eleven digits."""

    def to_internal_value(self, data):
        value = normalized_phone(super().to_internal_value(data))
        if value:
            validate_mobile(value)
        return value


class PersonSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """What every list shows of her: masked, with no name, number or address in the clear. Written
    once, to register her (search first: `?phone=` or `?id_number=` on the list)."""

    masked_name = serializers.CharField(read_only=True)
    masked_phone = serializers.CharField(read_only=True)
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    name = serializers.CharField(label=_("name"), max_length=50, write_only=True)
    phone = PhoneField(
        label=_("her mobile number"),
        max_length=20,
        required=False,
        allow_blank=True,
        write_only=True,
    )
    id_number = serializers.CharField(
        label=_("resident ID number"),
        max_length=18,
        required=False,
        allow_blank=True,
        write_only=True,
    )
    birth_year = serializers.IntegerField(
        label=_("year of birth"), min_value=1900, required=False, allow_null=True, write_only=True
    )
    guardian = serializers.CharField(
        label=_("guardian (for a child)"),
        max_length=100,
        required=False,
        allow_blank=True,
        write_only=True,
    )
    address = serializers.CharField(
        label=_("address"), max_length=200, required=False, allow_blank=True, write_only=True
    )
    household = serializers.CharField(
        label=_("household"), max_length=2000, required=False, allow_blank=True, write_only=True
    )
    target_groups = serializers.SlugRelatedField(
        label=_("target groups"),
        slug_field="code",
        queryset=TargetGroup.objects.all(),
        many=True,
        required=False,
        write_only=True,
    )
    consents = serializers.ListField(
        label=_("she (or her guardian) agrees to"),
        child=serializers.ChoiceField(choices=ConsentUse.choices),
        required=False,
        write_only=True,
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "masked_name",
            "kind",
            "masked_phone",
            "federation",
            "federation_name",
            "registered_at",
            # written only
            "name",
            "phone",
            "id_number",
            "birth_year",
            "guardian",
            "address",
            "household",
            "target_groups",
            "consents",
        ]
        read_only_fields = ["registered_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent while the schema is drawn
        if request is not None:
            self.fields["federation"].queryset = officer_villages(request.user)

    def validate_consents(self, uses):
        return list(dict.fromkeys(uses))  # each use recorded once

    def validate_birth_year(self, year):
        if year and year > timezone.localdate().year:
            raise serializers.ValidationError(_("The year of birth cannot be in the future."))
        return year


class PersonFlagSerializer(serializers.ModelSerializer):
    class Meta:
        model = PersonFlag
        fields = ["kind", "review_on"]


class AttendanceSummarySerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Person-times: every occasion she was at.")
    activities = serializers.IntegerField()
    orders = serializers.IntegerField()
    last_served_on = serializers.DateField(allow_null=True)


class FullPersonSerializer(serializers.ModelSerializer):
    """Her full record: the view logs every opening (people.services.person_open). The case
    that referred her shows only its number; it opens under the case desk's own rules."""

    # Plain text here: the choice set is described once, on the masked list's `kind`.
    kind = serializers.CharField(read_only=True, help_text="woman or child, as in the list")
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    consents = serializers.SerializerMethodField(help_text="The uses she agreed to, not withdrawn.")
    flags = PersonFlagSerializer(many=True, read_only=True)
    attendances = serializers.SerializerMethodField()
    source_case_number = serializers.CharField(
        source="source_case.number", read_only=True, default=None, allow_null=True
    )
    became_volunteer = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "kind",
            "name",
            "phone",
            "id_number",
            "birth_year",
            "address",
            "household",
            "guardian",
            "federation",
            "federation_name",
            "card_code",
            "target_groups",
            "consents",
            "flags",
            "attendances",
            "source_case_number",
            "became_volunteer",
            "registered_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(ConsentUse.choices)))
    def get_consents(self, person):
        return sorted({c.use for c in person.consents.all() if c.withdrawn_at is None})

    @extend_schema_field(AttendanceSummarySerializer)
    def get_attendances(self, person):
        summary = person.attendances.aggregate(
            count=Count("pk"),
            activities=Count("activity", distinct=True),
            orders=Count("order", distinct=True),
            last_served_on=Max("served_on"),
        )
        return AttendanceSummarySerializer(summary).data

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_became_volunteer(self, person):
        return person.volunteer_id is not None


class GrowthEntrySerializer(serializers.ModelSerializer):
    """An entry of her growth archive. The photo is sent in (multipart) and shown only through
    its page (`photo_url`, for the register's officers signed in), never by its stored path."""

    photo = serializers.FileField(label=_("photo"), required=False, write_only=True)
    photo_url = serializers.SerializerMethodField()
    notes = serializers.CharField(
        label=_("notes"), max_length=5000, required=False, allow_blank=True
    )

    class Meta:
        model = GrowthEntry
        fields = ["id", "person", "kind", "on", "result", "notes", "photo", "photo_url"]
        read_only_fields = ["person"]

    def validate_on(self, value):
        return within_range(value)

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_photo_url(self, entry):
        if not entry.photo:
            return None
        url = reverse("growth-photo", args=[entry.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


# Sponsorship ----------------------------------------------------------------------------------


class PairingSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A pairing as the register's officers see it: the child masked. Made by her county's
    officer (people.services.pairing_create), its stipends scheduled month by month."""

    code = serializers.CharField(read_only=True)
    person_name = serializers.CharField(source="person.masked_name", read_only=True)
    sponsor_name = serializers.CharField(source="sponsor.name", read_only=True)
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    monthly_amount = serializers.DecimalField(label=_("monthly stipend (CNY)"), **AMOUNT)
    months = serializers.IntegerField(label=_("for months"), min_value=1, max_value=240)
    visit_every_days = serializers.IntegerField(
        label=_("visit at least every (days)"), min_value=7, max_value=366, default=90
    )
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Pairing
        fields = [
            "id",
            "code",
            "person",
            "person_name",
            "sponsor",
            "sponsor_name",
            "fund",
            "fund_name",
            "monthly_amount",
            "months",
            "starts_on",
            "village_contact",
            "visit_every_days",
            "status",
            "ended_on",
            "end_reason",
            "moves",
        ]
        read_only_fields = ["status", "ended_on", "end_reason"]
        extra_kwargs = {"village_contact": {"queryset": User.objects.active()}}

    def validate_starts_on(self, value):
        return within_range(value)

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_moves(self, pairing):
        return moves_of(PAIRING, self, pairing)


class StipendSerializer(serializers.ModelSerializer):
    """One month's stipend and its three checks; `moves` are those the caller may make now."""

    pairing_code = serializers.CharField(source="pairing.code", read_only=True)
    person_name = serializers.CharField(source="pairing.person.masked_name", read_only=True)
    moves = serializers.SerializerMethodField()

    class Meta:
        model = Stipend
        fields = [
            "id",
            "pairing",
            "pairing_code",
            "person_name",
            "due_on",
            "amount",
            "status",
            "village_confirmed_by",
            "county_checked_by",
            "released_by",
            "return_reason",
            "payout",
            "moves",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_moves(self, stipend):
        # None yet on the months to come: the village confirms a month once it is due (as the
        # pairing page shows them, people.views.with_moves).
        if stipend.status == StipendStatus.SCHEDULED and stipend.due_on > timezone.localdate():
            return []
        return moves_of(STIPEND, self, stipend)


class MoveReasonSerializer(serializers.Serializer):
    """Why a stipend is returned or cancelled, or a pairing ends."""

    reason = serializers.CharField(label=_("reason"), max_length=200)


class SponsorStipendSerializer(serializers.Serializer):
    due_on = serializers.DateField()
    amount = serializers.DecimalField(**MONEY)
    status = serializers.CharField(help_text="In words.")


class SponsorVisitSerializer(serializers.Serializer):
    on = serializers.DateField()
    kind = serializers.CharField(help_text="In words.")
    result = serializers.CharField()


class SponsorPairingSerializer(serializers.Serializer):
    """What a sponsor sees of her pairing (people.services.pairing_for_sponsor): its progress,
    never who the child is, nor where."""

    code = serializers.CharField()
    kind = serializers.CharField(help_text="Woman or child, in words.")
    status = serializers.CharField(help_text="In words.")
    starts_on = serializers.DateField()
    monthly_amount = serializers.DecimalField(**MONEY)
    months = serializers.IntegerField()
    stipends = SponsorStipendSerializer(many=True)
    visits = SponsorVisitSerializer(many=True)


# Special funds --------------------------------------------------------------------------------


class FundSerializer(serializers.ModelSerializer):
    federation_name = serializers.CharField(source="federation.name", read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "name", "federation", "federation_name", "purpose", "opened_on", "balance"]
        read_only_fields = fields


class DonationSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """Money in (people.services.donation_record), with its receipt number."""

    amount = serializers.DecimalField(label=_("amount (CNY)"), **AMOUNT)

    class Meta:
        model = Donation
        fields = [
            "id",
            "fund",
            "donor",
            "amount",
            "received_on",
            "restricted_to",
            "receipt_number",
            "recorded_at",
        ]
        read_only_fields = ["receipt_number", "recorded_at"]

    def validate_received_on(self, value):
        return within_range(value)


class PayoutSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payout
        fields = ["id", "fund", "kind", "amount", "paid_on", "note", "project", "recorded_at"]
        read_only_fields = fields


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(label=_("from"))
    end = serializers.DateField(label=_("until"))

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError(_("The end comes before the start."))
        return attrs


class FundStatementSerializer(serializers.Serializer):
    """The fund's money over the period, to the cent: opening + raised − spent = closing."""

    fund = serializers.IntegerField(source="fund.pk")
    start = serializers.DateField()
    end = serializers.DateField()
    opening = serializers.DecimalField(**MONEY)
    raised = serializers.DecimalField(**MONEY)
    spent = serializers.DecimalField(**MONEY)
    closing = serializers.DecimalField(**MONEY)
    donations = DonationSerializer(many=True, read_only=True)
    payouts = PayoutSerializer(many=True, read_only=True)


# Insurance ------------------------------------------------------------------------------------


class InsurancePolicySerializer(serializers.ModelSerializer):
    fund_name = serializers.CharField(source="fund.name", read_only=True)
    insured_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = InsurancePolicy
        fields = [
            "id",
            "fund",
            "fund_name",
            "name",
            "insurer",
            "starts_on",
            "ends_on",
            "premium_per_head",
            "insured_count",
        ]
        read_only_fields = fields


class InsuranceClaimSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    """A claim paid by the insurer to a woman insured (people.services.claim_record). Its reason
    is written, never listed."""

    person_name = serializers.CharField(source="person.masked_name", read_only=True)
    amount = serializers.DecimalField(label=_("amount paid by the insurer (CNY)"), **AMOUNT)
    reason = serializers.CharField(
        label=_("reason"), max_length=2000, required=False, allow_blank=True, write_only=True
    )

    class Meta:
        model = Claim
        fields = ["id", "policy", "person", "person_name", "claimed_on", "amount", "reason"]

    def validate_claimed_on(self, value):
        return within_range(value)
