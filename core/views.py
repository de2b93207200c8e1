from django.contrib import messages
from django.http import HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.defaults import server_error as html_server_error

from core.errors import ServiceError


def server_error(request):
    """A 500 that says sorry and nothing else: no traceback, in JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("A server error occurred. It has been logged.")}, status=500
        )
    return html_server_error(request)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def xlsx_response(content: bytes, filename: str) -> HttpResponse:
    """An Excel workbook to download."""
    response = HttpResponse(content, content_type=XLSX)
    # Chinese names need RFC 5987's filename*: Django writes both forms.
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response


def service_on_form(form, call):
    """Make a service call for a form: the record it returns, or None when it refused; the
    refusal (translated) is then on the form as a non-field error, and nothing has changed."""
    try:
        return call()
    except ServiceError as error:
        form.add_error(None, error.message)
        return None


def service_with_message(request, call, done):
    """Make a service call for a button: `done` as a success message, or the refusal as an
    error message. The record, or None when refused."""
    try:
        record = call()
    except ServiceError as error:
        messages.error(request, error.message)
        return None
    messages.success(request, done)
    return record
