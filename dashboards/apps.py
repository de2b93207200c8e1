from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardsConfig(AppConfig):
    name = "dashboards"
    verbose_name = _("Dashboards")

    def ready(self):
        # The roll-ups follow a moving subtree (receivers of federation.signals).
        from dashboards import rollup_upkeep  # noqa: F401
