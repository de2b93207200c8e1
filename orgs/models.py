"""Women's social organizations (女性社会组织) and the vocabularies they share."""

import pghistory
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet, paths_q, subtree_q, user_scope
from core.validators import validate_credit_code
from federation.choices import Kind
from federation.models import GrantedRole, GrantedRoleQuerySet, path_and_ancestors
from orgs.choices import LegalForm, OrgRole, OrgStatus, Relationship


class Vocabulary(models.Model):
    """A shared term list (service domains, target groups): a code and a Chinese name."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40, unique=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self):
        return self.name


class ServiceDomain(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("service domain")
        verbose_name_plural = _("service domains")


class TargetGroup(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("target group")
        verbose_name_plural = _("target groups")


class OrganizationQuerySet(ScopedQuerySet):
    scope_path = "guiding_federation__path"

    def scope_filter(self, user):
        """Organizations guided within the user's subtrees, and those she works for."""
        scope = user_scope(user)
        return paths_q(self.scope_path, scope.federation_paths) | models.Q(
            pk__in=scope.organization_ids
        )

    def staffed_by(self, user):
        """The organizations the user works for."""
        return self.filter(pk__in=user_scope(user).organization_ids)

    def serving(self, federation):
        """Organizations a federation may send work to: those guided by it, by a federation
        above it (a city's organizations serve its districts), or by one below it."""
        return self.filter(
            models.Q(guiding_federation__path__in=path_and_ancestors(federation.path))
            | subtree_q("guiding_federation__path", federation)
        )


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class SocialOrganization(models.Model):
    name = models.CharField(_("name"), max_length=120, unique=True)
    credit_code = models.CharField(
        _("unified social credit code"),
        max_length=18,
        unique=True,
        null=True,
        blank=True,
        validators=[validate_credit_code],
        help_text=_("18 characters (GB 32100-2015); empty only for unregistered organizations."),
    )
    legal_form = models.CharField(_("legal form"), max_length=20, choices=LegalForm.choices)
    registered_on = models.DateField(_("registration date"), null=True, blank=True)
    registration_authority = models.CharField(
        _("registration authority"), max_length=100, blank=True
    )
    guiding_federation = models.ForeignKey(
        "federation.Federation",
        verbose_name=_("guiding federation"),
        on_delete=models.PROTECT,
        related_name="guided_organizations",
    )
    relationship = models.CharField(
        _("relationship to the federation"), max_length=16, choices=Relationship.choices
    )
    service_domains = models.ManyToManyField(
        ServiceDomain, verbose_name=_("service domains"), blank=True, related_name="organizations"
    )
    staff_count = models.PositiveIntegerField(_("staff"), default=0)
    member_count = models.PositiveIntegerField(_("members"), default=0)
    female_practitioner_count = models.PositiveIntegerField(_("female practitioners"), default=0)
    honours = models.TextField(_("honours"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrgStatus.choices, default=OrgStatus.ACTIVE
    )
    covering_federations = models.ManyToManyField(
        "federation.Federation",
        verbose_name=_("covered by new-field federations"),
        blank=True,
        related_name="covered_organizations",
        limit_choices_to={"kind": Kind.NEW_FIELD},
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("social organization")
        verbose_name_plural = _("social organizations")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        if not self.credit_code and self.legal_form != LegalForm.UNREGISTERED:
            raise ValidationError(
                {"credit_code": _("A registered organization needs its credit code.")}
            )
        if self.female_practitioner_count > self.staff_count:
            raise ValidationError(
                {"female_practitioner_count": _("There cannot be more women than staff.")}
            )


class OrgMembershipQuerySet(GrantedRoleQuerySet):
    scope_path = "organization__guiding_federation__path"


@pghistory.track(pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())
class OrgMembership(GrantedRole):
    """A user's role in a social organization (the portal's users)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="org_memberships",
    )
    organization = models.ForeignKey(
        SocialOrganization,
        verbose_name=_("social organization"),
        on_delete=models.CASCADE,
        related_name="memberships",
    )
    role = models.CharField(
        _("role"), max_length=16, choices=OrgRole.choices, default=OrgRole.STAFF
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrgMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("organization membership")
        verbose_name_plural = _("organization memberships")
        constraints = [
            # A report writer who also becomes a case worker keeps her first role while the
            # second awaits approval: one row per role, as at a federation.
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="org_membership_unique_role"
            )
        ]

    def __str__(self):
        return f"{self.user} · {self.organization}"
