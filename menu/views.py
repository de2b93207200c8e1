"""The service menu's pages: browse and order (点单), requests to dispatch (派单) or claim (抢单),
every move of an order on one page, and rating cards that need no account (评单)."""

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
from core.scoping import user_scope
from core.uploads import serve_stored_file
from core.views import (
    only_for,
    orders_or_delivers,
    service_on_form,
    service_with_message,
    works_for_a_federation,
    works_for_an_organization,
)
from menu import forms, services
from menu.choices import ItemStatus, NeedStatus, OrderStatus, PublicationStatus
from menu.filters import MenuItemFilterSet, ServiceOrderFilterSet
from menu.models import MenuItem, Need, OrderPhoto, RatingCard, ServiceOrder
from menu.workflows import NEED, ORDER
from orgs.models import SocialOrganization

PAGE_SIZE = 20


# The form, service and word of thanks of each move the order page offers; which of them she
# sees, and when, is menu.workflows.ORDER's to say.
PAGE_MOVES = {
    "dispatch-down": (
        forms.DispatchDownForm,
        services.order_dispatch,
        gettext_lazy("The request has been dispatched."),
    ),
    "dispatch-organization": (
        forms.DispatchToOrganizationForm,
        services.order_dispatch,
        gettext_lazy("The request has been dispatched."),
    ),
    "open": (
        forms.EmptyMoveForm,
        services.order_open_for_claim,
        gettext_lazy("Organizations offering this kind of service can now claim it."),
    ),
    "claim": (
        forms.ClaimForm,
        services.order_claim,
        gettext_lazy("You have claimed the request. Schedule it next."),
    ),
    "accept": (
        forms.AcceptForm,
        services.order_accept,
        gettext_lazy("The order has been accepted."),
    ),
    "decline": (
        forms.DeclineForm,
        services.order_decline,
        gettext_lazy("The order has been declined."),
    ),
    "schedule": (
        forms.ScheduleForm,
        services.order_schedule,
        gettext_lazy("The service has been scheduled."),
    ),
    "deliver": (
        forms.DeliverForm,
        services.order_deliver,
        gettext_lazy("The service has been marked delivered."),
    ),
    "add-photo": (
        forms.AddPhotoForm,
        services.order_add_photo,
        gettext_lazy("The photo has been added."),
    ),
    "confirm": (
        forms.ConfirmForm,
        services.order_confirm,
        gettext_lazy("Thank you: the delivery is confirmed and rated."),
    ),
    "cancel": (
        forms.EmptyMoveForm,
        services.order_cancel,
        gettext_lazy("The order has been cancelled."),
    ),
}


def prints_cards(user, order) -> bool:
    """The rating cards are printed by the ordering federation or the delivering organization."""
    return ORDER.plays("orderer", user, order) or ORDER.plays("organization", user, order)


def visible_orders(user):
    return ServiceOrder.objects.visible_to(user).select_related(
        "item", "federation", "handler", "organization", "domain", "target_group", "venue"
    )


# The menu and ordering ----------------------------------------------------------------------


@only_for(orders_or_delivers)
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


@only_for(orders_or_delivers)
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
        order = service_on_form(
            form,
            lambda: services.order_request(actor=request.user, item=item, **form.cleaned_data),
        )
        if order:
            messages.success(request, _("Your order has been sent to the organization."))
            return redirect("menu-order", pk=order.pk)
    return render(request, "menu/item.html", {"item": item, "form": form})


@only_for(works_for_a_federation)
def request_new(request):
    form = forms.RequestForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        order = service_on_form(
            form, lambda: services.request_create(actor=request.user, **form.cleaned_data)
        )
        if order:
            messages.success(
                request, _("The request is saved. Dispatch it or open it for claiming.")
            )
            return redirect("menu-order", pk=order.pk)
    return render(request, "menu/request_form.html", {"form": form})


# An organization's own services ----------------------------------------------------------


def own_items(user):
    return MenuItem.objects.offered_by_staff_of(user)


@only_for(works_for_an_organization)
def my_services(request):
    items = list(
        own_items(request.user)
        .select_related("organization", "domain")
        .prefetch_related("publications__federation")
        .order_by("title", "pk")
    )
    for item in items:
        # Sent once: not again while it is on the menu or awaiting approval.
        item.may_submit = item.status == ItemStatus.ACTIVE and not any(
            publication.status in {PublicationStatus.PUBLISHED, PublicationStatus.PENDING}
            for publication in item.publications.all()
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
    service_with_message(
        request,
        lambda: services.item_submit(actor=request.user, item=item),
        _("Sent to %(federation)s for approval.")
        % {"federation": item.organization.guiding_federation},
    )
    return redirect("portal-services")


# Orders ------------------------------------------------------------------------------------


@only_for(orders_or_delivers)
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


@only_for(orders_or_delivers)
def order_detail(request, pk):
    return render_order(request, get_object_or_404(visible_orders(request.user), pk=pk))


def render_order(request, order, failed=None, status=200):
    """The order with the moves the user may make now; a failed move keeps its input."""
    moves = []
    for move in ORDER.available(request.user, order):
        if move.name in PAGE_MOVES:
            if failed and failed[0] == move.name:
                form = failed[1]
            else:
                form = PAGE_MOVES[move.name][0](order=order, user=request.user, prefix=move.name)
                if form.leaves_no_choice:
                    continue
            moves.append((move.name, move, form))
    context = {
        "order": order,
        "moves": moves,
        "needs": order.needs.all(),
        "photos": order.photos.all(),
        "public_rating": order.public_rating,
        "may_print_cards": prints_cards(request.user, order),
        "refusal": failed[1].non_field_errors() if failed else None,
    }
    return render(request, "menu/order.html", context, status=status)


@require_POST
@login_required
def order_move(request, pk, name):
    order = get_object_or_404(visible_orders(request.user), pk=pk)
    if name not in PAGE_MOVES or not ORDER.declared(name):
        raise Http404
    form_class, service, done = PAGE_MOVES[name]
    form = form_class(request.POST, request.FILES, order=order, user=request.user, prefix=name)
    if form.is_valid():
        arguments = getattr(form, "service_arguments", lambda: form.cleaned_data)()
        if service_on_form(form, lambda: service(actor=request.user, order=order, **arguments)):
            messages.success(request, done)
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
    if not prints_cards(request.user, order):
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


# Needs posted by the public: the review (审核) ----------------------------------------------

NEED_MOVES = {
    "publish": (
        forms.NeedMoveForm,
        services.need_publish,
        gettext_lazy("The need is accepted; she is told."),
    ),
    "reject": (
        forms.RejectNeedForm,
        services.need_reject,
        gettext_lazy("Rejected; she is told why."),
    ),
    "merge": (
        forms.MergeNeedForm,
        services.need_merge,
        gettext_lazy("Merged: she now follows the need it repeats."),
    ),
}


def needs_to_review(user):
    return (
        Need.objects.visible_to(user)
        .filter(status=NeedStatus.PENDING)
        .select_related("federation", "domain", "target_group")
        .order_by("created_at", "pk")
    )


@only_for(works_for_a_federation)
def need_review(request):
    """The public's needs waiting in her area, oldest first, each with its moves (merging only
    where an accepted need of the same place exists)."""
    page = Paginator(needs_to_review(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    accepted = accepted_needs_by_place(request.user, {need.federation_id for need in page})
    rows = []
    for need in page:
        candidates = [other for other in accepted.get(need.federation_id, []) if other != need]
        review_forms = {
            "publish": forms.NeedMoveForm(
                user=request.user, need=need, prefix=f"publish-{need.pk}"
            ),
            "reject": forms.RejectNeedForm(
                user=request.user, need=need, prefix=f"reject-{need.pk}"
            ),
        }
        if candidates:
            review_forms["merge"] = forms.MergeNeedForm(
                user=request.user, need=need, candidates=candidates, prefix=f"merge-{need.pk}"
            )
        allowed = {
            name: form for name, form in review_forms.items() if NEED.may(name, request.user, need)
        }
        rows.append({"need": need, "forms": allowed})
    return render(request, "menu/need_review.html", {"page": page, "rows": rows})


def accepted_needs_by_place(user, federation_ids) -> dict:
    accepted = {}
    for need in Need.objects.visible_to(user).filter(
        federation_id__in=federation_ids,
        status__in=(NeedStatus.OPEN, NeedStatus.ANSWERED),
        merged_into=None,
    ):
        accepted.setdefault(need.federation_id, []).append(need)
    return accepted


@only_for(works_for_a_federation)
@require_POST
def need_move(request, pk, name):
    need = get_object_or_404(Need.objects.visible_to(request.user), pk=pk)
    if name not in NEED_MOVES or not NEED.declared(name):
        raise Http404
    form_class, service, done = NEED_MOVES[name]
    form = form_class(request.POST, user=request.user, need=need, prefix=f"{name}-{need.pk}")
    if form.is_valid():
        service_with_message(
            request, lambda: service(actor=request.user, need=need, **form.cleaned_data), done
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("menu-need-review")


@login_required
def need_photo(request, pk):
    need = get_object_or_404(Need.objects.visible_to(request.user).exclude(photo=""), pk=pk)
    return serve_stored_file(need.photo)
