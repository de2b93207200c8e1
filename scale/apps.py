from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScaleConfig(AppConfig):
    """Synthetic data at county, city and province scale for benchmarks (`seed_scale`), kept out
    of the apps that run the product: nothing imports it but its command and bench/."""

    name = "scale"
    verbose_name = _("Scale data")
