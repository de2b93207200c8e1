"""What every API view shares: pagination, error shape, the scoped viewset base."""

import keyword
import logging

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.pagination import CursorPagination, PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import ServiceError
from core.scoping import ScopedQuerySet

logger = logging.getLogger(__name__)


def validation_error_body(error: DjangoValidationError) -> dict:
    if hasattr(error, "error_dict"):
        return {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
    return {"detail": " ".join(str(m) for m in error.messages)}


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysetPagination(CursorPagination):
    """For the large tables (sign-ups, case events, reports, orders, opportunities): the newest
    first and a link to the next page, without counting the whole table — COUNT(*) over a
    province's million sign-ups was most of the time of every page. A page costs what it shows:
    one index range after the last row seen (the cursor), whatever lies below it."""

    ordering = "-pk"
    page_size_query_param = "page_size"
    max_page_size = 200


class KeysFirstPagination(KeysetPagination):
    """Keyset pages whose keys are read before their rows: for a table whose scope is served by
    an index ending in its id (case events: (federation, id)), the page's ids come from the
    index alone and only those rows are fetched by key, without the scope again (the keys are
    the scoped page) — nor the queryset's select_related: for views that have none. Reading
    rows first fetched every row of the area to sort them."""

    def paginate_queryset(self, queryset, request, view=None):
        keys = super().paginate_queryset(queryset.only("pk"), request, view)
        if keys is None:
            return None
        rows = queryset.model._default_manager.in_bulk([key.pk for key in keys])
        return [rows[key.pk] for key in keys]


def exception_handler(exc, context):
    """DRF's handler, service errors as their status, and a plain JSON 500 without traceback."""
    if isinstance(exc, ServiceError):
        return Response({"detail": str(exc.message)}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        return Response(validation_error_body(exc), status=status.HTTP_400_BAD_REQUEST)
    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        response = Response(
            {"detail": _("A server error occurred. It has been logged.")},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return response


class ScopedViewSetMixin:
    """Every scoped API view starts from `visible_to(request.user)`.

    Out of scope is then simply "not found" (404), exactly like a missing id.
    """

    def get_queryset(self):
        return super().get_queryset().visible_to(self.request.user)

    def respond(self, record, serializer_class=None):
        """The answer to an action: the record re-read through her scope, so that the list's
        annotations and masks apply. A move that took it out of her sight (a dispatched request
        she declined goes back to the federation) is answered with the state her own move left
        it in: a 200, never a 500."""
        visible = self.get_queryset().filter(pk=record.pk).first()
        serializer_class = serializer_class or self.get_serializer_class()
        context = self.get_serializer_context()
        return Response(serializer_class(visible or record, context=context).data)


class WorkflowActionsMixin:
    """The API's moves of a process (core.workflow): each action runs the move's service and
    answers through the caller's scope in the same transaction. A move the process no longer
    declares is refused before anything is read."""

    process = None  # the core.workflow.Process whose moves the actions make
    record_name = ""  # the service's keyword for the record: "case", "order" …

    def body(self, serializer_class, record=None):
        serializer = serializer_class(
            data=self.request.data,
            context={"request": self.request, self.record_name: record},
        )
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def make_move(self, name, service, body=None, **fixed):
        """Run `service(actor=…, <record>=…, **body's data, **fixed)` for the move `name`."""
        self.process.move(name)
        with transaction.atomic():
            record = self.get_object()
            data = self.body(body, record) if body else {}
            moved = service(actor=self.request.user, **{self.record_name: record}, **data, **fixed)
            return self.respond(moved)


def move_action(name, service, body=None, **fixed):
    """The API action making the move `name` of the viewset's process through `service`, with
    the request's body read by the `body` serializer (POST …/<id>/<name>/). Assign it to the
    attribute named like the move ("no-show": `no_show`; "return", a keyword: `return_`)."""

    def make(self, request, pk=None):
        return self.make_move(name, service, body, **fixed)

    make.__name__ = name.replace("-", "_") + ("_" if keyword.iskeyword(name) else "")
    make.__doc__ = service.__doc__
    made = action(detail=True, methods=["post"], url_path=name, url_name=name)(make)
    return extend_schema(request=body)(made)


class ErrorSerializer(serializers.Serializer):
    """The shape of every error that is not about one field: {"detail": "…"}."""

    detail = serializers.CharField()


class ScopedRelationsMixin:
    """Writable relations accept only rows the caller may see.

    An id outside her area gets the same "does not exist" error as an id that
    does not exist, so a write cannot be used to probe other areas.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is None:
            return
        for field in self.fields.values():
            relation = getattr(field, "child_relation", field)  # many=True wraps the relation
            queryset = getattr(relation, "queryset", None)
            queryset = queryset.all() if queryset is not None else None  # a manager, often
            if isinstance(queryset, ScopedQuerySet) and not field.read_only:
                relation.queryset = queryset.visible_to(request.user)
