from django.contrib.auth.backends import BaseBackend

from core.scoping import object_scope_path, user_scope
from federation.roles import ROLE_PERMISSIONS


class RoleBackend(BaseBackend):
    """Grants the permissions of the roles a user holds.

    Without an object: the roles she holds anywhere (the admin shows her the
    models she works with). With a scoped object: only the roles she holds at
    its federation or above, so a viewer here and an admin there cannot edit here.
    It authenticates no one; django-axes and the model backend do that.
    """

    def get_all_permissions(self, user_obj, obj=None):
        if not user_obj.is_active or user_obj.is_anonymous:
            return set()
        scope = user_scope(user_obj)
        if obj is None:
            roles = set().union(*scope.roles_by_path.values())
        else:
            path = object_scope_path(obj)
            roles = scope.roles_at(path) if path is not None else set()
        return set().union(*(ROLE_PERMISSIONS.get(role, set()) for role in roles))

    def has_module_perms(self, user_obj, app_label):
        return any(perm.startswith(f"{app_label}.") for perm in self.get_all_permissions(user_obj))
