"""The demo logins' second factor: each demo user who needs one gets an authenticator key,
printed by seed_demo (add it to an authenticator app, or let `manage.py demo_code` show the
current code)."""

from base64 import b32encode

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import User
from accounts.two_factor import needs_two_factors

DEMO_DEVICE = "demo"


def seed():
    for user in User.objects.filter(username__in=demo_usernames()):
        if needs_two_factors(user):
            TOTPDevice.objects.get_or_create(
                user=user, name=DEMO_DEVICE, defaults={"confirmed": True}
            )


def demo_usernames():
    from accounts.management.commands.seed_demo import DEMO_LOGINS

    return [username for username, _what in DEMO_LOGINS]


def demo_secret(user) -> str | None:
    """The base32 key to type into an authenticator app, or None for a one-factor user."""
    device = TOTPDevice.objects.filter(user=user, name=DEMO_DEVICE).first()
    return b32encode(device.bin_key).decode() if device else None
