"""The 12338 hotline and rights-protection cases (维权个案), with survivors' data protected.

Every field of every model here is classified in DATA_CLASSES (a test fails for one that is
not). Names, phone numbers, ID numbers, addresses and free text are EncryptedTextFields; phone
and ID numbers are found again through keyed hashes (core.personal_data).
"""

from datetime import timedelta

import pghistory
import pgtrigger
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from cases.choices import (
    AccessVia,
    CallOutcome,
    CaseStatus,
    Category,
    Channel,
    ContactMethod,
    ContactTime,
    ContactWay,
    DataClass,
    Department,
    EventKind,
    FollowUpKind,
    MediationStep,
    Outcome,
    PartyRole,
    ReferralStatus,
    Risk,
    Vulnerability,
)
from core.personal_data import EncryptedTextField, MaskedContacts, mask_name, mask_text
from core.scoping import EqualsAny, ScopedQuerySet, outermost_paths, paths_q, user_scope
from federation.choices import Role
from federation.models import area_ids, reaches_a_province

INTERNAL, PERSONAL, SENSITIVE = DataClass.INTERNAL, DataClass.PERSONAL, DataClass.SENSITIVE

# Roles at a federation that see its cases (masked until the full record is opened).
CASE_ROLES = frozenset({Role.CASE_WORKER, Role.CASE_SUPERVISOR, Role.ADMIN})


def works_on_cases(scope) -> bool:
    """Case staff of a federation, or a case worker of an organization: whoever has a desk."""
    return bool(scope.paths_with(CASE_ROLES) or scope.case_organization_ids)


def case_paths(user) -> tuple[str, ...]:
    """The subtrees in which the user holds a role that sees cases."""
    return outermost_paths(user_scope(user).paths_with(CASE_ROLES))


class CaseQuerySet(ScopedQuerySet):
    """Case staff of the owning federation and above; case workers of the handling
    organization (its other staff, such as report writers, see none)."""

    def scope_filter(self, user):
        return paths_q("federation__path", case_paths(user)) | models.Q(
            organization_id__in=user_scope(user).case_organization_ids
        )

    def counted_in_statistics(self):
        """Without the cases whose help-seeker refused anonymous statistics (Consent)."""
        return self.exclude(consent__to_statistics=False)


class CaseChildQuerySet(ScopedQuerySet):
    """A record of a case is seen by whoever sees the case."""

    def scope_filter(self, user):
        cases = Case.objects.all()
        return models.Q(case__in=cases.filter(cases.scope_filter(user)).values("pk"))

    def counted_in_statistics(self):
        """Without the records of cases whose help-seeker refused anonymous statistics."""
        return self.exclude(case__consent__to_statistics=False)


class CaseEventQuerySet(CaseChildQuerySet):
    def scope_filter(self, user):
        """Below a province, the events of her area's federations read on the events' own
        column (with the index (federation, id) the newest page is read from the index alone);
        a province's area holds most events, which are then read newest first as any case's."""
        paths = case_paths(user)
        if not paths or reaches_a_province(paths):
            return super().scope_filter(user)
        in_area = models.Q(EqualsAny("federation_id", area_ids(paths)))
        organization_ids = user_scope(user).case_organization_ids
        if not organization_ids:
            return in_area
        return in_area | models.Q(case__organization_id__in=organization_ids)


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SLAPolicy(models.Model):
    """Due times by risk level (and category, where set) for a federation's subtree."""

    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.CASCADE,
        related_name="sla_policies",
    )
    risk = models.CharField(_("risk level"), max_length=16, choices=Risk.choices)
    category = models.CharField(
        _("category"),
        max_length=32,
        choices=Category.choices,
        blank=True,
        help_text=_("Empty: every category."),
    )
    first_contact_hours = models.PositiveIntegerField(_("first contact within (hours)"))
    resolution_hours = models.PositiveIntegerField(_("resolution within (hours)"))
    warn_hours = models.PositiveIntegerField(_("remind this many hours before"), default=1)

    objects = ScopedQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "federation": INTERNAL,
        "risk": INTERNAL,
        "category": INTERNAL,
        "first_contact_hours": INTERNAL,
        "resolution_hours": INTERNAL,
        "warn_hours": INTERNAL,
    }

    class Meta:
        verbose_name = _("SLA policy")
        verbose_name_plural = _("SLA policies")
        constraints = [
            models.UniqueConstraint(
                fields=["federation", "risk", "category"], name="sla_policy_unique"
            )
        ]

    def __str__(self):
        return f"{self.federation} · {self.get_risk_display()}"


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=32, unique=True, blank=True)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    received_at = models.DateTimeField(_("received at"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("received by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("owning federation"),
        on_delete=models.PROTECT,
        related_name="cases",
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("handling organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    categories = ArrayField(
        models.CharField(max_length=32, choices=Category.choices),
        verbose_name=_("categories"),
        default=list,
    )
    risk = models.CharField(_("risk level"), max_length=16, choices=Risk.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED
    )
    outcome = models.CharField(_("outcome"), max_length=32, choices=Outcome.choices, blank=True)
    summary = EncryptedTextField(_("summary"), blank=True)
    first_contact_due = models.DateTimeField(_("first contact due"), null=True, blank=True)
    resolution_due = models.DateTimeField(_("resolution due"), null=True, blank=True)
    first_contacted_at = models.DateTimeField(_("first contacted at"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    paused_since = models.DateTimeField(_("SLA clock paused since"), null=True, blank=True)
    paused_for = models.DurationField(_("SLA clock paused in all"), default=timedelta)
    anonymised_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = CaseQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "number": INTERNAL,
        "channel": INTERNAL,
        "received_at": INTERNAL,
        "received_by": INTERNAL,
        "federation": INTERNAL,
        "organization": INTERNAL,
        "assigned_to": INTERNAL,
        "categories": INTERNAL,
        "risk": INTERNAL,
        "status": INTERNAL,
        "outcome": INTERNAL,
        "summary": SENSITIVE,
        "first_contact_due": INTERNAL,
        "resolution_due": INTERNAL,
        "first_contacted_at": INTERNAL,
        "resolved_at": INTERNAL,
        "closed_at": INTERNAL,
        "paused_since": INTERNAL,
        "paused_for": INTERNAL,
        "anonymised_at": INTERNAL,
        "created_at": INTERNAL,
    }

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-received_at"]
        permissions = [("export_case", _("Can export case data (masked)"))]
        indexes = [
            models.Index(fields=["status", "risk"]),
            models.Index(fields=["assigned_to", "status"]),
            models.Index(fields=["received_at"]),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="events_follow_escalation",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("federation_id"),
                condition=pgtrigger.AnyChange("federation"),
                func="UPDATE cases_caseevent SET federation_id = NEW.federation_id"
                " WHERE case_id = NEW.id; RETURN NULL;",
            )
        ]

    def __str__(self):
        return self.number or str(_("new case"))

    def get_absolute_url(self):
        return reverse("case-page", args=[self.pk])

    @property
    def category_labels(self) -> list[str]:
        return [str(Category(value).label) for value in self.categories]


class Party(MaskedContacts, models.Model):
    """A person in a case: the help-seeker, children, the respondent, family members."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="parties"
    )
    role = models.CharField(_("role"), max_length=16, choices=PartyRole.choices)
    name = EncryptedTextField(pgettext_lazy("person", "name"), blank=True)
    phone = EncryptedTextField(_("phone"), blank=True)
    id_number = EncryptedTextField(_("resident ID number"), blank=True)
    address = EncryptedTextField(_("address"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, db_index=True)
    id_hash = models.CharField(
        _("ID number (keyed hash)"), max_length=64, blank=True, db_index=True
    )
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    age_band = models.CharField(_("age band"), max_length=16, blank=True)
    vulnerabilities = ArrayField(
        models.CharField(max_length=16, choices=Vulnerability.choices),
        verbose_name=_("vulnerabilities"),
        default=list,
        blank=True,
    )

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "role": INTERNAL,
        "name": PERSONAL,
        "phone": PERSONAL,
        "id_number": SENSITIVE,
        "address": SENSITIVE,
        "notes": SENSITIVE,
        "phone_hash": INTERNAL,
        "id_hash": INTERNAL,
        "birth_year": PERSONAL,
        "age_band": INTERNAL,
        "vulnerabilities": SENSITIVE,
    }

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["pk"]

    def __str__(self):
        return self.get_role_display()

    # What lists, exports and masked pages show.
    @property
    def masked_name(self):
        return mask_name(self.name)

    @property
    def masked_address(self):
        return mask_text(self.address)


class Consent(models.Model):
    """What the help-seeker agreed to at intake, and who must not be told."""

    case = models.OneToOneField(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="consent"
    )
    to_services = models.BooleanField(_("consents to services"), default=True)
    to_share = models.BooleanField(_("consents to sharing with departments"), default=False)
    to_statistics = models.BooleanField(_("consents to anonymous statistics"), default=True)
    do_not_tell = EncryptedTextField(
        _("who must not be told"),
        blank=True,
        help_text=_("For domestic violence the abuser may be a relative."),
    )
    # Chosen by a woman who asked for help online (求助): how and when she may be reached safely.
    contact_way = models.CharField(
        _("safe way to contact her"), max_length=8, choices=ContactWay.choices, blank=True
    )
    contact_time = models.CharField(
        _("safe time to contact her"), max_length=8, choices=ContactTime.choices, blank=True
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "to_services": PERSONAL,
        "to_share": PERSONAL,
        "to_statistics": PERSONAL,
        "do_not_tell": SENSITIVE,
        "contact_way": PERSONAL,
        "contact_time": PERSONAL,
        "recorded_at": INTERNAL,
        "recorded_by": INTERNAL,
    }

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self):
        return str(self.case)


class Call(models.Model):
    """One contact on the hotline; one woman may call many times."""

    case = models.ForeignKey(
        Case,
        verbose_name=_("case"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="calls",
    )
    at = models.DateTimeField(_("time"))
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("operator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    outcome = models.CharField(_("outcome"), max_length=16, choices=CallOutcome.choices)
    phone_hash = models.CharField(_("caller (keyed hash)"), max_length=64, blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "at": INTERNAL,
        "operator": INTERNAL,
        "channel": INTERNAL,
        "outcome": INTERNAL,
        "phone_hash": INTERNAL,
        "notes": SENSITIVE,
    }

    class Meta:
        verbose_name = _("call")
        verbose_name_plural = _("calls")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M}"


class CaseEvent(models.Model):
    """The case's timeline (处置记录): contacts, sessions, plans, escalations, status changes."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    at = models.DateTimeField(_("when"))
    worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("worker"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    step = models.CharField(
        _("mediation step"), max_length=16, choices=MediationStep.choices, blank=True
    )
    from_status = models.CharField(_("from"), max_length=16, choices=CaseStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=16, choices=CaseStatus.choices, blank=True)
    result = EncryptedTextField(_("result"), blank=True)
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # The case's owning federation, copied by the database (migration 0006's triggers, on every
    # insert and when a case is escalated) so that an area's newest events are read from the
    # index (federation, id) alone, not gathered case by case.
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("federation"),
        on_delete=models.PROTECT,
        null=True,
        editable=False,
        db_index=False,
        related_name="+",
    )

    objects = CaseEventQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "kind": INTERNAL,
        "at": INTERNAL,
        "worker": INTERNAL,
        "step": INTERNAL,
        "from_status": INTERNAL,
        "to_status": INTERNAL,
        "result": SENSITIVE,
        "created_at": INTERNAL,
        "federation": INTERNAL,
    }

    class Meta:
        verbose_name = _("case event")
        verbose_name_plural = _("case events")
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["federation", "id"], name="caseevent_by_area")]
        triggers = [
            pgtrigger.Trigger(
                name="event_takes_case_federation",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.UpdateOf("case_id"),
                func="NEW.federation_id := (SELECT federation_id FROM cases_case"
                " WHERE id = NEW.case_id); RETURN NEW;",
            )
        ]

    def __str__(self):
        return self.get_kind_display()


class Referral(models.Model):
    """联动转介: to a department or an organization, with a deadline for its answer."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="referrals"
    )
    department = models.CharField(
        _("department"), max_length=32, choices=Department.choices, blank=True
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.SENT
    )
    note = EncryptedTextField(_("note"), blank=True)
    answer = EncryptedTextField(_("answer"), blank=True)
    respond_by = models.DateTimeField(_("respond by"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("sent by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    consent_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("consent overridden by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_override_reason = EncryptedTextField(_("why without consent"), blank=True)

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "department": INTERNAL,
        "organization": INTERNAL,
        "status": INTERNAL,
        "note": SENSITIVE,
        "answer": SENSITIVE,
        "respond_by": INTERNAL,
        "sent_by": INTERNAL,
        "sent_at": INTERNAL,
        "answered_at": INTERNAL,
        "consent_override_by": INTERNAL,
        "consent_override_reason": SENSITIVE,
    }

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["sent_at", "pk"]

    def __str__(self):
        return self.get_department_display() or str(self.organization)


class FollowUp(models.Model):
    """回访 or a recurring session: a task with a due date, done or not."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=FollowUpKind.choices, default=FollowUpKind.VISIT
    )
    due_on = models.DateField(_("due on"))
    method = models.CharField(
        _("method"), max_length=16, choices=ContactMethod.choices, default=ContactMethod.PHONE
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("done by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    result = EncryptedTextField(_("result"), blank=True)

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "kind": INTERNAL,
        "due_on": INTERNAL,
        "method": INTERNAL,
        "done_at": INTERNAL,
        "done_by": INTERNAL,
        "result": SENSITIVE,
    }

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.due_on:%Y-%m-%d}"


class AccessLog(models.Model):
    """Every opening of a full case record. Append-only: the database refuses UPDATE and
    DELETE on this table (a trigger, see the migration)."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="access_log"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("opened at"), auto_now_add=True)
    via = models.CharField(_("via"), max_length=8, choices=AccessVia.choices)
    break_glass = models.BooleanField(_("break-glass"), default=False)
    reason = models.TextField(_("reason"), blank=True)

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {
        "id": INTERNAL,
        "case": INTERNAL,
        "user": INTERNAL,
        "at": INTERNAL,
        "via": INTERNAL,
        "break_glass": INTERNAL,
        "reason": INTERNAL,
    }

    class Meta:
        verbose_name = _("case access")
        verbose_name_plural = _("case access log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user} · {self.at:%Y-%m-%d %H:%M}"


class Alert(models.Model):
    """A reminder or SLA breach already raised for a case: each is raised once."""

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.CASCADE, related_name="alerts"
    )
    key = models.CharField(_("key"), max_length=120, unique=True)
    at = models.DateTimeField(_("raised at"), auto_now_add=True)

    objects = CaseChildQuerySet.as_manager()

    DATA_CLASSES = {"id": INTERNAL, "case": INTERNAL, "key": INTERNAL, "at": INTERNAL}

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")

    def __str__(self):
        return self.key
