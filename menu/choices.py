from django.db import models
from django.utils.translation import gettext_lazy as _


class NeedSource(models.TextChoices):
    PUBLIC = "public", _("Posted by the public online")
    SURVEY = "survey", _("Survey")
    VISIT = "visit", _("Home or community visit")
    VOLUNTEER = "volunteer", _("Reported by a volunteer")
    HOTLINE = "hotline", _("Hotline")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting review")
    OPEN = "open", _("Open")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    MERGED = "merged", _("Merged into another need")


class ServiceFormat(models.TextChoices):
    LECTURE = "lecture", _("Lecture")
    WORKSHOP = "workshop", _("Workshop")
    GROUP = "group", _("Group work")
    INDIVIDUAL = "individual", _("Individual service")
    CLINIC = "clinic", _("Free clinic")
    TRAINING = "training", _("Training")


class ItemStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    PAUSED = "paused", _("Paused")
    RETIRED = "retired", _("Retired")


class PublicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class OrderStatus(models.TextChoices):
    NEW = "new", _("Awaiting dispatch")
    OPEN = "open", _("Open for claiming")
    REQUESTED = "requested", _("Requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    SCHEDULED = "scheduled", _("Scheduled")
    DELIVERED = "delivered", _("Delivered")
    CONFIRMED = "confirmed", _("Confirmed and rated")
    CANCELLED = "cancelled", _("Cancelled")


class OrderChannel(models.TextChoices):
    """How the order reached its organization: 点单 → 派单 → 抢单."""

    ORDER = "order", _("Ordered from the menu")
    DISPATCH = "dispatch", _("Dispatched")
    CLAIM = "claim", _("Claimed")


# Orders that hold a session of the item's monthly capacity (and money of a project).
DELIVERED_ORDER_STATUSES = (OrderStatus.DELIVERED, OrderStatus.CONFIRMED)

ACTIVE_ORDER_STATUSES = (
    OrderStatus.REQUESTED,
    OrderStatus.ACCEPTED,
    OrderStatus.SCHEDULED,
    OrderStatus.DELIVERED,
    OrderStatus.CONFIRMED,
)

# Orders still waiting for an organization: no item, no session, no money held yet.
UNASSIGNED_ORDER_STATUSES = (OrderStatus.NEW, OrderStatus.OPEN)
