"""Telling both sides of an order what happened, and what is coming — each message once."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from menu.choices import OrderStatus
from menu.models import ServiceOrder
from notifications.services import notify
from orgs.models import OrgMembership

# event: (who is told, message)
ORDER_EVENTS = {
    "requested": ("organization", gettext_noop("New order: %(item)s for %(federation)s")),
    "accepted": ("orderer", gettext_noop("Order accepted: %(item)s")),
    "declined": ("orderer", gettext_noop("Order declined: %(item)s")),
    "scheduled": ("orderer", gettext_noop("Order scheduled: %(item)s")),
    "tomorrow": ("both", gettext_noop("Tomorrow: %(item)s at %(federation)s")),
    "rate": ("orderer", gettext_noop("Please rate the service: %(item)s")),
}


def organization_staff(order):
    memberships = OrgMembership.objects.filter(
        organization_id=order.item.organization_id, is_active=True
    ).select_related("user")
    return [membership.user for membership in memberships]


def recipients(order, who):
    people = []
    if who in {"organization", "both"}:
        people += organization_staff(order)
    if who in {"orderer", "both"}:
        people.append(order.requested_by)
    return people


def tell(order, event, key_suffix="") -> int:
    who, template = ORDER_EVENTS[event]
    with override("zh-hans"):
        title = _(template) % {"item": order.item.title, "federation": order.federation.name}
    sent = 0
    for user in recipients(order, who):
        created = notify(user=user, key=f"order-{event}:{order.pk}{key_suffix}", title=title)
        sent += created is not None
    return sent


@shared_task
def notify_order_event(order_id: int, event: str) -> int:
    order = ServiceOrder.objects.select_related("item", "federation", "requested_by").get(
        pk=order_id
    )
    return tell(order, event)


@shared_task
def remind_orders(today_iso: str | None = None) -> int:
    """The day before delivery, both sides; after delivery, the orderer to rate it."""
    today = (
        timezone.localdate()
        if today_iso is None
        else timezone.datetime.fromisoformat(today_iso).date()
    )
    orders = ServiceOrder.objects.select_related("item", "federation", "requested_by")
    sent = 0
    for order in orders.filter(
        status=OrderStatus.SCHEDULED, scheduled_at__date=today + timedelta(days=1)
    ):
        sent += tell(order, "tomorrow", f":{order.scheduled_at:%Y-%m-%d}")
    for order in orders.filter(status=OrderStatus.DELIVERED):
        sent += tell(order, "rate")
    return sent
