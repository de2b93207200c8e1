"""Development on a workstation: `make run`."""

from config.env import env_bool, env_str
from config.settings.base import *  # noqa: F403

# Off unless asked for (DEBUG=true): the demo is shown to people, and a mistyped link must get
# the platform's own 404, not Django's list of every URL.
DEBUG = env_bool("DEBUG", False)
# Mail (password-reset links too) is printed to the console here, and only here.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
