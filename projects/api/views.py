from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from core.api import KeysetPagination, ScopedViewSetMixin, WorkflowActionsMixin, move_action
from projects import services
from projects.api.serializers import (
    ApplicationSerializer,
    ProjectReportSerializer,
    ProjectSerializer,
    ReviewSerializer,
)
from projects.filters import ApplicationFilterSet, ProjectFilterSet, ProjectReportFilterSet
from projects.models import Application, Project, ProjectReport
from projects.selectors import open_calls_for
from projects.workflows import APPLICATION, REPORT


class ProjectViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Projects funded in the caller's area, or carried out by her organization."""

    queryset = Project.objects.select_related("funder", "implementer", "domain").prefetch_related(
        "indicators"
    )
    serializer_class = ProjectSerializer
    filterset_class = ProjectFilterSet

    @extend_schema(responses=ProjectSerializer(many=True))
    @action(detail=False, url_path="open-calls")
    def open_calls(self, request):
        """Calls an organization of the caller's may apply to."""
        calls = self.filter_queryset(
            open_calls_for(request.user).select_related("funder", "domain")
        )
        page = self.paginate_queryset(calls.prefetch_related("indicators"))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class ApplicationViewSet(
    WorkflowActionsMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Applications to calls: an organization submits its own; the funder reviews them."""

    queryset = Application.objects.select_related("project", "organization")
    serializer_class = ApplicationSerializer
    filterset_class = ApplicationFilterSet
    process = APPLICATION
    record_name = "application"

    def perform_create(self, serializer):
        # The serializer offered only open calls and the caller's own organizations (an id
        # outside them reads as nonexistent); the service checks the rest.
        serializer.instance = services.application_submit(
            actor=self.request.user, **serializer.validated_data
        )

    withdraw = move_action("withdraw", services.application_withdraw)


class ProjectReportViewSet(
    WorkflowActionsMixin,
    ScopedViewSetMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Periodic project reports: the organization fills and submits, the funder reviews."""

    pagination_class = KeysetPagination
    queryset = ProjectReport.objects.select_related("project", "period").prefetch_related("values")
    serializer_class = ProjectReportSerializer
    filterset_class = ProjectReportFilterSet
    http_method_names = ["get", "patch", "post", "head", "options"]
    process = REPORT
    record_name = "report"

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        values = {
            row["indicator"]: (row["value"], row.get("denominator"))
            for row in data.pop("values", [])
        }
        serializer.instance = services.report_save(
            actor=self.request.user, report=serializer.instance, values=values, **data
        )

    submit = move_action("submit", services.report_submit)
    approve = move_action("approve", services.report_review, ReviewSerializer, approve=True)
    return_ = move_action("return", services.report_review, ReviewSerializer, approve=False)
