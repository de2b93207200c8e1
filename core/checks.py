"""System checks of the deployment (`manage.py check --deploy`).

The development personal-data keys are published in config/settings/base.py; data encrypted or
hashed under them is readable by anyone. Production must never run with them.
"""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def check_personal_data_keys(app_configs, **kwargs) -> list[checks.CheckMessage]:
    errors = []
    if settings.DEV_PERSONAL_DATA_KEY in settings.PERSONAL_DATA_KEYS:
        errors.append(
            checks.Error(
                "PERSONAL_DATA_KEYS holds the published development key.",
                hint="Generate a key (Fernet.generate_key()) and list it first in "
                "PERSONAL_DATA_KEYS; run `manage.py reencrypt_personal_data`, then drop "
                "the development key.",
                id="config.E001",
            )
        )
    if settings.PERSONAL_DATA_HASH_KEY == settings.DEV_PERSONAL_DATA_HASH_KEY:
        errors.append(
            checks.Error(
                "PERSONAL_DATA_HASH_KEY is the published development key.",
                hint="Set PERSONAL_DATA_HASH_KEY to a long random secret of its own (phone and "
                "ID numbers hashed under the old key are no longer found again as repeats).",
                id="config.E002",
            )
        )
    return errors


@checks.register(checks.Tags.security, deploy=True)
def check_two_factors_required(app_configs, **kwargs) -> list[checks.CheckMessage]:
    if settings.TWO_FACTOR_REQUIRED:
        return []
    return [
        checks.Error(
            "TWO_FACTOR_REQUIRED is off: case staff and administrators sign in with a password only.",
            hint="Unset TWO_FACTOR_REQUIRED (it is on by default).",
            id="config.E003",
        )
    ]
