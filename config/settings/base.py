"""Settings shared by every mode; each value comes from the environment (config.env)."""

from datetime import timedelta

from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

from config.env import BASE_DIR, database_config, env_bool, env_list, env_str

SECRET_KEY = env_str("SECRET_KEY", "dev-only-insecure-key-change-me")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "knox",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "core.third_party_apps.AxesConfig",
    "csp",
    "import_export",
    "pgtrigger",
    "pghistory",
    "django_ratelimit",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "core",
    "accounts",
    "federation",
    "orgs",
    "projects",
    "cases",
    "volunteers",
    "people",
    "notifications",
    "menu",
    "public",
    "dashboards",
    "scale",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    # Case staff and administrators pass the second step before anything else (accounts.two_factor).
    "accounts.two_factor.RequireTwoFactorsMiddleware",
    # Every tracked change a request makes carries who made it and where (django-pghistory).
    "pghistory.middleware.HistoryMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # A public form asked too often answers 429 (public.views.too_many_requests).
    "django_ratelimit.middleware.RatelimitMiddleware",
    # Last, as django-axes asks, so that it sees the outcome of authentication.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "notifications.context_processors.unread_notifications",
                "accounts.context_processors.workplaces",
            ],
        },
    },
]

DATABASES = {"default": database_config()}
# A streaming replica for the dashboards' and exports' reads (core.db_router), when one exists.
if REPLICA_URL := env_str("DATABASE_REPLICA_URL", ""):
    DATABASES["replica"] = database_config(REPLICA_URL)
DATABASE_ROUTERS = ["core.db_router.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "federation.backends.RoleBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Sessions end after 30 idle minutes: every request pushes the expiry forward.
SESSION_COOKIE_AGE = int(env_str("SESSION_IDLE_SECONDS", "1800"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True

# Login throttling per username and address, with a cool-off (django-axes).
AXES_FAILURE_LIMIT = int(env_str("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env_str("AXES_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout_response"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Uploaded files are private: no MEDIA_URL serves them, views check scope first.
MEDIA_ROOT = env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media"))

REDIS_URL = env_str("REDIS_URL", "redis://127.0.0.1:6379/0")
CELERY_BROKER_URL = REDIS_URL
# One cache for every process: the public forms' rate limits count across web workers.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": env_str("CACHE_URL", REDIS_URL),
        "KEY_PREFIX": "womenfed",
    }
}
RATELIMIT_VIEW = "public.views.too_many_requests"
# django-ratelimit 4.1 predates Django's own Redis cache, whose increments are atomic as its
# check asks (INCR); it only knows django-redis by name.
SILENCED_SYSTEM_CHECKS = ["django_ratelimit.W001"]
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BEAT_SCHEDULE = {
    "remind-project-reports": {
        "task": "projects.tasks.remind_project_reports",
        "schedule": crontab(hour=8, minute=0),
    },
    "remind-service-orders": {
        "task": "menu.tasks.remind_orders",
        "schedule": crontab(hour=8, minute=5),
    },
    "remind-volunteers": {
        "task": "volunteers.tasks.remind_signups",
        "schedule": crontab(hour=9, minute=0),
    },
    "remind-sponsorship-visits": {
        "task": "people.tasks.remind_visits",
        "schedule": crontab(hour=9, minute=10),
    },
    # Crisis cases are due within hours, day and night: the watchdog runs every five minutes.
    "case-watchdog": {
        "task": "cases.tasks.case_watchdog",
        "schedule": crontab(minute="*/5"),
    },
}

# Personal data (DESIGN.md §5: cases, volunteers), with keys of their own, never SECRET_KEY.
# PERSONAL_DATA_KEYS: Fernet keys, comma-separated, newest first; values written under an
# older key stay readable until `manage.py reencrypt_personal_data` rewrites them under the newest.
DEV_PERSONAL_DATA_KEY = "enxhpqigPVvxb_mAlsySXR10Yovly76wOaydwN8E7vM="  # development only
PERSONAL_DATA_KEYS = env_list("PERSONAL_DATA_KEYS", DEV_PERSONAL_DATA_KEY)
DEV_PERSONAL_DATA_HASH_KEY = "dev-only-personal-data-hash-key"  # development only
PERSONAL_DATA_HASH_KEY = env_str("PERSONAL_DATA_HASH_KEY", DEV_PERSONAL_DATA_HASH_KEY)
# Follow-up visits after a case is resolved, in days; cases closed this long ago are anonymised.
CASE_FOLLOW_UP_DAYS = [int(days) for days in env_list("CASE_FOLLOW_UP_DAYS", "7,30,90")]
CASE_RETENTION_DAYS = int(env_str("CASE_RETENTION_DAYS", str(5 * 365)))

# A real mail server unless told otherwise: only local development prints mail (and with it
# password-reset links) to the console. Production reads the server from the environment.
EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "noreply@womenfed.example.cn")

# Text messages (notifications.sms): the console keeps them in development and tests; production
# sends through Tencent Cloud SMS (config/settings/production.py refuses the console).
SMS_BACKEND = env_str("SMS_BACKEND", "notifications.sms.ConsoleSender")
SMS_TENCENT = {
    "secret_id": env_str("SMS_TENCENT_SECRET_ID", ""),
    "secret_key": env_str("SMS_TENCENT_SECRET_KEY", ""),
    "app_id": env_str("SMS_TENCENT_APP_ID", ""),
    "sign_name": env_str("SMS_SIGN_NAME", ""),
    "region": env_str("SMS_TENCENT_REGION", "ap-guangzhou"),
    "templates": {
        "login_code": env_str("SMS_TEMPLATE_LOGIN_CODE", ""),
        "notice": env_str("SMS_TEMPLATE_NOTICE", ""),
    },
}

# The Chinese font embedded in PDFs (volunteers' hours certificates): Noto Sans CJK SC from
# Debian's fonts-noto-cjk (a collection: the index picks Simplified Chinese).
PDF_CJK_FONT = env_str("PDF_CJK_FONT", "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
PDF_CJK_FONT_INDEX = int(env_str("PDF_CJK_FONT_INDEX", "2"))

# Where 求助's quick exit (清除并离开) takes a woman: an everyday page of another site.
QUICK_EXIT_URL = env_str("QUICK_EXIT_URL", "https://www.baidu.com/s?wd=%E5%A4%A9%E6%B0%94")

# Exports: every import-export resource derives from core.spreadsheets.FormulaSafeResource,
# which writes text starting with =, +, - or @ as text. django-import-export's own escaping stays
# off: it only strips a leading "=", and it turns every cell into text (a number into "12", an
# empty date into "None", which the import then refuses).
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "knox.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "core.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "core.schema.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "EXCEPTION_HANDLER": "core.api.exception_handler",
    # The public's API, per address (DRF's throttles over the shared cache).
    "DEFAULT_THROTTLE_RATES": {"public-sign-in": "10/hour", "public-write": "20/hour"},
}

REST_KNOX = {
    "TOKEN_TTL": timedelta(hours=int(env_str("API_TOKEN_TTL_HOURS", "10"))),
    "AUTO_REFRESH": False,
    "TOKEN_LIMIT_PER_USER": 20,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "妇联项目平台 API / Women's Federation Platform API",
    "DESCRIPTION": "REST API of the women's federation platform (v1).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # The schema and its pages are for signed-in users only.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that share a field name across apps get names of their own.
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "cases.choices.CaseStatus",
        "CaseChannelEnum": "cases.choices.Channel",
        "PartyRoleEnum": "cases.choices.PartyRole",
        "ReferralStatusEnum": "cases.choices.ReferralStatus",
        "OrderChannelEnum": "menu.choices.OrderChannel",
        "OrderStatusEnum": "menu.choices.OrderStatus",
        "SignUpStatusEnum": "volunteers.choices.SignUpStatus",
        "TeamStatusEnum": "volunteers.choices.TeamStatus",
        "OpportunityStatusEnum": "volunteers.choices.OpportunityStatus",
        "TeamKindEnum": "volunteers.choices.TeamKind",
    },
}

# Content-Security-Policy (django-csp 4): nothing from outside this site.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        # The Django admin still writes a few inline style attributes.
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'", "data:"],
        "worker-src": ["'self'", "blob:"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    },
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"pgserver": {"level": "WARNING"}},
}

# Two factors (TOTP) for case staff and administrators (accounts.two_factor). Only the test
# suite turns the requirement off; its two-factor tests turn it on again.
TWO_FACTOR_REQUIRED = env_bool("TWO_FACTOR_REQUIRED", True)
OTP_TOTP_ISSUER = "妇联项目服务平台"
