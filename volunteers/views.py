"""Volunteer pages: a volunteer's opportunities, sign-ups and hours; a coordinator's sign-ups to
confirm, attendance with hours, the standard teams and the hours rankings."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import ServiceError
from federation.models import Federation
from volunteers import services
from volunteers.choices import OpportunityStatus
from volunteers.forms import AttendForm, PeriodForm, StandardTeamsForm
from volunteers.models import Opportunity, SignUp, Volunteer, VolunteerTeam


def run(request, call, done):
    """Call a service; its refusal becomes the page's error message."""
    try:
        call()
    except ServiceError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)


# The volunteer's own pages ------------------------------------------------------------------


@login_required
def volunteer_home(request):
    volunteer = Volunteer.objects.filter(user=request.user).select_related("federation").first()
    if volunteer is None:
        raise Http404
    mine = volunteer.signups.select_related("opportunity").order_by("-opportunity__starts_at")
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
        "signups": mine,
        "hours": services.volunteer_hours(volunteer),
    }
    return render(request, "volunteers/home.html", context)


@require_POST
@login_required
def sign_up(request, pk):
    opportunity = get_object_or_404(Opportunity.objects.visible_to(request.user), pk=pk)
    run(
        request,
        lambda: services.signup_create(actor=request.user, opportunity=opportunity),
        _("You have signed up. Thank you!"),
    )
    return redirect("volunteer-home")


# Coordinators ---------------------------------------------------------------------------


@login_required
def opportunity_list(request):
    opportunities = (
        Opportunity.objects.visible_to(request.user)
        .with_places_taken()
        .select_related("federation")
    )
    return render(request, "volunteers/opportunities.html", {"opportunities": opportunities})


@login_required
def opportunity_detail(request, pk):
    opportunity = get_object_or_404(
        Opportunity.objects.visible_to(request.user).select_related("federation"), pk=pk
    )
    signups = SignUp.objects.visible_to(request.user).filter(opportunity=opportunity)
    context = {
        "opportunity": opportunity,
        "signups": signups.select_related("volunteer"),
        "attend_form": AttendForm(initial={"hours": opportunity.length_hours}),
    }
    return render(request, "volunteers/opportunity.html", context)


SIGNUP_MOVES = {
    "confirm": (services.signup_confirm, gettext_lazy("The volunteer has a place.")),
    "no-show": (services.signup_no_show, gettext_lazy("Recorded as a no-show.")),
    "cancel": (services.signup_cancel, gettext_lazy("The sign-up is cancelled.")),
}


@require_POST
@login_required
def signup_move(request, pk, verb):
    signup = get_object_or_404(
        SignUp.objects.visible_to(request.user).select_related("opportunity"), pk=pk
    )
    if verb == "attend":
        form = AttendForm(request.POST)
        if form.is_valid():
            run(
                request,
                lambda: services.signup_attend(
                    actor=request.user, signup=signup, hours=form.cleaned_data["hours"]
                ),
                _("Attendance and hours are confirmed."),
            )
        else:
            messages.error(request, _("Give the hours served."))
    elif verb in SIGNUP_MOVES:
        service, done = SIGNUP_MOVES[verb]
        run(request, lambda: service(actor=request.user, signup=signup), done)
    else:
        raise Http404
    if signup.volunteer.user_id == request.user.pk:
        return redirect("volunteer-home")
    return redirect("volunteer-opportunity", pk=signup.opportunity_id)


@login_required
def teams(request):
    form = StandardTeamsForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        federation = form.cleaned_data["federation"]
        run(
            request,
            lambda: services.village_teams_create(actor=request.user, federation=federation),
            _("%(federation)s has its five standard teams.") % {"federation": federation},
        )
        return redirect("volunteer-teams")
    listed = VolunteerTeam.objects.visible_to(request.user).select_related("federation", "project")
    return render(request, "volunteers/teams.html", {"form": form, "teams": listed})


@login_required
def hours(request):
    """Rankings of confirmed hours by volunteer, team and the node's children, for a period."""
    node = Federation.objects.highest_of(request.user)
    if node is None:
        raise Http404
    today = timezone.localdate()
    form = PeriodForm(request.GET or None, initial={"start": date(today.year, 1, 1), "end": today})
    start, end = date(today.year, 1, 1), today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    context = {
        "form": form,
        "node": node,
        "by_volunteer": services.hours_by_volunteer(node, start, end)[:50],
        "by_team": services.hours_by_team(node, start, end)[:50],
        "by_federation": services.hours_by_federation(node, start, end),
    }
    return render(request, "volunteers/hours.html", context)
