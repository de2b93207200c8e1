import django_filters
from django.utils.translation import gettext_lazy as _

from cases.choices import CaseStatus, Category, Channel, Risk
from cases.models import Case, CaseEvent, FollowUp, Referral
from federation.filters import IdFilter, SubtreeFilter


class CaseFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    status = django_filters.MultipleChoiceFilter(choices=CaseStatus.choices)
    risk = django_filters.MultipleChoiceFilter(choices=Risk.choices)
    channel = django_filters.ChoiceFilter(choices=Channel.choices)
    category = django_filters.ChoiceFilter(
        choices=Category.choices, method="filter_category", label=_("Category")
    )
    received_after = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__gte", label=_("Received on or after")
    )
    received_before = django_filters.DateFilter(
        field_name="received_at", lookup_expr="date__lte", label=_("Received on or before")
    )

    class Meta:
        model = Case
        fields = ["within", "status", "risk", "channel", "category"]

    def filter_category(self, queryset, name, value):
        return queryset.filter(categories__contains=[value])


class CaseChildFilterSet(django_filters.FilterSet):
    case = IdFilter(field_name="case_id", label=_("Case (id)"))


class CaseEventFilterSet(CaseChildFilterSet):
    class Meta:
        model = CaseEvent
        fields = ["case", "kind"]


class ReferralFilterSet(CaseChildFilterSet):
    class Meta:
        model = Referral
        fields = ["case", "status"]


class FollowUpFilterSet(CaseChildFilterSet):
    class Meta:
        model = FollowUp
        fields = ["case", "kind"]
