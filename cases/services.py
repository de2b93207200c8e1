"""The life of a case: intake → triage → assignment → work → resolution → follow-up → closing,
with transfers, waiting, reopening; SLA clocks; referrals; and who may open the full record.

Every step checks the actor's role and the case's state, records an event on the timeline and
tells whom it concerns after the commit.
"""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.choices import (
    CONTACT_EVENTS,
    ENDED_STATUSES,
    PAUSED_STATUSES,
    AccessVia,
    CallOutcome,
    CaseStatus,
    Channel,
    ContactTime,
    ContactWay,
    EventKind,
    FollowUpKind,
    PartyRole,
    Risk,
)
from cases.models import (
    AccessLog,
    Call,
    Case,
    CaseEvent,
    Consent,
    FollowUp,
    Party,
    Referral,
    SLAPolicy,
)
from cases.workflows import (
    CASE,
    REFERRAL,
    SUPERVISING,
    eligible_worker,
    hotline_organization,
    require_case_staff_or_assigned,
    require_worker_or_supervisor,
    supervises,
    works_on_cases_at,
)
from core.errors import InvalidTransition, NotAllowed, ServiceError
from core.personal_data import id_hash, phone_hash
from core.scoping import paths_q, user_scope
from core.validators import validate_mobile, validate_resident_id
from core.workflow import locked
from federation.choices import Level
from federation.models import Federation, path_and_ancestors
from orgs.choices import OrgRole
from orgs.models import OrgMembership, SocialOrganization

S = CaseStatus
# Hours to first contact and to resolution when no federation has set a policy.
DEFAULT_SLA_HOURS = {
    Risk.CRISIS: (2, 72),
    Risk.HIGH: (8, 7 * 24),
    Risk.MEDIUM: (24, 14 * 24),
    Risk.LOW: (72, 30 * 24),
}


# Who may open what (who may make which move: cases.workflows) --------------------------------


def opens_in_full(user, case) -> bool:
    """The circle of the full record: the assigned worker and supervisors of the owning
    federation or above."""
    return user.pk == case.assigned_to_id or supervises(user, case)


def may_break_glass(user, case) -> bool:
    """Federation case staff outside the circle may open it by giving a reason."""
    return works_on_cases_at(user, case.federation)


def supervised_cases(user):
    """Cases under the federations where the user is a case supervisor."""
    if user.is_superuser:
        return Case.objects.all()
    paths = user_scope(user).paths_with(SUPERVISING)
    return Case.objects.filter(paths_q("federation__path", paths))


def lookups_log(*, actor, cases):
    """Intake shows a caller's existing cases (number, status, risk): each lookup is logged, so
    that nobody can quietly check whether a woman has called."""
    AccessLog.objects.bulk_create(
        AccessLog(case=case, user=actor, via=AccessVia.LOOKUP) for case in cases
    )


def case_open_full(*, actor, case, via, reason="") -> AccessLog:
    """Record an opening of the full case; refuse those outside the circle without a reason."""
    break_glass = not opens_in_full(actor, case)
    if break_glass:
        if not may_break_glass(actor, case):
            raise NotAllowed(_("You may see this case only in its masked form."))
        if not reason.strip():
            raise NotAllowed(_("Say why you must open this case (it will be logged)."))
    entry = AccessLog.objects.create(
        case=case, user=actor, via=AccessVia(via), break_glass=break_glass, reason=reason
    )
    if break_glass:
        CASE.tell(case, "break_glass")
    return entry


# Moves ------------------------------------------------------------------------------------


def record_move(*, case, name, actor, result="", target=None):
    """Make a move of the case's table (checked by CASE.guard before): the new state, its
    event on the timeline, the SLA clock paused or restarted, the move's notice queued."""
    from_status = CASE.advance(case, name, target)
    to_status = case.status
    now = timezone.now()
    if to_status in PAUSED_STATUSES and case.paused_since is None:
        case.paused_since = now
    if to_status not in PAUSED_STATUSES and case.paused_since is not None:
        # The clock stood still while the case waited: the targets move by as much.
        case.paused_for += now - case.paused_since
        case.paused_since = None
        set_due_times(case)
    if to_status in ENDED_STATUSES:
        case.closed_at = now
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.STATUS,
        at=now,
        worker=actor,
        from_status=from_status,
        to_status=to_status,
        result=result,
    )


def sla_hours(case) -> tuple[int, int, int]:
    """(first contact, resolution, warning) hours: the most specific policy of the owning
    federation or the nearest above it, else the platform's defaults."""
    policies = SLAPolicy.objects.filter(
        Q(category="") | Q(category__in=case.categories),
        federation__path__in=path_and_ancestors(case.federation.path),
        risk=case.risk,
    ).order_by("-federation__depth", "-category")
    policy = policies.first()
    if policy is None:
        first, resolution = DEFAULT_SLA_HOURS[Risk(case.risk)]
        return first, resolution, 1
    return policy.first_contact_hours, policy.resolution_hours, policy.warn_hours


def set_due_times(case):
    """Due times from reception, the policy and the time the clock was paused."""
    first, resolution, _warn = sla_hours(case)
    start = case.received_at + case.paused_for
    case.first_contact_due = start + timedelta(hours=first)
    case.resolution_due = start + timedelta(hours=resolution)


# Intake -----------------------------------------------------------------------------------


def person_q(phone="", id_number="") -> Q:
    """Cases with a party whose phone or ID number matches, through the keyed hashes: no
    plaintext is ever searched."""
    hashes = Q(pk__in=[])
    if phone_hash(phone):
        hashes |= Q(parties__phone_hash=phone_hash(phone))
    if id_hash(id_number):
        hashes |= Q(parties__id_hash=id_hash(id_number))
    return hashes


def matching_cases(*, actor, phone="", id_number=""):
    """Cases the actor may see with a party whose phone or ID number matches (keyed hash)."""
    return Case.objects.visible_to(actor).filter(person_q(phone, id_number)).distinct()


SEARCH_LIMIT = 50


def cases_search(*, actor, text) -> list[Case]:
    """The case desk's search: a case number, or a phone or ID number (through the keyed hashes).
    Every case found is logged like an intake lookup."""
    text = text.strip()
    if not text:
        return []
    found = list(
        Case.objects.visible_to(actor)
        .filter(Q(number=text) | person_q(text, text))
        .distinct()
        .order_by("-received_at")[:SEARCH_LIMIT]
    )
    lookups_log(actor=actor, cases=found)
    return found


def check_person(phone, id_number):
    """Translated refusals for a malformed phone or resident ID number."""
    try:
        if phone:
            validate_mobile(phone)
        if id_number:
            validate_resident_id(id_number)
    except ValidationError as error:
        raise ServiceError(" ".join(error.messages)) from error


def birth_year_of(id_number) -> int | None:
    return int(id_number[6:10]) if len(id_number) == 18 else None


def case_intake(
    *,
    actor,
    federation,
    channel,
    risk,
    categories,
    summary="",
    name="",
    phone="",
    id_number="",
    address="",
    vulnerabilities=(),
    consent_to_share=False,
    consent_to_statistics=True,
    do_not_tell="",
    call_outcome=CallOutcome.REACHED,
    received_at=None,
) -> Case:
    """Take a call (or a walk-in) and open a case, risk first. The caller is searched before:
    intake offers the existing case (see matching_cases and call_log).

    A case worker of an organization the federation guides (a contracted hotline) takes calls
    too: the case is then triaged to her organization and hers at once."""
    hotline = None
    if not works_on_cases_at(actor, federation):
        hotline = hotline_organization(actor, federation)
        if hotline is None:
            raise NotAllowed(_("Only case staff of the owning federation may do this."))
    if not categories:
        raise ServiceError(_("Choose at least one category."))
    check_person(phone, id_number)
    received_at = received_at or timezone.now()
    with transaction.atomic():
        case = Case(
            channel=channel,
            received_at=received_at,
            received_by=actor,
            federation=federation,
            categories=list(categories),
            risk=risk,
            summary=summary,
        )
        set_due_times(case)
        case.save()
        case.number = f"{timezone.localtime(received_at):%Y%m%d}-{case.pk:06d}"
        case.save(update_fields=["number"])
        Party.objects.create(
            case=case,
            role=PartyRole.HELP_SEEKER,
            name=name,
            phone=phone,
            id_number=id_number.upper(),
            address=address,
            phone_hash=phone_hash(phone),
            id_hash=id_hash(id_number),
            birth_year=birth_year_of(id_number),
            vulnerabilities=list(vulnerabilities),
        )
        Consent.objects.create(
            case=case,
            to_share=consent_to_share,
            to_statistics=consent_to_statistics,
            do_not_tell=do_not_tell,
            recorded_by=actor,
        )
        Call.objects.create(
            case=case,
            at=received_at,
            operator=actor,
            channel=channel,
            outcome=call_outcome,
            phone_hash=phone_hash(phone),
        )
        CaseEvent.objects.create(
            case=case, kind=EventKind.STATUS, at=received_at, worker=actor, to_status=S.RECEIVED
        )
        CASE.tell(case, "received")
        if hotline is not None:
            case.organization = hotline
            record_move(case=case, name="triage", actor=actor, result=hotline.name)
            record_move(case=case, name="claim", actor=actor, result=actor.get_full_name())
            case.assigned_to = actor
            case.save()
    return case


# 求助: a woman asks for help from her phone ---------------------------------------------------

HELP_LEVELS = (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE)


def county_of(place):
    """The county (district) federation that owns the cases of this place."""
    if place.level not in HELP_LEVELS:
        raise ServiceError(_("Choose your county or district, or a place in it."))
    if place.level == Level.COUNTY:
        return place
    return Federation.objects.filter(
        path__in=path_and_ancestors(place.path), level=Level.COUNTY
    ).get()


def risk_from_answers(*, in_danger_now, hurt_or_threatened, children_at_risk) -> str:
    """Her first three answers, as the intake's risk (the queue's order)."""
    if in_danger_now:
        return Risk.CRISIS
    if hurt_or_threatened or children_at_risk:
        return Risk.HIGH
    return Risk.MEDIUM


def contracted_hotline(county):
    """The organization that answers 12338 for the county (one it guides with a case worker
    whose role is approved), else None: the county's own case staff then take it."""
    workers = OrgMembership.objects.effective().filter(
        role=OrgRole.CASE_WORKER, organization__guiding_federation=county
    )
    return (
        SocialOrganization.objects.filter(pk__in=workers.values("organization_id"))
        .order_by("name")
        .first()
    )


def help_request(
    *,
    actor,
    place,
    in_danger_now,
    hurt_or_threatened,
    children_at_risk,
    categories,
    words="",
    name="",
    phone="",
    contact_way=ContactWay.CALL,
    contact_time=ContactTime.ANY,
) -> Case:
    """A woman asks for help on the public pages: a case at her county's federation, triaged to
    its contracted 12338 line when it has one, with the risk her answers give. What she wrote
    goes into the case's encrypted fields; she is never shown it again."""
    if not actor.is_public:
        raise NotAllowed(_("Help is asked for here with a phone sign-in."))
    if not categories:
        raise ServiceError(_("Choose at least one category."))
    if contact_way != ContactWay.WAIT and not phone:
        raise ServiceError(_("Give a number we may use, or choose that we do not contact you."))
    check_person(phone, "")
    county = county_of(place)
    risk = risk_from_answers(
        in_danger_now=in_danger_now,
        hurt_or_threatened=hurt_or_threatened,
        children_at_risk=children_at_risk,
    )
    hotline = contracted_hotline(county)
    now = timezone.now()
    with transaction.atomic():
        case = Case(
            channel=Channel.ONLINE,
            received_at=now,
            received_by=actor,
            federation=county,
            categories=list(categories),
            risk=risk,
            summary=words.strip(),
        )
        set_due_times(case)
        case.save()
        case.number = f"{timezone.localtime(now):%Y%m%d}-{case.pk:06d}"
        case.save(update_fields=["number"])
        Party.objects.create(
            case=case,
            role=PartyRole.HELP_SEEKER,
            name=name.strip(),
            phone=phone,
            phone_hash=phone_hash(phone),
        )
        Consent.objects.create(
            case=case, recorded_by=actor, contact_way=contact_way, contact_time=contact_time
        )
        CaseEvent.objects.create(case=case, kind=EventKind.STATUS, at=now, to_status=S.RECEIVED)
        CASE.tell(case, "received")
        if hotline is not None:
            case.organization = hotline
            record_move(case=case, name="triage", actor=None, result=hotline.name)
            case.save()
            CASE.tell(case, "asked_online")
    return case


def call_log(*, actor, case, outcome, notes="", at=None) -> Call:
    """Another call on an existing case (one woman may call many times)."""
    at = at or timezone.now()
    with transaction.atomic():
        case = locked(case)
        require_case_staff_or_assigned(actor, case)
        require_not_ended(case)
        call = Call.objects.create(
            case=case, at=at, operator=actor, channel=case.channel, outcome=outcome, notes=notes
        )
        CaseEvent.objects.create(case=case, kind=EventKind.CALL, at=at, worker=actor, result=notes)
    return call


def require_not_ended(case):
    if case.status in ENDED_STATUSES:
        raise InvalidTransition(_("Reopen the case before adding to it."))


# Triage, assignment, escalation -----------------------------------------------------------


def case_triage(*, actor, case, risk, categories, organization=None) -> Case:
    """Confirm risk and categories, and choose the organization that will handle it."""
    if not categories:
        raise ServiceError(_("Choose at least one category."))
    with transaction.atomic():
        case = locked(case)
        CASE.guard("triage", actor, case)
        record_move(case=case, name="triage", actor=actor)
        case.risk, case.categories, case.organization = risk, list(categories), organization
        set_due_times(case)
        case.save()
    return case


def case_assign(*, actor, case, worker) -> Case:
    """A supervisor assigns the case (or reassigns it, before it is resolved)."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard("assign", actor, case)
        if not eligible_worker(worker, case):
            raise ServiceError(
                _("Assign the case to a worker of the handling organization or federation.")
            )
        record_move(case=case, name="assign", actor=actor, result=worker.get_full_name())
        case.assigned_to = worker
        case.save()
    return case


def case_claim(*, actor, case) -> Case:
    """A worker takes an unassigned, triaged case herself; of two at once, one wins."""
    with transaction.atomic():
        case = locked(case)
        if case.assigned_to_id is not None and eligible_worker(actor, case):
            raise InvalidTransition(_("Somebody else has taken this case."))
        CASE.guard("claim", actor, case)
        record_move(case=case, name="claim", actor=actor, result=actor.get_full_name())
        case.assigned_to = actor
        case.save()
    return case


def case_escalate(*, actor, case, to_federation) -> Case:
    """Hand the case down (a city hotline to the district federation): ownership moves, the
    whole history stays, the new owner assigns it."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard("escalate", actor, case)
        if to_federation == case.federation or not to_federation.is_within(case.federation):
            raise ServiceError(_("Escalate to a federation below the owning one."))
        record_move(case=case, name="escalate", actor=actor, result=to_federation.name)
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.ESCALATION,
            at=timezone.now(),
            worker=actor,
            result=_("Escalated from %(from)s to %(to)s")
            % {"from": case.federation.name, "to": to_federation.name},
        )
        case.federation, case.assigned_to = to_federation, None
        case.save()
    return case


def case_transfer(*, actor, case, note) -> Case:
    """The case leaves the platform's care (e.g. she moved to another province)."""
    return simple_move(actor=actor, case=case, name="transfer", note=note)


def simple_move(*, actor, case, name, note="") -> Case:
    """A move that only changes the state (with a note on the timeline)."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard(name, actor, case, reason=note)
        record_move(case=case, name=name, actor=actor, result=note)
        case.save()
    return case


# Working the case -------------------------------------------------------------------------


def case_start(*, actor, case) -> Case:
    return simple_move(actor=actor, case=case, name="start")


def case_wait(*, actor, case, note="") -> Case:
    """Waiting for a department: the SLA clock pauses."""
    return simple_move(actor=actor, case=case, name="wait", note=note)


def case_unreachable(*, actor, case, note="") -> Case:
    return simple_move(actor=actor, case=case, name="unreachable", note=note)


def case_resume(*, actor, case) -> Case:
    return simple_move(actor=actor, case=case, name="resume")


def case_withdraw(*, actor, case, note="") -> Case:
    """She withdrew her request for help."""
    return simple_move(actor=actor, case=case, name="withdraw", note=note)


def event_add(*, actor, case, kind, at, result="", step="") -> CaseEvent:
    """A contact, session, plan or note on the timeline. The first contact stops that clock;
    the assigned worker's first entry starts the work."""
    if kind in {EventKind.STATUS, EventKind.ESCALATION, EventKind.URGE}:
        raise ServiceError(_("Status changes and escalations are recorded by their own steps."))
    if kind == EventKind.MEDIATION and not step:
        raise ServiceError(_("Say which step of the mediation this session was."))
    if at > timezone.now() + timedelta(minutes=5):
        raise ServiceError(_("An event cannot lie in the future."))
    with transaction.atomic():
        case = locked(case)
        CASE.guard("event", actor, case)
        if case.status == S.ASSIGNED and actor.pk == case.assigned_to_id:
            record_move(case=case, name="start", actor=actor)
        if kind in CONTACT_EVENTS and case.first_contacted_at is None:
            case.first_contacted_at = at
        case.save()
        return CaseEvent.objects.create(
            case=case, kind=kind, at=at, worker=actor, result=result, step=step
        )


# Referrals --------------------------------------------------------------------------------


def referral_send(
    *, actor, case, respond_by, department="", organization=None, note="", override_reason=""
) -> Referral:
    """联动转介. Without her consent to sharing, only a supervisor may send it, with a reason
    that is kept."""
    if bool(department) == (organization is not None):
        raise ServiceError(_("Refer to either a department or an organization."))
    if respond_by <= timezone.now():
        raise ServiceError(_("The answer must be due in the future."))
    with transaction.atomic():
        case = locked(case)
        CASE.guard("referral", actor, case)
        overridden = not case.consent.to_share
        if overridden:
            if not supervises(actor, case):
                raise NotAllowed(
                    _("She has not consented to sharing: only a supervisor may refer the case.")
                )
            if not override_reason.strip():
                raise ServiceError(_("Say why the case is referred without her consent."))
        referral = Referral.objects.create(
            case=case,
            department=department,
            organization=organization,
            note=note,
            respond_by=respond_by,
            sent_by=actor,
            consent_override_by=actor if overridden else None,
            consent_override_reason=override_reason if overridden else "",
        )
        CaseEvent.objects.create(
            case=case,
            kind=EventKind.NOTE,
            at=timezone.now(),
            worker=actor,
            result=_("Referred to %(to)s") % {"to": referral}
            + (
                _(" without consent: %(reason)s") % {"reason": override_reason}
                if overridden
                else ""
            ),
        )
    return referral


def referral_update(*, actor, referral, verb, answer="") -> Referral:
    """Record the department's answer (accepted, rejected with reason, done), or revoke it
    (a supervisor): the moves of cases.workflows.REFERRAL."""
    with transaction.atomic():
        case = locked(referral.case)
        referral = locked(referral)
        referral.case = case
        require_not_ended(case)
        REFERRAL.guard(verb, actor, referral, reason=answer)
        REFERRAL.advance(referral, verb)
        referral.answer = answer or referral.answer
        referral.answered_at = referral.answered_at or timezone.now()
        referral.save()
    return referral


# Resolution, follow-up, closing ------------------------------------------------------------


def case_resolve(*, actor, case, outcome, note="") -> Case:
    """Resolve with an outcome; follow-up visits are scheduled at the configured intervals
    (unless she has scheduled her own)."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard("resolve", actor, case)
        record_move(case=case, name="resolve", actor=actor, result=note)
        case.outcome, case.resolved_at = outcome, timezone.now()
        case.save()
        # The configured visits, unless the worker has scheduled her own already.
        if not case.follow_ups.filter(done_at__isnull=True).exists():
            resolved_on = timezone.localdate(case.resolved_at)
            FollowUp.objects.bulk_create(
                FollowUp(case=case, due_on=resolved_on + timedelta(days=days))
                for days in settings.CASE_FOLLOW_UP_DAYS
            )
    return case


def follow_up_schedule(*, actor, case, due_on, kind=FollowUpKind.VISIT, method="phone") -> FollowUp:
    """Another visit or a recurring session (on demand)."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard("follow-up", actor, case)
        if case.resolved_at and due_on < timezone.localdate(case.resolved_at):
            raise ServiceError(_("A follow-up cannot be due before the case was resolved."))
        if due_on < timezone.localdate():
            raise ServiceError(_("A follow-up cannot be due in the past."))
        return FollowUp.objects.create(case=case, due_on=due_on, kind=kind, method=method)


def follow_up_done(*, actor, follow_up, result, method=None) -> FollowUp:
    with transaction.atomic():
        case = locked(follow_up.case)  # the case first, as everywhere: no deadlock
        follow_up = locked(follow_up)
        require_worker_or_supervisor(actor, case)
        require_not_ended(case)
        if follow_up.done_at is not None:
            raise InvalidTransition(_("This follow-up is recorded already."))
        if not result.strip():
            raise ServiceError(_("Say how she is doing."))
        follow_up.done_at, follow_up.done_by, follow_up.result = timezone.now(), actor, result
        follow_up.method = method or follow_up.method
        follow_up.save()
        if case.status == S.RESOLVED:
            record_move(case=case, name="followed-up", actor=actor)
            case.save()
    return follow_up


def case_close(*, actor, case, note="") -> Case:
    """Close; a high-risk or crisis case only with a supervisor's approval."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard("close", actor, case)
        record_move(case=case, name="close", actor=actor, result=note)
        case.save()
    return case


def case_urge(*, actor, case, reason) -> CaseEvent:
    """催办 / 督办: a supervisor presses the worker on an open case; it stands on the timeline and
    the worker is told."""
    with transaction.atomic():
        case = locked(case)
        move = CASE.guard("urge", actor, case, reason=reason)
        event = CaseEvent.objects.create(
            case=case, kind=EventKind.URGE, at=timezone.now(), worker=actor, result=reason
        )
        CASE.announce(case, move)
    return event


def case_reopen(*, actor, case, reason) -> Case:
    """Back to work, recorded with the reason: to the worker if one is assigned."""
    with transaction.atomic():
        case = locked(case)
        CASE.guard("reopen", actor, case, reason=reason)
        if case.anonymised_at is not None:
            raise InvalidTransition(_("An anonymised case cannot be reopened."))
        to_status = S.IN_PROGRESS if case.assigned_to_id else S.TRIAGED
        record_move(case=case, name="reopen", actor=actor, result=reason, target=to_status)
        case.closed_at = None
        case.save()
    return case


# Retention --------------------------------------------------------------------------------


def age_band(birth_year, on_year) -> str:
    if birth_year is None:
        return ""
    low = (on_year - birth_year) // 10 * 10
    return f"{low}-{low + 9}"


def cases_anonymise(*, closed_before) -> int:
    """Closed cases past retention keep their counts and lose everything personal."""
    due = Case.objects.filter(
        status__in=ENDED_STATUSES, closed_at__lt=closed_before, anonymised_at__isnull=True
    )
    count = 0
    for case_id in due.values_list("pk", flat=True):
        with transaction.atomic():
            # Checked again under the lock: it may have been reopened meanwhile.
            case = due.select_for_update().filter(pk=case_id).first()
            if case is None:
                continue
            for party in case.parties.all():
                party.age_band = age_band(party.birth_year, case.received_at.year)
                party.name = party.phone = party.id_number = party.address = party.notes = ""
                party.phone_hash = party.id_hash = ""
                party.birth_year, party.vulnerabilities = None, []
                party.save()
            case.events.update(result="")
            case.referrals.update(note="", answer="", consent_override_reason="")
            case.follow_ups.update(result="")
            case.calls.update(notes="", phone_hash="")
            Consent.objects.filter(case=case).update(do_not_tell="")
            case.summary, case.anonymised_at = "", timezone.now()
            case.save()
            count += 1
    return count
