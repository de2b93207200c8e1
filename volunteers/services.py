"""Teams, recruitment and hours. Sign-ups are first come, first served: while places remain a
sign-up is confirmed at once (under a lock on the opportunity), after that it waits as applied
for a place to free up. Hours count once a coordinator confirms attendance."""

from datetime import date, timedelta
from decimal import Decimal

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.aggregates import grouped_below
from core.errors import InvalidTransition, NotAllowed, ServiceError
from core.personal_data import phone_hash
from core.scoping import subtree_q
from core.validators import validate_mobile, validate_resident_id
from core.workflow import locked
from federation.choices import Level
from federation.models import path_and_ancestors
from notifications.services import notify
from volunteers.choices import (
    HOLDING_PLACE,
    STANDARD_VILLAGE_TEAMS,
    OpportunityStatus,
    SignUpStatus,
    VolunteerStatus,
)
from volunteers.models import Opportunity, SignUp, TeamMembership, Volunteer, VolunteerTeam
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


# Registering oneself (志愿者注册) and the coordinator's approval -------------------------------

VOLUNTEER_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def volunteer_apply(
    *, actor, federation, name, id_number, skills=(), availability="", team=None, consent=False
) -> Volunteer:
    """A woman registers as a volunteer with her real name, her ID number (checked) and the
    number she signed in with (verified by its code); a coordinator approves her. Signed up
    before by a coordinator with this number, she finds that record and keeps its hours."""
    if not actor.is_public:
        raise NotAllowed(_("Volunteers register here with a phone sign-in."))
    if not consent:
        raise ServiceError(_("Registering needs your consent to the use of your ID number."))
    if federation.level not in VOLUNTEER_LEVELS:
        raise ServiceError(_("Choose your county or district, or a place in it."))
    if not name.strip():
        raise ServiceError(_("Give her name."))
    try:
        validate_resident_id(id_number.strip().upper())
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages)) from error
    if team is not None and not federation.path.startswith(team.federation.path):
        team = None  # a team of another place is not hers to join
    if Volunteer.objects.filter(user=actor).exists():
        raise InvalidTransition(_("You have registered already."))
    known = Volunteer.objects.filter(user=None, phone_hash=actor.phone_hash).first()
    volunteer = known or Volunteer(
        status=VolunteerStatus.PENDING, registered_on=timezone.localdate()
    )
    volunteer.user, volunteer.federation = actor, federation
    volunteer.name, volunteer.id_number = name.strip(), id_number.strip().upper()
    volunteer.phone, volunteer.phone_hash = actor.phone, actor.phone_hash
    volunteer.skills, volunteer.availability, volunteer.wanted_team = (
        list(skills),
        availability,
        team,
    )
    volunteer.consented_at = timezone.now()
    volunteer.save()
    return volunteer


def volunteer_approve(*, actor, volunteer) -> Volunteer:
    """A coordinator of her place (or above) approves her; she joins the team she asked for."""
    require_coordinator(actor, volunteer.federation)
    with transaction.atomic():
        volunteer = locked(volunteer)
        if volunteer.status != VolunteerStatus.PENDING:
            raise InvalidTransition(_("Only a volunteer awaiting approval can be approved."))
        volunteer.status = VolunteerStatus.ACTIVE
        volunteer.save(update_fields=["status"])
        if volunteer.wanted_team_id:
            TeamMembership.objects.get_or_create(
                team_id=volunteer.wanted_team_id,
                volunteer=volunteer,
                defaults={"joined_on": timezone.localdate()},
            )
        tell_volunteer(volunteer, "approved", _("You are a volunteer now: sign up for activities"))
    return volunteer


def volunteer_reject(*, actor, volunteer, reason) -> Volunteer:
    require_coordinator(actor, volunteer.federation)
    if not reason.strip():
        raise ServiceError(_("Say why she is not approved: she is told."))
    with transaction.atomic():
        volunteer = locked(volunteer)
        if volunteer.status != VolunteerStatus.PENDING:
            raise InvalidTransition(_("Only a volunteer awaiting approval can be approved."))
        volunteer.status, volunteer.decision_reason = VolunteerStatus.REJECTED, reason.strip()
        volunteer.save(update_fields=["status", "decision_reason"])
        tell_volunteer(
            volunteer, "rejected", _("Not approved as a volunteer: %(reason)s") % {"reason": reason}
        )
    return volunteer


def tell_volunteer(volunteer, event, title):
    if volunteer.user_id:
        notify(
            user=volunteer.user,
            key=f"volunteer-{event}:{volunteer.pk}",
            title=title,
            url=reverse("public-volunteer"),
        )


# Sign-ups ----------------------------------------------------------------------------------


def places_taken(opportunity) -> int:
    return opportunity.signups.filter(status__in=HOLDING_PLACE).count()


def signup_create(*, actor, opportunity) -> SignUp:
    """A volunteer signs herself up: confirmed while places remain, else on the waiting list."""
    volunteer = Volunteer.objects.filter(user=actor).select_related("federation").first()
    if volunteer is None or volunteer.status != VolunteerStatus.ACTIVE:
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


# 扫码签到/签退: checking in and out by the opportunity's QR code ---------------------------------

CHECK_IN_SALT = "volunteers.check-in"
# The coordinator's screen shows a new code every QR_SECONDS; a scan is taken within twice that.
QR_SECONDS = 120
CHECK_IN_OPENS = timedelta(minutes=30)


def check_in_token(opportunity) -> str:
    return signing.TimestampSigner(salt=CHECK_IN_SALT).sign(str(opportunity.pk))


def opportunity_of_token(token):
    try:
        pk = signing.TimestampSigner(salt=CHECK_IN_SALT).unsign(token, max_age=2 * QR_SECONDS)
    except signing.SignatureExpired:
        raise ServiceError(_("This code has expired: scan the one shown now.")) from None
    except signing.BadSignature:
        raise ServiceError(_("This is not a check-in code of the platform.")) from None
    return Opportunity.objects.select_related("federation").get(pk=int(pk))


def signup_scan(*, actor, token) -> SignUp:
    """Her first scan checks her in (from half an hour before the start to the end), the second
    checks her out and proposes her hours; the coordinator confirms them."""
    opportunity = opportunity_of_token(token)
    volunteer = Volunteer.objects.filter(user=actor, status=VolunteerStatus.ACTIVE).first()
    with transaction.atomic():
        signup = (
            SignUp.objects.select_for_update()
            .filter(opportunity=opportunity, volunteer=volunteer, status=S.CONFIRMED)
            .first()
        )
        if volunteer is None or signup is None:
            raise NotAllowed(_("You have no place in this activity: ask the coordinator on site."))
        now = timezone.now()
        if signup.checked_in_at is None:
            if not opportunity.starts_at - CHECK_IN_OPENS <= now <= opportunity.ends_at:
                raise ServiceError(
                    _("Check-in opens half an hour before the activity and closes at its end.")
                )
            signup.checked_in_at = now
        elif signup.checked_out_at is None:
            signup.checked_out_at = now
            signup.proposed_hours = proposed_hours(signup, opportunity)
        else:
            raise InvalidTransition(_("You have checked in and out already."))
        signup.save(update_fields=["checked_in_at", "checked_out_at", "proposed_hours"])
    return signup


def proposed_hours(signup, opportunity) -> Decimal:
    """From check-in to check-out within the activity's own times, in whole half hours."""
    start = max(signup.checked_in_at, opportunity.starts_at)
    end = min(signup.checked_out_at, opportunity.ends_at)
    half_hours = max(int((end - start).total_seconds() // 1800), 0)
    return Decimal(half_hours) / 2


def hours_confirm_proposed(*, actor, opportunity) -> int:
    """The coordinator confirms, in one step, every hour proposed by the scans."""
    require_coordinator(actor, opportunity.federation)
    scanned = opportunity.signups.filter(status=S.CONFIRMED, proposed_hours__gt=0)
    for signup in scanned:
        signup_attend(actor=actor, signup=signup, hours=signup.proposed_hours)
    return len(scanned)


def signup_walk_in(*, actor, opportunity, name, phone) -> SignUp:
    """A volunteer who came without signing up, added on site by the coordinator and checked in
    at once: found by her number among the area's volunteers, else registered."""
    require_coordinator(actor, opportunity.federation)
    volunteer = (
        Volunteer.objects.filter(phone_hash=phone_hash(phone), status=VolunteerStatus.ACTIVE)
        .filter(subtree_q("federation__path", opportunity.federation))
        .first()
    )
    if volunteer is None:
        volunteer = volunteer_register(
            actor=actor, federation=opportunity.federation, name=name, phone=phone
        )
    with transaction.atomic():
        signup, _created = SignUp.objects.select_for_update().get_or_create(
            opportunity=opportunity, volunteer=volunteer, defaults={"status": S.CONFIRMED}
        )
        if signup.status != S.CONFIRMED:
            raise InvalidTransition(_("She is on the list already: give her a place there."))
        signup.checked_in_at = signup.checked_in_at or timezone.now()
        signup.save(update_fields=["checked_in_at"])
    return signup


# The hours certificate and its check -----------------------------------------------------------

CERTIFICATE_SALT = "volunteers.hours-certificate"


def certificate_code(volunteer, hours: Decimal, issued: date) -> str:
    """What the certificate's QR code carries, signed: who, how many hours, when."""
    data = {"v": volunteer.pk, "h": str(hours), "d": issued.isoformat()}
    return signing.dumps(data, salt=CERTIFICATE_SALT, compress=True)


def certificate_of_code(code) -> dict:
    """The certificate a code was issued for, or a ServiceError for a code not of ours."""
    try:
        data = signing.loads(code, salt=CERTIFICATE_SALT)
    except signing.BadSignature:
        raise ServiceError(_("This certificate was not issued by the platform.")) from None
    volunteer = Volunteer.objects.select_related("federation").filter(pk=data["v"]).first()
    if volunteer is None:
        raise ServiceError(_("This certificate was not issued by the platform."))
    return {
        "volunteer": volunteer,
        "hours": Decimal(data["h"]),
        "issued": date.fromisoformat(data["d"]),
    }
