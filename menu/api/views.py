from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action

from core.api import KeysetPagination, ScopedViewSetMixin, WorkflowActionsMixin, move_action
from menu import services
from menu.api.serializers import (
    AcceptSerializer,
    ClaimSerializer,
    ConfirmSerializer,
    DeclineSerializer,
    DeliverSerializer,
    DispatchSerializer,
    MenuItemSerializer,
    NeedSerializer,
    ScheduleSerializer,
    ServiceOrderSerializer,
)
from menu.filters import MenuItemFilterSet, NeedFilterSet, ServiceOrderFilterSet
from menu.models import MenuItem, Need, ServiceOrder
from menu.workflows import ORDER


class NeedViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """Needs collected in the caller's area (群众出题)."""

    queryset = Need.objects.select_related("domain", "target_group")
    serializer_class = NeedSerializer
    filterset_class = NeedFilterSet


class MenuItemViewSet(viewsets.ReadOnlyModelViewSet):
    """The menu: items published at or above the caller's federation, or her organization's own."""

    serializer_class = MenuItemSerializer
    filterset_class = MenuItemFilterSet

    def get_queryset(self):
        return (
            MenuItem.objects.available_to(self.request.user)
            .select_related("organization", "domain")
            .prefetch_related("target_groups")
        )


class ServiceOrderViewSet(
    WorkflowActionsMixin,
    ScopedViewSetMixin,
    mixins.CreateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):
    """Orders of the caller's area, or for her organization's items; moves as actions."""

    pagination_class = KeysetPagination
    queryset = ServiceOrder.objects.select_related(
        "item", "domain", "target_group"
    ).prefetch_related("needs")
    serializer_class = ServiceOrderSerializer
    filterset_class = ServiceOrderFilterSet
    process = ORDER
    record_name = "order"

    def perform_create(self, serializer):
        # Relations were limited to the caller's area by the serializer; the service
        # checks the rest (the item on her federation's menu, capacity, money).
        data = dict(serializer.validated_data)
        if data.get("item") is not None:
            for unused in ("title", "domain", "target_group", "needs"):
                data.pop(unused, None)
            serializer.instance = services.order_request(actor=self.request.user, **data)
        else:
            data.pop("item", None)
            serializer.instance = services.request_create(actor=self.request.user, **data)

    accept = move_action("accept", services.order_accept, AcceptSerializer)
    decline = move_action("decline", services.order_decline, DeclineSerializer)
    schedule = move_action("schedule", services.order_schedule, ScheduleSerializer)
    deliver = move_action("deliver", services.order_deliver, DeliverSerializer)
    confirm = move_action("confirm", services.order_confirm, ConfirmSerializer)
    cancel = move_action("cancel", services.order_cancel)

    @extend_schema(request=DispatchSerializer, responses=ServiceOrderSerializer)
    @action(detail=True, methods=["post"], url_path="dispatch", url_name="dispatch")
    def dispatch_request(self, request, pk=None):  # `dispatch` is the view's own method
        """派单: to a federation below or an organization serving the area; or open it for
        claiming (抢单) by organizations whose published items match its domain and area."""
        with transaction.atomic():
            order = self.get_object()
            data = self.body(DispatchSerializer, order)
            if data.pop("open_for_claim"):
                return self.make_move("open", services.order_open_for_claim)
            name = "dispatch-down" if data.get("to_federation") else "dispatch-organization"
            return self.make_move(name, services.order_dispatch, **data)

    claim = move_action("claim", services.order_claim, ClaimSerializer)
