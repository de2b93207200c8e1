from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Rights-protection cases")

    def ready(self):
        # Case data is what the personal-data keys protect: refuse the development ones in
        # production (`check --deploy`).
        from config import checks  # noqa: F401
