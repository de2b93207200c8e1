import django_filters
from django.utils.translation import gettext_lazy as _

from federation.filters import IdFilter, SubtreeFilter
from volunteers.choices import OpportunityStatus, SignUpStatus, TeamKind
from volunteers.models import Opportunity, SignUp, Volunteer, VolunteerTeam


class VolunteerTeamFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    kind = django_filters.ChoiceFilter(choices=TeamKind.choices)

    class Meta:
        model = VolunteerTeam
        fields = ["within", "kind", "status"]


class VolunteerFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()

    class Meta:
        model = Volunteer
        fields = ["within", "former_beneficiary"]


class OpportunityFilterSet(django_filters.FilterSet):
    within = SubtreeFilter()
    status = django_filters.ChoiceFilter(choices=OpportunityStatus.choices)
    starts_after = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__gte", label=_("Starts on or after")
    )

    class Meta:
        model = Opportunity
        fields = ["within", "status", "starts_after"]


class SignUpFilterSet(django_filters.FilterSet):
    within = SubtreeFilter(path_lookup="opportunity__federation__path")
    status = django_filters.MultipleChoiceFilter(choices=SignUpStatus.choices)
    opportunity = IdFilter(field_name="opportunity_id", label=_("Opportunity (id)"))

    class Meta:
        model = SignUp
        fields = ["within", "status", "opportunity"]
