"""Telling both sides of an order what happened, and what is coming — each message once."""

from datetime import timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override

from federation.models import StaffMembership
from menu.choices import OrderStatus
from menu.models import MenuItem, MenuPublication, Need, ServiceOrder
from menu.workflows import ORDERING_ROLES
from notifications.services import notify
from orgs.models import OrgMembership

# event: (who is told, message)
ORDER_EVENTS = {
    "requested": ("organization", gettext_noop("New order: %(item)s for %(federation)s")),
    "dispatched": ("handler", gettext_noop("Request to dispatch: %(item)s for %(federation)s")),
    "open": ("candidates", gettext_noop("Open for claiming: %(item)s for %(federation)s")),
    "claimed": ("orderer", gettext_noop("Request claimed: %(item)s")),
    "taken": ("candidates", gettext_noop("Already taken by another organization: %(item)s")),
    "returned": ("handler", gettext_noop("Request returned by the organization: %(item)s")),
    "accepted": ("orderer", gettext_noop("Order accepted: %(item)s")),
    "declined": ("orderer", gettext_noop("Order declined: %(item)s")),
    "scheduled": ("orderer", gettext_noop("Order scheduled: %(item)s")),
    "delivered": ("orderer", gettext_noop("Delivered: %(item)s. Please confirm and rate it")),
    "cancelled": ("organization", gettext_noop("Order cancelled: %(item)s")),
    "tomorrow": ("both", gettext_noop("Tomorrow: %(item)s at %(federation)s")),
    "rate": ("orderer", gettext_noop("Please rate the service: %(item)s")),
}


def staff_of_organizations(organization_ids):
    memberships = (
        OrgMembership.objects.effective()
        .filter(organization_id__in=organization_ids)
        .select_related("user")
    )
    return [membership.user for membership in memberships]


def federation_staff(federation):
    memberships = (
        StaffMembership.objects.effective()
        .filter(federation=federation, role__in=ORDERING_ROLES)
        .select_related("user")
    )
    return list({membership.user for membership in memberships})


def candidate_organization_ids(order):
    """Organizations that could claim the request, but do not hold it."""
    return (
        MenuItem.objects.qualified_for(order)
        .exclude(organization_id=order.organization_id)
        .values_list("organization_id", flat=True)
        .distinct()
    )


def recipients(order, who):
    if who == "organization":
        return staff_of_organizations([order.organization_id])
    if who == "orderer":
        return [order.requested_by]
    if who == "both":
        return [*staff_of_organizations([order.organization_id]), order.requested_by]
    if who == "handler":
        return federation_staff(order.handler)
    return staff_of_organizations(candidate_organization_ids(order))


def tell(order, event, key_suffix="") -> int:
    who, template = ORDER_EVENTS[event]
    with override("zh-hans"):
        title = _(template) % {"item": order.title, "federation": order.federation.name}
    sent = 0
    for user in recipients(order, who):
        created = notify(
            user=user,
            key=f"order-{event}:{order.pk}{key_suffix}",
            title=title,
            url=order.get_absolute_url(),
        )
        sent += created is not None
    return sent


@shared_task
def notify_order_event(order_id: int, event: str) -> int:
    order = ServiceOrder.objects.select_related("item", "federation", "requested_by").get(
        pk=order_id
    )
    return tell(order, event)


NEED_EVENTS = {
    "published": gettext_noop("Your need was accepted: %(need)s"),
    "rejected": gettext_noop("Your need was not accepted: %(reason)s"),
    "merged": gettext_noop("Your need joins a need already posted: %(need)s"),
    "answered": gettext_noop("A service answers your need: %(need)s"),
    "delivered": gettext_noop("The service for your need was delivered. Please rate it"),
}


@shared_task
def notify_need_event(need_id: int, event: str) -> int:
    """Her need's progress, to the woman who posted it and to those whose needs were merged
    into it (by text message too where she agreed)."""
    need = Need.objects.select_related("posted_by").get(pk=need_id)
    with override("zh-hans"):
        title = _(NEED_EVENTS[event]) % {"need": need.title, "reason": need.decision_reason}
    told = [need]
    if event not in ("rejected", "merged"):
        told += list(need.duplicates.select_related("posted_by"))
    return sum(
        notify(
            user=each.posted_by,
            key=f"need-{event}:{each.pk}",
            title=title,
            url=reverse("public-need", args=[each.pk]),
        )
        is not None
        for each in told
        if each.posted_by is not None
    )


PUBLICATION_EVENTS = {
    "pending": gettext_noop("To approve for your menu: %(item)s (%(organization)s)"),
    "published": gettext_noop("On %(federation)s's menu: %(item)s"),
}


@shared_task
def notify_publication_event(publication_id: int, event: str) -> int:
    """Pending: the federation's staff, who approve it. Published: the organization's staff."""
    publication = MenuPublication.objects.select_related("item__organization", "federation").get(
        pk=publication_id
    )
    with override("zh-hans"):
        title = _(PUBLICATION_EVENTS[event]) % {
            "item": publication.item.title,
            "organization": publication.item.organization.name,
            "federation": publication.federation.name,
        }
    if event == "pending":
        recipients = federation_staff(publication.federation)
        url = reverse("admin:menu_menupublication_change", args=[publication.pk])
    else:
        recipients = staff_of_organizations([publication.item.organization_id])
        url = reverse("portal-services")
    key = f"publication-{event}:{publication.pk}"
    if publication.decided_at:  # published again after a withdrawal: told again
        key += f":{publication.decided_at:%Y%m%d%H%M%S}"
    return sum(notify(user=user, key=key, title=title, url=url) is not None for user in recipients)


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
