from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.models import User
from federation.api.serializers import MembershipSerializer


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("username"), max_length=150)
    password = serializers.CharField(
        label=_("password"), max_length=128, style={"input_type": "password"}, trim_whitespace=False
    )
    otp_code = serializers.CharField(
        label=_("code from the authenticator app"),
        help_text=_(
            "Required of case staff and administrators: the six-digit code of their "
            "authenticator app, or a backup code."
        ),
        max_length=16,
        required=False,
        default="",
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(read_only=True)
    expiry = serializers.DateTimeField(read_only=True)


class MeSerializer(serializers.ModelSerializer):
    memberships = MembershipSerializer(source="active_memberships", many=True, read_only=True)
    roles = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = ["id", "username", "name", "email", "is_superuser", "memberships", "roles"]

    def get_roles(self, user) -> list[str]:
        return sorted({membership.role for membership in user.active_memberships})
