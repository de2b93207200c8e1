"""A record's history in the admin, from django-pghistory's events (database triggers).

The change page's "History" button opens it. Triggers record every write, from a page, the
shell, a command or a bulk update; a request also records who made it (HistoryMiddleware).
"""

from collections import defaultdict

from django.apps import apps
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.db import models
from django.template.response import TemplateResponse
from django.utils.dateparse import parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

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
    a user's roles), newest first: when, what, by whom, each field's old and new value in words."""
    events = list(Events.objects.references(obj).order_by("pgh_created_at", "pgh_id"))
    names = Names(events)
    entries, previous = [], {}
    for event in events:
        context = event.pgh_context or {}
        tracked = apps.get_model(event.pgh_model).pgh_tracked_model
        chain = (event.pgh_model, event.pgh_obj_id)
        entries.append(
            {
                "at": event.pgh_created_at,
                "record": names.record(tracked, event.pgh_obj_id),
                "what": LABELS.get(event.pgh_label, event.pgh_label),
                "who": names.of(get_user_model(), context.get("user")),
                "changes": [
                    (
                        field_label(tracked, name),
                        names.value(tracked, name, old),
                        names.value(tracked, name, new),
                    )
                    for name, old, new in changed(previous.get(chain, {}), event.pgh_data)
                ],
            }
        )
        previous[chain] = event.pgh_data
    return list(reversed(entries))


def changed(before: dict, after: dict):
    return [
        (name, before.get(name), value)
        for name, value in after.items()
        if before.get(name) != value and name != "id"
    ]


class Names:
    """What the events' ids stand for, read once per model (no query per row)."""

    def __init__(self, events):
        wanted: dict = defaultdict(set)
        for event in events:
            tracked = apps.get_model(event.pgh_model).pgh_tracked_model
            wanted[tracked].add(event.pgh_obj_id)
            if (event.pgh_context or {}).get("user"):
                wanted[get_user_model()].add(event.pgh_context["user"])
            for name, value in event.pgh_data.items():
                field = field_of(tracked, name)
                if value is not None and field is not None and field.is_relation:
                    wanted[field.related_model].add(value)
        self.objects = {
            model: model._base_manager.in_bulk({int(pk) for pk in ids if str(pk).isdigit()})
            for model, ids in wanted.items()
        }

    def of(self, model, pk):
        if pk is None or not str(pk).isdigit():
            return None
        return self.objects.get(model, {}).get(int(pk))

    def record(self, model, pk) -> str:
        current = self.of(model, pk)
        return str(current) if current else f"{model._meta.verbose_name} #{pk}"

    def value(self, model, name, value):
        field = field_of(model, name)
        if value is None or value == "":
            return "—"
        if field is None:
            return value
        if field.choices:
            return dict(field.flatchoices).get(value, value)
        if isinstance(field, models.BooleanField):
            return _("yes") if value else _("no")
        if field.is_relation:
            return self.of(field.related_model, value) or f"#{value}"
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(value)
            return date_format(localtime(moment), "Y-m-d H:i") if moment else value
        return value


def field_of(model, name):
    try:
        return model._meta.get_field(name.removesuffix("_id"))
    except FieldDoesNotExist:
        return None


def field_label(model, name: str) -> str:
    field = field_of(model, name)
    return field.verbose_name if field is not None else name
