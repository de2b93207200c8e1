from django.contrib import admin

from accounts.admin_base import FederationTreeFilter, ScopedModelAdmin
from menu.models import MenuItem, MenuPublication, Need, ServiceOrder


class GuidingFederationFilter(FederationTreeFilter):
    path_lookup = "organization__guiding_federation__path"


@admin.register(Need)
class NeedAdmin(ScopedModelAdmin):
    list_display = [
        "title",
        "federation",
        "domain",
        "target_group",
        "people_count",
        "source",
        "status",
    ]
    list_filter = [FederationTreeFilter, "status", "source", "domain"]
    search_fields = ["title", "description"]
    autocomplete_fields = ["federation", "projects"]
    list_select_related = ["federation", "domain", "target_group"]


class PublicationInline(admin.TabularInline):
    model = MenuPublication
    extra = 0
    readonly_fields = ["federation", "status", "decided_by", "decided_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # publishing goes through item_publish, which checks the federation's role


@admin.register(MenuItem)
class MenuItemAdmin(ScopedModelAdmin):
    list_display = [
        "title",
        "organization",
        "domain",
        "format",
        "capacity_per_session",
        "sessions_per_month",
        "unit_cost",
        "status",
    ]
    list_filter = [GuidingFederationFilter, "status", "format", "domain"]
    search_fields = ["title", "organization__name"]
    autocomplete_fields = ["organization", "areas", "needs"]
    filter_horizontal = ["target_groups"]
    list_select_related = ["organization", "domain"]
    inlines = [PublicationInline]


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ScopedModelAdmin):
    """Orders are read here; every move goes through menu.services."""

    list_display = ["item", "federation", "window_start", "window_end", "status", "rating", "cost"]
    list_filter = [FederationTreeFilter, "status"]
    search_fields = ["item__title", "federation__name"]
    list_select_related = ["item", "federation"]
    date_hierarchy = "window_start"

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]
