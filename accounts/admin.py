from contextlib import suppress

from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.models import Group
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from knox.models import AuthToken

from accounts.models import User
from accounts.two_factor import reset_devices
from core.admin_base import ScopedModelAdmin, ScopedTabularInline
from core.admin_history import TrackedHistoryAdminMixin
from federation.grants import administers_user
from federation.models import StaffMembership
from federation.role_admin import GrantedRoleInlineMixin, save_membership_formset


class StaffMembershipInline(GrantedRoleInlineMixin, ScopedTabularInline):
    model = StaffMembership
    fk_name = "user"
    extra = 0
    fields = ["federation", "role", "is_active", "approval"]
    autocomplete_fields = ["federation"]


@admin.register(User)
class UserAdmin(TrackedHistoryAdminMixin, ScopedModelAdmin, DjangoUserAdmin):
    """Superusers manage accounts; federation admins see their colleagues (for autocomplete)."""

    list_display = ["username", "name", "email", "is_staff", "is_active", "last_login"]
    search_fields = ["username", "name", "email"]
    fieldsets = [
        (None, {"fields": ["username", "password"]}),
        (_("Personal info"), {"fields": ["name", "email", "phone", "sms_notices"]}),
        (_("Permissions"), {"fields": ["is_active", "is_staff", "is_superuser"]}),
        (_("Important dates"), {"fields": ["last_login", "date_joined"]}),
    ]
    inlines = [StaffMembershipInline]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "phone":  # one line, not the text area of an encrypted text
            kwargs["widget"] = forms.TextInput
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    actions = ["reset_two_factors"]

    @admin.action(description=_("Reset the second factor (she enrols again at her next sign-in)"))
    def reset_two_factors(self, request, queryset):
        """Recovery for a lost phone, by an administrator of one of her places (never herself);
        written to the admin's log (django.contrib.admin's LogEntry) with who did it."""
        for user in queryset:
            if user.pk == request.user.pk or not administers_user(request.user, user):
                message = _("You may not reset the second factor of %(user)s.") % {"user": user}
                self.message_user(request, message, messages.ERROR)
                continue
            reset_devices(user)
            self.log_change(request, user, "two-factor reset")
            message = _("The second factor of %(user)s was reset.") % {"user": user}
            self.message_user(request, message, messages.SUCCESS)

    def save_formset(self, request, form, formset, change):
        if formset.model is StaffMembership:
            save_membership_formset(request, formset)
        else:
            super().save_formset(request, form, formset, change)


# Second factors are reset from the user's page (the action above) and enrolled on the sign-in
# pages; API tokens end at sign-out, by "sign out everywhere" and with a deactivated account.
# The packages' own admin pages (raw keys, token digests, in English) are not offered.
# Groups: what people may do comes from their roles (federation.roles), not from groups.
for model in (AuthToken, TOTPDevice, StaticDevice, Group):
    with suppress(admin.sites.NotRegistered):
        admin.site.unregister(model)
