"""Teams, recruitment and hours. Sign-ups are first come, first served: while places remain a
sign-up is confirmed at once (under a lock on the opportunity), after that it waits as applied
for a place to free up. Hours count once a coordinator confirms attendance."""

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext as _

from core.aggregates import grouped_below
from core.errors import InvalidTransition, NotAllowed, ServiceError
from core.personal_data import phone_hash
from core.scoping import subtree_q
from core.validators import validate_mobile
from core.workflow import locked
from federation.choices import Level
from federation.models import path_and_ancestors
from volunteers.choices import (
    HOLDING_PLACE,
    STANDARD_VILLAGE_TEAMS,
    OpportunityStatus,
    SignUpStatus,
)
from volunteers.models import SignUp, TeamMembership, Volunteer, VolunteerTeam
from volunteers.workflows import SIGNUP, require_coordinator

S = SignUpStatus


# Teams -----------------------------------------------------------------------------------


def village_teams_create(*, actor, federation) -> list[VolunteerTeam]:
    """Give a village federation its five standard teams; running it again changes nothing."""
    require_coordinator(actor, federation)
    if federation.level != Level.VILLAGE:
        raise ServiceError(_("The five standard teams belong to village or community federations."))
    return standard_teams_of(federation)


def standard_teams_of(federation) -> list[VolunteerTeam]:
    prefix = federation.name.removesuffix("妇联")
    return [
        VolunteerTeam.objects.get_or_create(
            federation=federation, kind=kind, defaults={"name": f"{prefix}{name}志愿服务队"}
        )[0]
        for kind, name in STANDARD_VILLAGE_TEAMS
    ]


def team_join(*, actor, team, volunteer, on=None) -> TeamMembership:
    require_coordinator(actor, team.federation)
    if team.memberships.filter(volunteer=volunteer, left_on__isnull=True).exists():
        raise InvalidTransition(_("She is in this team already."))
    return TeamMembership.objects.create(
        team=team, volunteer=volunteer, joined_on=on or timezone.localdate()
    )


def team_leave(*, actor, membership, on=None) -> TeamMembership:
    require_coordinator(actor, membership.team.federation)
    if membership.left_on is not None:
        raise InvalidTransition(_("She has left this team already."))
    on = on or timezone.localdate()
    if on < membership.joined_on:
        raise ServiceError(_("She cannot leave before she joined."))
    membership.left_on = on
    membership.save(update_fields=["left_on"])
    return membership


def volunteer_register(*, actor, federation, name, phone="", **fields) -> Volunteer:
    require_coordinator(actor, federation)
    if not name.strip():
        raise ServiceError(_("Give her name."))
    if phone:
        try:
            validate_mobile(phone)
        except ValidationError as error:
            raise ServiceError(" ".join(error.messages)) from error
    fields.setdefault("registered_on", timezone.localdate())
    return Volunteer.objects.create(
        federation=federation, name=name, phone=phone, phone_hash=phone_hash(phone), **fields
    )


# Sign-ups ----------------------------------------------------------------------------------


def places_taken(opportunity) -> int:
    return opportunity.signups.filter(status__in=HOLDING_PLACE).count()


def signup_create(*, actor, opportunity) -> SignUp:
    """A volunteer signs herself up: confirmed while places remain, else on the waiting list."""
    volunteer = Volunteer.objects.filter(user=actor).select_related("federation").first()
    if volunteer is None:
        raise NotAllowed(_("Only a registered volunteer may sign up."))
    with transaction.atomic():
        opportunity = locked(opportunity)
        if opportunity.federation.path not in path_and_ancestors(volunteer.federation.path):
            raise NotAllowed(_("This opportunity is not in your area."))
        if opportunity.status != OpportunityStatus.OPEN or opportunity.starts_at <= timezone.now():
            raise ServiceError(_("Sign-ups for this opportunity are closed."))
        signup = SignUp.objects.filter(opportunity=opportunity, volunteer=volunteer).first()
        if signup is not None and signup.status != S.CANCELLED:
            raise InvalidTransition(_("You have signed up for this already."))
        full = places_taken(opportunity) >= opportunity.places
        target = S.APPLIED if full else S.CONFIRMED
        if signup is None:
            signup = SignUp(opportunity=opportunity, volunteer=volunteer, status=target)
        else:
            SIGNUP.guard("sign-up-again", actor, signup)
            SIGNUP.advance(signup, "sign-up-again", target)
        signup.save()
    return signup


def signup_confirm(*, actor, signup) -> SignUp:
    """A coordinator gives a waiting volunteer a place that has come free."""
    with transaction.atomic():
        opportunity = locked(signup.opportunity)
        signup = locked(signup)
        signup.opportunity = opportunity
        SIGNUP.guard("confirm", actor, signup)
        SIGNUP.advance(signup, "confirm")
        if places_taken(opportunity) >= opportunity.places:
            raise ServiceError(_("All places are taken."))
        signup.save()
    return signup


def signup_cancel(*, actor, signup) -> SignUp:
    """The volunteer herself, or a coordinator, before the day."""
    return SIGNUP.make("cancel", actor=actor, record=signup)


def signup_attend(*, actor, signup, hours) -> SignUp:
    """A coordinator confirms she came and how long she served: only then do hours count."""
    with transaction.atomic():
        signup = locked(signup)
        SIGNUP.guard("attend", actor, signup)
        SIGNUP.advance(signup, "attend")
        if signup.opportunity.starts_at > timezone.now():
            raise ServiceError(_("Attendance is confirmed once the opportunity has begun."))
        hours = Decimal(hours)
        if not Decimal("0") < hours <= signup.opportunity.length_hours:
            raise ServiceError(
                _("Hours must be more than 0 and at most the opportunity's %(length)s hours.")
                % {"length": signup.opportunity.length_hours}
            )
        signup.hours, signup.hours_confirmed_by = hours, actor
        signup.hours_confirmed_at = timezone.now()
        signup.save()
    return signup


def signup_no_show(*, actor, signup) -> SignUp:
    return SIGNUP.make("no-show", actor=actor, record=signup)


# Hours: totals and rankings -------------------------------------------------------------


def credited(federation, start: date, end: date):
    """Confirmed hours of attended sign-ups, for volunteers of this subtree, in the period."""
    return SignUp.objects.credited_between(start, end).filter(
        subtree_q("volunteer__federation__path", federation)
    )


def hours_by_volunteer(federation, start, end):
    return (
        credited(federation, start, end)
        .values("volunteer_id", "volunteer__name")
        .annotate(hours=Sum("hours"), times=Count("pk"))
        .order_by("-hours", "volunteer__name")
    )


def hours_by_team(federation, start, end):
    """A sign-up counts for each team its volunteer belonged to on the day."""
    day = TruncDate("opportunity__starts_at")
    member_that_day = Q(volunteer__memberships__joined_on__lte=day) & (
        Q(volunteer__memberships__left_on__isnull=True)
        | Q(volunteer__memberships__left_on__gte=day)
    )
    return (
        credited(federation, start, end)
        .filter(member_that_day)
        .values("volunteer__memberships__team_id", "volunteer__memberships__team__name")
        .annotate(hours=Sum("hours"))
        .order_by("-hours")
    )


def hours_by_federation(federation, start, end):
    """The node's children side by side, each with its subtree (one grouped query)."""
    totals = grouped_below(
        credited(federation, start, end),
        "volunteer__federation__path",
        federation,
        hours=Sum("hours"),
    )
    rows = [
        {"federation": child, "hours": totals.get(child.path, {}).get("hours") or Decimal("0")}
        for child in federation.children.order_by("name")
    ]
    return sorted(rows, key=lambda row: -row["hours"])


def volunteer_hours(volunteer) -> Decimal:
    return volunteer.signups.credited().aggregate(total=Sum("hours"))["total"] or Decimal("0")
