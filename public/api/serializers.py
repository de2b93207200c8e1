from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.phone import checked_number
from cases.choices import CaseStatus, Category, ContactTime, ContactWay
from cases.services import HELP_LEVELS
from federation.models import Federation
from menu.models import Need
from menu.services import PUBLIC_NEED_LEVELS
from orgs.models import ServiceDomain, TargetGroup
from volunteers.models import Opportunity, SignUp, Volunteer, VolunteerTeam
from volunteers.services import VOLUNTEER_LEVELS, volunteer_hours


class PhoneSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20)

    def validate_phone(self, value):
        try:
            return checked_number(value)
        except ValidationError as error:
            raise serializers.ValidationError(error.messages) from error


class PhoneCodeSerializer(PhoneSerializer):
    code = serializers.RegexField(r"^\s*\d{6}\s*$", max_length=8)


class PublicTokenSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class PlaceSerializer(serializers.ModelSerializer):
    choosable = serializers.SerializerMethodField()

    class Meta:
        model = Federation
        fields = ["id", "name", "level", "division_code", "choosable"]

    def get_choosable(self, place) -> bool:
        return place.level in PUBLIC_NEED_LEVELS


class PublicNeedSerializer(serializers.ModelSerializer):
    """Her need: what she wrote, where it went and how it goes."""

    place = serializers.PrimaryKeyRelatedField(
        source="federation",
        queryset=Federation.objects.filter(level__in=PUBLIC_NEED_LEVELS),
        help_text=_("Her village or community (or township): a place from /public/places/."),
    )
    place_name = serializers.CharField(source="federation.name", read_only=True)
    domain = serializers.PrimaryKeyRelatedField(queryset=ServiceDomain.objects.all())
    target_group = serializers.PrimaryKeyRelatedField(queryset=TargetGroup.objects.all())
    people_count = serializers.IntegerField(min_value=1, max_value=100000)
    progress = serializers.SerializerMethodField()
    progress_text = serializers.SerializerMethodField()

    class Meta:
        model = Need
        fields = [
            "id",
            "place",
            "place_name",
            "title",
            "description",
            "domain",
            "target_group",
            "people_count",
            "created_at",
            "progress",
            "progress_text",
            "rating",
            "feedback",
        ]
        read_only_fields = ["created_at", "rating", "feedback"]

    def get_progress(self, need) -> str:
        return need.progress()[0]

    def get_progress_text(self, need) -> str:
        return str(need.progress()[1])


class RatingSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5)
    feedback = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class HelpRequestSerializer(serializers.Serializer):
    """求助: her answers in, only the request's number and state out — never what she wrote."""

    place = serializers.PrimaryKeyRelatedField(
        queryset=Federation.objects.filter(level__in=HELP_LEVELS), write_only=True
    )
    in_danger_now = serializers.BooleanField(write_only=True)
    hurt_or_threatened = serializers.BooleanField(write_only=True)
    children_at_risk = serializers.BooleanField(write_only=True)
    categories = serializers.MultipleChoiceField(choices=Category.choices, write_only=True)
    words = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, write_only=True
    )
    name = serializers.CharField(max_length=40, required=False, allow_blank=True, write_only=True)
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, write_only=True)
    contact_way = serializers.ChoiceField(choices=ContactWay.choices, write_only=True)
    contact_time = serializers.ChoiceField(choices=ContactTime.choices, write_only=True)
    consent = serializers.BooleanField(write_only=True)
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)
    received_at = serializers.DateTimeField(read_only=True)
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    status = serializers.ChoiceField(choices=CaseStatus.choices, read_only=True)

    def validate_consent(self, value):
        if not value:
            raise serializers.ValidationError(
                _("Help is asked for with your consent to the use of what you write.")
            )
        return value

    def validate_phone(self, value):
        return PhoneSerializer().validate_phone(value) if value.strip() else ""


class PublicVolunteerSerializer(serializers.ModelSerializer):
    """Her volunteer record: registering (write) and where she stands (read)."""

    place = serializers.PrimaryKeyRelatedField(
        source="federation",
        queryset=Federation.objects.filter(level__in=VOLUNTEER_LEVELS),
        write_only=True,
    )
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    id_number = serializers.CharField(max_length=18, write_only=True)
    skills = serializers.ListField(
        child=serializers.CharField(max_length=30), max_length=10, required=False
    )
    team = serializers.PrimaryKeyRelatedField(
        source="wanted_team", queryset=VolunteerTeam.objects.all(), required=False, allow_null=True
    )
    consent = serializers.BooleanField(write_only=True)
    hours = serializers.SerializerMethodField()

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "place",
            "federation_name",
            "name",
            "id_number",
            "skills",
            "availability",
            "team",
            "consent",
            "status",
            "decision_reason",
            "hours",
        ]
        read_only_fields = ["status", "decision_reason"]

    def get_hours(self, volunteer) -> str:
        return str(volunteer_hours(volunteer)) if volunteer.pk else "0"


class PublicOpportunitySerializer(serializers.ModelSerializer):
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    places_taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "title",
            "federation_name",
            "starts_at",
            "ends_at",
            "place",
            "places",
            "places_taken",
        ]


class PublicSignUpSerializer(serializers.ModelSerializer):
    opportunity = PublicOpportunitySerializer(read_only=True)

    class Meta:
        model = SignUp
        fields = [
            "id",
            "opportunity",
            "status",
            "checked_in_at",
            "checked_out_at",
            "proposed_hours",
            "hours",
        ]


class CheckSerializer(serializers.Serializer):
    token = serializers.CharField(max_length=200, help_text=_("What the activity's QR code holds."))
