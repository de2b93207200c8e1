import django_filters
from django.utils.translation import gettext_lazy as _

from federation.filters import IdFilter, SubtreeFilter
from menu.choices import NeedStatus, OrderStatus, ServiceFormat
from menu.models import MenuItem, Need, ServiceOrder


class NeedFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices)
    domain = django_filters.CharFilter(field_name="domain__code", label=_("Service domain (code)"))
    unanswered = django_filters.BooleanFilter(
        method="filter_unanswered", label=_("Open and answered by no menu item or project")
    )

    class Meta:
        model = Need
        fields = ["within", "status", "domain", "unanswered"]

    def filter_unanswered(self, queryset, name, value):
        if value is None:
            return queryset
        unanswered = {
            "status": NeedStatus.OPEN,
            "menu_items__isnull": True,
            "projects__isnull": True,
        }
        return queryset.filter(**unanswered) if value else queryset.exclude(**unanswered)


class MenuItemFilterSet(django_filters.FilterSet):
    domain = django_filters.CharFilter(field_name="domain__code", label=_("Service domain (code)"))
    target_group = django_filters.CharFilter(
        field_name="target_groups__code", label=_("Target group (code)"), distinct=True
    )
    format = django_filters.ChoiceFilter(choices=ServiceFormat.choices)
    organization = IdFilter(field_name="organization_id", label=_("Organization (id)"))
    q = django_filters.CharFilter(
        field_name="title", lookup_expr="icontains", label=_("Title contains")
    )

    class Meta:
        model = MenuItem
        fields = ["domain", "target_group", "format", "organization", "q"]


class ServiceOrderFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices)
    item = IdFilter(field_name="item_id", label=_("Menu item (id)"))

    class Meta:
        model = ServiceOrder
        fields = ["within", "status", "item"]
