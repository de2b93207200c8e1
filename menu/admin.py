from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from core.admin_base import ScopedModelAdmin, ScopedTabularInline, WorkflowActionsAdminMixin
from core.errors import ServiceError
from federation.admin_filters import FederationTreeFilter
from federation.models import Federation
from menu import services
from menu.models import MenuItem, MenuPublication, Need, ServiceOrder
from menu.workflows import PUBLICATION


def run_for_each(model_admin, request, records, service_call, done_message):
    """Call a service per record; say what happened to each, refusals included."""
    for record in records:
        try:
            service_call(record)
        except ServiceError as error:
            model_admin.message_user(request, f"{record}: {error.message}", messages.ERROR)
        else:
            model_admin.message_user(request, done_message % {"record": record})


def menus_of(user):
    """The federations on whose menus the user may publish: where she may order."""
    return Federation.objects.where_user_holds(user, services.ORDERING_ROLES)


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


class PublicationInline(ScopedTabularInline):
    model = MenuPublication
    extra = 0
    readonly_fields = ["federation", "status", "decided_by", "decided_at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # publishing goes through item_publish, which checks the federation's role


@admin.register(MenuItem)
class MenuItemAdmin(WorkflowActionsAdminMixin, ScopedModelAdmin):
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
    actions = ["publish_on_my_menu"]
    action_moves = {"publish_on_my_menu": [(PUBLICATION, "publish")]}

    @admin.action(description=_("Publish on my federation's menu"), permissions=["change"])
    def publish_on_my_menu(self, request, queryset):
        menus = list(menus_of(request.user))
        if not menus:
            self.message_user(
                request, _("You hold no role that publishes on a menu."), messages.ERROR
            )
            return
        for federation in menus:
            run_for_each(
                self,
                request,
                queryset,
                lambda item, federation=federation: services.item_publish(
                    actor=request.user, item=item, federation=federation
                ),
                _("On the menu: %(record)s"),
            )


@admin.register(MenuPublication)
class MenuPublicationAdmin(WorkflowActionsAdminMixin, ScopedModelAdmin):
    """Items on a federation's menu, or awaiting its approval; moves through menu.services."""

    list_display = ["item", "organization", "federation", "status", "decided_by", "decided_at"]
    list_filter = [FederationTreeFilter, "status"]
    search_fields = ["item__title", "item__organization__name"]
    list_select_related = ["item__organization", "federation", "decided_by"]
    actions = ["approve", "withdraw"]
    action_moves = {
        "approve": [(PUBLICATION, "publish")],
        "withdraw": [(PUBLICATION, "withdraw")],
    }

    @admin.display(description=_("social organization"), ordering="item__organization__name")
    def organization(self, publication):
        return publication.item.organization

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    @admin.action(description=_("Approve and publish on the menu"), permissions=["change"])
    def approve(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.select_related("item", "federation"),
            lambda publication: services.item_publish(
                actor=request.user, item=publication.item, federation=publication.federation
            ),
            _("On the menu: %(record)s"),
        )

    @admin.action(description=_("Withdraw from the menu"), permissions=["change"])
    def withdraw(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset.select_related("item", "federation"),
            lambda publication: services.item_withdraw(actor=request.user, publication=publication),
            _("Withdrawn: %(record)s"),
        )


@admin.register(ServiceOrder)
class ServiceOrderAdmin(ScopedModelAdmin):
    """Orders are read here; every move goes through menu.services (the order pages, the API)."""

    list_display = [
        "title",
        "federation",
        "organization",
        "channel",
        "window_start",
        "status",
        "rating",
        "cost",
    ]
    list_filter = [FederationTreeFilter, "status", "channel", "domain"]
    search_fields = ["title", "federation__name", "organization__name"]
    list_select_related = ["federation", "organization"]
    date_hierarchy = "window_start"

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields] + ["needs"]
