"""Production: behind TLS, no debug, no browsable API, no anonymous schema.

`manage.py check --deploy --fail-level WARNING` passes in this mode (a test runs it).
"""

from django.core.exceptions import ImproperlyConfigured

from config.env import env_bool, env_list, env_str
from config.settings.base import *  # noqa: F403
from config.settings.base import REST_FRAMEWORK

DEBUG = False
SECRET_KEY = env_str("SECRET_KEY")
# Case data keys must come from the environment: the development ones are public.
PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEYS", env_str("PERSONAL_DATA_KEYS"))
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY")

# Mail goes through a real server: SMTP unless EMAIL_BACKEND names another backend.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env_str("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(env_str("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@womenfed.example.cn")

# Sign-in codes and notices go out as text messages: never to the console in production.
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.TencentSender")
if SMS_BACKEND == "notifications.sms.ConsoleSender":
    raise ImproperlyConfigured(
        "SMS_BACKEND is the console sender: production sends text messages through a provider."
    )
if SMS_BACKEND == "notifications.sms.TencentSender":
    SMS_TENCENT = {
        "secret_id": env_str("SMS_TENCENT_SECRET_ID"),
        "secret_key": env_str("SMS_TENCENT_SECRET_KEY"),
        "app_id": env_str("SMS_TENCENT_APP_ID"),
        "sign_name": env_str("SMS_SIGN_NAME"),
        "region": env_str("SMS_TENCENT_REGION", "ap-guangzhou"),
        "templates": {
            "login_code": env_str("SMS_TEMPLATE_LOGIN_CODE"),
            "notice": env_str("SMS_TEMPLATE_NOTICE"),
        },
    }

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = int(env_str("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

REST_FRAMEWORK = {
    **REST_FRAMEWORK,
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
}
