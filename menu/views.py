"""The service menu's pages: browse and order (点单), requests to dispatch (派单) or claim (抢单),
every move of an order on one page, and rating cards that need no account (评单)."""

from dataclasses import dataclass
from typing import Any

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import InvalidTransition, ServiceError
from core.forms import style_widgets
from core.scoping import has_role_at, user_scope
from core.uploads import serve_stored_file
from menu import forms, services
from menu.choices import OrderStatus
from menu.filters import MenuItemFilterSet, ServiceOrderFilterSet
from menu.models import MenuItem, OrderPhoto, RatingCard, ServiceOrder
from orgs.models import SocialOrganization

PAGE_SIZE = 20


@dataclass(frozen=True)
class Move:
    """One move of an order as the order page offers it; the service decides if it is allowed."""

    label: Any
    form: type
    service: Any  # called with actor, order and the form's data
    side: str  # orderer, handler, organization or claimant
    states: frozenset
    done: Any


MOVES = {
    "dispatch-down": Move(
        gettext_lazy("Dispatch to a federation below"),
        forms.DispatchDownForm,
        services.order_dispatch,
        "handler",
        frozenset({OrderStatus.NEW}),
        gettext_lazy("The request has been dispatched."),
    ),
    "dispatch-organization": Move(
        gettext_lazy("Dispatch to an organization"),
        forms.DispatchToOrganizationForm,
        services.order_dispatch,
        "handler",
        frozenset({OrderStatus.NEW}),
        gettext_lazy("The request has been dispatched."),
    ),
    "open": Move(
        gettext_lazy("Open for claiming"),
        forms.EmptyMoveForm,
        services.order_open_for_claim,
        "handler",
        frozenset({OrderStatus.NEW}),
        gettext_lazy("Organizations offering this kind of service can now claim it."),
    ),
    "claim": Move(
        gettext_lazy("Claim"),
        forms.ClaimForm,
        services.order_claim,
        "claimant",
        frozenset({OrderStatus.OPEN}),
        gettext_lazy("You have claimed the request. Schedule it next."),
    ),
    "accept": Move(
        gettext_lazy("Accept"),
        forms.AcceptForm,
        services.order_accept,
        "organization",
        frozenset({OrderStatus.REQUESTED}),
        gettext_lazy("The order has been accepted."),
    ),
    "decline": Move(
        gettext_lazy("Decline"),
        forms.DeclineForm,
        services.order_decline,
        "organization",
        frozenset({OrderStatus.REQUESTED}),
        gettext_lazy("The order has been declined."),
    ),
    "schedule": Move(
        gettext_lazy("Schedule"),
        forms.ScheduleForm,
        services.order_schedule,
        "organization",
        frozenset({OrderStatus.ACCEPTED, OrderStatus.SCHEDULED}),
        gettext_lazy("The service has been scheduled."),
    ),
    "deliver": Move(
        gettext_lazy("Mark delivered"),
        forms.DeliverForm,
        services.order_deliver,
        "organization",
        frozenset({OrderStatus.SCHEDULED}),
        gettext_lazy("The service has been marked delivered."),
    ),
    "add-photo": Move(
        gettext_lazy("Add a photo"),
        forms.AddPhotoForm,
        services.order_add_photo,
        "organization",
        frozenset({OrderStatus.DELIVERED, OrderStatus.CONFIRMED}),
        gettext_lazy("The photo has been added."),
    ),
    "confirm": Move(
        gettext_lazy("Confirm and rate"),
        forms.ConfirmForm,
        services.order_confirm,
        "orderer",
        frozenset({OrderStatus.DELIVERED}),
        gettext_lazy("Thank you: the delivery is confirmed and rated."),
    ),
    "cancel": Move(
        gettext_lazy("Cancel the order"),
        forms.EmptyMoveForm,
        services.order_cancel,
        "orderer",
        frozenset(
            {
                OrderStatus.NEW,
                OrderStatus.OPEN,
                OrderStatus.REQUESTED,
                OrderStatus.ACCEPTED,
                OrderStatus.SCHEDULED,
            }
        ),
        gettext_lazy("The order has been cancelled."),
    ),
}


def sides_of(user, order) -> set[str]:
    """Which parts the user plays in this order."""
    sides = set()
    if has_role_at(user, order.federation, services.ORDERING_ROLES):
        sides.add("orderer")
    if order.handler_id and has_role_at(user, order.handler, services.ORDERING_ROLES):
        sides.add("handler")
    organization_ids = user_scope(user).organization_ids
    if order.organization_id in organization_ids:
        sides.add("organization")
    if order.status == OrderStatus.OPEN and organization_ids:
        sides.add("claimant")
    return sides


def visible_orders(user):
    return ServiceOrder.objects.visible_to(user).select_related(
        "item", "federation", "handler", "organization", "domain", "target_group", "venue"
    )


# The menu and ordering ----------------------------------------------------------------------


@login_required
def menu_browse(request):
    items = (
        MenuItem.objects.available_to(request.user)
        .select_related("organization", "domain")
        .prefetch_related("target_groups")
        .order_by("title", "pk")
    )
    filterset = MenuItemFilterSet(request.GET or None, queryset=items, request=request)
    style_widgets(filterset.form.fields.values())
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "menu/browse.html", {"filter": filterset, "page": page})


@login_required
def item_detail(request, pk):
    item = get_object_or_404(
        MenuItem.objects.available_to(request.user)
        .select_related("organization", "domain")
        .prefetch_related("target_groups", "areas"),
        pk=pk,
    )
    may_order = bool(user_scope(request.user).federation_paths) or request.user.is_superuser
    form = forms.OrderForm(request.POST or None, user=request.user) if may_order else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            order = services.order_request(actor=request.user, item=item, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your order has been sent to the organization."))
            return redirect("menu-order", pk=order.pk)
    return render(request, "menu/item.html", {"item": item, "form": form})


@login_required
def request_new(request):
    form = forms.RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            order = services.request_create(actor=request.user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The request is saved. Dispatch it or open it for claiming.")
            )
            return redirect("menu-order", pk=order.pk)
    return render(request, "menu/request_form.html", {"form": form})


# An organization's own services ----------------------------------------------------------


def own_items(user):
    return MenuItem.objects.filter(organization__in=SocialOrganization.objects.staffed_by(user))


@login_required
def my_services(request):
    items = (
        own_items(request.user)
        .select_related("organization", "domain")
        .prefetch_related("publications__federation")
        .order_by("title", "pk")
    )
    return render(request, "menu/my_services.html", {"items": items})


@login_required
def service_edit(request, pk=None):
    organizations = SocialOrganization.objects.staffed_by(request.user).select_related(
        "guiding_federation"
    )
    if not organizations:
        raise Http404
    item = get_object_or_404(own_items(request.user), pk=pk) if pk else None
    form = forms.MenuItemForm(
        request.POST or None, request.FILES or None, instance=item, organizations=organizations
    )
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                item = services.item_save(actor=request.user, item=form.save(commit=False))
                form.save_m2m()
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The service has been saved."))
            return redirect("portal-services")
    return render(request, "menu/service_form.html", {"form": form, "item": item})


@require_POST
@login_required
def service_submit(request, pk):
    item = get_object_or_404(own_items(request.user), pk=pk)
    try:
        publication = services.item_submit(actor=request.user, item=item)
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sent to %(federation)s for approval.") % {"federation": publication.federation},
        )
    return redirect("portal-services")


# Orders ------------------------------------------------------------------------------------


@login_required
def order_list(request):
    orders = visible_orders(request.user)
    counts = dict(
        orders.order_by()
        .values_list("status")
        .annotate(count=Count("pk"))
        .values_list("status", "count")
    )
    filterset = ServiceOrderFilterSet(request.GET or None, queryset=orders, request=request)
    page = Paginator(filterset.qs.order_by("-created_at", "pk"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    tabs = [(status, label, counts.get(status, 0)) for status, label in OrderStatus.choices]
    return render(
        request,
        "menu/orders.html",
        {
            "page": page,
            "tabs": tabs,
            "total": sum(counts.values()),
            "current": request.GET.get("status", ""),
        },
    )


@login_required
def order_detail(request, pk):
    return render_order(request, get_object_or_404(visible_orders(request.user), pk=pk))


def render_order(request, order, failed=None, status=200):
    """The order with the moves the user may make now; a failed move keeps its input."""
    sides = sides_of(request.user, order)
    moves = []
    for name, move in MOVES.items():
        if move.side not in sides or order.status not in move.states:
            continue
        if failed and failed[0] == name:
            form = failed[1]
        else:
            form = move.form(order=order, user=request.user, prefix=name)
        moves.append((name, move, form))
    context = {
        "order": order,
        "moves": moves,
        "needs": order.needs.all(),
        "photos": order.photos.all(),
        "public_rating": order.public_rating,
        "may_print_cards": bool(sides & {"orderer", "organization"}),
        "refusal": failed[1].non_field_errors() if failed else None,
    }
    return render(request, "menu/order.html", context, status=status)


@require_POST
@login_required
def order_move(request, pk, name):
    order = get_object_or_404(visible_orders(request.user), pk=pk)
    move = MOVES.get(name)
    if move is None:
        raise Http404
    form = move.form(request.POST, request.FILES, order=order, user=request.user, prefix=name)
    if form.is_valid():
        arguments = getattr(form, "service_arguments", lambda: form.cleaned_data)()
        try:
            move.service(actor=request.user, order=order, **arguments)
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, move.done)
            return redirect("menu-order", pk=order.pk)
    return render_order(request, order, failed=(name, form), status=400)


@login_required
def order_photo(request, pk):
    """Photos are private: served only to those who may see the order."""
    photo = get_object_or_404(OrderPhoto.objects.visible_to(request.user), pk=pk)
    return serve_stored_file(
        photo.file, content_type=photo.content_type, filename=photo.original_name
    )


@login_required
def item_photo(request, pk):
    item = get_object_or_404(MenuItem.objects.visible_to(request.user).exclude(photo=""), pk=pk)
    # No stored content type: serve_stored_file reads it from the bytes.
    return serve_stored_file(item.photo)


@login_required
def rating_cards(request, pk):
    """Printable cards, one per participant, each a QR code of its own rating link."""
    order = get_object_or_404(visible_orders(request.user), pk=pk)
    if not sides_of(request.user, order) & {"orderer", "organization"}:
        raise Http404
    cards = [
        (card, request.build_absolute_uri(reverse("rate", args=[card.code])))
        for card in order.rating_cards.all()
    ]
    cards = [
        # segno draws the code from our own link: the SVG holds no user input.
        (card, link, mark_safe(segno.make(link, error="m").svg_inline(scale=3)))  # noqa: S308
        for card, link in cards
    ]
    return render(request, "menu/cards.html", {"order": order, "cards": cards})


def rate(request, code):
    """评单 by a participant with her card: no account, one rating per card."""
    card = get_object_or_404(
        RatingCard.objects.select_related("order__organization", "order__federation"), code=code
    )
    form = forms.CardRatingForm(request.POST or None)
    used = card.rated_at is not None
    if request.method == "POST" and not used and form.is_valid():
        try:
            services.card_rate(code=code, **form.cleaned_data)
        except InvalidTransition:
            used = True
        else:
            return render(request, "menu/rate.html", {"card": card, "thanks": True})
    status = 400 if request.method == "POST" and not used else 200
    return render(
        request, "menu/rate.html", {"card": card, "form": form, "used": used}, status=status
    )
