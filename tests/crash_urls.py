"""The project's URLs plus two views that fail, to see what a 500 shows."""

from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from config.urls import handler500  # noqa: F401
from config.urls import urlpatterns as project_urlpatterns


@api_view(["GET"])
@permission_classes([AllowAny])
def api_crash(request):
    raise RuntimeError("secret internal detail")


def page_crash(request):
    raise RuntimeError("secret internal detail")


urlpatterns = [
    path("api/crash/", api_crash),
    path("crash/", page_crash),
    *project_urlpatterns,
]
