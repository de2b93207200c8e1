"""One filterset per model, shared by the API, the pages and the dashboards."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from federation.choices import Kind, Level
from federation.models import Federation

ID_SCHEMA = {"type": "integer", "minimum": 1, "maximum": 2**63 - 1}


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.NumberFilter):
    """A record id: a positive whole number."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", 2**63 - 1)
        super().__init__(*args, **kwargs)


class SubtreeFilter(IdFilter):
    """`?within=<id>`: that node and everything below it, if the user may see it."""

    def __init__(self, *args, path_lookup="federation__path", **kwargs):
        self.path_lookup = path_lookup
        kwargs.setdefault("label", _("Within federation (id, with its subtree)"))
        super().__init__(*args, method=self.filter_within, **kwargs)

    def filter_within(self, queryset, name, value):
        request = self.parent.request
        user = request.user if request else None
        node = Federation.objects.visible_to(user).filter(pk=value).only("path").first()
        if node is None:
            return queryset.none()
        return queryset.filter(**{f"{self.path_lookup}__startswith": node.path})


class FederationFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="path")
    level = django_filters.MultipleChoiceFilter(choices=Level.choices)
    kind = django_filters.ChoiceFilter(choices=Kind.choices)
    parent = IdFilter(field_name="parent_id", label=_("Parent federation (id)"))
    division_code = django_filters.CharFilter(
        field_name="division_code", lookup_expr="startswith", label=_("Division code starts with")
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name contains")
    )

    class Meta:
        model = Federation
        fields = ["within", "level", "kind", "parent", "division_code", "q", "is_active"]
