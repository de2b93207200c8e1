"""What every API view shares: pagination, error shape, the scoped viewset base."""

import logging

from django.utils.translation import gettext as _
from rest_framework import serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger(__name__)


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 200


def exception_handler(exc, context):
    """DRF's handler, plus a plain JSON 500 that never carries a traceback."""
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


class ErrorSerializer(serializers.Serializer):
    """The shape of every error that is not about one field: {"detail": "…"}."""

    detail = serializers.CharField()
