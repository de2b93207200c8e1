from rest_framework import serializers

from federation.models import Federation, StaffMembership


class FederationSerializer(serializers.ModelSerializer):
    parent_name = serializers.CharField(
        source="parent.name", read_only=True, default=None, allow_null=True
    )
    level_display = serializers.CharField(source="get_level_display", read_only=True)

    class Meta:
        model = Federation
        fields = [
            "id",
            "name",
            "level",
            "level_display",
            "kind",
            "build_mode",
            "host_type",
            "division_code",
            "parent",
            "parent_name",
            "depth",
            "is_active",
        ]


class MembershipSerializer(serializers.ModelSerializer):
    federation_name = serializers.CharField(source="federation.name", read_only=True)
    role_display = serializers.CharField(source="get_role_display", read_only=True)

    class Meta:
        model = StaffMembership
        fields = ["id", "federation", "federation_name", "role", "role_display"]
