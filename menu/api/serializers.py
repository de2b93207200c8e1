from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import ScopedRelationsMixin
from federation.models import Federation
from menu.models import MenuItem, Need, ServiceOrder
from orgs.models import ServiceDomain, SocialOrganization, TargetGroup
from projects.models import Project


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
    """An order of a menu item (give `item`), or a request to dispatch or open for claiming
    (give `title` and `domain` instead)."""

    item_title = serializers.CharField(source="item.title", read_only=True, allow_null=True)
    title = serializers.CharField(max_length=200, required=False)
    domain = serializers.SlugRelatedField(
        slug_field="code", queryset=ServiceDomain.objects.all(), required=False
    )
    target_group = serializers.SlugRelatedField(
        slug_field="code", queryset=TargetGroup.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = ServiceOrder
        fields = [
            "id",
            "channel",
            "item",
            "item_title",
            "title",
            "domain",
            "target_group",
            "needs",
            "federation",
            "handler",
            "organization",
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
            "channel",
            "handler",
            "organization",
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
        extra_kwargs = {"item": {"required": False, "allow_null": True}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # A city's project may pay for what is ordered below it.
            self.fields["project"].queryset = Project.objects.payable_by(request.user)

    def validate(self, attrs):
        if attrs.get("item") is None and not (attrs.get("title") and attrs.get("domain")):
            raise serializers.ValidationError(
                _("Choose a menu item, or say what service is asked for and its domain.")
            )
        return attrs


class AcceptSerializer(serializers.Serializer):
    item = serializers.PrimaryKeyRelatedField(
        label=_("menu item"),
        queryset=MenuItem.objects.all(),
        required=False,
        help_text=_("Required for a dispatched request: which of your services answers it."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")  # absent while the schema is drawn
        if request is not None:
            self.fields["item"].queryset = MenuItem.objects.offered_by(request.user)


class ClaimSerializer(AcceptSerializer):
    item = serializers.PrimaryKeyRelatedField(label=_("menu item"), queryset=MenuItem.objects.all())


class DispatchSerializer(serializers.Serializer):
    """Exactly one of: a federation below, an organization serving the area, or claiming."""

    to_federation = serializers.PrimaryKeyRelatedField(
        label=_("to a federation below"), queryset=Federation.objects.all(), required=False
    )
    to_organization = serializers.PrimaryKeyRelatedField(
        label=_("to an organization"), queryset=SocialOrganization.objects.all(), required=False
    )
    open_for_claim = serializers.BooleanField(label=_("open for claiming"), default=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        order = self.context.get("order")  # absent while the schema is drawn
        if order is None:
            return
        handler = order.handler or order.federation
        self.fields["to_federation"].queryset = handler.descendants()
        self.fields["to_organization"].queryset = SocialOrganization.objects.serving(handler)

    def validate(self, attrs):
        chosen = [attrs.get("to_federation"), attrs.get("to_organization")]
        if sum(bool(choice) for choice in [*chosen, attrs["open_for_claim"]]) != 1:
            raise serializers.ValidationError(
                _("Dispatch to a federation below, or to an organization, or open it for claiming.")
            )
        return attrs


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
