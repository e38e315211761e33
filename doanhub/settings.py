"""DoanHub settings: one module, every knob from an environment variable with a local default.

Local default (``make run``): SQLite and Celery over kombu's filesystem transport, no server needed.
Production: set DJANGO_DEBUG=0, DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL (PostgreSQL)
and CELERY_BROKER_URL (Redis).
"""

import os
from datetime import timedelta
from email.utils import getaddresses
from pathlib import Path

import dj_database_url

from doanhub import email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DOANHUB_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    return os.environ.get(name, str(int(default))).lower() in ("1", "true", "yes", "on")


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "dev-only-insecure-key-change-me" if DEBUG else "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "crispy_forms",
    "crispy_bootstrap5",
    "import_export",
    "treebeard",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "organizations",
    "members",
    "evaluations",
    "evaluations.recognition",
    "fieldwork",
    "reports",
    "reports.returns",
    "accounts",
    "notifications",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI and Redoc as static files (no CDN)
    "api",
]

MIDDLEWARE = [
    "doanhub.request_log.RequestLogMiddleware",  # first, so its duration and status cover every layer
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "doanhub.middleware.VietnameseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "accounts.middleware.SecondFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks: it turns a lockout into the page
]

ROOT_URLCONF = "doanhub.urls"
WSGI_APPLICATION = "doanhub.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "organizations.context_processors.scope",
                "doanhub.context_processors.nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,  # a connection dropped by the server is replaced, not reused
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the worker read while the site writes; the timeout rides out short write locks.
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Login throttling (django-axes) on the login page, which the admin's login also uses: after
# DOANHUB_LOGIN_FAILURE_LIMIT wrong passwords for one account from one address, that pair is
# locked for DOANHUB_LOGIN_COOLOFF_MINUTES. The pair, not the account alone (anyone could lock
# the province's approver out) nor the address alone (a whole office shares one intranet address).
AUTHENTICATION_BACKENDS = [
    "accounts.backends.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("DOANHUB_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DOANHUB_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.lockout.lockout_response"
AXES_CLIENT_IP_CALLABLE = "accounts.lockout.client_ip"
# Proxies in front of the site that append to X-Forwarded-For (1 behind the compose kit's Caddy):
# without it every person would share the proxy's address.
DOANHUB_TRUSTED_PROXIES = int(os.environ.get("DOANHUB_TRUSTED_PROXIES", "0"))
AXES_VERBOSE = False

# Second factor (django-otp TOTP) for approver and administrator posts: optional, or required for
# the roles listed here ("approver,admin"); a required user without a device is sent to set one up.
DOANHUB_REQUIRE_2FA_ROLES = env_list("DOANHUB_REQUIRE_2FA_ROLES", "")
OTP_TOTP_ISSUER = "DoanHub"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["doanhub.formats"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", VAR_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # WhiteNoise warns on every request otherwise
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", VAR_DIR / "media"))
# Uploads, report workbooks and attachments go through Django's storage API (never raw paths), so
# workers on other machines share them: local disk under MEDIA_ROOT by default; DOANHUB_STORAGE=s3
# puts them in an S3-compatible bucket (django-storages). Objects stay private: every download is
# streamed through a scoped view, never a link to the store.
DOANHUB_STORAGE = os.environ.get("DOANHUB_STORAGE", "local")
_S3_OPTIONS = {
    "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
    "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
    "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
    "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
    "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
    "default_acl": None,  # the bucket's own (private) policy; never public-read
    "querystring_auth": True,
    "file_overwrite": False,
    "max_memory_size": 8 * 1024 * 1024,  # a file read from the store spools to disk past 8 MB
}
STORAGES = {
    "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": _S3_OPTIONS}
    if DOANHUB_STORAGE == "s3"
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Celery: the job rows are the result store, so no result backend is configured.
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),  # kombu's default is ./control, in the checkout
        "store_processed": False,
    }
    for _sub in ("queue", "processed", "control"):
        (_broker_dir / _sub).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
# A task whose pool process is killed (OOM, SIGKILL) is acked, not requeued (Celery's default:
# requeueing would loop forever on a file that always kills the worker). Its job row stays
# running until its heartbeat stops; then the person who asked for it may run it again.
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TIMEZONE = TIME_ZONE
# A running step beats on its job row every few seconds (organizations.progress.Heartbeat); no
# beat for DOANHUB_JOB_DEAD_SECONDS means its worker is dead: the page says so and offers a re-run.
DOANHUB_JOB_HEARTBEAT_SECONDS = float(os.environ.get("DOANHUB_JOB_HEARTBEAT_SECONDS", "5"))
DOANHUB_JOB_DEAD_SECONDS = int(os.environ.get("DOANHUB_JOB_DEAD_SECONDS", "60"))
# Bounds on one import file (members.xlsxlimits), so no upload can exhaust a worker's memory.
DOANHUB_IMPORT_MAX_BYTES = int(os.environ.get("DOANHUB_IMPORT_MAX_BYTES", str(20 * 1024 * 1024)))
DOANHUB_IMPORT_MAX_UNPACKED_BYTES = int(os.environ.get("DOANHUB_IMPORT_MAX_UNPACKED_BYTES", str(500 * 1024 * 1024)))
DOANHUB_IMPORT_MAX_ROWS = int(os.environ.get("DOANHUB_IMPORT_MAX_ROWS", "200000"))

# Production hardening, on whenever DEBUG is off (python manage.py check --deploy is clean).
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
    # A load balancer probes over plain HTTP, behind or beside the TLS proxy: never redirected.
    SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
    SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True
    X_FRAME_OPTIONS = "DENY"

# Errors and notifications go by mail (ADMINS: "Name <a@b>,Other <c@d>") through the server of
# DJANGO_EMAIL_URL (smtp://user:pass@host:587?tls=1) or of the usual EMAIL_* variables
# (doanhub.email_url); with neither, mail is written to stdout (the console backend), so nothing
# is lost silently.
ADMINS = [(name or addr, addr) for name, addr in getaddresses(env_list("DJANGO_ADMINS", "")) if addr]
(
    EMAIL_BACKEND,
    EMAIL_HOST,
    EMAIL_PORT,
    EMAIL_HOST_USER,
    EMAIL_HOST_PASSWORD,
    EMAIL_USE_TLS,
    EMAIL_USE_SSL,
    EMAIL_TIMEOUT,
) = email_url.from_env(os.environ)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "DoanHub <no-reply@localhost>")
SERVER_EMAIL = os.environ.get("SERVER_EMAIL", DEFAULT_FROM_EMAIL)

# Notifications (notifications/): links in emails are DOANHUB_SITE_URL + the page's path; channels
# beyond the in-app inbox by dotted path (a Zalo OA or SMS channel is one more entry); deadline
# sources the daily reminders read; the schedule when a period has no ReminderPolicy row.
DOANHUB_SITE_URL = os.environ.get("DOANHUB_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
DOANHUB_NOTIFICATION_CHANNELS = env_list("DOANHUB_NOTIFICATION_CHANNELS", "notifications.channels.EmailChannel")
DOANHUB_REMINDER_SOURCES = [
    "evaluations.reminders.rating_obligations",
    "evaluations.recognition.reminders.recognition_obligations",
    "fieldwork.reminders.plan_obligations",
    "fieldwork.reminders.report_obligations",
]
DOANHUB_REMINDER_DAYS_BEFORE = [int(d) for d in env_list("DOANHUB_REMINDER_DAYS_BEFORE", "7,3,1")]
DOANHUB_REMINDER_OVERDUE_EVERY = int(os.environ.get("DOANHUB_REMINDER_OVERDUE_EVERY", "7"))
DOANHUB_ESCALATE_AFTER_DAYS = int(os.environ.get("DOANHUB_ESCALATE_AFTER_DAYS", "3"))

# One JSON line per event on stdout (doanhub.log_format): a line per request (doanhub.request_log)
# and per Celery task (doanhub.task_log) at INFO, everything else from DJANGO_LOG_LEVEL up.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "WARNING")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "formatters": {"json": {"()": "doanhub.log_format.JsonFormatter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": "json"},
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "loggers": {
        "django": {"handlers": ["console", "mail_admins"], "level": LOG_LEVEL, "propagate": False},
        "django.server": {"level": "WARNING"},  # runserver's own access lines: the request log says it
        "doanhub.requests": {"level": "INFO"},
        "doanhub.tasks": {"level": "INFO"},
    },
    "root": {"handlers": ["console", "mail_admins"], "level": LOG_LEVEL},
}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False  # the worker logs through LOGGING above, as the site does

# Errors and slow transactions to Sentry, only when a DSN is given (no import otherwise).
SENTRY_DSN = os.environ.get("SENTRY_DSN", "")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        environment=os.environ.get("SENTRY_ENVIRONMENT", "production"),
        traces_sample_rate=float(os.environ.get("SENTRY_TRACES_SAMPLE_RATE", "0")),
        send_default_pii=False,  # member records are personal data
    )

# /api/v1/ (api/, issue 17): a personal token (Authorization: Bearer …) or the browser's session;
# anonymous requests answer 401. One rate per token (per user for a session).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.PerTokenThrottle"],
    "DEFAULT_THROTTLE_RATES": {"token": os.environ.get("DOANHUB_API_RATE", "600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "EXCEPTION_HANDLER": "api.errors.vietnamese_errors",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "DoanHub API",
    "DESCRIPTION": "API chỉ đọc của DoanHub: đơn vị, đoàn viên, xếp loại, tổng hợp, “3 chủ động”, “1+2” và báo cáo. "
    "Mọi dữ liệu giới hạn trong phạm vi chức vụ của người dùng; ngoài phạm vi trả về 404.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
}
API_TOKEN_MAX_DAYS = int(os.environ.get("DOANHUB_API_TOKEN_MAX_DAYS", "365"))
