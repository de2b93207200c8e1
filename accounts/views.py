from base64 import b32encode

import segno
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.forms import TwoFactorForm, TwoFactorSetupForm
from accounts.two_factor import has_device, new_authenticator, new_backup_codes, safe_next


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
    """Federation staff work in the admin; volunteers on their page; organizations in the portal.

    A visitor signs in first and comes back here, so that she lands where her work is."""
    if not request.user.is_authenticated:
        return redirect_to_login(reverse("home"))
    if request.user.is_public:
        return redirect("public-home")
    if request.user.is_staff:
        return redirect("admin:index")
    if hasattr(request.user, "volunteer"):
        return redirect("volunteer-home")
    return redirect("portal-home")


@login_required
def two_factor_verify(request):
    """The second step of signing in."""
    user = request.user
    if not has_device(user):
        return redirect(f"{reverse('two-factor-setup')}?next={safe_next(request)}")
    form = TwoFactorForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        otp_login(request, form.device)
        return redirect(safe_next(request))
    return render(
        request, "accounts/two_factor_verify.html", {"form": form, "next": safe_next(request)}
    )


@login_required
def two_factor_setup(request):
    """Enrolment: scan the QR code, type the first code; then the backup codes, shown once."""
    user = request.user
    if has_device(user) and not user.is_verified():
        return redirect(f"{reverse('two-factor-verify')}?next={safe_next(request)}")
    # The same key until it is confirmed: a reload (or a language switch) must not replace
    # the one she has just scanned.
    device = TOTPDevice.objects.devices_for_user(user, confirmed=False).first()
    if device is None:
        device = new_authenticator(user)
    form = TwoFactorSetupForm(request.POST or None, user=user, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        codes = new_backup_codes(user)
        return render(
            request,
            "accounts/two_factor_backup_codes.html",
            {"codes": codes, "next": safe_next(request)},
        )
    secret = b32encode(device.bin_key).decode()
    # segno draws the code from the device's own URL: the SVG holds no user input.
    qr = mark_safe(segno.make(device.config_url, error="m").svg_inline(scale=4))  # noqa: S308
    context = {"form": form, "qr": qr, "secret": secret, "next": safe_next(request)}
    return render(request, "accounts/two_factor_setup.html", context)
