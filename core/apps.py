from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """What every app uses and nothing domain-specific: errors, the API base, scoping,
    forms and page helpers, tasks, personal data, aggregates, validators, uploads, exports
    and the admin base. It imports no app of the project (tests/test_architecture.py)."""

    name = "core"
    verbose_name = _("Platform kernel")

    def ready(self):
        # Deployment checks (`check --deploy`): the personal-data keys and two factors.
        from core import checks  # noqa: F401
