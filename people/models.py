"""The people served (服务对象), one-to-one sponsorship (结对帮扶), special funds (专项基金) and
women's insurance (女性安康保险).

A person is kept once, at her village or community federation: before a record is created she is
looked up by the keyed hash of her phone or ID number (core.personal_data), so that the services,
activities, orders and cases that reached her all point at the same record, and unique persons
are counted beside person-times. Every field is classified in DATA_CLASSES (as for cases); names,
numbers, addresses and free text are encrypted.
"""

from decimal import Decimal

import pgtrigger
from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.choices import DataClass
from core.personal_data import (
    EncryptedTextField,
    MaskedContacts,
    id_hash,
    mask_name,
    mask_text,
    phone_hash,
)
from core.scoping import ScopedQuerySet, outermost_paths, paths_q, user_scope
from core.uploads import PHOTOS, PolicyFileField
from federation.choices import Role
from federation.models import path_and_ancestors
from people.choices import (
    AttendanceMethod,
    ConsentUse,
    GrowthKind,
    PairingStatus,
    PayoutKind,
    PersonKind,
    SponsorKind,
    StipendMove,
    StipendStatus,
    Vulnerability,
)

INTERNAL, PERSONAL, SENSITIVE = DataClass.INTERNAL, DataClass.PERSONAL, DataClass.SENSITIVE
MONEY = {"max_digits": 14, "decimal_places": 2}
POSITIVE = [MinValueValidator(Decimal("0.01"))]

# The roles that open the register (服务对象管理). Not the administrator's: like a case role,
# it is granted by one administrator and approved by another (federation.grants).
PERSON_ROLES = frozenset({Role.BENEFICIARY_OFFICER})
# Funds are money, not people: their administrators and viewers see them too.
FUND_ROLES = frozenset({Role.BENEFICIARY_OFFICER, Role.ADMIN, Role.VIEWER})


def person_paths(user) -> tuple[str, ...]:
    return outermost_paths(user_scope(user).paths_with(PERSON_ROLES))


def nodes_above(paths) -> set[str]:
    """The paths of these nodes and of every node above them: the funds and sponsors an area
    draws on without their being of it."""
    return {ancestor for path in paths for ancestor in path_and_ancestors(path)}


def keeps_people(scope) -> bool:
    return bool(scope.paths_with(PERSON_ROLES))


def keeps_funds(scope) -> bool:
    return bool(scope.paths_with(FUND_ROLES))


class PersonQuerySet(ScopedQuerySet):
    """Beneficiary officers of her federation and above; nobody else."""

    person_lookup = "federation__path"

    def scope_filter(self, user):
        return paths_q(self.person_lookup, person_paths(user))


class PersonChildQuerySet(PersonQuerySet):
    person_lookup = "person__federation__path"


class Person(MaskedContacts, models.Model):
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("village or community"),
        on_delete=models.PROTECT,
        related_name="people",
    )
    kind = models.CharField(_("woman or child"), max_length=8, choices=PersonKind.choices)
    name = EncryptedTextField(pgettext_lazy("person", "name"))
    phone = EncryptedTextField(_("phone"), blank=True)
    id_number = EncryptedTextField(_("resident ID number"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    household = EncryptedTextField(
        _("household"), blank=True, help_text=_("Who she lives with, and the family's situation.")
    )
    guardian = EncryptedTextField(_("guardian (for a child)"), blank=True)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, db_index=True)
    id_hash = models.CharField(
        _("ID number (keyed hash)"), max_length=64, blank=True, db_index=True
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    target_groups = models.ManyToManyField(
        "orgs.TargetGroup", verbose_name=_("groups she belongs to"), blank=True, related_name="+"
    )
    # Where she came from and where she went: the case that referred her (the register shows
    # only that there is one; the case opens under the case desk's own rules), and her
    # volunteer record once she became one (被服务者 → 志愿者).
    source_case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("referred by case"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    volunteer = models.OneToOneField(
        "volunteers.Volunteer",
        verbose_name=_("became a volunteer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="person_served",
    )
    # Printed as a QR code on her service card: scanned at an activity to take attendance.
    card_code = models.CharField(_("service card code"), max_length=16, unique=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("registered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)

    objects = PersonQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "federation": INTERNAL,
        "kind": PERSONAL,
        "name": PERSONAL,
        "phone": PERSONAL,
        "id_number": SENSITIVE,
        "address": SENSITIVE,
        "household": SENSITIVE,
        "guardian": PERSONAL,
        "phone_hash": INTERNAL,
        "id_hash": INTERNAL,
        "birth_year": PERSONAL,
        "target_groups": PERSONAL,
        "source_case": SENSITIVE,
        "volunteer": PERSONAL,
        "card_code": INTERNAL,
        "registered_by": INTERNAL,
        "registered_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("person served")
        verbose_name_plural = _("people served")
        ordering = ["-registered_at", "-pk"]
        permissions = [("open_person", _("Can open a person's full record"))]

    def __str__(self):
        return self.masked_name

    def save(self, *args, **kwargs):
        # The lookups follow the numbers, however the record was changed (page, API, admin).
        self.phone_hash = phone_hash(self.phone)
        self.id_hash = id_hash(self.id_number)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("person-page", args=[self.pk])

    @property
    def masked_name(self):
        return mask_name(self.name)

    @property
    def masked_address(self):
        return mask_text(self.address)


class PersonFlag(models.Model):
    """A vulnerability, with the date by which it is looked at again."""

    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.CASCADE, related_name="flags"
    )
    kind = models.CharField(_("vulnerability"), max_length=16, choices=Vulnerability.choices)
    review_on = models.DateField(_("review by"))
    noted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    noted_at = models.DateTimeField(_("noted at"), auto_now_add=True)

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "person": INTERNAL,
        "kind": SENSITIVE,
        "review_on": INTERNAL,
        "noted_by": INTERNAL,
        "noted_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("vulnerability flag")
        verbose_name_plural = _("vulnerability flags")
        ordering = ["review_on", "pk"]
        constraints = [models.UniqueConstraint(fields=["person", "kind"], name="person_flag_once")]

    def __str__(self):
        return self.get_kind_display()


class PersonConsent(models.Model):
    """Her agreement (or her guardian's) to one use of her record; withdrawn, it no longer
    holds, and the record of it stays."""

    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.CASCADE, related_name="consents"
    )
    use = models.CharField(_("use"), max_length=16, choices=ConsentUse.choices)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "person": INTERNAL,
        "use": PERSONAL,
        "given_at": INTERNAL,
        "recorded_by": INTERNAL,
        "withdrawn_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["use", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "use"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="person_consent_held_once",
            )
        ]

    def __str__(self):
        return self.get_use_display()


class Attendance(models.Model):
    """She was there: at a project's activity, or at a delivered order. One row per person and
    occasion, so that person-times and unique persons are both counted."""

    person = models.ForeignKey(
        Person,
        verbose_name=_("person served"),
        on_delete=models.PROTECT,
        related_name="attendances",
    )
    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name=_("project activity"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    order = models.ForeignKey(
        "menu.ServiceOrder",
        verbose_name=_("service order"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="attendances",
    )
    served_on = models.DateField(_("served on"))
    method = models.CharField(_("taken by"), max_length=8, choices=AttendanceMethod.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "person": INTERNAL,
        "activity": PERSONAL,
        "order": PERSONAL,
        "served_on": INTERNAL,
        "method": INTERNAL,
        "recorded_by": INTERNAL,
        "recorded_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        ordering = ["-served_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(activity__isnull=False, order__isnull=True)
                | models.Q(activity__isnull=True, order__isnull=False),
                name="attendance_of_one_occasion",
            ),
            models.UniqueConstraint(
                fields=["person", "activity"],
                condition=models.Q(activity__isnull=False),
                name="attendance_once_per_activity",
            ),
            models.UniqueConstraint(
                fields=["person", "order"],
                condition=models.Q(order__isnull=False),
                name="attendance_once_per_order",
            ),
        ]

    def __str__(self):
        return f"{self.served_on}"

    @property
    def occasion(self):
        return self.activity or self.order


class PersonAccess(models.Model):
    """Every opening of a person's full record. Append-only: the database refuses UPDATE and
    DELETE on this table."""

    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("opened at"), auto_now_add=True)
    via = models.CharField(_("via"), max_length=8)

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "person": INTERNAL,
        "user": INTERNAL,
        "at": INTERNAL,
        "via": INTERNAL,
    }

    class Meta:
        verbose_name = _("opening of a person's record")
        verbose_name_plural = _("person record access log")
        ordering = ["-at", "-pk"]
        triggers = [
            pgtrigger.Protect(
                name="person_access_append_only", operation=pgtrigger.Update | pgtrigger.Delete
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"


# Special funds ------------------------------------------------------------------------------


class FundQuerySet(ScopedQuerySet):
    """The funds of her subtree, and those above it that her area draws on (a county pairs
    children on its city's fund): their balance, not their ledger (FundChildQuerySet)."""

    fund_lookup = "federation__path"

    def scope_filter(self, user):
        paths = outermost_paths(user_scope(user).paths_with(FUND_ROLES))
        above = nodes_above(paths)
        return paths_q(self.fund_lookup, paths) | models.Q(**{f"{self.fund_lookup}__in": above})


class FundChildQuerySet(FundQuerySet):
    fund_lookup = "fund__federation__path"

    def scope_filter(self, user):
        return paths_q(self.fund_lookup, outermost_paths(user_scope(user).paths_with(FUND_ROLES)))


class Fund(models.Model):
    """A special fund (专项基金) of a federation: 春蕾计划, 小桔灯, 爱力量 … Its balance is kept on
    the row and changes only under the row's lock (people.funds)."""

    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        related_name="funds",
    )
    name = models.CharField(_("name"), max_length=100)
    purpose = models.CharField(_("purpose"), max_length=300, blank=True)
    opened_on = models.DateField(_("opened on"))
    balance = models.DecimalField(_("balance (CNY)"), default=Decimal("0"), editable=False, **MONEY)

    objects = FundQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "federation": INTERNAL,
        "name": INTERNAL,
        "purpose": INTERNAL,
        "opened_on": INTERNAL,
        "balance": INTERNAL,
    }

    class Meta:
        verbose_name = _("special fund")
        verbose_name_plural = _("special funds")
        ordering = ["federation__path", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(balance__gte=0), name="fund_balance_not_negative"
            ),
            models.UniqueConstraint(fields=["federation", "name"], name="fund_name_unique"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("fund-page", args=[self.pk])


class Donation(models.Model):
    fund = models.ForeignKey(
        Fund, verbose_name=_("special fund"), on_delete=models.PROTECT, related_name="donations"
    )
    donor = models.CharField(_("donor"), max_length=100)
    amount = models.DecimalField(_("amount (CNY)"), validators=POSITIVE, **MONEY)
    received_on = models.DateField(_("received on"))
    restricted_to = models.CharField(
        _("restricted to"),
        max_length=200,
        blank=True,
        help_text=_("Empty: for any use of the fund."),
    )
    receipt_number = models.CharField(
        _("receipt number"), max_length=32, unique=True, editable=False
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FundChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "fund": INTERNAL,
        "donor": PERSONAL,
        "amount": INTERNAL,
        "received_on": INTERNAL,
        "restricted_to": INTERNAL,
        "receipt_number": INTERNAL,
        "recorded_by": INTERNAL,
        "recorded_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-received_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="donation_positive")
        ]

    def __str__(self):
        return self.receipt_number


class Payout(models.Model):
    """Money out of a fund: a stipend, a project's tranche, a policy's premiums."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("special fund"), on_delete=models.PROTECT, related_name="payouts"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=PayoutKind.choices)
    amount = models.DecimalField(_("amount (CNY)"), validators=POSITIVE, **MONEY)
    paid_on = models.DateField(_("paid on"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("project"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = FundChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "fund": INTERNAL,
        "kind": INTERNAL,
        "amount": INTERNAL,
        "paid_on": INTERNAL,
        "note": INTERNAL,
        "project": INTERNAL,
        "recorded_by": INTERNAL,
        "recorded_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("payout")
        verbose_name_plural = _("payouts")
        ordering = ["-paid_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="payout_positive")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


# One-to-one sponsorship ---------------------------------------------------------------------


class SponsorQuerySet(ScopedQuerySet):
    """The register's officers of the sponsor's federation, below it (a county pairs children
    with the sponsors its city recruited) and above it; the sponsor herself."""

    def scope_filter(self, user):
        paths = person_paths(user)
        above = nodes_above(paths)
        return (
            paths_q("federation__path", paths)
            | models.Q(federation__path__in=above)
            | models.Q(user=user)
        )


class Sponsor(models.Model):
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("recruited by"),
        on_delete=models.PROTECT,
        related_name="sponsors",
    )
    kind = models.CharField(_("kind"), max_length=16, choices=SponsorKind.choices)
    name = models.CharField(_("name"), max_length=100)
    phone = EncryptedTextField(_("phone"), blank=True)
    # Her account (phone sign-in): she sees her pairings' progress, never the child's identity.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sponsor's account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sponsorships",
    )
    volunteer = models.ForeignKey(
        "volunteers.Volunteer",
        verbose_name=_("volunteer"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SponsorQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "federation": INTERNAL,
        "kind": INTERNAL,
        "name": PERSONAL,
        "phone": PERSONAL,
        "user": INTERNAL,
        "volunteer": INTERNAL,
        "organization": INTERNAL,
    }

    class Meta:
        verbose_name = _("sponsor")
        verbose_name_plural = _("sponsors")
        ordering = ["name", "pk"]

    def __str__(self):
        return self.name


class PairingQuerySet(PersonChildQuerySet):
    def scope_filter(self, user):
        return super().scope_filter(user) | models.Q(sponsor__user=user)

    def of_sponsor(self, user):
        return self.filter(sponsor__user=user)


class Pairing(models.Model):
    """结对帮扶: a child or a woman paired with a sponsor, with a monthly commitment paid from a
    special fund and followed by a contact at her village."""

    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.PROTECT, related_name="pairings"
    )
    sponsor = models.ForeignKey(
        Sponsor, verbose_name=_("sponsor"), on_delete=models.PROTECT, related_name="pairings"
    )
    fund = models.ForeignKey(
        Fund, verbose_name=_("paid from fund"), on_delete=models.PROTECT, related_name="pairings"
    )
    monthly_amount = models.DecimalField(_("monthly stipend (CNY)"), validators=POSITIVE, **MONEY)
    months = models.PositiveSmallIntegerField(_("for months"), validators=[MinValueValidator(1)])
    starts_on = models.DateField(_("starts on"))
    village_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact at the village"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    visit_every_days = models.PositiveSmallIntegerField(
        _("visit at least every (days)"), default=90
    )
    status = models.CharField(
        _("status"), max_length=8, choices=PairingStatus.choices, default=PairingStatus.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.CharField(_("reason for ending"), max_length=200, blank=True)
    paired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("paired by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PairingQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "person": INTERNAL,
        "sponsor": PERSONAL,
        "fund": INTERNAL,
        "monthly_amount": INTERNAL,
        "months": INTERNAL,
        "starts_on": INTERNAL,
        "village_contact": INTERNAL,
        "visit_every_days": INTERNAL,
        "status": INTERNAL,
        "ended_on": INTERNAL,
        "end_reason": PERSONAL,
        "paired_by": INTERNAL,
        "created_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status=PairingStatus.ACTIVE),
                name="one_active_pairing_per_person",
            )
        ]

    def __str__(self):
        return f"{self.code} · {self.sponsor}"

    def get_absolute_url(self):
        return reverse("pairing-page", args=[self.pk])

    @property
    def code(self):
        """What the sponsor calls the pairing: never the child's name."""
        return f"JD{self.pk:06d}"


class StipendQuerySet(PersonChildQuerySet):
    person_lookup = "pairing__person__federation__path"

    def scope_filter(self, user):
        return super().scope_filter(user) | models.Q(pairing__sponsor__user=user)


class Stipend(models.Model):
    """One month's stipend: confirmed by the village, checked by the county, released by the city
    (丹东's three-level supervision), each by a different person; paid from the fund when
    released. people.workflows.STIPEND holds the moves."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.PROTECT, related_name="stipends"
    )
    due_on = models.DateField(_("due on"))
    amount = models.DecimalField(_("amount (CNY)"), validators=POSITIVE, **MONEY)
    status = models.CharField(
        _("status"), max_length=20, choices=StipendStatus.choices, default=StipendStatus.SCHEDULED
    )
    village_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by (village)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    county_checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked by (county)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("released by (city)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    return_reason = models.CharField(_("reason for returning"), max_length=200, blank=True)
    payout = models.OneToOneField(
        Payout,
        verbose_name=_("payout"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="stipend",
    )

    objects = StipendQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "pairing": INTERNAL,
        "due_on": INTERNAL,
        "amount": INTERNAL,
        "status": INTERNAL,
        "village_confirmed_by": INTERNAL,
        "county_checked_by": INTERNAL,
        "released_by": INTERNAL,
        "return_reason": INTERNAL,
        "payout": INTERNAL,
    }

    class Meta:
        verbose_name = _("stipend")
        verbose_name_plural = _("stipends")
        ordering = ["due_on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pairing", "due_on"], name="stipend_once_a_month"),
            models.CheckConstraint(
                condition=~models.Q(status=StipendStatus.PAID) | models.Q(payout__isnull=False),
                name="stipend_paid_has_payout",
            ),
        ]

    def __str__(self):
        return f"{self.due_on:%Y-%m} {self.amount}"


class StipendCheckQuerySet(PersonChildQuerySet):
    person_lookup = "stipend__pairing__person__federation__path"


class StipendCheck(models.Model):
    """Each check of a stipend and each return, with who made it and why: the audit trail."""

    stipend = models.ForeignKey(
        Stipend, verbose_name=_("stipend"), on_delete=models.CASCADE, related_name="checks"
    )
    move = models.CharField(_("step"), max_length=16, choices=StipendMove.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("at"), auto_now_add=True)
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    objects = StipendCheckQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "stipend": INTERNAL,
        "move": INTERNAL,
        "by": INTERNAL,
        "at": INTERNAL,
        "reason": INTERNAL,
    }

    class Meta:
        verbose_name = _("stipend check")
        verbose_name_plural = _("stipend checks")
        ordering = ["at", "pk"]

    def __str__(self):
        return self.get_move_display()


class GrowthEntry(models.Model):
    """成长档案: visits, school results and notes about a person, with a private photo."""

    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.CASCADE, related_name="growth"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=GrowthKind.choices)
    on = models.DateField(_("date"))
    # What the sponsor may read: a school's result ("良好"), never the notes.
    result = models.CharField(_("result"), max_length=50, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    photo = PolicyFileField(_("photo"), upload_to="growth/%Y/%m/", policy=PHOTOS.name, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "person": INTERNAL,
        "kind": INTERNAL,
        "on": INTERNAL,
        "result": PERSONAL,
        "notes": SENSITIVE,
        "photo": SENSITIVE,
        "recorded_by": INTERNAL,
        "recorded_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("growth archive entry")
        verbose_name_plural = _("growth archive")
        ordering = ["-on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on}"


class VisitReminder(models.Model):
    """A reminder already sent to a pairing's village contact: one per pairing and due visit."""

    pairing = models.ForeignKey(
        Pairing, verbose_name=_("pairing"), on_delete=models.CASCADE, related_name="+"
    )
    due_on = models.DateField(_("visit due on"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    DATA_CLASSES = {"id": INTERNAL, "pairing": INTERNAL, "due_on": INTERNAL, "sent_at": INTERNAL}

    class Meta:
        verbose_name = _("visit reminder")
        verbose_name_plural = _("visit reminders")
        constraints = [
            models.UniqueConstraint(fields=["pairing", "due_on"], name="visit_reminder_once")
        ]

    def __str__(self):
        return f"{self.pairing_id} {self.due_on}"


# Women's insurance --------------------------------------------------------------------------


class InsurancePolicy(models.Model):
    """女性安康保险 bought from a fund for a list of women, at a premium per head."""

    fund = models.ForeignKey(
        Fund, verbose_name=_("paid from fund"), on_delete=models.PROTECT, related_name="policies"
    )
    name = models.CharField(_("name"), max_length=100)
    insurer = models.CharField(_("insurer"), max_length=100)
    starts_on = models.DateField(_("cover from"))
    ends_on = models.DateField(_("cover until"))
    premium_per_head = models.DecimalField(
        _("premium per woman (CNY)"), validators=POSITIVE, **MONEY
    )
    insured = models.ManyToManyField(
        Person,
        verbose_name=_("women insured"),
        blank=True,
        through="Insured",
        related_name="policies",
    )

    objects = FundChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "fund": INTERNAL,
        "name": INTERNAL,
        "insurer": INTERNAL,
        "starts_on": INTERNAL,
        "ends_on": INTERNAL,
        "premium_per_head": INTERNAL,
        "insured": PERSONAL,
    }

    class Meta:
        verbose_name = _("insurance policy")
        verbose_name_plural = _("insurance policies")
        ordering = ["-starts_on", "pk"]

    def __str__(self):
        return self.name


class Insured(models.Model):
    """A woman covered by a policy, and the payout of her premium."""

    policy = models.ForeignKey(
        InsurancePolicy,
        verbose_name=_("insurance policy"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.PROTECT, related_name="+"
    )
    payout = models.ForeignKey(
        Payout, verbose_name=_("premium paid by"), on_delete=models.PROTECT, related_name="+"
    )

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {"id": INTERNAL, "policy": INTERNAL, "person": INTERNAL, "payout": INTERNAL}

    class Meta:
        verbose_name = _("woman insured")
        verbose_name_plural = _("women insured")
        constraints = [
            models.UniqueConstraint(fields=["policy", "person"], name="insured_once_per_policy")
        ]

    def __str__(self):
        return str(self.person)


class Claim(models.Model):
    policy = models.ForeignKey(
        InsurancePolicy,
        verbose_name=_("insurance policy"),
        on_delete=models.PROTECT,
        related_name="claims",
    )
    person = models.ForeignKey(
        Person, verbose_name=_("person served"), on_delete=models.PROTECT, related_name="claims"
    )
    claimed_on = models.DateField(_("claimed on"))
    amount = models.DecimalField(
        _("amount paid by the insurer (CNY)"), validators=POSITIVE, **MONEY
    )
    reason = EncryptedTextField(_("reason"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = PersonChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "policy": INTERNAL,
        "person": INTERNAL,
        "claimed_on": INTERNAL,
        "amount": INTERNAL,
        "reason": SENSITIVE,
        "recorded_by": INTERNAL,
    }

    class Meta:
        verbose_name = _("insurance claim")
        verbose_name_plural = _("insurance claims")
        ordering = ["-claimed_on", "-pk"]

    def __str__(self):
        return f"{self.claimed_on} {self.amount}"
