"""Signing in with a phone number and a six-digit code sent to it (the public's way in).

The rules, per number: a code lives CODE_MINUTES; a new one may be asked for after
RESEND_SECONDS and at most CODES_PER_HOUR an hour; a code takes MAX_WRONG wrong tries and is
then spent; LOCKOUT_WRONG wrong tries within an hour lock the number for that hour. Per
address, the views' rate limits apply (public.limits). Every answer is the same whether the
number has an account or not: the first right code creates it.
"""

import secrets
from datetime import timedelta

from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import PhoneCode, User
from core.errors import ServiceError, TooManyRequests
from core.personal_data import keyed_hash, normalized_phone, phone_hash
from core.validators import validate_mobile
from notifications.sms import SmsTemplate, send_sms

CODE_MINUTES = 5
RESEND_SECONDS = 60
CODES_PER_HOUR = 5
MAX_WRONG = 5
LOCKOUT_WRONG = 10


def code_hash(number_hash: str, code: str) -> str:
    return keyed_hash("sign-in-code", f"{number_hash}:{code}")


def checked_number(phone: str) -> str:
    """The 11-digit mobile number, or a translated ValidationError."""
    number = normalized_phone(phone)
    validate_mobile(number)
    return number


def codes_of_the_last_hour(number_hash: str):
    return PhoneCode.objects.filter(
        phone_hash=number_hash, sent_at__gte=timezone.now() - timedelta(hours=1)
    )


def one_at_a_time(number_hash: str) -> None:
    """Requests for one number wait for each other (until the transaction ends), so that two
    quick taps cannot both pass the limits."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [number_hash])


def refuse_a_locked_number(number_hash: str) -> None:
    wrong = codes_of_the_last_hour(number_hash).aggregate(wrong=Sum("wrong_attempts"))["wrong"]
    if (wrong or 0) >= LOCKOUT_WRONG:
        raise TooManyRequests(
            _("Too many wrong codes for this number. Please try again in an hour.")
        )


def phone_code_send(*, phone: str, address: str | None = None) -> None:
    """Send a new code to the number (the same answer for every valid number)."""
    number = checked_number(phone)
    number_hash = phone_hash(number)
    with transaction.atomic():
        one_at_a_time(number_hash)
        refuse_a_locked_number(number_hash)
        recent = list(codes_of_the_last_hour(number_hash).order_by("-sent_at"))
        now = timezone.now()
        if recent and (now - recent[0].sent_at).total_seconds() < RESEND_SECONDS:
            raise TooManyRequests(
                _("A code was sent a moment ago. Please wait a minute before asking again.")
            )
        if len(recent) >= CODES_PER_HOUR:
            raise TooManyRequests(_("Too many codes for this number. Please try again in an hour."))
        code = f"{secrets.randbelow(10**6):06d}"
        PhoneCode.objects.create(
            phone_hash=number_hash,
            code_hash=code_hash(number_hash, code),
            address=address,
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        transaction.on_commit(
            lambda: send_sms(number, SmsTemplate.LOGIN_CODE, code, str(CODE_MINUTES))
        )


def phone_code_verify(*, phone: str, code: str) -> User:
    """Her public account (created at the first right code); a spent, expired, reused or
    wrong code is refused with one message, so that none reveals more than another."""
    number = checked_number(phone)
    number_hash = phone_hash(number)
    wrong = ServiceError(_("The code is wrong or no longer valid. Ask for a new one."))
    with transaction.atomic():
        refuse_a_locked_number(number_hash)
        current = (
            PhoneCode.objects.select_for_update()
            .filter(phone_hash=number_hash, used_at=None, expires_at__gt=timezone.now())
            .order_by("-sent_at")
            .first()
        )
        if current is None or current.wrong_attempts >= MAX_WRONG:
            raise wrong
        if not secrets.compare_digest(current.code_hash, code_hash(number_hash, code.strip())):
            current.wrong_attempts += 1
            current.save(update_fields=["wrong_attempts"])
        else:
            current.used_at = timezone.now()
            current.save(update_fields=["used_at"])
            return public_account(number, number_hash)
    raise wrong


def public_username(number_hash: str) -> str:
    """公众 and twelve digits drawn from the number's keyed hash: unique enough among the
    public, and nothing of the number itself."""
    return f"公众{int(number_hash[:16], 16) % 10**12:012d}"


def public_account(number: str, number_hash: str) -> User:
    user = User.objects.filter(is_public=True, phone_hash=number_hash).first()
    if user is None:
        user = User(username=public_username(number_hash), is_public=True, phone=number)
        user.phone_hash = number_hash
        user.set_unusable_password()
        user.save()
    return user
