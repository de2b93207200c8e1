"""What the public's pages and API read: places to choose from, and her own needs."""

from django.db.models import Prefetch
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cases.choices import ENDED_STATUSES, CaseStatus, Channel
from cases.models import Case
from core.scoping import SEGMENT_WIDTH
from federation.choices import Kind, Level
from federation.models import Federation
from menu.models import Need, ServiceOrder
from menu.services import PUBLIC_NEED_LEVELS

MAX_PLACES = 30


def places(*, search="", parent=None, levels=PUBLIC_NEED_LEVELS) -> list:
    """Places of these levels whose name holds `search`; else the places just below `parent`;
    else the provinces, from which she goes down."""
    regional = Federation.objects.filter(kind=Kind.REGIONAL)
    if search:
        found = regional.filter(name__contains=search, level__in=levels)
        return list(found.order_by("path")[:MAX_PLACES])
    if parent is not None:
        return list(regional.filter(parent=parent).order_by("name"))
    return list(regional.filter(level=Level.PROVINCE).order_by("name"))


def paths_above(place) -> list[str]:
    return [place.path[:end] for end in range(SEGMENT_WIDTH, len(place.path), SEGMENT_WIDTH)]


def place_labels(found) -> dict:
    """Each place with the places above it, below the province (槐荫区 营市街街道 …): one
    query for all."""
    above = {path for place in found for path in paths_above(place)}
    names = dict(Federation.objects.filter(path__in=above).values_list("path", "name"))
    return {
        place.pk: " › ".join(
            [*(names.get(path, "") for path in paths_above(place)[2:]), place.name]
        )
        for place in found
    }


def her_needs(user):
    """Her needs with what she follows of them (the need it was merged into, the orders)."""
    orders = ServiceOrder.objects.only("pk", "title", "status", "needs")
    return (
        Need.objects.posted_by_her(user)
        .select_related("federation", "merged_into", "domain")
        .prefetch_related(
            Prefetch("service_orders", queryset=orders),
            Prefetch("merged_into__service_orders", queryset=orders),
        )
    )


def her_help_requests(user):
    """The help she asked for: its number, where it went and its state — nothing she wrote."""
    return (
        Case.objects.filter(received_by=user, channel=Channel.ONLINE)
        .select_related("federation")
        .only("pk", "number", "received_at", "status", "federation__name")
        .order_by("-received_at")
    )


def public_help_status(status) -> str:
    """Her request's state in her words: received, being handled, finished (not the desk's)."""
    if status in (CaseStatus.RECEIVED, CaseStatus.TRIAGED):
        return pgettext("her request", "Received")
    if status in (CaseStatus.RESOLVED, CaseStatus.FOLLOW_UP, *ENDED_STATUSES):
        return _("Finished")
    return _("Being handled")
