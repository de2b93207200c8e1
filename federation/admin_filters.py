"""The admin's filter by a node of the federation tree (with its subtree)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.scoping import subtree_q
from federation.choices import LEVEL_RANK
from federation.models import Federation


class FederationTreeFilter(admin.SimpleListFilter):
    """Filter by a node of the tree, including everything below it.

    Offers the visible nodes down to county level, indented by depth, so the
    list stays short even for a province.
    """

    title = _("federation (with subtree)")
    parameter_name = "within"
    path_lookup = "federation__path"
    deepest_level_offered = 3  # county

    def lookups(self, request, model_admin):
        offered = [
            level for level, rank in LEVEL_RANK.items() if rank <= self.deepest_level_offered
        ]
        nodes = (
            Federation.objects.visible_to(request.user)
            .filter(level__in=offered)
            .only("pk", "name", "depth")
        )
        return [(str(node.pk), "\u3000" * (node.depth - 1) + node.name) for node in nodes]

    def queryset(self, request, queryset):
        if not self.value():
            return queryset
        node = (
            Federation.objects.visible_to(request.user).filter(pk=self.value()).first()
            if self.value().isdigit()
            else None
        )
        if node is None:
            return queryset.none()
        return queryset.filter(subtree_q(self.path_lookup, node))
