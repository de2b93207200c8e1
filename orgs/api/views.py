from rest_framework import viewsets

from core.api import ScopedViewSetMixin
from orgs.api.serializers import OrganizationSerializer
from orgs.filters import OrganizationFilterSet
from orgs.models import SocialOrganization


class OrganizationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Social organizations guided within the caller's area, or the caller's own."""

    queryset = SocialOrganization.objects.select_related("guiding_federation").prefetch_related(
        "service_domains"
    )
    serializer_class = OrganizationSerializer
    filterset_class = OrganizationFilterSet
