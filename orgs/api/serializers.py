from rest_framework import serializers

from orgs.models import SocialOrganization


class OrganizationSerializer(serializers.ModelSerializer):
    guiding_federation_name = serializers.CharField(
        source="guiding_federation.name", read_only=True
    )
    service_domains = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = SocialOrganization
        fields = [
            "id",
            "name",
            "credit_code",
            "legal_form",
            "registered_on",
            "registration_authority",
            "guiding_federation",
            "guiding_federation_name",
            "relationship",
            "service_domains",
            "staff_count",
            "member_count",
            "female_practitioner_count",
            "honours",
            "status",
        ]
