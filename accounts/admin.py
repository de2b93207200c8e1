from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ScopedModelAdmin, ScopedTabularInline
from accounts.admin_history import TrackedHistoryAdminMixin
from accounts.models import User
from federation.models import StaffMembership
from federation.role_admin import GrantedRoleInlineMixin, save_membership_formset


class StaffMembershipInline(GrantedRoleInlineMixin, ScopedTabularInline):
    model = StaffMembership
    fk_name = "user"
    extra = 0
    fields = ["federation", "role", "is_active", "awaiting_approval"]
    autocomplete_fields = ["federation"]


@admin.register(User)
class UserAdmin(TrackedHistoryAdminMixin, ScopedModelAdmin, DjangoUserAdmin):
    """Superusers manage accounts; federation admins see their colleagues (for autocomplete)."""

    list_display = ["username", "name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["name", "email"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [StaffMembershipInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is StaffMembership:
            save_membership_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)
