from decimal import Decimal

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api import ScopedRelationsMixin
from projects.models import Application, Indicator, IndicatorValue, Project, ProjectReport
from projects.selectors import open_calls_for

MONEY = {"max_digits": 14, "decimal_places": 2, "min_value": Decimal("0")}
NOT_THIS_PROJECTS_INDICATOR = _("Choose an indicator of this report's project.")


class IndicatorSerializer(serializers.ModelSerializer):
    class Meta:
        model = Indicator
        fields = ["id", "name", "unit", "kind", "cumulative", "target", "target_denominator"]


class ProjectSerializer(serializers.ModelSerializer):
    funder_name = serializers.CharField(source="funder.name", read_only=True)
    implementer_name = serializers.CharField(
        source="implementer.name", read_only=True, default=None, allow_null=True
    )
    domain = serializers.SlugRelatedField(slug_field="code", read_only=True)
    indicators = IndicatorSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id",
            "code",
            "title",
            "funder",
            "funder_name",
            "implementer",
            "implementer_name",
            "domain",
            "procurement_mode",
            "budget",
            "period_start",
            "period_end",
            "reporting_frequency",
            "status",
            "call_closes_on",
            "indicators",
        ]


class ApplicationSerializer(ScopedRelationsMixin, serializers.ModelSerializer):
    requested_amount = serializers.DecimalField(**MONEY)

    class Meta:
        model = Application
        fields = [
            "id",
            "project",
            "organization",
            "proposal",
            "requested_amount",
            "status",
            "submitted_at",
        ]
        read_only_fields = ["status", "submitted_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["project"].queryset = open_calls_for(request.user)


class IndicatorValueSerializer(serializers.ModelSerializer):
    """One figure of the report. The indicator is looked up among the report's project's
    only: another project's reads exactly like one that does not exist."""

    value = serializers.DecimalField(**MONEY)
    denominator = serializers.DecimalField(**MONEY, required=False, allow_null=True)

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "value", "denominator"]
        extra_kwargs = {
            "indicator": {
                "queryset": Indicator.objects.all(),
                "error_messages": {"does_not_exist": NOT_THIS_PROJECTS_INDICATOR},
            }
        }


class ProjectReportSerializer(serializers.ModelSerializer):
    period_start = serializers.DateField(source="period.starts_on", read_only=True)
    period_end = serializers.DateField(source="period.ends_on", read_only=True)
    due_on = serializers.DateField(source="period.due_on", read_only=True)
    spending = serializers.DecimalField(**MONEY, required=False)
    values = IndicatorValueSerializer(many=True, required=False)

    class Meta:
        model = ProjectReport
        fields = [
            "id",
            "project",
            "period_start",
            "period_end",
            "due_on",
            "status",
            "narrative",
            "activities_held",
            "women_served",
            "children_served",
            "families_served",
            "spending",
            "values",
            "reviewer_comment",
            "on_time",
            "first_submitted_at",
            "approved_at",
        ]
        read_only_fields = [
            "project",
            "status",
            "reviewer_comment",
            "on_time",
            "first_submitted_at",
            "approved_at",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if isinstance(self.instance, ProjectReport):
            indicator = self.fields["values"].child.fields["indicator"]
            indicator.queryset = self.instance.project.indicators.all()


class ReviewSerializer(serializers.Serializer):
    comment = serializers.CharField(
        label=_("comment"), required=False, allow_blank=True, max_length=4000
    )
