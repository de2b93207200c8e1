from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from accounts.phone import checked_number
from federation.models import Federation
from menu.models import Need
from menu.services import PUBLIC_NEED_LEVELS
from orgs.models import ServiceDomain, TargetGroup


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
