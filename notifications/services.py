"""Telling people things: once per subject, in the app, by email and — for whoever agreed —
by text message."""

import logging

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.models import Notification
from notifications.sms import SmsError, SmsTemplate, send_sms

logger = logging.getLogger(__name__)
# Tencent Cloud lets a notice template's variable hold this many characters.
SMS_VARIABLE_LENGTH = 20
TITLE_LENGTH = Notification._meta.get_field("title").max_length


def fitted_title(title: str) -> str:
    """The title cut to what the column holds, with an ellipsis where it was cut."""
    return title if len(title) <= TITLE_LENGTH else title[: TITLE_LENGTH - 1] + "…"


def notify(*, user, key, title, body="", url="") -> Notification | None:
    """Create the notification unless this user already had one with this key.

    Returns None when it was sent before, so a task that runs twice tells no one twice, and
    for a deactivated account, which is never told anything (whoever chose the recipients).
    The email goes out only after the transaction commits. A title too long for the column
    (an order's own title is up to 200 characters) is cut with an ellipsis and given whole
    at the top of the message, so the notice is never lost to a database error.
    """
    if not user.is_active:
        return None
    if len(title) > TITLE_LENGTH:
        body = "\n\n".join(part for part in (title, body) if part)
        title = fitted_title(title)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, key=key, title=title, body=body, url=url
            )
    except IntegrityError:
        return None
    if user.email:
        transaction.on_commit(
            lambda: send_mail(
                title, f"{body}\n{url}".strip(), None, [user.email], fail_silently=True
            )
        )
    if user.sms_notices and user.phone:
        transaction.on_commit(lambda: text_the_notice(user.phone, title))
    return notification


def text_the_notice(phone: str, title: str) -> None:
    """The notice's title by text message (a template variable holds at most
    SMS_VARIABLE_LENGTH characters); a refusal by the provider is logged, the notice stays in
    the app."""
    if len(title) > SMS_VARIABLE_LENGTH:
        title = title[: SMS_VARIABLE_LENGTH - 1] + "…"
    try:
        send_sms(phone, SmsTemplate.NOTICE, title)
    except SmsError:
        logger.warning("A notice could not be sent by text message", exc_info=True)


def notification_mark_read(*, user, notification_ids) -> int:
    return Notification.objects.filter(
        user=user, pk__in=notification_ids, read_at__isnull=True
    ).update(read_at=timezone.now())
