import django_filters
from django.utils.translation import gettext_lazy as _

from federation.filters import IdFilter, SubtreeFilter
from projects.choices import ProjectStatus, ReportStatus
from projects.models import Application, Project, ProjectReport


class ProjectFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="funder__path")
    status = django_filters.MultipleChoiceFilter(choices=ProjectStatus.choices)
    domain = django_filters.CharFilter(field_name="domain__code", label=_("Service domain (code)"))
    implementer = IdFilter(field_name="implementer_id", label=_("Implementing organization (id)"))
    active_from = django_filters.DateFilter(
        field_name="period_end", lookup_expr="gte", label=_("Running on or after")
    )
    active_to = django_filters.DateFilter(
        field_name="period_start", lookup_expr="lte", label=_("Running on or before")
    )

    class Meta:
        model = Project
        fields = ["within", "status", "domain", "implementer", "active_from", "active_to"]


class ApplicationFilterSet(django_filters.FilterSet):
    project = IdFilter(field_name="project_id", label=_("Project (id)"))

    class Meta:
        model = Application
        fields = ["project", "status"]


class ProjectReportFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="project__funder__path")
    project = IdFilter(field_name="project_id", label=_("Project (id)"))
    status = django_filters.MultipleChoiceFilter(choices=ReportStatus.choices)
    period_from = django_filters.DateFilter(
        field_name="period__ends_on", lookup_expr="gte", label=_("Period ends on or after")
    )
    period_to = django_filters.DateFilter(
        field_name="period__starts_on", lookup_expr="lte", label=_("Period starts on or before")
    )

    class Meta:
        model = ProjectReport
        fields = ["within", "project", "status", "period_from", "period_to"]
