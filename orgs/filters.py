import django_filters
from django.utils.translation import gettext_lazy as _

from federation.filters import SubtreeFilter
from orgs.choices import LegalForm, OrgStatus, Relationship
from orgs.models import SocialOrganization


class OrganizationFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="guiding_federation__path")
    legal_form = django_filters.ChoiceFilter(choices=LegalForm.choices)
    relationship = django_filters.ChoiceFilter(choices=Relationship.choices)
    status = django_filters.ChoiceFilter(choices=OrgStatus.choices)
    domain = django_filters.CharFilter(
        field_name="service_domains__code", label=_("Service domain (code)"), distinct=True
    )
    q = django_filters.CharFilter(
        field_name="name", lookup_expr="icontains", label=_("Name contains")
    )

    class Meta:
        model = SocialOrganization
        fields = ["within", "legal_form", "relationship", "status", "domain", "q"]
