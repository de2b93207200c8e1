import pghistory
from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.scoping import ScopedQuerySet, paths_q, user_scope


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
    """A person who signs in: federation staff, organization staff, volunteers."""

    name = models.CharField(_("full name"), max_length=64, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        return self.name or self.username

    def save(self, *args, **kwargs):
        # set_password() holds the new password in _password until the user is saved (the
        # admin, the password-change page and the shell all go through it); Django clears it
        # for a hash upgrade at sign-in, which changes no password.
        password_changed = self._password is not None and not self._state.adding
        super().save(*args, **kwargs)
        if password_changed:
            from knox.models import AuthToken

            # A new password shuts out whoever held the old one, on the API too.
            AuthToken.objects.filter(user=self).delete()

    def __str__(self):
        return f"{self.name}（{self.username}）" if self.name else self.username
