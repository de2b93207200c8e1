"""The public's pages (H5): phone-first, for WeChat's built-in browser, no staff account.

A woman, a village worker or a volunteer signs in with her phone number and a code, and sees
only what is hers. Every form that writes is rate-limited per address (django-ratelimit, over
the shared cache); the sign-in code has its own limits per number (accounts.phone)."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import login, logout
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_ratelimit.decorators import ratelimit

from accounts.phone import phone_code_send, phone_code_verify
from cases import services as cases_services
from cases.services import HELP_LEVELS
from core.errors import ServiceError
from core.views import service_on_form
from federation.choices import Kind, Level
from federation.models import Federation
from menu import services as menu_services
from menu.services import PUBLIC_NEED_LEVELS
from public import challenge, selectors
from public.forms import CodeForm, HelpForm, NeedForm, PhoneForm, PlaceSearchForm, RateForm
from public.selectors import her_help_requests, public_help_status
from volunteers.services import VOLUNTEER_LEVELS

# Per address: a household or a village office shares one, so the limits are not tight.
SIGN_IN_RATE = "10/h"
# What she chooses a place for: the levels she may choose, and the page it leads to.
PLACE_PURPOSES = {
    "need": (PUBLIC_NEED_LEVELS, "public-need-new"),
    "help": (HELP_LEVELS, "public-help-new"),
    "volunteer": (VOLUNTEER_LEVELS, "public-volunteer-register"),
}
WRITE_RATE = "20/h"


def too_many_requests(request, exception=None):
    """django-ratelimit's refusal (RATELIMIT_VIEW): 429, in words."""
    message = _("Too many requests from this address. Please wait a while and try again.")
    return render(request, "public/refused.html", {"message": message}, status=429)


def public_login_required(view):
    """Signed in with her phone: others are sent to the phone sign-in (staff included, whose
    accounts have no place here)."""

    @wraps(view)
    def check(request, *args, **kwargs):
        if not (request.user.is_authenticated and request.user.is_public):
            return redirect(with_next("public-sign-in", request.get_full_path()))
        return view(request, *args, **kwargs)

    return check


def with_next(url_name, target) -> str:
    return f"{reverse(url_name)}?{urlencode({'next': target})}"


def safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    return target if target.startswith("/m/") else reverse("public-home")


def home(request):
    return render(request, "public/home.html")


@ratelimit(key="ip", rate=SIGN_IN_RATE, method="POST", block=True)
def sign_in(request):
    """Her number; the code goes to it. The same answer whether the number has an account."""
    form = PhoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            phone_code_send(
                phone=form.cleaned_data["phone"], address=request.META.get("REMOTE_ADDR")
            )
        except ServiceError as error:
            status = error.status_code
            form.add_error(None, error.message)
            return render(
                request,
                "public/sign_in.html",
                {"form": form, "next": safe_next(request)},
                status=status,
            )
        request.session["public_phone"] = form.cleaned_data["phone"]
        return redirect(with_next("public-sign-in-code", safe_next(request)))
    return render(request, "public/sign_in.html", {"form": form, "next": safe_next(request)})


@ratelimit(key="ip", rate=SIGN_IN_RATE, method="POST", block=True)
def sign_in_code(request):
    phone = request.session.get("public_phone")
    if not phone:
        return redirect("public-sign-in")
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = phone_code_verify(phone=phone, code=form.cleaned_data["code"])
        except ServiceError as error:
            form.add_error("code", error.message)
            status = error.status_code
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect(safe_next(request))
    context = {
        "form": form,
        "next": safe_next(request),
        "masked_phone": f"{phone[:3]}****{phone[-4:]}",
    }
    return render(request, "public/sign_in_code.html", context, status=status)


@require_POST
def sign_out(request):
    logout(request)
    return redirect("public-home")


@never_cache
@public_login_required
def places(request):
    """Her village or community, found by name or by going down the tree."""
    form = PlaceSearchForm(request.GET if "q" in request.GET else None)
    parent = None
    if request.GET.get("parent", "").isdigit():
        parent = get_object_or_404(Federation, pk=request.GET["parent"], kind=Kind.REGIONAL)
    search = form.cleaned_data["q"] if form.is_valid() else ""
    purpose = request.GET.get("for") if request.GET.get("for") in PLACE_PURPOSES else "need"
    levels, target = PLACE_PURPOSES[purpose]
    found = selectors.places(search=search, parent=parent, levels=levels)
    labels = selectors.place_labels(found)
    rows = [
        {
            "place": place,
            "label": labels[place.pk],
            "choose": f"{reverse(target)}?place={place.pk}" if place.level in levels else "",
            "has_below": place.level != Level.VILLAGE,
        }
        for place in found
    ]
    context = {
        "form": form,
        "rows": rows,
        "parent": parent,
        "purpose": purpose,
        "quick_exit": purpose == "help",
    }
    return render(request, "public/places.html", context)


def chosen_place(request, levels):
    """The place she chose on the picker (public-places), if it is of these levels."""
    chosen = request.GET.get("place") or request.POST.get("place") or ""
    if not chosen.isdigit():
        return None
    return Federation.objects.filter(pk=chosen, level__in=levels).first()


@public_login_required
@ratelimit(key="ip", rate=WRITE_RATE, method="POST", block=True)
def need_new(request):
    """提需求: what she needs, where she lives; it lands at her village's federation."""
    place = chosen_place(request, PUBLIC_NEED_LEVELS)
    if place is None:
        return redirect("public-places")
    form = NeedForm(
        request.POST or None, request.FILES or None, challenged=challenge.is_challenged(request)
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            need = menu_services.need_post(
                actor=request.user,
                federation=place,
                title=data["title"],
                description=data["description"],
                domain=data["domain"],
                target_group=data["target_group"],
                people_count=data["people_count"],
                photo=data.get("photo"),
            )
        except (ServiceError, ValidationError) as error:
            form.add_error(None, getattr(error, "message", None) or " ".join(error.messages))
        else:
            if data["sms_notices"] != request.user.sms_notices:
                request.user.sms_notices = data["sms_notices"]
                request.user.save(update_fields=["sms_notices"])
            challenge.count_post(request)
            return redirect("public-need", pk=need.pk)
    return render(request, "public/need_form.html", {"form": form, "place": place})


@public_login_required
def my_needs(request):
    return render(request, "public/needs.html", {"needs": selectors.her_needs(request.user)})


@public_login_required
@ratelimit(key="ip", rate=WRITE_RATE, method="POST", block=True)
def need_detail(request, pk):
    """Her need and how it goes; once delivered, her rating. Another's need is not found."""
    need = selectors.her_needs(request.user).filter(pk=pk).first()
    if need is None:
        raise Http404
    step, words = need.progress()
    form = RateForm(request.POST or None) if step == "delivered" and need.rating is None else None
    if form is not None and request.method == "POST" and form.is_valid():
        try:
            menu_services.need_rate(
                actor=request.user,
                need=need,
                rating=form.cleaned_data["rating"],
                feedback=form.cleaned_data["feedback"],
            )
        except ServiceError as error:
            form.add_error(None, error.message)
        else:
            return redirect("public-need", pk=need.pk)
    context = {"need": need, "step": step, "words": words, "form": form}
    return render(request, "public/need.html", context)


# 求助: asking for help --------------------------------------------------------------------------


# Nothing of a help page stays in the browser's cache (never_cache), and each has the quick exit.


def leave(request):
    """清除并离开: her session ends and the browser is sent to an everyday page of another site
    (the page's script replaces itself with this address, so no entry of it is left)."""
    logout(request)
    return redirect(settings.QUICK_EXIT_URL)


@never_cache
def help_start(request):
    """What 求助 is, the 12338 line and 110, before anything is asked."""
    return render(request, "public/help_start.html", {"quick_exit": True})


@never_cache
@public_login_required
@ratelimit(key="ip", rate=WRITE_RATE, method="POST", block=True)
def help_new(request):
    place = chosen_place(request, HELP_LEVELS)
    if place is None:
        return redirect(f"{reverse('public-places')}?for=help")
    form = HelpForm(request.POST or None, challenged=challenge.is_challenged(request))
    if request.method == "POST" and form.is_valid():
        data = {key: value for key, value in form.cleaned_data.items() if key != "consent"}
        case = service_on_form(
            form, lambda: cases_services.help_request(actor=request.user, place=place, **data)
        )
        if case is not None:
            challenge.count_post(request)
            request.session["public_help_sent"] = case.pk
            return redirect("public-help-sent")
    context = {"form": form, "place": place, "quick_exit": True}
    return render(request, "public/help_form.html", context)


@never_cache
@public_login_required
def help_sent(request):
    """That it arrived, and where: never what she wrote."""
    case = (
        her_help_requests(request.user).filter(pk=request.session.get("public_help_sent")).first()
    )
    if case is None:
        return redirect("public-help-mine")
    return render(request, "public/help_sent.html", {"case": case, "quick_exit": True})


@never_cache
@public_login_required
def help_mine(request):
    requests = [(case, public_help_status(case.status)) for case in her_help_requests(request.user)]
    context = {"requests": requests, "quick_exit": True}
    return render(request, "public/help_mine.html", context)
