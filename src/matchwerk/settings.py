"""Matchwerk settings, read from ``MATCHWERK_*`` environment variables.

Safe development defaults: embedded SQLite under ``var/``, debug off unless asked,
a secret key generated once and kept in ``var/secret_key``. Production mode
(``MATCHWERK_PRODUCTION=1``) requires a secret key and turns on HTTPS-only cookies,
HSTS and the SSL redirect.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent


def env(name: str, default: str = "") -> str:
    """A ``MATCHWERK_*`` variable; unset and empty both mean the default."""
    return os.environ.get(f"MATCHWERK_{name}") or default


def env_bool(name: str, default: bool = False) -> bool:
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


PRODUCTION = env_bool("PRODUCTION")
DEBUG = env_bool("DEBUG", False)
DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "var")))


def _secret_key() -> str:
    key = env("SECRET_KEY")
    if key:
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("MATCHWERK_SECRET_KEY must be set in production mode.")
    path = DATA_DIR / "secret_key"
    if not path.exists():
        DATA_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "localhost,127.0.0.1,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "matchwerk.core",
    "matchwerk.accounts",
    "matchwerk.privacy",
    "matchwerk.profiles",
    "matchwerk.programmes",
    "matchwerk.matching",
    "matchwerk.events",
    "matchwerk.meetings",
    "matchwerk.rounds",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "matchwerk.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "matchwerk.core.middleware.PermissionsPolicyMiddleware",
]

ROOT_URLCONF = "matchwerk.urls"
WSGI_APPLICATION = "matchwerk.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "matchwerk.core.context_processors.navigation",
            ],
        },
    },
    {
        # Plain-text mails: the same templates, no HTML escaping ("E-Commerce & Vertrieb").
        "NAME": "text",
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {"autoescape": False},
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'matchwerk.sqlite3'}"),
        conn_max_age=int(env("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default must survive a busy event day: write-ahead logging lets
    # readers go on while one connection writes; IMMEDIATE transactions take the write
    # lock at BEGIN, so two transactions never deadlock while upgrading a read lock
    # (SQLite answers that with "database is locked" at once, without waiting); the
    # busy timeout makes a writer wait for the lock instead of failing.
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"].setdefault("OPTIONS", {}).update({
        "timeout": int(env("SQLITE_BUSY_TIMEOUT", "30")),
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL",
    })
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:dashboard"
LOGOUT_REDIRECT_URL = "core:home"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login throttling: this many failures per e-mail address or client address
# within the window lock further attempts until the window has passed.
LOGIN_FAILURE_LIMIT = int(env("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_FAILURE_WINDOW = int(env("LOGIN_FAILURE_WINDOW", "900"))
# E-mail confirmation links stay valid for three days.
EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "matchwerk_cache",
    }
}

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("Englisch"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Front-end libraries from the npm registry (package.json + package-lock.json, installed
# into node_modules/ by `make venv`), served as our own static files, never from a CDN.
NODE_MODULES = Path(env("NODE_MODULES", str(BASE_DIR / "node_modules")))
HTMX_DIST = NODE_MODULES / "htmx.org" / "dist"
if HTMX_DIST.is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", HTMX_DIST))
# Pages work without JavaScript; htmx is only referenced when it is installed.
HTMX_SCRIPT = "vendor/htmx/htmx.min.js" if HTMX_DIST.is_dir() else ""
# jsQR decodes QR codes from camera frames on the staff check-in page (events).
JSQR_DIST = NODE_MODULES / "jsqr" / "dist"
if JSQR_DIST.is_dir():
    STATICFILES_DIRS.append(("vendor/jsqr", JSQR_DIST))
JSQR_SCRIPT = "vendor/jsqr/jsQR.js" if JSQR_DIST.is_dir() else ""
STATIC_ROOT = Path(env("STATIC_ROOT", str(DATA_DIR / "static")))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_AUTOREFRESH = DEBUG
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Organisation logos: at most this many bytes.
LOGO_MAX_BYTES = 2 * 1024 * 1024
# Receipts of a grant's proof of use (PDF, PNG, JPEG): at most this many bytes each.
RECEIPT_MAX_BYTES = 5 * 1024 * 1024
# Where they are kept: private, outside MEDIA_ROOT, read only through a permission-checked view.
RECEIPTS_ROOT = Path(env("RECEIPTS_ROOT", str(DATA_DIR / "private" / "receipts")))
# Files shared in a peer-learning session: private as well, at most this many bytes each.
PEER_MATERIAL_ROOT = Path(env("PEER_MATERIAL_ROOT", str(DATA_DIR / "private" / "peer-material")))
PEER_MATERIAL_MAX_BYTES = 10 * 1024 * 1024
# Photos on an event's live wall: private (served only through permission-checked views),
# at most this many bytes as uploaded; stored re-encoded without metadata.
WALL_PHOTOS_ROOT = Path(env("WALL_PHOTOS_ROOT", str(DATA_DIR / "private" / "wall-photos")))
WALL_PHOTO_MAX_BYTES = 10 * 1024 * 1024

# E-mail: console unless an SMTP host is configured.
DEFAULT_FROM_EMAIL = env("EMAIL_FROM", "Matchwerk <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if env("EMAIL_HOST"):
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = env("EMAIL_HOST")
    EMAIL_PORT = int(env("EMAIL_PORT", "587"))
    EMAIL_HOST_USER = env("EMAIL_USER")
    EMAIL_HOST_PASSWORD = env("EMAIL_PASSWORD")
    EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", True)
    EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
else:
    EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")

# Background tasks (django-tasks). The database backend needs no extra server:
# `matchwerk worker` runs beside the web process (`make run` starts it) and keeps one
# worker process per queue alive: "mail" (mails never wait behind matching) and
# "default" (recomputes, imports). A task whose worker died is marked failed and
# retried with back-off (matchwerk.core.taskqueue; docs/operations.md).
# MATCHWERK_TASKS=immediate runs tasks in the request (tests, tiny set-ups).
TASK_QUEUES = ["mail", "default"]
TASKS = {
    "default": {
        "BACKEND": (
            "django_tasks.backends.immediate.ImmediateBackend"
            if env("TASKS", "database") == "immediate"
            else "django_tasks_db.backend.DatabaseBackend"
        ),
        "QUEUES": TASK_QUEUES,
    }
}
# A worker writes a heartbeat every TASK_HEARTBEAT_SECONDS; a running task whose worker
# has been silent for TASK_WORKER_TIMEOUT seconds, or that has run longer than
# TASK_MAX_RUNTIME seconds, is marked failed. Failed tasks are enqueued again up to
# TASK_MAX_ATTEMPTS attempts in all, after TASK_RETRY_DELAY * 4 ** (attempt - 1) seconds.
TASK_HEARTBEAT_SECONDS = int(env("TASK_HEARTBEAT_SECONDS", "10"))
TASK_WORKER_TIMEOUT = int(env("TASK_WORKER_TIMEOUT", "120"))
TASK_MAX_RUNTIME = int(env("TASK_MAX_RUNTIME", str(6 * 3600)))
TASK_MAX_ATTEMPTS = int(env("TASK_MAX_ATTEMPTS", "3"))
TASK_RETRY_DELAY = int(env("TASK_RETRY_DELAY", "30"))
# Periodic jobs, queued by the task workers themselves at their heartbeat, once per period
# however many workers run (matchwerk.core.periodic): no cron needed. "every" in seconds.
# MATCHWERK_PERIODIC_TASKS=off leaves them to cron (the management commands still exist).
PERIODIC_TASKS_ENABLED = env_bool("PERIODIC_TASKS", True)
PERIODIC_TASKS = {
    # follow-up check-ins 3/6/12 months after completion, their reminders, milestone reminders
    "followups": {"task": "matchwerk.matching.tasks.send_due_followups",
                  "every": int(env("FOLLOWUPS_EVERY_SECONDS", "3600"))},
    # erase or anonymise participants' data of programmes whose retention period has ended
    "programme_retention": {"task": "matchwerk.programmes.retention.tasks.retention_sweep_task",
                            "every": int(env("RETENTION_EVERY_SECONDS", "86400"))},
    # webhook deliveries whose queued retry is more than 10 minutes overdue are queued again
    "webhooks_retry": {"task": "matchwerk.api.tasks.retry_lost_webhook_deliveries",
                       "every": int(env("WEBHOOKS_RETRY_EVERY_SECONDS", "900"))},
}

# Content-Security-Policy (django-csp): scripts, styles, fonts and images only from our
# own origin (static files and uploaded logos); no inline scripts, inline event handlers
# or style attributes (tests/core/test_security_headers.py checks the templates).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
# Permissions-Policy (core/middleware.py): no powerful feature anywhere; a view that
# needs one says so with @permissions_policy(camera=["self"]) (e.g. a check-in scanner).
PERMISSIONS_POLICY = {
    "camera": [], "microphone": [], "geolocation": [], "payment": [], "usb": [],
    "display-capture": [],
}

# REST API under /api/v1/ (docs/api.md): personal tokens or the session, JSON only,
# pages of 50, rate limits per token and per signed-in account (429 beyond).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "matchwerk.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["matchwerk.api.permissions.SignedInAndTokenScope"],
    "DEFAULT_THROTTLE_CLASSES": [
        "matchwerk.api.throttling.TokenRateThrottle",
        "matchwerk.api.throttling.SessionRateThrottle",
    ],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "matchwerk.api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "matchwerk.api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "matchwerk.api.errors.exception_handler",
}
API_TOKEN_RATE = env("API_TOKEN_RATE", "1200/min")
API_SESSION_RATE = env("API_SESSION_RATE", "600/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Matchwerk API",
    "DESCRIPTION": "Organisations, matching, programmes and events of a Matchwerk network (docs/api.md).",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "OrganisationKindEnum": "matchwerk.profiles.enums.OrganisationKind",
        "RegionKindEnum": "matchwerk.profiles.enums.RegionKind",
        "SessionKindEnum": "matchwerk.events.enums.SessionKind",
        "RoundPlanKindEnum": "matchwerk.rounds.enums.PlanKind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "matchwerk.api.schema.closed_request_bodies",
    ],
}
# Webhooks (matchwerk.api.webhooks): a delivery is tried WEBHOOK_MAX_ATTEMPTS times, the
# waits between attempts WEBHOOK_RETRY_DELAY seconds, then four times as long each time.
# Addresses in private networks are refused unless WEBHOOK_ALLOW_PRIVATE (api/urlcheck.py).
WEBHOOK_TIMEOUT = int(env("WEBHOOK_TIMEOUT", "10"))
WEBHOOK_MAX_ATTEMPTS = int(env("WEBHOOK_MAX_ATTEMPTS", "5"))
WEBHOOK_RETRY_DELAY = int(env("WEBHOOK_RETRY_DELAY", "30"))
WEBHOOK_ALLOW_PRIVATE = env_bool("WEBHOOK_ALLOW_PRIVATE", False)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Strict"
CSRF_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 14 * 24 * 3600
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", str(365 * 24 * 3600)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("HSTS_PRELOAD", True)
    if env_bool("BEHIND_PROXY"):
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
    "loggers": {
        "matchwerk.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
