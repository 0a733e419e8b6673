"""Settings for govcredit, read from the environment (DESIGN §5).

Defaults serve the embedded demo: SQLite under ``GOVCREDIT_DATA_DIR`` (``./var``).
Secret keys come from the environment; when unset, ``govcredit setup`` generates them
into ``$GOVCREDIT_DATA_DIR/keys.env`` (mode 0600) and every later command reuses them.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    if value.lower() in {"1", "true", "yes", "on"}:
        return True
    if value.lower() in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be a boolean (1/0, true/false), got {value!r}")


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return int(value)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name} must be an integer, got {value!r}") from exc


DATA_DIR = Path(os.environ.get("GOVCREDIT_DATA_DIR") or Path.cwd() / "var").resolve()
KEYS_FILE = DATA_DIR / "keys.env"


def _generated_keys() -> dict[str, str]:
    keys: dict[str, str] = {}
    if KEYS_FILE.exists():
        for line in KEYS_FILE.read_text(encoding="utf-8").splitlines():
            if "=" in line and not line.startswith("#"):
                name, _, value = line.partition("=")
                keys[name.strip()] = value.strip()
    return keys


_file_keys = _generated_keys()
# Which keys came from the generated file rather than the environment; `serve` warns about them.
GENERATED_KEYS = sorted(
    name
    for name in ("GOVCREDIT_SECRET_KEY", "GOVCREDIT_PII_KEY")
    if not os.environ.get(name) and name in _file_keys
)

DEBUG = env_bool("GOVCREDIT_DEBUG", False)
SECRET_KEY = os.environ.get("GOVCREDIT_SECRET_KEY") or _file_keys.get("GOVCREDIT_SECRET_KEY") or ""
GOVCREDIT_PII_KEY = os.environ.get("GOVCREDIT_PII_KEY") or _file_keys.get("GOVCREDIT_PII_KEY") or ""
# Commands that create the keys (setup, demo) or need none run with a throwaway key until then;
# cli.py refuses to start anything else without real keys.
KEYS_MISSING = not SECRET_KEY or not GOVCREDIT_PII_KEY
if not SECRET_KEY:
    SECRET_KEY = "unset-" + "x" * 50
if not GOVCREDIT_PII_KEY:
    GOVCREDIT_PII_KEY = "0" * 32

ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("GOVCREDIT_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
    if h.strip()
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("GOVCREDIT_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.admin",
    "django_tasks",
    "django_tasks_db",
    # Django Ninja as an app: /api/v1/docs then serves Swagger UI from the static files Ninja ships
    # (ninja/static/ninja/), not from a CDN — the docs work on an intranet without internet access.
    "ninja",
    "govcredit.core",
    "govcredit.accounts",
    "govcredit.office",
    "govcredit.subjects",
    "govcredit.catalog",
    "govcredit.records",
    "govcredit.intake",
    "govcredit.sanctions",
    "govcredit.disputes",
    "govcredit.exchange",
    "govcredit.portal",
    "govcredit.api",
    "govcredit.duties",
    "govcredit.contracts",
    "govcredit.ppp",
    "govcredit.bidding",
    "govcredit.debt",
    "govcredit.commitments",
    "govcredit.keytasks",
    "govcredit.decisions",
    "govcredit.openinfo",
    "govcredit.efficiency",
    "govcredit.personnel",
    "govcredit.supervision",
    "govcredit.evaluation",
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
    "govcredit.accounts.middleware.OfficeSessionMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "govcredit.core.middleware.ApiErrorMiddleware",
    "govcredit.portal.cache.PublicApiCacheMiddleware",
]

ROOT_URLCONF = "govcredit.urls"
WSGI_APPLICATION = "govcredit.wsgi.application"

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
                "govcredit.core.context_processors.govcredit",
                "govcredit.office.context_processors.office",
            ],
            "builtins": ["govcredit.core.templatetags.numbers", "govcredit.core.templatetags.dates"],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'govcredit.sqlite3'}",
        conn_max_age=env_int("GOVCREDIT_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator",
        "OPTIONS": {"user_attributes": ("username", "display_name", "email")},
    },
    {"NAME": "govcredit.accounts.validators.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Login security (等保 2.0 身份鉴别; accounts/security.py). The numbers are the district's choice.
GOVCREDIT_LOGIN_MAX_FAILURES = env_int("GOVCREDIT_LOGIN_MAX_FAILURES", 5)  # failures in a row → lock
GOVCREDIT_LOGIN_LOCK_MINUTES = env_int("GOVCREDIT_LOGIN_LOCK_MINUTES", 15)
GOVCREDIT_LOGIN_CAPTCHA_AFTER = env_int("GOVCREDIT_LOGIN_CAPTCHA_AFTER", 3)  # failures → captcha asked
GOVCREDIT_SESSION_IDLE_MINUTES = env_int("GOVCREDIT_SESSION_IDLE_MINUTES", 30)  # idle → logged out
LOGIN_URL = "/office/login/"
LOGIN_REDIRECT_URL = "/office/"
LOGOUT_REDIRECT_URL = "/office/login/"

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
#: one date format on screen, 2026-12-03 (core/formats/zh_Hans/formats.py)
FORMAT_MODULE_PATH = ["govcredit.core.formats"]

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # whitenoise warns at every start when it is missing
MEDIA_URL = "/media/"
MEDIA_ROOT = DATA_DIR / "media"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True  # serve straight from the apps, so `serve` needs no collectstatic step

FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 200 * 1024 * 1024  # the API's 10,000-record batches
DATA_UPLOAD_MAX_NUMBER_FIELDS = 20000
GOVCREDIT_EVIDENCE_MAX_BYTES = env_int("GOVCREDIT_EVIDENCE_MAX_BYTES", 20 * 1024 * 1024)

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = 8 * 3600
SESSION_COOKIE_SECURE = env_bool("GOVCREDIT_SECURE_COOKIES", not DEBUG and env_bool("GOVCREDIT_HTTPS", False))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("GOVCREDIT_HTTPS", False)
SECURE_HSTS_SECONDS = 31536000 if SECURE_SSL_REDIRECT else 0
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("GOVCREDIT_BEHIND_PROXY") else None
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

REDIS_URL = os.environ.get("REDIS_URL", "")
# Background jobs: the database queue (django-tasks-db, worker `govcredit worker`) by default;
# GOVCREDIT_TASK_BACKEND=rq puts them on Redis (django-tasks-rq; `govcredit worker` then runs
# `rqworker --job-class django_tasks_rq.Job --with-scheduler default`).
GOVCREDIT_TASK_BACKEND = (os.environ.get("GOVCREDIT_TASK_BACKEND") or "db").lower()
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RQ_QUEUES: dict = {}
if GOVCREDIT_TASK_BACKEND == "rq":
    if not REDIS_URL:
        raise ImproperlyConfigured(
            "GOVCREDIT_TASK_BACKEND=rq needs REDIS_URL (e.g. redis://127.0.0.1:6379/0)"
        )
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": 900}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
elif GOVCREDIT_TASK_BACKEND != "db":
    raise ImproperlyConfigured(f"GOVCREDIT_TASK_BACKEND must be db or rq, got {GOVCREDIT_TASK_BACKEND!r}")

# Per-process memory cache by default (the portal's page cache, rate limits); Redis when configured,
# shared by every worker and host.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": env_int("GOVCREDIT_CACHE_ENTRIES", 3000)},
    }
}
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Mail goes to files under $GOVCREDIT_DATA_DIR/mail until an operator configures SMTP
# (GOVCREDIT_EMAIL_BACKEND=django.core.mail.backends.smtp.EmailBackend plus Django's EMAIL_* settings).
EMAIL_BACKEND = os.environ.get("GOVCREDIT_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend")
EMAIL_FILE_PATH = DATA_DIR / "mail"
EMAIL_HOST = os.environ.get("GOVCREDIT_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("GOVCREDIT_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("GOVCREDIT_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("GOVCREDIT_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("GOVCREDIT_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("GOVCREDIT_FROM_EMAIL", "govcredit@zhoucun.gov.cn")

GOVCREDIT_EXCHANGE_URL = os.environ.get("GOVCREDIT_EXCHANGE_URL", "")
GOVCREDIT_EXCHANGE_KEY = os.environ.get("GOVCREDIT_EXCHANGE_KEY", "")
GOVCREDIT_EXCHANGE_DIR = os.environ.get("GOVCREDIT_EXCHANGE_DIR", "")
# The address the public reaches the portal at (QR codes, verification links). Unset: the host of the
# request that asks (core.site); `govcredit setup` warns about it in production.
GOVCREDIT_PUBLIC_URL = os.environ.get("GOVCREDIT_PUBLIC_URL", "")
# Portal footer (core.site.FOOTER_SETTINGS): a line shows only when its setting is filled in.
GOVCREDIT_SITE_OWNER = os.environ.get("GOVCREDIT_SITE_OWNER", "周村区人民政府")
GOVCREDIT_SITE_OPERATOR = os.environ.get("GOVCREDIT_SITE_OPERATOR", "")
GOVCREDIT_SITE_PHONE = os.environ.get("GOVCREDIT_SITE_PHONE", "")
GOVCREDIT_SITE_ADDRESS = os.environ.get("GOVCREDIT_SITE_ADDRESS", "")
GOVCREDIT_SITE_IDENTIFIER = os.environ.get("GOVCREDIT_SITE_IDENTIFIER", "")
GOVCREDIT_ICP_NUMBER = os.environ.get("GOVCREDIT_ICP_NUMBER", "")
GOVCREDIT_DEMO = env_bool("GOVCREDIT_DEMO", False)

(DATA_DIR / "logs").mkdir(parents=True, exist_ok=True)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain"},
        # The demo SMS gateway writes its messages here, not over the console where `make demo`
        # prints the address and the logins.
        "sms_file": {
            "class": "logging.FileHandler",
            "filename": str(DATA_DIR / "logs" / "sms.log"),
            "formatter": "plain",
            "encoding": "utf-8",
            "delay": True,
        },
    },
    "root": {"handlers": ["console"], "level": os.environ.get("GOVCREDIT_LOG_LEVEL", "INFO")},
    # django_tasks logs two INFO lines per task run (delivery runs every 2 s): keep the console readable.
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "django_tasks": {"level": "WARNING"},
        "govcredit.sms": {"handlers": ["sms_file"], "level": "INFO", "propagate": False},
    },
}
