"""Reminding volunteers: the day before an activity, each one with a place (by text message
where she agreed), once."""

from datetime import date, timedelta

from celery import shared_task
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from notifications.services import notify
from volunteers.choices import SignUpStatus
from volunteers.models import SignUp


@shared_task
def remind_signups(today_iso: str | None = None) -> int:
    today = date.fromisoformat(today_iso) if today_iso else timezone.localdate()
    tomorrow = today + timedelta(days=1)
    signups = SignUp.objects.filter(
        status=SignUpStatus.CONFIRMED,
        opportunity__starts_at__date=tomorrow,
        volunteer__user__isnull=False,
    ).select_related("opportunity", "volunteer__user")
    told = 0
    for signup in signups:
        with override("zh-hans"):
            title = _("Tomorrow %(time)s: %(activity)s at %(place)s") % {
                "time": f"{timezone.localtime(signup.opportunity.starts_at):%H:%M}",
                "activity": signup.opportunity.title,
                "place": signup.opportunity.place,
            }
        reminded = notify(
            user=signup.volunteer.user,
            key=f"signup-tomorrow:{signup.pk}",
            title=title,
            url=reverse("public-volunteer"),
        )
        told += reminded is not None
    return told
