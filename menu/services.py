"""Workflow of the service menu: publishing items and the life of an order (点单 → 接单 → 评单)."""

from datetime import date

from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.choices import Role
from accounts.scoping import has_role_at, user_scope
from config.errors import InvalidTransition, NotAllowed, ServiceError
from config.tasks import enqueue_on_commit
from menu.choices import ACTIVE_ORDER_STATUSES, ItemStatus, OrderStatus, PublicationStatus
from menu.models import MenuItem, MenuPublication, ServiceOrder
from projects.models import Activity, Project

ORDERING_ROLES = (Role.ADMIN, Role.PROJECT_OFFICER)


def announce(order, event):
    """Tell the other side, once the change is committed."""
    from menu.tasks import notify_order_event

    enqueue_on_commit(notify_order_event, order.pk, event)


def require_federation_role(actor, federation):
    if not has_role_at(actor, federation, ORDERING_ROLES):
        raise NotAllowed(_("Your role at this federation does not allow this."))


def require_item_staff(actor, item):
    if item.organization_id not in user_scope(actor).organization_ids:
        raise NotAllowed(_("Only the organization offering this service may do this."))


def locked(model, obj):
    return model.objects.select_for_update().get(pk=obj.pk)


# Publishing ------------------------------------------------------------------------------


def item_publish(*, actor, item, federation) -> MenuPublication:
    """Put an item on a federation's menu (visible to its whole subtree)."""
    require_federation_role(actor, federation)
    if item.status != ItemStatus.ACTIVE:
        raise InvalidTransition(_("Only an active item can be published."))
    publication, _created = MenuPublication.objects.update_or_create(
        item=item,
        federation=federation,
        defaults={
            "status": PublicationStatus.PUBLISHED,
            "decided_by": actor,
            "decided_at": timezone.now(),
        },
    )
    return publication


def item_withdraw(*, actor, publication) -> MenuPublication:
    require_federation_role(actor, publication.federation)
    if publication.status != PublicationStatus.PUBLISHED:
        raise InvalidTransition(_("This item is not on the menu."))
    publication.status = PublicationStatus.WITHDRAWN
    publication.decided_by, publication.decided_at = actor, timezone.now()
    publication.save()
    return publication


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
    """Order a published item. The item's monthly sessions and the project's money are
    checked under row locks, so two federations racing for the last one cannot both win."""
    require_federation_role(actor, federation)
    if window_start < timezone.localdate() or window_end < window_start:
        raise ServiceError(
            _("Choose a date window that starts today or later and ends after it starts.")
        )
    if expected_participants < 1:
        raise ServiceError(_("Expect at least one participant."))
    if venue is not None and not venue.federation.is_within(federation):
        raise ServiceError(_("The venue must lie within the ordering federation's area."))
    with transaction.atomic():
        item = locked(MenuItem, item)
        if not MenuItem.objects.published_for(federation).filter(pk=item.pk).exists():
            raise ServiceError(_("This service is not on your federation's menu."))
        if expected_participants > item.capacity_per_session:
            raise ServiceError(
                _("At most %(capacity)s people can take part in one session.")
                % {"capacity": item.capacity_per_session}
            )
        if sessions_taken(item, window_start) >= item.sessions_per_month:
            raise ServiceError(_("This service has no session left in that month."))
        if project is not None:
            project = locked(Project, project)
            # A city's project may pay for what its districts and communities order.
            if not federation.path.startswith(project.funder.path):
                raise ServiceError(
                    _("Charge the order to a project funded by your federation or one above it.")
                )
            if project_money_left(project) < item.unit_cost:
                raise ServiceError(_("The project's remaining budget cannot pay for this service."))
        order = ServiceOrder.objects.create(
            item=item,
            federation=federation,
            venue=venue,
            window_start=window_start,
            window_end=window_end,
            expected_participants=expected_participants,
            project=project,
            cost=item.unit_cost,
            requested_by=actor,
        )
        announce(order, "requested")
        return order


def move_order(order, allowed_from, to_status):
    if order.status not in allowed_from:
        raise InvalidTransition(
            _("An order that is “%(from)s” cannot become “%(to)s”.")
            % {"from": order.get_status_display(), "to": OrderStatus(to_status).label}
        )
    order.status = to_status


def order_accept(*, actor, order) -> ServiceOrder:
    with transaction.atomic():
        order = locked(ServiceOrder, order)
        require_item_staff(actor, order.item)
        move_order(order, {OrderStatus.REQUESTED}, OrderStatus.ACCEPTED)
        order.save()
        announce(order, "accepted")
    return order


def order_decline(*, actor, order, reason) -> ServiceOrder:
    if not reason.strip():
        raise ServiceError(_("Say why the order is declined."))
    with transaction.atomic():
        order = locked(ServiceOrder, order)
        require_item_staff(actor, order.item)
        move_order(order, {OrderStatus.REQUESTED}, OrderStatus.DECLINED)
        order.decline_reason = reason
        order.save()
        announce(order, "declined")
    return order


def order_schedule(*, actor, order, scheduled_at, place) -> ServiceOrder:
    with transaction.atomic():
        order = locked(ServiceOrder, order)
        require_item_staff(actor, order.item)
        if not order.window_start <= timezone.localdate(scheduled_at) <= order.window_end:
            raise ServiceError(_("Schedule the service within the ordered date window."))
        move_order(order, {OrderStatus.ACCEPTED, OrderStatus.SCHEDULED}, OrderStatus.SCHEDULED)
        order.scheduled_at, order.place = scheduled_at, place
        order.save()
        announce(order, "scheduled")
    return order


def order_deliver(*, actor, order, actual_participants, volunteers=0) -> ServiceOrder:
    """Mark delivered; an order charged to a project becomes one of its activities."""
    with transaction.atomic():
        order = locked(ServiceOrder, order)
        require_item_staff(actor, order.item)
        move_order(order, {OrderStatus.SCHEDULED}, OrderStatus.DELIVERED)
        if actual_participants < 0 or volunteers < 0:
            raise ServiceError(_("Participants and volunteers cannot be negative."))
        order.actual_participants, order.volunteers = actual_participants, volunteers
        if order.project_id:
            order.activity = Activity.objects.create(
                project_id=order.project_id,
                title=order.item.title,
                held_on=timezone.localdate(order.scheduled_at),
                place=order.place,
                participants=actual_participants,
                volunteers=volunteers,
            )
        order.save()
    return order


def order_confirm(*, actor, order, rating, feedback="") -> ServiceOrder:
    """The ordering federation confirms the delivery and rates it, once."""
    if rating not in range(1, 6):
        raise ServiceError(_("Rate the service from 1 to 5."))
    with transaction.atomic():
        order = locked(ServiceOrder, order)
        require_federation_role(actor, order.federation)
        move_order(order, {OrderStatus.DELIVERED}, OrderStatus.CONFIRMED)
        order.rating, order.feedback = rating, feedback
        order.save()
    return order


def order_cancel(*, actor, order) -> ServiceOrder:
    """The ordering federation cancels before delivery; the session and money are freed."""
    with transaction.atomic():
        order = locked(ServiceOrder, order)
        require_federation_role(actor, order.federation)
        move_order(
            order,
            {OrderStatus.REQUESTED, OrderStatus.ACCEPTED, OrderStatus.SCHEDULED},
            OrderStatus.CANCELLED,
        )
        order.save()
    return order
