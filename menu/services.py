"""Workflow of the service menu: publishing items and the life of an order.

点单 (a federation orders an item) or 派单 / 抢单 (a request is dispatched to an organization,
or opened for the first qualified organization to claim) → 接单 → delivery → 评单.
"""

import secrets
from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import InvalidTransition, NotAllowed, ServiceError
from core.workflow import locked
from federation.choices import Level
from menu.choices import (
    ACTIVE_ORDER_STATUSES,
    DELIVERED_ORDER_STATUSES,
    ItemStatus,
    NeedSource,
    NeedStatus,
    OrderChannel,
    OrderStatus,
    PublicationStatus,
)
from menu.models import MenuItem, MenuPublication, Need, OrderPhoto, RatingCard, ServiceOrder
from menu.workflows import (
    NEED,
    ORDER,
    ORDERING_ROLES,  # noqa: F401 - who orders, for the pages and the notices
    PUBLICATION,
    require_federation_role,
    require_organization_staff,
)
from orgs.models import SocialOrganization
from projects.models import Activity, Project

# Needs posted by the public (提需求) ----------------------------------------------------------

PUBLIC_NEED_LEVELS = (Level.VILLAGE, Level.TOWNSHIP)


def need_post(
    *, actor, federation, title, description, domain, target_group, people_count, photo=None
) -> Need:
    """A woman or a village worker posts a need where she lives (her village or community, or
    her township): it waits for the review of the federation's staff."""
    if not actor.is_public:
        raise NotAllowed(_("Needs are posted here with a phone sign-in."))
    if federation.level not in PUBLIC_NEED_LEVELS:
        raise ServiceError(_("Choose your village or community (or your township)."))
    if people_count < 1:
        raise ServiceError(_("At least one person is concerned."))
    if not title.strip():
        raise ServiceError(_("Say in a few words what is needed."))
    need = Need(
        federation=federation,
        title=title.strip(),
        description=description.strip(),
        domain=domain,
        target_group=target_group,
        people_count=people_count,
        source=NeedSource.PUBLIC,
        status=NeedStatus.PENDING,
        posted_by=actor,
    )
    if photo:
        need.photo = Need._meta.get_field("photo").policy.check(photo)
    need.save()
    return need


def need_publish(*, actor, need) -> Need:
    return NEED.make("publish", actor=actor, record=need)


def need_reject(*, actor, need, reason) -> Need:
    return NEED.make(
        "reject", actor=actor, record=need, reason=reason, decision_reason=reason.strip()[:200]
    )


def need_merge(*, actor, need, into) -> Need:
    """The need repeats `into` (same place, same want): it joins it, and its poster follows
    `into` from now on."""
    into = Need.objects.select_related("federation").get(pk=into.pk)
    if into.pk == need.pk or into.merged_into_id is not None:
        raise ServiceError(_("Merge into another need that is not itself merged."))
    if not into.federation.is_within(need.federation) and not need.federation.is_within(
        into.federation
    ):
        raise ServiceError(_("Merge needs of the same place."))
    if into.status not in (NeedStatus.OPEN, NeedStatus.ANSWERED):
        raise ServiceError(_("Merge into a need that is accepted."))
    return NEED.make("merge", actor=actor, record=need, merged_into=into)


def needs_answered(needs) -> None:
    """An order now answers these needs: the accepted ones are answered, their posters told."""
    for need in needs:
        if need.status == NeedStatus.OPEN:
            need.status, need.answered_at = NeedStatus.ANSWERED, timezone.now()
            need.save(update_fields=["status", "answered_at"])
            NEED.tell(need, "answered")


def need_rate(*, actor, need, rating, feedback="") -> Need:
    """She rates the service that answered her need, once it is delivered; once."""
    if need.posted_by_id != actor.pk:
        raise NotAllowed(_("Only the person who posted the need rates it."))
    if rating not in range(1, 6):
        raise ServiceError(_("Rate the service from 1 to 5."))
    with transaction.atomic():
        need = locked(need)
        if need.rating is not None:
            raise InvalidTransition(_("You have rated this service already."))
        if not need.followed().service_orders.filter(status__in=DELIVERED_ORDER_STATUSES).exists():
            raise InvalidTransition(_("The service can be rated once it is delivered."))
        need.rating, need.feedback = rating, feedback.strip()[:500]
        need.save(update_fields=["rating", "feedback"])
    return need


# Publishing ------------------------------------------------------------------------------


def item_publish(*, actor, item, federation) -> MenuPublication:
    """Put an item on a federation's menu (visible to its whole subtree)."""
    require_federation_role(actor, federation)
    if item.status != ItemStatus.ACTIVE:
        raise InvalidTransition(_("Only an active item can be published."))
    with transaction.atomic():
        publication, _created = MenuPublication.objects.select_for_update().get_or_create(
            item=item, federation=federation
        )
        PUBLICATION.guard("publish", actor, publication)
        PUBLICATION.advance(publication, "publish")
        publication.decided_by, publication.decided_at = actor, timezone.now()
        publication.save()
    return publication


def item_save(*, actor, item) -> MenuItem:
    """An organization writes (or rewrites) a service it offers."""
    require_organization_staff(actor, item.organization_id)
    item.full_clean()
    item.save()
    return item


def item_submit(*, actor, item) -> MenuPublication:
    """Ask the organization's guiding federation to put the item on its menu."""
    require_organization_staff(actor, item.organization_id)
    if item.status != ItemStatus.ACTIVE:
        raise InvalidTransition(_("Only an active item can be published."))
    federation = item.organization.guiding_federation
    if federation is None:
        raise ServiceError(_("Your organization has no guiding federation to approve it."))
    with transaction.atomic():
        publication, _created = MenuPublication.objects.select_for_update().get_or_create(
            item=item, federation=federation
        )
        if publication.status == PublicationStatus.PUBLISHED:
            raise InvalidTransition(_("This item is on the menu already."))
        PUBLICATION.guard("submit", actor, publication)
        PUBLICATION.advance(publication, "submit")
        publication.save()
    return publication


def item_withdraw(*, actor, publication) -> MenuPublication:
    return PUBLICATION.make(
        "withdraw", actor=actor, record=publication, decided_by=actor, decided_at=timezone.now()
    )


# Ordering --------------------------------------------------------------------------------


def month_bounds(day: date) -> tuple[date, date]:
    start = day.replace(day=1)
    end = date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, end


def sessions_taken(item, day) -> int:
    start, end = month_bounds(day)
    return item.orders.filter(
        status__in=ACTIVE_ORDER_STATUSES, window_start__gte=start, window_start__lt=end
    ).count()


def project_money_left(project):
    committed = (
        project.service_orders.filter(status__in=ACTIVE_ORDER_STATUSES).aggregate(
            total=Sum("cost")
        )["total"]
        or 0
    )
    return project.budget - committed


def what_is_asked(
    *, actor, federation, window_start, window_end, expected_participants, venue, project
) -> dict:
    """What every order and request must satisfy before anyone is asked to deliver it;
    returns the order's fields."""
    require_federation_role(actor, federation)
    if window_start < timezone.localdate() or window_end < window_start:
        raise ServiceError(
            _("Choose a date window that starts today or later and ends after it starts.")
        )
    if expected_participants < 1:
        raise ServiceError(_("Expect at least one participant."))
    if venue is not None and not venue.federation.is_within(federation):
        raise ServiceError(_("The venue must lie within the ordering federation's area."))
    # A city's project may pay for what its districts and communities order.
    payable = Project.objects.payable_for(federation)
    if project is not None and not payable.filter(pk=project.pk).exists():
        raise ServiceError(
            _("Charge the order to a project funded by your federation or one above it.")
        )
    return {
        "federation": federation,
        "window_start": window_start,
        "window_end": window_end,
        "expected_participants": expected_participants,
        "venue": venue,
        "project": project,
        "requested_by": actor,
    }


def reserve(order, item):
    """Let `item` serve the order: one of the item's sessions that month and the project's
    money are taken under row locks, so two racing for the last one cannot both win.
    Runs inside the caller's transaction."""
    item = locked(item)
    if order.expected_participants > item.capacity_per_session:
        raise ServiceError(
            _("At most %(capacity)s people can take part in one session.")
            % {"capacity": item.capacity_per_session}
        )
    if sessions_taken(item, order.window_start) >= item.sessions_per_month:
        raise ServiceError(_("This service has no session left in that month."))
    if order.project_id is not None:
        project = locked(order.project)
        if project_money_left(project) < item.unit_cost:
            raise ServiceError(_("The project's remaining budget cannot pay for this service."))
    order.item, order.organization_id, order.cost = item, item.organization_id, item.unit_cost


def order_request(
    *,
    actor,
    item,
    federation,
    window_start,
    window_end,
    expected_participants,
    venue=None,
    project=None,
) -> ServiceOrder:
    """Order a published item (点单)."""
    asked = what_is_asked(
        actor=actor,
        federation=federation,
        window_start=window_start,
        window_end=window_end,
        expected_participants=expected_participants,
        venue=venue,
        project=project,
    )
    if not MenuItem.objects.published_for(federation).filter(pk=item.pk).exists():
        raise ServiceError(_("This service is not on your federation's menu."))
    order = ServiceOrder(
        **asked, channel=OrderChannel.ORDER, title=item.title, domain_id=item.domain_id
    )
    with transaction.atomic():
        reserve(order, item)
        order.save()
        ORDER.tell(order, "requested")
    return order


def request_create(
    *,
    actor,
    federation,
    title,
    domain,
    window_start,
    window_end,
    expected_participants,
    target_group=None,
    venue=None,
    project=None,
    needs=(),
) -> ServiceOrder:
    """A service request without an item (群众出题 turned into work): its federation then
    dispatches it down or to an organization, or opens it for claiming."""
    asked = what_is_asked(
        actor=actor,
        federation=federation,
        window_start=window_start,
        window_end=window_end,
        expected_participants=expected_participants,
        venue=venue,
        project=project,
    )
    if not title.strip():
        raise ServiceError(_("Say what service is asked for."))
    if any(not need.federation.is_within(federation) for need in needs):
        raise ServiceError(_("Answer needs collected in the requesting federation's area."))
    with transaction.atomic():
        order = ServiceOrder.objects.create(
            **asked,
            channel=OrderChannel.DISPATCH,
            status=OrderStatus.NEW,
            handler=federation,
            title=title,
            domain=domain,
            target_group=target_group,
        )
        order.needs.set(needs)
        needs_answered(needs)
    return order


# Dispatch and claim (派单 · 抢单) -----------------------------------------------------------


def order_dispatch(*, actor, order, to_federation=None, to_organization=None) -> ServiceOrder:
    """Hand a request down to a federation below, or to an organization, which then accepts
    (naming the item that will serve it) or declines (the request comes back)."""
    if (to_federation is None) == (to_organization is None):
        raise ServiceError(_("Dispatch to either a federation or an organization."))
    name = "dispatch-down" if to_federation is not None else "dispatch-organization"
    with transaction.atomic():
        order = locked(order)
        ORDER.guard(name, actor, order)
        handler = order.handler or order.federation
        if to_federation is not None:
            if to_federation == handler or not to_federation.is_within(handler):
                raise ServiceError(_("Dispatch to a federation below yours."))
            order.handler = to_federation
        else:
            serving = SocialOrganization.objects.serving(handler)
            if not serving.filter(pk=to_organization.pk).exists():
                raise ServiceError(_("Choose an organization that serves your area."))
            order.organization = to_organization
        ORDER.advance(order, name)
        order.channel = OrderChannel.DISPATCH
        order.save()
    return order


def order_open_for_claim(*, actor, order) -> ServiceOrder:
    """Let organizations whose published items match the request's domain and area claim it."""
    with transaction.atomic():
        order = locked(order)
        ORDER.guard("open", actor, order)
        if not MenuItem.objects.qualified_for(order).exists():
            raise ServiceError(
                _("No service on the menu here matches this request's domain; dispatch it instead.")
            )
        ORDER.advance(order, "open")
        order.channel = OrderChannel.CLAIM
        order.save()
    return order


def order_claim(*, actor, order, item) -> ServiceOrder:
    """The first qualified organization to claim an open request gets it (抢单); whoever comes
    a moment later waits on the row lock, then finds it taken."""
    require_organization_staff(actor, item.organization_id)
    with transaction.atomic():
        order = locked(order)
        if order.status != OrderStatus.OPEN and order.organization_id is not None:
            raise InvalidTransition(
                _("This request has already been taken by another organization.")
            )
        ORDER.guard("claim", actor, order)
        if not MenuItem.objects.qualified_for(order).filter(pk=item.pk).exists():
            raise ServiceError(_("Your service does not match this request's domain and area."))
        reserve(order, item)
        ORDER.advance(order, "claim")
        order.save()
    return order


# The organization's side -----------------------------------------------------------------


def order_accept(*, actor, order, item=None) -> ServiceOrder:
    """Accept an order; a dispatched request is accepted with the item that will serve it."""
    with transaction.atomic():
        order = locked(order)
        ORDER.guard("accept", actor, order)
        if order.item_id is None:
            if item is None or item.organization_id != order.organization_id:
                raise ServiceError(_("Choose which of your services will answer this request."))
            if item.status != ItemStatus.ACTIVE:
                raise ServiceError(_("Only an active service can answer a request."))
            reserve(order, item)
        ORDER.advance(order, "accept")
        order.save()
    return order


def order_decline(*, actor, order, reason) -> ServiceOrder:
    """Decline with a reason. A dispatched request goes back to the federation that sent it."""
    with transaction.atomic():
        order = locked(order)
        ORDER.guard("decline", actor, order, reason=reason)
        dispatched = order.channel == OrderChannel.DISPATCH
        ORDER.advance(order, "decline", OrderStatus.NEW if dispatched else OrderStatus.DECLINED)
        order.decline_reason = reason
        if dispatched:
            order.organization = None
        order.save()
    return order


def order_schedule(*, actor, order, scheduled_at, place) -> ServiceOrder:
    with transaction.atomic():
        order = locked(order)
        ORDER.guard("schedule", actor, order)
        if not order.window_start <= timezone.localdate(scheduled_at) <= order.window_end:
            raise ServiceError(_("Schedule the service within the ordered date window."))
        if not place.strip():
            raise ServiceError(_("Say where the service will take place."))
        ORDER.advance(order, "schedule")
        order.scheduled_at, order.place = scheduled_at, place
        order.save()
    return order


MAX_RATING_CARDS = 200


def new_card_code() -> str:
    """A rating card's code: 12 random URL-safe characters (72 bits), never guessable from
    another card's."""
    return secrets.token_urlsafe(9)


def order_deliver(*, actor, order, actual_participants, volunteers=0, photos=()) -> ServiceOrder:
    """Mark delivered (with photos, if any): an order charged to a project becomes one of its
    activities, and each participant gets a rating card."""
    if actual_participants < 0 or volunteers < 0:
        raise ServiceError(_("Participants and volunteers cannot be negative."))
    with transaction.atomic():
        order = locked(order)
        ORDER.guard("deliver", actor, order)
        if timezone.localdate(order.scheduled_at) > timezone.localdate():
            raise ServiceError(_("A service is marked delivered from its scheduled day on."))
        ORDER.advance(order, "deliver")
        order.actual_participants, order.volunteers = actual_participants, volunteers
        if order.project_id:
            order.activity = Activity.objects.create(
                project_id=order.project_id,
                title=order.title,
                held_on=timezone.localdate(order.scheduled_at),
                place=order.place,
                participants=actual_participants,
                volunteers=volunteers,
            )
        order.save()
        RatingCard.objects.bulk_create(
            RatingCard(order=order, code=new_card_code())
            for _card in range(min(actual_participants, MAX_RATING_CARDS))
        )
        for upload in photos:
            order_add_photo(actor=actor, order=order, upload=upload)
        for need in order.needs.all():
            NEED.tell(need, "delivered")
    return order


def order_add_photo(*, actor, order, upload) -> OrderPhoto:
    """The delivering organization adds a photo of the service, once it is delivered."""
    ORDER.guard("add-photo", actor, order)
    checked = OrderPhoto._meta.get_field("file").policy.check(upload)
    return OrderPhoto.objects.create(
        order=order,
        file=checked,
        original_name=upload.name[:200],
        content_type=checked.content_type,
        uploaded_by=actor,
    )


# The orderer's side and the people served ----------------------------------------------


def order_confirm(*, actor, order, rating, feedback="") -> ServiceOrder:
    """The ordering federation confirms the delivery and rates it, once."""
    if rating not in range(1, 6):
        raise ServiceError(_("Rate the service from 1 to 5."))
    return ORDER.make("confirm", actor=actor, record=order, rating=rating, feedback=feedback)


def order_cancel(*, actor, order) -> ServiceOrder:
    """The ordering federation cancels before delivery; the session and money are freed."""
    return ORDER.make("cancel", actor=actor, record=order)


def card_rate(*, code, rating, feedback="") -> RatingCard:
    """A participant rates the service with her card: one rating per card, no account."""
    if rating not in range(1, 6):
        raise ServiceError(_("Rate the service from 1 to 5."))
    with transaction.atomic():
        card = RatingCard.objects.select_for_update().get(code=code)
        if card.rated_at is not None:
            raise InvalidTransition(_("This card has already been used to rate the service."))
        card.rating, card.feedback, card.rated_at = rating, feedback, timezone.now()
        card.save()
    return card
