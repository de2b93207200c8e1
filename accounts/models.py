from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.scoping import ScopedQuerySet, paths_q, user_scope


class UserQuerySet(ScopedQuerySet):
    def scope_filter(self, user):
        from federation.models import StaffMembership  # federation depends on accounts

        """Colleagues with a role somewhere in the user's subtree, and the user herself."""
        # A subquery rather than a join, so a user with several roles is listed once.
        memberships = StaffMembership.objects.filter(
            paths_q("federation__path", user_scope(user).federation_paths)
        )
        return models.Q(pk__in=memberships.values("user_id")) | models.Q(pk=user.pk)


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A person who signs in: federation staff, organization staff, volunteers."""

    name = models.CharField(_("full name"), max_length=64, blank=True)

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_full_name(self):
        return self.name or self.username

    def __str__(self):
        return f"{self.name}（{self.username}）" if self.name else self.username
