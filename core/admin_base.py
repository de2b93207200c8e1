"""The ModelAdmin base every scoped model's admin uses."""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.http import content_disposition_header
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.forms import SelectableFieldsExportForm

from core.scoping import ScopedQuerySet


def is_scoped(model) -> bool:
    return isinstance(model._default_manager.all(), ScopedQuerySet)


class CappedPaginator(Paginator):
    """Counts at most `cap` rows; past that the list says "10000+". The stock paginator counts
    every matching row on every page, which on a province's million sign-ups costs more than
    the page. Page links go as far as the cap; filters and search narrow the rest."""

    cap = 10_000

    @cached_property
    def counted(self) -> int:
        return self.object_list[: self.cap + 1].count()  # COUNT over a LIMIT subquery

    @cached_property
    def count(self) -> int:
        return min(self.counted, self.cap)

    @property
    def capped(self) -> bool:
        return self.counted > self.cap


class ScopedChoicesMixin:
    """Foreign-key and many-to-many choices limited to the rows the user may see.

    The choices are the form field's queryset, so a select lists only those rows, an
    autocomplete widget labels only those, and an id posted by hand outside them is refused
    with the usual "select a valid choice".
    """

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped(related):
            kwargs["queryset"] = related._default_manager.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        related = db_field.remote_field.model
        if "queryset" not in kwargs and is_scoped(related):
            kwargs["queryset"] = related._default_manager.visible_to(request.user)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class ScopedModelAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Lists, choices and saves limited to the user's part of the tree.

    Objects outside it are absent from the changelist and their change pages
    are 404 (the admin answers a missing object that way); foreign-key choices
    offer only visible rows; a save that would put an object outside the
    user's scope is refused and rolled back.
    """

    list_per_page = 50
    paginator = CappedPaginator
    show_full_result_count = False  # no second count of the whole, unfiltered table

    def get_queryset(self, request):
        return super().get_queryset(request).visible_to(request.user)

    def get_object(self, request, object_id, from_field=None):
        # Out of scope and nonexistent look the same: 404, as in the API
        # (the stock admin would redirect with "doesn't exist" instead).
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404(_("No such record in your area."))
        return obj

    def has_change_permission(self, request, obj=None):
        return self.has_role_permission(request, "change", obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_role_permission(request, "delete", obj)

    def has_role_permission(self, request, action, obj):
        """Checked against the roles held at the object's node when there is one."""
        perm = f"{self.opts.app_label}.{action}_{self.opts.model_name}"
        if obj is None or not is_scoped(self.model):
            return request.user.has_perm(perm)
        return request.user.has_perm(perm, obj)

    def save_model(self, request, obj, form, change):
        # changeform_view runs in a transaction: raising here rolls the save back.
        super().save_model(request, obj, form, change)
        self.ensure_still_visible(request, obj)

    def ensure_still_visible(self, request, obj):
        if not self.model._default_manager.visible_to(request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("This change would move the record outside your area."))


class ScopedInlineMixin(ScopedChoicesMixin):
    """What every admin inline uses: its rows and its choices limited to the user's scope.

    Inlines do not inherit from the ModelAdmin base, so without this an inline's foreign
    keys would offer, and accept, every row in the table.
    """

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return queryset.visible_to(request.user) if is_scoped(self.model) else queryset


class ScopedTabularInline(ScopedInlineMixin, admin.TabularInline):
    pass


class WorkflowActionsAdminMixin:
    """Admin actions that make a move of a process (core.workflow) are offered only while the
    process declares the move; their services refuse it otherwise anyway.

    `action_moves` maps an action's name to the (process, move name) pairs it makes.
    """

    action_moves: dict = {}

    def get_actions(self, request):
        actions = super().get_actions(request)
        for action, moves in self.action_moves.items():
            if not all(process.declared(move) for process, move in moves):
                actions.pop(action, None)
        return actions


class ColumnNamedExportForm(SelectableFieldsExportForm):
    """The export's field choices named by their column (中文), not by the attribute's English
    words with the column after them."""

    def _get_field_label(self, resource, field_name):
        field = resource.fields.get(field_name)
        return field.column_name if field is not None else field_name


class SpreadsheetAdminMixin(ImportExportMixin):
    """Import and export from the admin (django-import-export), in the user's language."""

    export_form_class = ColumnNamedExportForm

    def get_export_filename(self, request, queryset, file_format):
        """Named in Chinese and dated by the local day (the package's is the UTC one)."""
        name = self.model._meta.verbose_name_plural
        return f"{name}_{timezone.localdate():%Y-%m-%d}.{file_format.get_extension()}"

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        response = super()._do_file_export(file_format, request, queryset, export_form)
        # A Chinese name needs RFC 5987's filename* (the package writes it raw).
        filename = self.get_export_filename(request, queryset, file_format)
        response["Content-Disposition"] = content_disposition_header(True, filename)
        return response
