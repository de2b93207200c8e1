from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import server_error as html_server_error


def server_error(request):
    """A 500 that says sorry and nothing else: no traceback, in JSON for the API."""
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": _("A server error occurred. It has been logged.")}, status=500
        )
    return html_server_error(request)
