"""Volunteer pages: a volunteer's opportunities, sign-ups and hours; a coordinator's sign-ups to
confirm, attendance with hours, the standard teams and the hours rankings."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.views import only_for, service_with_message, works_for_a_federation
from volunteers import services
from volunteers.choices import OpportunityStatus, VolunteerStatus
from volunteers.forms import AttendForm, RejectVolunteerForm, StandardTeamsForm, WalkInForm
from volunteers.models import Opportunity, SignUp, Volunteer, VolunteerTeam
from volunteers.workflows import SIGNUP

# The volunteer's own pages ------------------------------------------------------------------


@login_required
def volunteer_home(request):
    volunteer = Volunteer.objects.of_user(request.user).select_related("federation").first()
    if volunteer is None:
        raise Http404
    mine = volunteer.signups.select_related("opportunity__federation", "volunteer").order_by(
        "-opportunity__starts_at"
    )
    signed = set(mine.exclude(status="cancelled").values_list("opportunity_id", flat=True))
    opportunities = (
        Opportunity.objects.visible_to(request.user)
        .filter(status=OpportunityStatus.OPEN, starts_at__gt=timezone.now())
        .with_places_taken()
        .select_related("federation")
    )
    context = {
        "volunteer": volunteer,
        "opportunities": opportunities,
        "signed": signed,
        "signups": with_moves(mine, request.user),
        "hours": services.volunteer_hours(volunteer),
    }
    return render(request, "volunteers/home.html", context)


@require_POST
@login_required
def sign_up(request, pk, then="volunteer-home"):
    """From her volunteer page, or from the public one (`then`: the page she goes back to)."""
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    service_with_message(
        request,
        lambda: services.signup_create(actor=request.user, opportunity=opportunity),
        _("You have signed up. Thank you!"),
    )
    return redirect(then)


# Coordinators ---------------------------------------------------------------------------


@only_for(works_for_a_federation)
def opportunity_list(request):
    opportunities = (
        Opportunity.objects.visible_to(request.user)
        .with_places_taken()
        .select_related("federation")
    )
    return render(request, "volunteers/opportunities.html", {"opportunities": opportunities})


@only_for(works_for_a_federation)
def opportunity_detail(request, pk):
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user).select_related("federation"), pk=pk
    )
    signups = with_moves(
        SignUp.objects.visible_to(request.user)
        .filter(opportunity=opportunity)
        .select_related("volunteer", "opportunity__federation"),
        request.user,
    )
    context = {
        "opportunity": opportunity,
        "signups": signups,
        "attend_form": AttendForm(initial={"hours": opportunity.length_hours}),
        "proposed": sum(
            1 for signup in signups if "attend" in signup.moves and signup.proposed_hours
        ),
        "walk_in_form": WalkInForm(),
    }
    return render(request, "volunteers/opportunity.html", context)


# The service, form (if any) and word of thanks of each move the pages offer on a sign-up;
# which of them she sees, and when, is volunteers.workflows.SIGNUP's to say.
PAGE_MOVES = {
    "confirm": (services.signup_confirm, None, gettext_lazy("The volunteer has a place.")),
    "attend": (
        services.signup_attend,
        AttendForm,
        gettext_lazy("Attendance and hours are confirmed."),
    ),
    "no-show": (services.signup_no_show, None, gettext_lazy("Recorded as a no-show.")),
    "cancel": (services.signup_cancel, None, gettext_lazy("The sign-up is cancelled.")),
}


def with_moves(signups, user):
    """Each sign-up with the names of the moves the user may make on it now."""
    for signup in signups:
        signup.moves = {move.name for move in SIGNUP.available(user, signup)}
    return signups


@require_POST
@login_required
def signup_move(request, pk, verb):
    signup = get_object_or_404(
        SignUp.objects.visible_to(request.user).select_related("opportunity__federation"), pk=pk
    )
    if verb not in PAGE_MOVES or not SIGNUP.declared(verb):
        raise Http404
    service, form_class, done = PAGE_MOVES[verb]
    form = form_class(request.POST) if form_class else None
    if form is None or form.is_valid():
        data = form.cleaned_data if form else {}
        service_with_message(
            request, lambda: service(actor=request.user, signup=signup, **data), done
        )
    else:
        messages.error(request, _("Give the hours served."))
    if signup.volunteer.user_id == request.user.pk:
        return redirect("volunteer-home")
    return redirect("volunteer-opportunity", pk=signup.opportunity_id)


@only_for(works_for_a_federation)
def teams(request):
    form = StandardTeamsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        federation = form.cleaned_data["federation"]
        service_with_message(
            request,
            lambda: services.village_teams_create(actor=request.user, federation=federation),
            _("%(federation)s has its five standard teams.") % {"federation": federation},
        )
        return redirect("volunteer-teams")
    listed = VolunteerTeam.objects.visible_to(request.user).select_related("federation", "project")
    return render(request, "volunteers/teams.html", {"form": form, "teams": listed})


# The venue: the check-in QR code, the scans' hours, walk-ins -----------------------------------


@only_for(works_for_a_federation)
def opportunity_qr(request, pk):
    """The code the volunteers scan, shown on the coordinator's screen: a new one every
    QR_SECONDS (the page reloads itself), so that a photo of it is soon worth nothing."""
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    url = request.build_absolute_uri(
        reverse("public-check", args=[services.check_in_token(opportunity)])
    )
    context = {
        "opportunity": opportunity,
        # segno's SVG of our own URL: no text of anyone's in it.
        "qr": mark_safe(segno.make(url, error="m").svg_inline(scale=6)),  # noqa: S308
        "url": url,
        "refresh": services.QR_SECONDS // 2,
    }
    return render(request, "volunteers/qr.html", context)


@require_POST
@only_for(works_for_a_federation)
def confirm_proposed(request, pk):
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    service_with_message(
        request,
        lambda: services.hours_confirm_proposed(actor=request.user, opportunity=opportunity),
        _("The proposed hours are confirmed."),
    )
    return redirect("volunteer-opportunity", pk=pk)


@require_POST
@only_for(works_for_a_federation)
def walk_in(request, pk):
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    form = WalkInForm(request.POST)
    if form.is_valid():
        service_with_message(
            request,
            lambda: services.signup_walk_in(
                actor=request.user, opportunity=opportunity, **form.cleaned_data
            ),
            _("She is added and checked in."),
        )
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("volunteer-opportunity", pk=pk)


# Volunteers who registered themselves ----------------------------------------------------------


@only_for(works_for_a_federation)
def applicants(request):
    """Volunteers awaiting approval in her area, oldest first."""
    waiting = (
        Volunteer.objects.visible_to(request.user)
        .filter(status=VolunteerStatus.PENDING)
        .select_related("federation", "wanted_team")
        .order_by("consented_at", "pk")
    )
    rows = [
        (volunteer, RejectVolunteerForm(prefix=f"reject-{volunteer.pk}"))
        for volunteer in waiting[:50]
    ]
    return render(request, "volunteers/applicants.html", {"rows": rows})


@require_POST
@only_for(works_for_a_federation)
def applicant_decide(request, pk, verb):
    volunteer = get_object_or_404(
        Volunteer.objects.visible_to(request.user).select_related("federation"), pk=pk
    )
    if verb == "approve":
        service_with_message(
            request,
            lambda: services.volunteer_approve(actor=request.user, volunteer=volunteer),
            _("Approved; she is told."),
        )
    elif verb == "reject":
        form = RejectVolunteerForm(request.POST, prefix=f"reject-{volunteer.pk}")
        reason = form.data.get(f"reject-{volunteer.pk}-reason", "")
        service_with_message(
            request,
            lambda: services.volunteer_reject(
                actor=request.user, volunteer=volunteer, reason=reason
            ),
            _("Not approved; she is told why."),
        )
    else:
        raise Http404
    return redirect("volunteer-applicants")
