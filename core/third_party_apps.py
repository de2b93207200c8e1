"""Third-party apps under names in the user's language. A module of its own: `core/apps.py` must
hold one AppConfig only, or Django would not know which is core's."""

from axes.apps import AppConfig as AxesAppConfig
from django.utils.translation import gettext_lazy as _


class AxesConfig(AxesAppConfig):
    """django-axes (sign-in lockouts) under a name in the user's language, its records named in
    it too (the package's own names of them are English sentences)."""

    verbose_name = _("Sign-in lockouts")

    def ready(self):
        super().ready()
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessLog.__str__ = lambda log: (
            _("Sign-in of %(username)s at %(time)s")
            % {
                "username": log.username,
                "time": log.attempt_time,
            }
        )
        AccessAttempt.__str__ = lambda attempt: (
            _("Sign-in attempt at %(time)s") % {"time": attempt.attempt_time}
        )
        AccessFailureLog.__str__ = lambda failure: (
            _("Failed sign-in of %(username)s at %(time)s")
            % {
                "username": failure.username,
                "time": failure.attempt_time,
            }
        )
