from django.http import HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.defaults import server_error as html_server_error


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
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
