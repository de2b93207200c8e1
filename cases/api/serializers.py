"""Cases in the API: masked by default; the full record only for its circle, and logged."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from cases.choices import Category, Outcome, Risk
from cases.models import Case, CaseEvent, Consent, FollowUp, Party, Referral
from cases.services import eligible_worker
from federation.models import Federation
from orgs.models import SocialOrganization

CASE_FIELDS = [
    "id",
    "number",
    "channel",
    "received_at",
    "federation",
    "organization",
    "assigned_to",
    "categories",
    "risk",
    "status",
    "outcome",
    "first_contact_due",
    "resolution_due",
    "first_contacted_at",
    "resolved_at",
    "closed_at",
]


class MaskedPartySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="masked_name")
    phone = serializers.CharField(source="masked_phone")
    id_number = serializers.CharField(source="masked_id_number")

    class Meta:
        model = Party
        fields = ["id", "role", "name", "phone", "id_number"]


class PartySerializer(serializers.ModelSerializer):
    class Meta:
        model = Party
        fields = ["id", "role", "name", "phone", "id_number", "address", "notes", "vulnerabilities"]


class ConsentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Consent
        fields = ["to_services", "to_share", "to_statistics", "do_not_tell"]


class MaskedCaseSerializer(serializers.ModelSerializer):
    """What every list shows: no name, number or address in the clear."""

    parties = MaskedPartySerializer(many=True, read_only=True)

    class Meta:
        model = Case
        fields = [*CASE_FIELDS, "parties"]
        read_only_fields = fields


class FullCaseSerializer(serializers.ModelSerializer):
    parties = PartySerializer(many=True, read_only=True)
    consent = ConsentSerializer(read_only=True)

    class Meta:
        model = Case
        fields = [*CASE_FIELDS, "summary", "parties", "consent"]
        read_only_fields = fields


class CaseEventSerializer(serializers.ModelSerializer):
    """The timeline's shape; what happened (the result text) stays on the full case page."""

    class Meta:
        model = CaseEvent
        fields = ["id", "case", "kind", "at", "worker", "step", "from_status", "to_status"]


class ReferralSerializer(serializers.ModelSerializer):
    class Meta:
        model = Referral
        fields = [
            "id",
            "case",
            "department",
            "organization",
            "status",
            "respond_by",
            "sent_at",
            "answered_at",
        ]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "case", "kind", "due_on", "method", "done_at"]


# Bodies of the actions ----------------------------------------------------------------


class TriageSerializer(serializers.Serializer):
    risk = serializers.ChoiceField(label=_("risk level"), choices=Risk.choices)
    categories = serializers.ListField(
        label=_("categories"), child=serializers.ChoiceField(choices=Category.choices)
    )
    organization = serializers.PrimaryKeyRelatedField(
        label=_("handling organization"),
        queryset=SocialOrganization.objects.all(),
        required=False,
        allow_null=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.context.get("case")  # absent while the schema is drawn
        if case is not None:
            self.fields["organization"].queryset = SocialOrganization.objects.serving(
                case.federation
            )


NOT_A_WORKER = _("Assign the case to a worker of the handling organization or federation.")


class AssignSerializer(serializers.Serializer):
    """A worker who may take the case. Whether the id is nobody's or someone's out of reach,
    the answer is the same: it must not tell the caller who exists."""

    worker = serializers.PrimaryKeyRelatedField(
        label=_("assigned worker"),
        queryset=User.objects.active(),
        error_messages={"does_not_exist": NOT_A_WORKER},
    )

    def validate_worker(self, worker):
        case = self.context.get("case")  # absent while the schema is drawn
        if case is not None and not eligible_worker(worker, case):
            raise serializers.ValidationError(NOT_A_WORKER)
        return worker


class EscalateSerializer(serializers.Serializer):
    to_federation = serializers.PrimaryKeyRelatedField(
        label=_("to a federation below"), queryset=Federation.objects.all()
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        case = self.context.get("case")
        if case is not None:
            self.fields["to_federation"].queryset = case.federation.descendants()


class ResolveSerializer(serializers.Serializer):
    outcome = serializers.ChoiceField(label=_("outcome"), choices=Outcome.choices)
    note = serializers.CharField(label=_("note"), required=False, allow_blank=True, max_length=500)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(label=_("note"), required=False, allow_blank=True, max_length=500)


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("reason"), max_length=500)
