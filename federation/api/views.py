from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action

from core.api import ScopedViewSetMixin
from federation.api.serializers import FederationSerializer
from federation.filters import FederationFilterSet
from federation.models import Federation


class FederationViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The federation tree, as far as the caller may see it."""

    queryset = Federation.objects.with_parent()
    serializer_class = FederationSerializer
    filterset_class = FederationFilterSet

    @extend_schema(responses=FederationSerializer(many=True))
    @action(detail=True)
    def children(self, request, pk=None):
        """The node's direct children (paginated)."""
        node = self.get_object()
        children = self.filter_queryset(self.get_queryset().filter(parent=node))
        page = self.paginate_queryset(children)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
