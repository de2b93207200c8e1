"""The register's API filters."""

import django_filters
from django.utils.translation import gettext_lazy as _

from federation.filters import IdFilter, SubtreeFilter
from people.choices import PairingStatus, PersonKind, StipendStatus
from people.models import Claim, Donation, InsurancePolicy, Pairing, Payout, Person, Stipend
from people.selectors import stipends_awaiting


class PersonFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    kind = django_filters.ChoiceFilter(choices=PersonKind.choices)

    class Meta:
        model = Person
        fields = ["within", "kind"]


class PairingFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="person__federation__path")
    person = IdFilter(field_name="person_id", label=_("Person served (id)"))
    fund = IdFilter(field_name="fund_id", label=_("Special fund (id)"))
    status = django_filters.ChoiceFilter(choices=PairingStatus.choices)

    class Meta:
        model = Pairing
        fields = ["within", "person", "fund", "status"]


class StipendFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="pairing__person__federation__path")
    pairing = IdFilter(field_name="pairing_id", label=_("Pairing (id)"))
    status = django_filters.MultipleChoiceFilter(choices=StipendStatus.choices)
    waiting = django_filters.BooleanFilter(
        method="filter_waiting", label=_("Due and waiting for your check")
    )

    class Meta:
        model = Stipend
        fields = ["within", "pairing", "status", "waiting"]

    def filter_waiting(self, queryset, name, value):
        waiting = stipends_awaiting(self.request.user).values("pk")
        return queryset.filter(pk__in=waiting) if value else queryset.exclude(pk__in=waiting)


class FundChildFilterSet(django_filters.FilterSet):
    fund = IdFilter(field_name="fund_id", label=_("Special fund (id)"))


class DonationFilterSet(FundChildFilterSet):
    class Meta:
        model = Donation
        fields = ["fund"]


class PayoutFilterSet(FundChildFilterSet):
    class Meta:
        model = Payout
        fields = ["fund", "kind"]


class InsurancePolicyFilterSet(FundChildFilterSet):
    class Meta:
        model = InsurancePolicy
        fields = ["fund"]


class ClaimFilterSet(django_filters.FilterSet):
    policy = IdFilter(field_name="policy_id", label=_("Insurance policy (id)"))
    person = IdFilter(field_name="person_id", label=_("Person served (id)"))

    class Meta:
        model = Claim
        fields = ["policy", "person"]
