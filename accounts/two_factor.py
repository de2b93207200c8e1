"""Two-factor sign-in (TOTP, django-otp) for whoever can reach survivors' records or give roles:
case workers and supervisors, every federation administrator, organizations' case workers and
superusers.

After the password, such a user is sent to enter a code from her authenticator app (or a
one-time backup code); the first time, to enrol by scanning a QR code. Until then every page,
the admin and the session API answer with that step only; API tokens are issued only against a
code (accounts.api.views.TokenView).
"""

from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.scoping import user_scope
from federation.choices import Role

ROLES_NEEDING_TWO_FACTORS = frozenset(
    {Role.ADMIN, Role.CASE_WORKER, Role.CASE_SUPERVISOR, Role.BENEFICIARY_OFFICER}
)
BACKUP_CODES = 10

# Paths open before the second factor: signing in and out, the two-factor pages themselves,
# static files, the language switch, the public rating cards and the token endpoint (which
# asks for the code itself).
OPEN_PATHS = (
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/two-factor/",
    "/admin/login/",
    "/admin/logout/",
    "/static/",
    "/i18n/",
    "/rate/",
    "/api/v1/auth/token/",
)


def needs_two_factors(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    scope = user_scope(user)
    held = set().union(*scope.roles_by_path.values())
    return bool(held & ROLES_NEEDING_TWO_FACTORS or scope.case_organization_ids)


def has_device(user) -> bool:
    return any(devices_for_user(user, confirmed=True))


def verify_code(user, code: str):
    """The device that accepts this code (an authenticator's or a backup code), or None."""
    code = "".join(code.split())
    return match_token(user, code) if code else None


def new_authenticator(user) -> TOTPDevice:
    """An unconfirmed authenticator to scan; confirmed by the first good code."""
    return TOTPDevice.objects.create(user=user, name=_("Authenticator app"), confirmed=False)


def new_backup_codes(user) -> list[str]:
    """Ten one-time codes for a lost phone; the old ones stop working."""
    device, _created = StaticDevice.objects.get_or_create(user=user, name="backup")
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def reset_devices(user) -> int:
    """Recovery by an administrator: she enrols again at her next sign-in."""
    deleted = TOTPDevice.objects.filter(user=user).delete()[0]
    return deleted + StaticDevice.objects.filter(user=user).delete()[0]


def safe_next(request, fallback="/") -> str:
    target = request.POST.get("next") or request.GET.get("next") or fallback
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return fallback


class RequireTwoFactorsMiddleware:
    """After django_otp's OTPMiddleware: sends an unverified user who needs two factors to
    the second step, and refuses the session API until she has passed it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if self.must_verify(request):
            if request.path.startswith("/api/"):
                message = _("Enter the code of your authenticator app first.")
                return JsonResponse({"detail": message}, status=403)
            step = "two-factor-verify" if has_device(request.user) else "two-factor-setup"
            return redirect(f"{reverse(step)}?next={request.get_full_path()}")
        return self.get_response(request)

    @staticmethod
    def must_verify(request) -> bool:
        return not request.path.startswith(OPEN_PATHS) and second_step_pending(request.user)


def second_step_pending(user) -> bool:
    """Signed in with the password, but the code she needs is still to come."""
    return (
        settings.TWO_FACTOR_REQUIRED
        and user.is_authenticated
        and not user.is_verified()
        and needs_two_factors(user)
    )
