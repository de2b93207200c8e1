from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _


def lockout_response(request, original_response, credentials):
    """What a locked-out login sees (django-axes): JSON for the API, a page otherwise."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    if request.path.startswith("/api/"):
        message = _(
            "Login is paused for this account from this address. "
            "Please try again in %(minutes)s minutes."
        ) % {"minutes": minutes}
        return JsonResponse({"detail": message}, status=429)
    return render(request, "accounts/lockout.html", {"cooloff_minutes": minutes}, status=429)


def home(request):
    """Federation staff work in the admin; volunteers on their page; organizations in the portal."""
    if request.user.is_authenticated and request.user.is_staff:
        return redirect("admin:index")
    if hasattr(request.user, "volunteer"):
        return redirect("volunteer-home")
    return redirect("portal-home")
