import pghistory
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.personal_data import EncryptedTextField, phone_hash
from core.scoping import ScopedQuerySet, paths_q, user_scope
from core.validators import validate_mobile


class UserQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(is_active=True)

    def herself(self, user):
        """The signed-in user's own row (to read her with related rows)."""
        return self.filter(pk=user.pk)

    def scope_filter(self, user):
        """The people of the user's area: colleagues with a role in her subtrees, the staff of
        the organizations guided there, the volunteers registered there, and herself.

        The admin's user choices and autocompletes (an organization's members, a volunteer's
        account, a staff role) offer these and no one else.
        """
        # These apps depend on accounts.
        from federation.models import StaffMembership
        from orgs.models import OrgMembership
        from volunteers.models import Volunteer

        paths = user_scope(user).federation_paths
        # Subqueries rather than joins, so a user with several roles is listed once.
        colleagues = StaffMembership.objects.filter(paths_q("federation__path", paths))
        organization_staff = OrgMembership.objects.filter(
            paths_q("organization__guiding_federation__path", paths)
        )
        volunteers = Volunteer.objects.filter(paths_q("federation__path", paths))
        return (
            models.Q(pk__in=colleagues.values("user_id"))
            | models.Q(pk__in=organization_staff.values("user_id"))
            | models.Q(pk__in=volunteers.exclude(user=None).values("user_id"))
            | models.Q(pk=user.pk)
        )


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


# Who holds the platform's powers (superuser, staff, active) is history worth keeping;
# passwords and sign-in times are not.
@pghistory.track(
    pghistory.InsertEvent(),
    pghistory.UpdateEvent(),
    pghistory.DeleteEvent(),
    fields=["username", "name", "email", "is_active", "is_staff", "is_superuser"],
    model_name="UserEvent",
)
class User(AbstractUser):
    """A person who signs in: federation staff, organization staff, volunteers — with a username
    and password — or a member of the public (a woman, a village worker, a volunteer) with her
    phone number and a code sent to it (accounts.phone), who has no password and no role."""

    name = models.CharField(_("full name"), max_length=64, blank=True)
    is_public = models.BooleanField(
        _("public account"),
        default=False,
        help_text=_("Signs in with a phone number and a text-message code; holds no staff role."),
    )
    phone = EncryptedTextField(_("mobile number"), blank=True, validators=[validate_mobile])
    phone_hash = models.CharField(_("mobile number (keyed hash)"), max_length=64, blank=True)
    sms_notices = models.BooleanField(
        _("notices by text message"),
        default=False,
        help_text=_("She agreed to be told by text message when something asks for her."),
    )

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(
                fields=["phone_hash"],
                condition=models.Q(is_public=True),
                name="one_public_account_per_phone",
            ),
            models.CheckConstraint(
                condition=models.Q(is_public=False) | models.Q(is_staff=False, is_superuser=False),
                name="public_account_is_not_staff",
            ),
        ]

    def get_full_name(self):
        return self.name or self.username

    def save(self, *args, **kwargs):
        # set_password() holds the new password in _password until the user is saved (the
        # admin, the password-change page and the shell all go through it); Django clears it
        # for a hash upgrade at sign-in, which changes no password.
        password_changed = self._password is not None and not self._state.adding
        self.phone_hash = phone_hash(self.phone)
        super().save(*args, **kwargs)
        if password_changed:
            from knox.models import AuthToken

            # A new password shuts out whoever held the old one, on the API too.
            AuthToken.objects.filter(user=self).delete()

    def __str__(self):
        return f"{self.name}（{self.username}）" if self.name else self.username


class PhoneCode(models.Model):
    """A six-digit sign-in code sent to a phone. Only keyed hashes are kept: of the number (to
    count and find its codes) and of the code (bound to the number)."""

    phone_hash = models.CharField(_("mobile number (keyed hash)"), max_length=64)
    code_hash = models.CharField(_("code (keyed hash)"), max_length=64)
    address = models.GenericIPAddressField(_("requested from"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    wrong_attempts = models.PositiveSmallIntegerField(_("wrong attempts"), default=0)
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in code")
        verbose_name_plural = _("sign-in codes")
        indexes = [models.Index(fields=["phone_hash", "-sent_at"], name="phonecode_by_phone")]

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d %H:%M}"
