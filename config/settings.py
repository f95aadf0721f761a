"""Parvis settings: one file, every value read from the environment.

`.env.example` lists each variable. The embedded default (no variable set) is a local
demo on SQLite; `PARVIS_ENV=production` turns on the production safety checks.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("PARVIS_VAR_DIR", BASE_DIR / "var"))

DEVELOPMENT_SECRET_KEY = "parvis-development-key-not-for-production"  # noqa: S105


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item]


PARVIS_ENV = os.environ.get("PARVIS_ENV", "development")
PRODUCTION = PARVIS_ENV == "production"
DEBUG = env_bool("DEBUG", not PRODUCTION)
SECRET_KEY = os.environ.get("SECRET_KEY", DEVELOPMENT_SECRET_KEY)
# Former keys, still accepted for sessions and links signed before a rotation.
SECRET_KEY_FALLBACKS = env_list("SECRET_KEY_FALLBACKS", "")

if PRODUCTION and DEBUG:
    raise ImproperlyConfigured(
        "PARVIS_ENV=production refuses DEBUG=true: set DEBUG=false."
    )
if PRODUCTION and (SECRET_KEY == DEVELOPMENT_SECRET_KEY or len(SECRET_KEY) < 40):
    raise ImproperlyConfigured(
        "PARVIS_ENV=production needs SECRET_KEY: a random value of 40+ characters "
        '(python -c "import secrets; print(secrets.token_urlsafe(50))").'
    )

# Keys that encrypt network tokens at rest (Fernet, comma-separated, newest first: the
# first encrypts, all decrypt; see docs/operations.md for rotation). Development derives
# one from SECRET_KEY; production refuses to start without them.
ENCRYPTION_KEYS = env_list("ENCRYPTION_KEYS", "")
if PRODUCTION and not ENCRYPTION_KEYS:
    raise ImproperlyConfigured(
        'PARVIS_ENV=production needs ENCRYPTION_KEYS (python -c "from '
        'cryptography.fernet import Fernet; print(Fernet.generate_key().decode())").'
    )

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "" if PRODUCTION else "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "parvis.web",
    "parvis.system",
    "parvis.territory",
    "parvis.accounts",
    "parvis.channels",
    "parvis.studio",
    "parvis.planning",
    "parvis.publishing",
    "parvis.sources",
    "parvis.inbox",
    "parvis.participation",
    "parvis.insights",
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
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "parvis.web.context_processors.shell",
                "parvis.planning.context_processors.crisis",
            ],
        },
    },
]

# Database: SQLite (WAL) by default, any DATABASE_URL otherwise (PostgreSQL in production).
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(VAR_DIR / "parvis.sqlite3"),
            "OPTIONS": {
                # WAL lets the web server read while the worker writes; IMMEDIATE
                # transactions avoid "database is locked" upgrades under contention.
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                    "PRAGMA busy_timeout=10000;"
                ),
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
            # A file, not memory, for tests too: several connections (worker, threads)
            # then share it the way they do in production. One file per test run.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "parvis",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": [],
    }
}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"
    },
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:login"
PASSWORD_RESET_TIMEOUT = 60 * 60 * 24
INVITATION_VALID_DAYS = int(os.environ.get("INVITATION_VALID_DAYS", "14"))

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
LOCALE_PATHS = [BASE_DIR / "parvis" / "locale"]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Files kept for the worker and never served (an observatory's file before it is read).
PRIVATE_FILES_ROOT = Path(os.environ.get("PRIVATE_FILES_ROOT", VAR_DIR / "private"))
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
WHITENOISE_USE_FINDERS = not PRODUCTION
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

# Outgoing e-mail (invitations, password resets, notifications). Console by default.
MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
        ),
        "OPTIONS": (
            {
                "host": os.environ.get("EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS", False),
            }
            if os.environ.get("EMAIL_BACKEND", "").endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Parvis <parvis@localhost>")

SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https")
    if env_bool("BEHIND_HTTPS_PROXY", False)
    else None
)

# Addresses typed by users (Mastodon instances, Bluesky servers, later website feeds)
# may not point at private, loopback or link-local networks, unless this is set (tests,
# local demo with a local peer).
ALLOW_PRIVATE_NETWORK_URLS = env_bool("ALLOW_PRIVATE_NETWORK_URLS", False)

# Public intake (report form, Open311 POST): accepted submissions per window of
# `window_seconds`, per client (form: one IP address; Open311: one API key) and per
# authority in all. Counted in CACHES["default"] (Redis in production).
PUBLIC_INTAKE_RATE_LIMIT = {
    "form_per_client": 5,
    "open311_per_client": 60,
    "per_authority": 300,
    "window_seconds": 600,
}

# Participation: a stronger identity check before voting, as a dotted path to a
# callable taking a participant and returning whether they may vote (a FranceConnect
# integration, a residents' list...). Empty: the signed cookie, and a verified e-mail
# where a consultation asks for it.
PARTICIPATION_IDENTITY_CHECK = os.environ.get("PARTICIPATION_IDENTITY_CHECK", "")

# Applications registered by the installation with the networks that need one
# (OAuth 2). Empty: connecting accounts of that network is not offered.
X_CLIENT_ID = os.environ.get("X_CLIENT_ID", "")
X_CLIENT_SECRET = os.environ.get("X_CLIENT_SECRET", "")
LINKEDIN_CLIENT_ID = os.environ.get("LINKEDIN_CLIENT_ID", "")
LINKEDIN_CLIENT_SECRET = os.environ.get("LINKEDIN_CLIENT_SECRET", "")
META_APP_ID = os.environ.get("META_APP_ID", "")
META_APP_SECRET = os.environ.get("META_APP_SECRET", "")
META_LOGIN_CONFIG_ID = os.environ.get("META_LOGIN_CONFIG_ID", "")
# The verify token typed in the App Dashboard for Meta's webhooks (Facebook Page
# `feed`, Instagram `comments`); empty: the webhook endpoint answers 403 to Meta's
# subscription check. Notifications are verified with META_APP_SECRET.
META_WEBHOOK_VERIFY_TOKEN = os.environ.get("META_WEBHOOK_VERIFY_TOKEN", "")

# Inbox: how often every connected account is read for new comments, mentions and
# messages, and for how many days after publication the comments of a post are read.
INBOX_POLL_SECONDS = int(os.environ.get("INBOX_POLL_SECONDS", "300"))
INBOX_COMMENTS_DAYS = int(os.environ.get("INBOX_COMMENTS_DAYS", "14"))

# Optional rewriting of studio variants by a language model, through an OpenAI-compatible
# chat completions endpoint (a self-hosted model or a provider). Empty URL: off. The key
# goes in the Authorization header only; it is never logged.
LLM_API_URL = os.environ.get("LLM_API_URL", "").strip().rstrip("/")
LLM_MODEL = os.environ.get("LLM_MODEL", "")
LLM_API_KEY = os.environ.get("LLM_API_KEY", "")
LLM_TIMEOUT_SECONDS = float(os.environ.get("LLM_TIMEOUT_SECONDS", "30"))

# Background work: how often the scheduler looks for due periodic work, and how old a
# heartbeat may be before /healthz calls the worker or the scheduler dead.
SCHEDULER_TICK_SECONDS = int(os.environ.get("SCHEDULER_TICK_SECONDS", "15"))
HEARTBEAT_MAX_AGE_SECONDS = int(os.environ.get("HEARTBEAT_MAX_AGE_SECONDS", "180"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # One handler for Django's own loggers (its default adds a second console one).
        "django": {
            "handlers": ["console"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
        # httpx logs full URLs at INFO, and some networks (Meta's Graph API) put tokens
        # in the query string.
        "httpx": {"level": "WARNING"},
        "django.db.backends": {"level": "WARNING"},
        # WeasyPrint narrates every step of every PDF at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
    },
}
