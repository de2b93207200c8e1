from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.admin_base import ScopedModelAdmin
from accounts.models import User
from federation.models import StaffMembership


class StaffMembershipInline(admin.TabularInline):
    model = StaffMembership
    extra = 0
    autocomplete_fields = ["federation"]

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)


@admin.register(User)
class UserAdmin(ScopedModelAdmin, DjangoUserAdmin):
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
