"""A record's history in the admin, from django-pghistory's events (database triggers).

The change page's "History" button opens it. Triggers record every write, from a page, the
shell, a command or a bulk update; a request also records who made it (HistoryMiddleware).
"""

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from accounts.models import User

LABELS = {"insert": _("created"), "update": _("changed"), "delete": _("deleted")}


class TrackedHistoryAdminMixin:
    """For a ModelAdmin of a model tracked with @pghistory.track."""

    object_history_template = "admin/tracked_history.html"

    def history_view(self, request, object_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))  # 404 outside the user's area
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "title": _("History: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": self.opts,
            "entries": history_entries(obj),
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)


def history_entries(obj) -> list[dict]:
    """Each event of the record and of the records that hang on it (a project's disbursements,
    a user's roles), newest first: when, what, by whom, each field's old and new value."""
    events = list(Events.objects.references(obj).order_by("pgh_created_at", "pgh_id"))
    actors = User.objects.in_bulk(
        {event.pgh_context["user"] for event in events if (event.pgh_context or {}).get("user")}
    )
    entries, previous = [], {}
    for event in events:
        context = event.pgh_context or {}
        tracked = apps.get_model(event.pgh_model).pgh_tracked_model
        chain = (event.pgh_model, event.pgh_obj_id)
        entries.append(
            {
                "at": event.pgh_created_at,
                "record": f"{tracked._meta.verbose_name} #{event.pgh_obj_id}",
                "what": LABELS.get(event.pgh_label, event.pgh_label),
                "who": actors.get(context.get("user")),
                "changes": changes(tracked, previous.get(chain, {}), event.pgh_data),
            }
        )
        previous[chain] = event.pgh_data
    return list(reversed(entries))


def changes(model, before: dict, after: dict) -> list[tuple]:
    return [
        (label_of(model, name), before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value
    ]


def label_of(model, name: str) -> str:
    try:
        return model._meta.get_field(name.removesuffix("_id")).verbose_name
    except FieldDoesNotExist:
        return name
