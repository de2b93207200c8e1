"""Women's volunteer teams (巾帼志愿服务): teams, volunteers, recruitment, sign-ups and hours."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.personal_data import EncryptedTextField, MaskedContacts
from core.scoping import ScopedQuerySet, paths_q, user_scope
from federation.models import path_and_ancestors
from volunteers.choices import (
    HOLDING_PLACE,
    Availability,
    OpportunityStatus,
    SignUpStatus,
    TeamKind,
    TeamStatus,
    VolunteerStatus,
)

HOURS = {"max_digits": 6, "decimal_places": 1}


class VolunteerQuerySet(ScopedQuerySet):
    """Federations see the volunteers of their subtree; a volunteer sees herself."""

    def scope_filter(self, user):
        return paths_q(self.scope_path, user_scope(user).federation_paths) | models.Q(user=user)

    def of_user(self, user):
        """Her own volunteer record (one at most)."""
        return self.filter(user=user)


class Volunteer(MaskedContacts, models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("volunteer account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer",
    )
    name = models.CharField(pgettext_lazy("person", "name"), max_length=50)
    phone = EncryptedTextField(_("phone"), blank=True)
    id_number = EncryptedTextField(_("resident ID number"), blank=True)
    phone_hash = models.CharField(_("phone (keyed hash)"), max_length=64, blank=True, db_index=True)
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("home federation"),
        on_delete=models.PROTECT,
        related_name="volunteers",
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteers",
    )
    skills = ArrayField(
        models.CharField(max_length=30), verbose_name=_("skills"), default=list, blank=True
    )
    former_beneficiary = models.BooleanField(
        _("once helped herself"),
        default=False,
        help_text=_("Women who were helped and became volunteers (被服务者 → 志愿者)."),
    )
    registered_on = models.DateField(_("registered on"))
    # Registered by herself on the public pages: approved by a coordinator before she signs up.
    status = models.CharField(
        _("status"), max_length=10, choices=VolunteerStatus.choices, default=VolunteerStatus.ACTIVE
    )
    availability = models.CharField(
        _("available"), max_length=10, choices=Availability.choices, blank=True
    )
    wanted_team = models.ForeignKey(
        "VolunteerTeam",
        verbose_name=_("team she asked to join"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # When she agreed, on the registration form, to the processing of her ID number (PIPL).
    consented_at = models.DateTimeField(_("consented at"), null=True, blank=True)
    decision_reason = models.CharField(_("reason for not approving"), max_length=200, blank=True)

    objects = VolunteerQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer")
        # "volunteers" alone is also a count (志愿者人数) elsewhere.
        verbose_name_plural = pgettext_lazy("model", "volunteers")
        ordering = ["federation__path", "name"]

    def __str__(self):
        return self.name


class VolunteerTeam(models.Model):
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("owning federation"),
        on_delete=models.PROTECT,
        related_name="volunteer_teams",
    )
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=TeamKind.choices)
    project = models.ForeignKey(
        "projects.Project",
        verbose_name=_("incubated by project"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="volunteer_teams",
    )
    leader = models.ForeignKey(
        Volunteer,
        verbose_name=_("leader"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=TeamStatus.choices, default=TeamStatus.ACTIVE
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer team")
        verbose_name_plural = _("volunteer teams")
        ordering = ["federation__path", "name"]
        constraints = [
            models.UniqueConstraint(fields=["federation", "name"], name="team_name_unique")
        ]

    def __str__(self):
        return self.name


class TeamChildQuerySet(ScopedQuerySet):
    scope_path = "team__federation__path"


class TeamMembership(models.Model):
    """A volunteer in a team from one day to another: leaving keeps the history."""

    team = models.ForeignKey(
        VolunteerTeam, verbose_name=_("team"), on_delete=models.CASCADE, related_name="memberships"
    )
    volunteer = models.ForeignKey(
        Volunteer,
        verbose_name=_("volunteer"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    joined_on = models.DateField(_("joined on"))
    left_on = models.DateField(_("left on"), null=True, blank=True)

    objects = TeamChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        ordering = ["-joined_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "volunteer"],
                condition=models.Q(left_on__isnull=True),
                name="one_current_membership",
            )
        ]

    def __str__(self):
        return f"{self.volunteer} @ {self.team}"


class ExpertMatch(models.Model):
    """An expert guidance group matched to a village team it guides."""

    expert_group = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("expert guidance group"),
        on_delete=models.CASCADE,
        related_name="guided_matches",
        limit_choices_to={"kind": TeamKind.EXPERT_GROUP},
    )
    team = models.ForeignKey(
        VolunteerTeam,
        verbose_name=_("team guided"),
        on_delete=models.CASCADE,
        related_name="expert_matches",
    )
    since = models.DateField(_("since"))

    objects = TeamChildQuerySet.as_manager()

    class Meta:
        verbose_name = _("expert match")
        verbose_name_plural = _("expert matches")
        constraints = [
            models.UniqueConstraint(fields=["expert_group", "team"], name="expert_match_unique")
        ]

    def __str__(self):
        return f"{self.expert_group} → {self.team}"


class OpportunityQuerySet(ScopedQuerySet):
    """The posting federation's subtree sees an opportunity; a volunteer sees those posted at or
    above her home federation."""

    def scope_filter(self, user):
        own = paths_q(self.scope_path, user_scope(user).federation_paths)
        volunteer = Volunteer.objects.filter(user=user).select_related("federation").first()
        if volunteer is None:
            return own
        return own | models.Q(federation__path__in=path_and_ancestors(volunteer.federation.path))

    def with_places_taken(self):
        return self.annotate(
            places_taken=models.Count("signups", filter=models.Q(signups__status__in=HOLDING_PLACE))
        ).order_by("starts_at", "pk")  # a grouped query ignores Meta.ordering


class Opportunity(models.Model):
    """A call for volunteers (志愿服务招募): e.g. a photographer for Saturday's event."""

    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("posted by federation"),
        on_delete=models.PROTECT,
        related_name="opportunities",
    )
    organization = models.ForeignKey(
        "orgs.SocialOrganization",
        verbose_name=_("with organization"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    activity = models.ForeignKey(
        "projects.Activity",
        verbose_name=_("activity"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    service_order = models.ForeignKey(
        "menu.ServiceOrder",
        verbose_name=_("service order"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="opportunities",
    )
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=200)
    skills = ArrayField(
        models.CharField(max_length=30), verbose_name=_("skills"), default=list, blank=True
    )
    places = models.PositiveIntegerField(_("volunteers needed"), validators=[MinValueValidator(1)])
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OpportunityStatus.choices,
        default=OpportunityStatus.OPEN,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer opportunity")
        verbose_name_plural = _("volunteer opportunities")
        ordering = ["starts_at", "pk"]
        indexes = [models.Index(fields=["status", "starts_at"])]

    def __str__(self):
        return self.title

    @property
    def length_hours(self) -> Decimal:
        return Decimal((self.ends_at - self.starts_at).total_seconds() / 3600).quantize(
            Decimal("0.1")
        )


class SignUpQuerySet(ScopedQuerySet):
    """Coordinators of the posting federation's subtree; the volunteer her own."""

    scope_path = "opportunity__federation__path"

    def scope_filter(self, user):
        in_her_area = paths_q(self.scope_path, user_scope(user).federation_paths)
        # Only a user who volunteers has sign-ups of her own: without that OR across the join,
        # a coordinator's list is read down the opportunities' index.
        if user.is_anonymous or not Volunteer.objects.filter(user=user).exists():
            return in_her_area
        return in_her_area | models.Q(volunteer__user=user)

    def credited(self):
        """Sign-ups whose hours count: attended, hours confirmed by a coordinator."""
        return self.filter(status=SignUpStatus.ATTENDED, hours_confirmed_at__isnull=False)

    def credited_between(self, start, end):
        """Credited sign-ups of opportunities that began within the period."""
        return self.credited().filter(
            opportunity__starts_at__date__gte=start, opportunity__starts_at__date__lte=end
        )


class SignUp(models.Model):
    opportunity = models.ForeignKey(
        Opportunity, verbose_name=_("opportunity"), on_delete=models.CASCADE, related_name="signups"
    )
    volunteer = models.ForeignKey(
        Volunteer, verbose_name=_("volunteer"), on_delete=models.CASCADE, related_name="signups"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=SignUpStatus.choices, default=SignUpStatus.APPLIED
    )
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    hours = models.DecimalField(_("hours"), null=True, blank=True, **HOURS)
    hours_confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("hours confirmed by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    hours_confirmed_at = models.DateTimeField(_("hours confirmed at"), null=True, blank=True)
    # Scanned at the venue (扫码签到/签退): the hours proposed from the two times, for the
    # coordinator to confirm.
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    proposed_hours = models.DecimalField(_("proposed hours"), null=True, blank=True, **HOURS)

    objects = SignUpQuerySet.as_manager()

    class Meta:
        verbose_name = _("sign-up")
        verbose_name_plural = _("sign-ups")
        ordering = ["applied_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "volunteer"], name="signup_once")
        ]

    def __str__(self):
        return f"{self.volunteer} → {self.opportunity}"
