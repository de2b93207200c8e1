import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from federation.filters import IdFilter, SubtreeFilter
from federation.models import Federation, path_and_ancestors
from menu.choices import NeedStatus, OrderChannel, OrderStatus, ServiceFormat
from menu.models import MenuItem, Need, ServiceOrder
from orgs.models import ServiceDomain, SocialOrganization, TargetGroup


class NeedFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    status = django_filters.ChoiceFilter(choices=NeedStatus.choices)
    domain = django_filters.CharFilter(field_name="domain__code", label=_("Service domain (code)"))
    unanswered = django_filters.BooleanFilter(
        method="filter_unanswered", label=_("Open and answered by no menu item, project or request")
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
            "service_orders__isnull": True,
        }
        return queryset.filter(**unanswered) if value else queryset.exclude(**unanswered)


def organizations_on_the_menu(request):
    if request is None:
        return SocialOrganization.objects.none()
    return SocialOrganization.objects.filter(
        pk__in=MenuItem.objects.available_to(request.user).values("organization_id")
    )


def federations_of(request):
    if request is None:
        return Federation.objects.none()
    return Federation.objects.visible_to(request.user)


class MenuItemFilterSet(django_filters.FilterSet):
    """Shared by the API and the menu page: codes for vocabularies, ids for the rest."""

    domain = django_filters.ModelChoiceFilter(
        queryset=ServiceDomain.objects.all(), to_field_name="code", label=_("Service domain")
    )
    target_group = django_filters.ModelChoiceFilter(
        field_name="target_groups",
        queryset=TargetGroup.objects.all(),
        to_field_name="code",
        label=_("Target group"),
        distinct=True,
    )
    format = django_filters.ChoiceFilter(choices=ServiceFormat.choices, label=_("format"))
    organization = django_filters.ModelChoiceFilter(
        queryset=organizations_on_the_menu, label=_("Organization")
    )
    area = django_filters.ModelChoiceFilter(
        field_name="areas",
        queryset=federations_of,
        method="filter_deliverable_in",
        label=_("Can be delivered in"),
    )
    q = django_filters.CharFilter(method="filter_search", label=_("Search"))

    class Meta:
        model = MenuItem
        fields = ["domain", "target_group", "format", "organization", "area", "q"]

    def filter_deliverable_in(self, queryset, name, federation):
        """Items that name no areas, or one at or above this place."""
        deliverable = Q(areas__isnull=True) | Q(areas__path__in=path_and_ancestors(federation.path))
        return queryset.filter(pk__in=MenuItem.objects.filter(deliverable).values("pk"))

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(title__icontains=value)
            | Q(description__icontains=value)
            | Q(organization__name__icontains=value)
        )


class ServiceOrderFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices)
    channel = django_filters.ChoiceFilter(choices=OrderChannel.choices)
    item = IdFilter(field_name="item_id", label=_("Menu item (id)"))

    class Meta:
        model = ServiceOrder
        fields = ["within", "status", "channel", "item"]
