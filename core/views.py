from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.defaults import server_error as html_server_error

from core.errors import ServiceError
from core.scoping import user_scope


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


def only_for(admits):
    """A page for the users whose scope `admits`; a 404 to everyone else, as for a page that
    does not exist, rather than a page full of buttons she would be refused."""

    def decorate(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            if not (request.user.is_superuser or admits(user_scope(request.user))):
                raise Http404
            return view(request, *args, **kwargs)

        return login_required(guarded)

    return decorate


def works_for_a_federation(scope) -> bool:
    return bool(scope.federation_paths)


def works_for_an_organization(scope) -> bool:
    return bool(scope.organization_ids)


def orders_or_delivers(scope) -> bool:
    return works_for_a_federation(scope) or works_for_an_organization(scope)
