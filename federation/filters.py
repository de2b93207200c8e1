"""One filterset per model, shared by the API, the pages and the dashboards."""

import django_filters
from django.utils.translation import gettext_lazy as _

from federation.choices import Kind, Level
from federation.models import Federation


class SubtreeFilter(django_filters.NumberFilter):
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
    parent = django_filters.NumberFilter(field_name="parent_id", label=_("Parent federation (id)"))
    division_code = django_filters.CharFilter(
        field_name="division_code", lookup_expr="startswith", label=_("Division code starts with")
    )
    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label=_("Name contains"))

    class Meta:
        model = Federation
        fields = ["within", "level", "kind", "parent", "division_code", "q", "is_active"]
