"""The test suite: real PostgreSQL and Redis, fast password hashing."""

import os

from config.settings.base import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
AXES_ENABLED = True

# WhiteNoise serves from STATIC_ROOT; the suite never runs collectstatic.
WHITENOISE_USE_FINDERS = True
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405

# Tasks run in-process: a suite must not leave work on the shared broker for the next
# development worker. The test that starts a real worker turns this off for itself.
CELERY_TASK_ALWAYS_EAGER = True

# Most tests sign in with force_login and test other things; tests/test_two_factor.py (and the
# browser test of the security review) turn the second step on.
TWO_FACTOR_REQUIRED = False

# Uploaded and seeded files of the suite stay apart from the development server's.
MEDIA_ROOT = str(BASE_DIR / "var" / "test-media")  # noqa: F405

# The cache (rate limits) on a Redis database of each test process's own, emptied before each
# test (tests/conftest.py): one test's requests never count against another's.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "gw-1").removeprefix("gw")
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": f"{REDIS_URL.rsplit('/', 1)[0]}/{10 + int(_WORKER)}",  # noqa: F405
    }
}
