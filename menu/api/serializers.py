from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from config.api import ScopedRelationsMixin
from menu.models import MenuItem, Need, ServiceOrder


class NeedSerializer(serializers.ModelSerializer):
    domain = serializers.SlugRelatedField(slug_field="code", read_only=True)
    target_group = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = Need
        fields = [
            "id",
            "federation",
            "title",
            "description",
            "domain",
            "target_group",
            "people_count",
            "source",
            "status",
        ]


class MenuItemSerializer(serializers.ModelSerializer):
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    domain = serializers.SlugRelatedField(slug_field="code", read_only=True)
    target_groups = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = MenuItem
        fields = [
            "id",
            "organization",
            "organization_name",
            "title",
            "description",
            "domain",
            "target_groups",
            "format",
            "duration_minutes",
            "capacity_per_session",
            "sessions_per_month",
            "unit_cost",
            "eligibility",
            "min_age",
            "max_age",
            "availability",
            "status",
        ]


class ServiceOrderSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    item_title = serializers.CharField(source="item.title", read_only=True)

    class Meta:
        model = ServiceOrder
        fields = [
            "id",
            "item",
            "item_title",
            "federation",
            "venue",
            "window_start",
            "window_end",
            "expected_participants",
            "project",
            "cost",
            "status",
            "decline_reason",
            "scheduled_at",
            "place",
            "actual_participants",
            "volunteers",
            "rating",
            "feedback",
        ]
        read_only_fields = [
            "cost",
            "status",
            "decline_reason",
            "scheduled_at",
            "place",
            "actual_participants",
            "volunteers",
            "rating",
            "feedback",
        ]


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(label=_("reason for declining"), max_length=300)


class ScheduleSerializer(serializers.Serializer):
    scheduled_at = serializers.DateTimeField(label=_("scheduled for"))
    place = serializers.CharField(label=_("place"), max_length=200)


class DeliverSerializer(serializers.Serializer):
    actual_participants = serializers.IntegerField(
        label=_("actual participants"), min_value=0, max_value=100000
    )
    volunteers = serializers.IntegerField(
        label=_("volunteers"), min_value=0, max_value=100000, default=0
    )


class ConfirmSerializer(serializers.Serializer):
    rating = serializers.IntegerField(label=_("rating"), min_value=1, max_value=5)
    feedback = serializers.CharField(
        label=_("feedback"), required=False, allow_blank=True, max_length=2000
    )
