from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from volunteers.models import Opportunity, SignUp, Volunteer, VolunteerTeam


class VolunteerTeamSerializer(serializers.ModelSerializer):
    class Meta:
        model = VolunteerTeam
        fields = ["id", "name", "kind", "federation", "project", "leader", "status", "founded_on"]


class VolunteerSerializer(serializers.ModelSerializer):
    """Phone and ID numbers only masked: the API lists people."""

    phone = serializers.CharField(source="masked_phone", read_only=True)
    id_number = serializers.CharField(source="masked_id_number", read_only=True)

    class Meta:
        model = Volunteer
        fields = [
            "id",
            "name",
            "phone",
            "id_number",
            "federation",
            "organization",
            "skills",
            "former_beneficiary",
            "registered_on",
        ]


class OpportunitySerializer(serializers.ModelSerializer):
    places_taken = serializers.IntegerField(read_only=True)

    class Meta:
        model = Opportunity
        fields = [
            "id",
            "title",
            "description",
            "federation",
            "organization",
            "activity",
            "service_order",
            "starts_at",
            "ends_at",
            "place",
            "skills",
            "places",
            "places_taken",
            "status",
        ]


class SignUpSerializer(serializers.ModelSerializer):
    volunteer_name = serializers.CharField(source="volunteer.name", read_only=True)

    class Meta:
        model = SignUp
        fields = [
            "id",
            "opportunity",
            "volunteer",
            "volunteer_name",
            "status",
            "applied_at",
            "hours",
            "hours_confirmed_at",
        ]


class AttendSerializer(serializers.Serializer):
    hours = serializers.DecimalField(label=_("hours"), max_digits=6, decimal_places=1, min_value=0)
