"""Every write of the register, sponsorship, funds and insurance: keyword-only functions taking
the actor, each in one transaction."""

import secrets
from datetime import date
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import NotAllowed, ServiceError
from core.personal_data import id_hash, phone_hash
from core.scoping import has_role_at
from core.validators import validate_resident_id
from core.workflow import locked
from federation.choices import Level, Role
from menu.choices import OrderStatus
from people.choices import (
    UNPAID,
    AttendanceMethod,
    ConsentUse,
    GrowthKind,
    PairingStatus,
    PayoutKind,
    StipendStatus,
)
from people.models import (
    PERSON_ROLES,
    Attendance,
    Claim,
    Donation,
    Fund,
    GrowthEntry,
    InsurancePolicy,
    Insured,
    Pairing,
    Payout,
    Person,
    PersonAccess,
    PersonConsent,
    PersonFlag,
    Sponsor,
    Stipend,
    StipendCheck,
)
from people.workflows import PAIRING, STIPEND

DELIVERED = (OrderStatus.DELIVERED, OrderStatus.CONFIRMED)
FUND_KEEPERS = (Role.ADMIN, Role.BENEFICIARY_OFFICER)


def require_officer(actor, federation):
    if not has_role_at(actor, federation, PERSON_ROLES):
        raise NotAllowed(_("Only the register's officer of this federation may do this."))


# The register -------------------------------------------------------------------------------


def people_matching(*, phone="", id_number=""):
    """Everyone already registered with this phone or ID number, wherever she is kept
    (search before create): found through the keyed hashes, never a plaintext column."""
    hashes = {"phone_hash": phone_hash(phone), "id_hash": id_hash(id_number)}
    matches = Person.objects.none()
    for column, value in hashes.items():
        if value:
            matches |= Person.objects.filter(**{column: value})
    return matches


def person_find(*, actor, phone="", id_number=""):
    """Search before create, within her area: the people she may open who match."""
    return people_matching(phone=phone, id_number=id_number).visible_to(actor)


def person_register(
    *,
    actor,
    federation,
    kind,
    name,
    phone="",
    id_number="",
    birth_year=None,
    address="",
    household="",
    guardian="",
    target_groups=(),
    consents=(),
    source_case=None,
):
    """Register a woman or a child at her village or community, once: a phone or ID number
    already registered anywhere is refused (without saying where)."""
    require_officer(actor, federation)
    if federation.level != Level.VILLAGE:
        raise ServiceError(_("A person is kept at her village or community federation."))
    if not name.strip():
        raise ServiceError(_("Give her name."))
    if id_number:
        try:
            validate_resident_id(id_number)
        except ValidationError as error:
            raise ServiceError(error.messages[0]) from None
    with transaction.atomic():
        existing = people_matching(phone=phone, id_number=id_number).first()
        if existing is not None:
            if existing in person_find(actor=actor, phone=phone, id_number=id_number):
                raise ServiceError(
                    _("She is already registered (%(name)s): open her record instead.")
                    % {"name": existing.masked_name}
                )
            raise ServiceError(
                _(
                    "This phone or ID number is already registered at another federation: "
                    "ask her federation to share the record."
                )
            )
        person = Person.objects.create(
            federation=federation,
            kind=kind,
            name=name.strip(),
            phone=phone,
            id_number=id_number,
            birth_year=birth_year,
            address=address,
            household=household,
            guardian=guardian,
            source_case=source_case,
            card_code=new_card_code(),
            registered_by=actor,
        )
        person.target_groups.set(target_groups)
        for use in dict.fromkeys(consents):
            PersonConsent.objects.create(person=person, use=use, recorded_by=actor)
    return person


def new_card_code() -> str:
    return secrets.token_hex(6).upper()


def person_open(*, actor, person, via="page"):
    """Her full record, the opening logged (as a case's)."""
    if not Person.objects.visible_to(actor).filter(pk=person.pk).exists():
        raise NotAllowed(_("Only the register's officer of this federation may do this."))
    PersonAccess.objects.create(person=person, user=actor, via=via)
    return person


def person_flag(*, actor, person, kind, review_on):
    require_officer(actor, person.federation)
    flag, _created = PersonFlag.objects.update_or_create(
        person=person, kind=kind, defaults={"review_on": review_on, "noted_by": actor}
    )
    return flag


def consent_give(*, actor, person, use):
    require_officer(actor, person.federation)
    consent, _created = PersonConsent.objects.get_or_create(
        person=person, use=use, withdrawn_at=None, defaults={"recorded_by": actor}
    )
    return consent


def consent_withdraw(*, actor, person, use):
    require_officer(actor, person.federation)
    return PersonConsent.objects.filter(person=person, use=use, withdrawn_at=None).update(
        withdrawn_at=timezone.now()
    )


def has_consent(person, use) -> bool:
    return person.consents.filter(use=use, withdrawn_at=None).exists()


def person_became_volunteer(*, actor, person, volunteer):
    require_officer(actor, person.federation)
    with transaction.atomic():
        person = locked(person)
        person.volunteer = volunteer
        person.save(update_fields=["volunteer"])
        volunteer.former_beneficiary = True
        volunteer.save(update_fields=["former_beneficiary"])
    return person


# Attendance ---------------------------------------------------------------------------------


def occasion_day(*, activity=None, order=None) -> date:
    if activity is not None:
        return activity.held_on
    if order.status not in DELIVERED:
        raise ServiceError(_("Attendance is taken once the order is delivered."))
    return timezone.localdate(order.scheduled_at) if order.scheduled_at else order.window_end


def attendance_take(*, actor, people, activity=None, order=None, method=AttendanceMethod.LIST):
    """She was there (each person once per occasion: taken again, nothing changes). Returns how
    many were added."""
    if (activity is None) == (order is None):
        raise ServiceError(_("Choose an activity or a delivered order."))
    served_on = occasion_day(activity=activity, order=order)
    visible = Person.objects.visible_to(actor)
    people = list(people)
    if any(not visible.filter(pk=person.pk).exists() for person in people):
        raise NotAllowed(_("Only the register's officer of this federation may do this."))
    occasion = {"activity": activity} if activity is not None else {"order": order}
    already = set(Attendance.objects.filter(**occasion).values_list("person_id", flat=True))
    # Only the new ones: an INSERT … ON CONFLICT DO NOTHING would still fire the roll-ups'
    # BEFORE INSERT trigger for a row it then skips.
    rows = [
        Attendance(person=person, served_on=served_on, method=method, recorded_by=actor, **occasion)
        for person in dict.fromkeys(people)
        if person.pk not in already
    ]
    try:
        with transaction.atomic():
            Attendance.objects.bulk_create(rows)
    except IntegrityError:
        raise ServiceError(_("Someone took this attendance at the same time: try again.")) from None
    return len(rows)


def attendance_by_card(*, actor, card_code, activity=None, order=None):
    """A service card scanned at the door."""
    person = Person.objects.visible_to(actor).filter(card_code=card_code.strip().upper()).first()
    if person is None:
        raise ServiceError(_("No person in your area has this service card."))
    attendance_take(
        actor=actor, people=[person], activity=activity, order=order, method=AttendanceMethod.CARD
    )
    return person


def attendance_import(*, actor, rows, activity=None, order=None):
    """Rows of (name, phone, ID number) from a sheet: each found by phone or ID number in her
    area. Returns (how many were added, the rows not found)."""
    found, missing = [], []
    for row in rows:
        name, phone, id_number = (str(cell or "").strip() for cell in row)
        person = person_find(actor=actor, phone=phone, id_number=id_number).first()
        (found.append(person) if person else missing.append(name or phone or id_number))
    added = attendance_take(
        actor=actor, people=found, activity=activity, order=order, method=AttendanceMethod.IMPORT
    )
    return added, missing


# Special funds ------------------------------------------------------------------------------


def require_fund_keeper(actor, federation):
    if not has_role_at(actor, federation, FUND_KEEPERS):
        raise NotAllowed(_("Only an administrator or the register's officer may do this."))


def fund_open(*, actor, federation, name, opened_on, purpose=""):
    require_fund_keeper(actor, federation)
    try:
        with transaction.atomic():
            return Fund.objects.create(
                federation=federation, name=name, purpose=purpose, opened_on=opened_on
            )
    except IntegrityError:
        raise ServiceError(_("This federation already has a fund of this name.")) from None


# A fund's balance has 14 digits with 2 decimals: one amount stays well below it.
LARGEST_AMOUNT = Decimal("9999999999.99")


def positive(amount) -> Decimal:
    amount = Decimal(amount)
    if amount <= 0:
        raise ServiceError(_("The amount must be more than zero."))
    if amount > LARGEST_AMOUNT:
        raise ServiceError(_("This amount is too large to be right."))
    return amount


def donation_record(*, actor, fund, donor, amount, received_on, restricted_to=""):
    """Money in, with a receipt number of the fund and year (numbered under the fund's lock)."""
    require_fund_keeper(actor, fund.federation)
    amount = positive(amount)
    with transaction.atomic():
        fund = locked(fund)
        sequence = fund.donations.filter(received_on__year=received_on.year).count() + 1
        donation = Donation.objects.create(
            fund=fund,
            donor=donor,
            amount=amount,
            received_on=received_on,
            restricted_to=restricted_to,
            receipt_number=f"{received_on:%Y}-{fund.pk:04d}-{sequence:05d}",
            recorded_by=actor,
        )
        fund.balance += amount
        fund.save(update_fields=["balance"])
    return donation


def fund_pay(*, actor, fund, kind, amount, paid_on, note="", project=None):
    """Money out. Under the fund's lock: of twenty payouts at once against a balance for five,
    five are paid and fifteen refused, and the balance never goes below zero."""
    require_fund_keeper(actor, fund.federation)
    amount = positive(amount)
    with transaction.atomic():
        fund = locked(fund)
        if amount > fund.balance:
            raise ServiceError(
                _("The fund's balance (¥%(balance)s) does not cover ¥%(amount)s.")
                % {"balance": fund.balance, "amount": amount}
            )
        fund.balance -= amount
        fund.save(update_fields=["balance"])
        return Payout.objects.create(
            fund=fund,
            kind=kind,
            amount=amount,
            paid_on=paid_on,
            note=note,
            project=project,
            recorded_by=actor,
        )


def fund_statement(fund, start: date, end: date) -> dict:
    """The fund's money from `start` to `end` (inclusive): the opening balance, what came in and
    went out, and the closing balance, to the cent; with every line."""
    donations = fund.donations.all()
    payouts = fund.payouts.all()
    raised_before = donations.filter(received_on__lt=start).aggregate(s=Sum("amount"))["s"] or 0
    spent_before = payouts.filter(paid_on__lt=start).aggregate(s=Sum("amount"))["s"] or 0
    came_in = list(donations.filter(received_on__range=(start, end)).order_by("received_on", "pk"))
    went_out = list(payouts.filter(paid_on__range=(start, end)).order_by("paid_on", "pk"))
    opening = Decimal(raised_before) - Decimal(spent_before)
    raised = sum((d.amount for d in came_in), Decimal("0"))
    spent = sum((p.amount for p in went_out), Decimal("0"))
    return {
        "fund": fund,
        "start": start,
        "end": end,
        "opening": opening,
        "raised": raised,
        "spent": spent,
        "closing": opening + raised - spent,
        "donations": came_in,
        "payouts": went_out,
    }


def ledger_balance(fund) -> Decimal:
    """The balance from the ledger alone: what a statement to today closes on, and what the
    fund's kept balance must equal."""
    raised = fund.donations.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    spent = fund.payouts.aggregate(s=Sum("amount"))["s"] or Decimal("0")
    return raised - spent


# Sponsorship --------------------------------------------------------------------------------


def sponsor_add(
    *, actor, federation, kind, name, phone="", user=None, volunteer=None, organization=None
):
    require_officer(actor, federation)
    return Sponsor.objects.create(
        federation=federation,
        kind=kind,
        name=name,
        phone=phone,
        user=user,
        volunteer=volunteer,
        organization=organization,
    )


MAX_MONTHS = 240
EARLIEST_START = date(2000, 1, 1)


def pairing_create(
    *,
    actor,
    person,
    sponsor,
    fund,
    monthly_amount,
    months,
    starts_on,
    village_contact,
    visit_every_days=90,
):
    """结对: by her county's officer, from a fund of her county or above, with her (or her
    guardian's) consent to sponsorship; the stipends are scheduled month by month."""
    PAIRING.parties["county"](actor, person)
    if not person.federation.path.startswith(fund.federation.path):
        raise ServiceError(_("The fund must be one of her county's or above it."))
    if person.pairings.filter(status=PairingStatus.ACTIVE).exists():
        raise ServiceError(_("She is already paired: end that pairing before pairing her again."))
    if not has_consent(person, ConsentUse.SPONSORSHIP):
        raise ServiceError(_("Record her (or her guardian's) consent to sponsorship first."))
    if not has_role_at(village_contact, person.federation, PERSON_ROLES):
        raise ServiceError(_("The village contact must be the register's officer of her village."))
    monthly_amount = positive(monthly_amount)
    if not 1 <= int(months) <= MAX_MONTHS:
        raise ServiceError(_("A pairing lasts from one month to twenty years."))
    if not EARLIEST_START <= starts_on <= timezone.localdate() + relativedelta(years=1):
        raise ServiceError(_("Give a start date from 2000 to a year from now."))
    with transaction.atomic():
        pairing = Pairing.objects.create(
            person=person,
            sponsor=sponsor,
            fund=fund,
            monthly_amount=monthly_amount,
            months=months,
            starts_on=starts_on,
            village_contact=village_contact,
            visit_every_days=visit_every_days,
            paired_by=actor,
        )
        Stipend.objects.bulk_create(
            Stipend(
                pairing=pairing, due_on=starts_on + relativedelta(months=n), amount=monthly_amount
            )
            for n in range(int(months))
        )
    return pairing


def pairing_end(*, actor, pairing, reason, ended_on=None):
    """The pairing ends; the stipends not yet in the checks are cancelled with it."""
    with transaction.atomic():
        pairing = locked(pairing)
        PAIRING.guard("end", actor, pairing, reason=reason)
        PAIRING.advance(pairing, "end")
        pairing.ended_on = ended_on or timezone.localdate()
        pairing.end_reason = reason
        pairing.save()
        open_stipends = pairing.stipends.filter(
            status__in=(StipendStatus.SCHEDULED, StipendStatus.RETURNED)
        )
        for stipend in open_stipends:
            StipendCheck.objects.create(stipend=stipend, move="cancel", by=actor, reason=reason)
        open_stipends.update(status=StipendStatus.CANCELLED)
    return pairing


def refuse_a_second_check(stipend, actor):
    if actor.pk in {stipend.village_confirmed_by_id, stipend.county_checked_by_id}:
        raise NotAllowed(_("Each check must be made by a different person."))


def stipend_move(name, *, actor, stipend, reason=""):
    """A check, a return or a cancellation: guarded by the table, recorded in StipendCheck."""
    with transaction.atomic():
        # Locked with the person and her federation the parties read (three queries less a move).
        stipend = (
            Stipend.objects.select_for_update(of=("self",))
            .select_related("pairing__person__federation")
            .get(pk=stipend.pk)
        )
        STIPEND.guard(name, actor, stipend, reason=reason)
        if name == "confirm" and stipend.due_on > timezone.localdate():
            raise ServiceError(_("A month is confirmed once it is due."))
        if name in ("check", "release"):
            refuse_a_second_check(stipend, actor)
        STIPEND.advance(stipend, name)
        if name == "confirm":
            stipend.village_confirmed_by = actor
        elif name == "check":
            stipend.county_checked_by = actor
        elif name == "release":
            stipend.released_by = actor
            stipend.payout = stipend_payout(actor, stipend)
        elif name == "return":
            stipend.village_confirmed_by = stipend.county_checked_by = None
        stipend.return_reason = reason if name == "return" else stipend.return_reason
        stipend.save()
        StipendCheck.objects.create(stipend=stipend, move=name, by=actor, reason=reason)
    return stipend


def stipend_payout(actor, stipend):
    """The city releases: paid from the pairing's fund (the city's officer pays a county's fund
    as its supervisor)."""
    pairing = stipend.pairing
    return fund_pay(
        actor=actor,
        fund=pairing.fund,
        kind=PayoutKind.STIPEND,
        amount=stipend.amount,
        paid_on=timezone.localdate(),
        note=f"{pairing.code} {stipend.due_on:%Y-%m}",
    )


def stipend_confirm(*, actor, stipend):
    return stipend_move("confirm", actor=actor, stipend=stipend)


def stipend_check(*, actor, stipend):
    return stipend_move("check", actor=actor, stipend=stipend)


def stipend_release(*, actor, stipend):
    return stipend_move("release", actor=actor, stipend=stipend)


def stipend_return(*, actor, stipend, reason):
    return stipend_move("return", actor=actor, stipend=stipend, reason=reason)


def stipend_cancel(*, actor, stipend, reason):
    return stipend_move("cancel", actor=actor, stipend=stipend, reason=reason)


def stipends_late(stipends, today=None):
    today = today or timezone.localdate()
    return stipends.filter(status__in=UNPAID, due_on__lt=today)


# The growth archive -------------------------------------------------------------------------


def growth_record(*, actor, person, kind, on, result="", notes="", photo=None):
    require_officer(actor, person.federation)
    if photo and not has_consent(person, ConsentUse.PHOTOS):
        raise ServiceError(_("Record her (or her guardian's) consent to photos first."))
    entry = GrowthEntry(
        person=person, kind=kind, on=on, result=result, notes=notes, recorded_by=actor
    )
    if photo:
        entry.photo = GrowthEntry._meta.get_field("photo").policy.check(photo)
    entry.save()
    return entry


# Insurance ----------------------------------------------------------------------------------


def policy_buy(*, actor, fund, name, insurer, starts_on, ends_on, premium_per_head, people):
    """女性安康保险 for a list of women: their premiums paid from the fund in one payout."""
    people = list(dict.fromkeys(people))
    if not people:
        raise ServiceError(_("List the women to insure."))
    if ends_on < starts_on:
        raise ServiceError(_("The cover must end after it starts."))
    visible = Person.objects.visible_to(actor)
    if visible.filter(pk__in=[p.pk for p in people]).count() != len(people):
        raise NotAllowed(_("Only the register's officer of this federation may do this."))
    premium = positive(premium_per_head)
    covered = Insured.objects.filter(
        person__in=people, policy__starts_on__lte=ends_on, policy__ends_on__gte=starts_on
    ).select_related("person")
    if covered:
        raise ServiceError(
            _("Already insured for these dates: %(names)s")
            % {"names": "、".join(sorted({c.person.masked_name for c in covered}))}
        )
    with transaction.atomic():
        payout = fund_pay(
            actor=actor,
            fund=fund,
            kind=PayoutKind.PREMIUM,
            amount=premium * len(people),
            paid_on=starts_on,
            note=name,
        )
        policy = InsurancePolicy.objects.create(
            fund=fund,
            name=name,
            insurer=insurer,
            starts_on=starts_on,
            ends_on=ends_on,
            premium_per_head=premium,
        )
        Insured.objects.bulk_create(
            Insured(policy=policy, person=person, payout=payout) for person in people
        )
    return policy


def people_from_rows(*, actor, federation, rows):
    """The women of an imported list (name, phone, ID number): each found by her numbers, or
    registered at `federation` when she is not yet known. Returns them in the list's order."""
    people = []
    for row in rows:
        name, phone, id_number = (str(cell or "").strip() for cell in row)
        person = person_find(actor=actor, phone=phone, id_number=id_number).first()
        if person is None:
            person = person_register(
                actor=actor,
                federation=federation,
                kind="woman",
                name=name,
                phone=phone,
                id_number=id_number,
                consents=[ConsentUse.INSURANCE],
            )
        people.append(person)
    return people


def claim_record(*, actor, policy, person, claimed_on, amount, reason=""):
    require_officer(actor, person.federation)
    if not Insured.objects.filter(policy=policy, person=person).exists():
        raise ServiceError(_("She is not insured by this policy."))
    if not policy.starts_on <= claimed_on <= policy.ends_on:
        raise ServiceError(_("The claim falls outside the policy's cover."))
    return Claim.objects.create(
        policy=policy,
        person=person,
        claimed_on=claimed_on,
        amount=positive(amount),
        reason=reason,
        recorded_by=actor,
    )


# The growth archive's entries a sponsor is told of (never the notes, nor the photos).
SPONSOR_SEES = (GrowthKind.VISIT, GrowthKind.SCHOOL)


def pairing_for_sponsor(pairing):
    """What a sponsor may see of her pairing: its progress, never who the child is."""
    return {
        "code": pairing.code,
        "kind": pairing.person.get_kind_display(),
        "status": pairing.get_status_display(),
        "starts_on": pairing.starts_on,
        "monthly_amount": pairing.monthly_amount,
        "months": pairing.months,
        "stipends": [
            {"due_on": s.due_on, "amount": s.amount, "status": s.get_status_display()}
            for s in pairing.stipends.all()
        ],
        "visits": [
            {"on": entry.on, "kind": entry.get_kind_display(), "result": entry.result}
            for entry in pairing.person.growth.all()
            if entry.on >= pairing.starts_on and entry.kind in SPONSOR_SEES
        ],
    }
