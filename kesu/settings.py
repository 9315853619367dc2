"""One settings module, driven by environment variables with safe defaults.

Zero setup: SQLite under ``KESU_DATA_DIR`` and the database task backend.
Production: ``DATABASE_URL=postgres://…`` and ``REDIS_URL=redis://…``.
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

from kesu.core.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("KESU_DATA_DIR", str(BASE_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("KESU_DEBUG", False)
# the built-in key is public: `check --deploy` flags it (kesu.E001) outside the demo, and a
# production installation (KESU_HTTPS=1) refuses to start with it
SECRET_KEY = env_str("KESU_SECRET_KEY", "kesu-insecure-development-key-change-me-in-production")
KESU_DEMO = env_bool("KESU_DEMO", False)
if env_bool("KESU_HTTPS", False) and SECRET_KEY.startswith("kesu-insecure-") and not KESU_DEMO:
    raise ImproperlyConfigured("KESU_HTTPS=1 with the built-in SECRET_KEY: set KESU_SECRET_KEY.")
ALLOWED_HOSTS = env_list("KESU_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("KESU_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks",
    "django_tasks_db",
    "ninja",
    "axes",
    "csp",
    "kesu.core",
    "kesu.organizations",
    "kesu.customers",
    "kesu.complaints",
    "kesu.sla",
    "kesu.notifications",
    "kesu.language",
    "kesu.insights",
    "kesu.exports",
    "kesu.documents",
    "kesu.administration",
    "kesu.resolutions",
    "kesu.approvals",
    "kesu.sanbao",
    "kesu.carmaker",
    "kesu.calls",
    "kesu.followups",
    "kesu.worklist",
    "kesu.care",
    "kesu.appointments",
    "kesu.assistant",
    "kesu.improvements",
    "kesu.reports",
    "kesu.web",
    "kesu.demo",
    "kesu.ops",
]

MIDDLEWARE = [
    "kesu.core.middleware.UriTooLongMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "kesu.core.middleware.JsonApiErrorsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "kesu.core.middleware.PhonesOutOfUrlsMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "kesu.organizations.privacy.MaskingMiddleware",  # names, plates, VINs by role (PIPL)
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "kesu.core.middleware.DatabaseUnavailableMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lockout into kesu.web.throttle's 429
]

ROOT_URLCONF = "kesu.urls"
KESU_MAX_URL_BYTES = 8192  # longer URLs answer 414 (kesu/core/middleware.py)
WSGI_APPLICATION = "kesu.wsgi.application"
AUTH_USER_MODEL = "organizations.User"
LOGIN_URL = "web:login"
LOGIN_REDIRECT_URL = "worklist:home"  # agents start on their day, others on the queue
LOGOUT_REDIRECT_URL = "web:login"
# what a password set through the administration pages / API must pass (demo and test fixtures
# set theirs directly)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kesu.notifications.context_processors.bell",
                "kesu.complaints.context_processors.queue_counts",
            ],
        },
    },
]

# --- database -----------------------------------------------------------------------------
_SQLITE_URL = f"sqlite:///{DATA_DIR / 'kesu.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", _SQLITE_URL) or _SQLITE_URL,  # set but empty: the default
        conn_max_age=env_int("KESU_DB_CONN_MAX_AGE", 60),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL + immediate transactions: the web process and the worker write concurrently.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # Tests use a file, not ``:memory:``: the browser tests' live server answers each request in
    # its own thread, and an in-memory database would be one connection shared by all of them
    # (concurrent htmx requests then collide inside each other's transactions).
    DATABASES["default"]["TEST"] = {
        # one file per test process: two runs in one checkout never share (or delete) one
        "NAME": env_str("KESU_TEST_SQLITE", "") or str(DATA_DIR / f"kesu-test-{os.getpid()}.sqlite3")
    }
else:
    # Django's health check sends SELECT 1 before the first query of every request: a round trip
    # the intake pays on each create, for the one request per worker a database restart would
    # otherwise fail (Django then drops the broken connection). On by KESU_DB_HEALTH_CHECKS=true,
    # e.g. behind a failover that drops connections often.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = env_bool("KESU_DB_HEALTH_CHECKS", False)
    # The search of a frequent two-character word builds a bitmap of thousands of rows: at the
    # default 4 MB it turns lossy and every row on a page is checked again, a recheck that a larger
    # work_mem spares every such search.
    work_mem = env_str("KESU_PG_WORK_MEM", "32MB")
    if work_mem:
        DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c work_mem={work_mem}"
    # Server-side parameters and prepared statements: a query run 5 times on a connection is
    # parsed and planned once: the intake runs the same short statements on every request, and
    # planning them is a real part of their cost. KESU_PG_PREPARE=off for a
    # PgBouncer in transaction mode, which cannot keep a session's prepared statements.
    prepare = env_str("KESU_PG_PREPARE", "5").strip().lower() or "5"  # set but empty: the default
    if prepare != "off":
        if not prepare.isdigit():
            raise ImproperlyConfigured(f"KESU_PG_PREPARE must be a number of runs or 'off', not {prepare!r}")
        DATABASES["default"].setdefault("OPTIONS", {})["server_side_binding"] = True
        DATABASES["default"]["OPTIONS"]["prepare_threshold"] = int(prepare)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- background tasks (Django's tasks API through the django-tasks backport) ----------------
REDIS_URL = env_str("REDIS_URL", "")
# Django's cache: in-process by default; shared by every process on Redis, so what one process
# forgets (a deactivated user's token) every process forgets.
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "KEY_PREFIX": "kesu"}}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kesu",
        }
    }
    INSTALLED_APPS += ["django_rq"]
    RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}

# --- i18n: Chinese first ----------------------------------------------------------------------
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "kesu" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# --- static and uploaded files (served by the app; no CDN) ----------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
MEDIA_ROOT = Path(env_str("KESU_MEDIA_ROOT", str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 60 * 1024 * 1024

# --- kesu knobs ---------------------------------------------------------------------------------
KESU_NUMBER_PREFIX = env_str("KESU_NUMBER_PREFIX", "KS")
KESU_MAX_ATTACHMENT_BYTES = env_int("KESU_MAX_ATTACHMENT_BYTES", 20 * 1024 * 1024)
KESU_API_TOKEN_TTL_HOURS = env_int("KESU_API_TOKEN_TTL_HOURS", 24 * 30)
# How long a bearer token's user is kept in the cache (0: read on every call). Saves forget it
# at once (in every process with Redis); a queryset update is seen within this time.
KESU_TOKEN_CACHE_SECONDS = env_int("KESU_TOKEN_CACHE_SECONDS", 30)
KESU_DEMO_PASSWORD = env_str("KESU_DEMO_PASSWORD", "kesu-demo")

# --- notifications ------------------------------------------------------------------------------
KESU_OUTBOX_DIR = Path(env_str("KESU_OUTBOX_DIR", str(DATA_DIR / "outbox")))
KESU_SMS_PROVIDER = env_str("KESU_SMS_PROVIDER", "file")  # "aliyun" in production
KESU_ALIYUN_SMS_ENDPOINT = env_str("KESU_ALIYUN_SMS_ENDPOINT", "https://dysmsapi.aliyuncs.com/")
KESU_ALIYUN_ACCESS_KEY_ID = env_str("KESU_ALIYUN_ACCESS_KEY_ID", "")
KESU_ALIYUN_ACCESS_KEY_SECRET = env_str("KESU_ALIYUN_ACCESS_KEY_SECRET", "")
KESU_ALIYUN_SMS_SIGN_NAME = env_str("KESU_ALIYUN_SMS_SIGN_NAME", "")
KESU_ALIYUN_SMS_TEMPLATE = env_str("KESU_ALIYUN_SMS_TEMPLATE", "")
KESU_WEBHOOK_TRANSPORT = env_str("KESU_WEBHOOK_TRANSPORT", "http")  # "file" for development
# Every outgoing HTTP call (kesu/core/http.py, the SMS SDK): seconds to connect, and to answer.
KESU_HTTP_CONNECT_TIMEOUT = env_int("KESU_HTTP_CONNECT_TIMEOUT", 5)
KESU_HTTP_TIMEOUT = env_int("KESU_HTTP_TIMEOUT", 10)
EMAIL_BACKEND = env_str("KESU_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("KESU_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("KESU_EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("KESU_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = env_str("KESU_EMAIL_PASSWORD", "")
EMAIL_USE_TLS = env_bool("KESU_EMAIL_TLS", False)
DEFAULT_FROM_EMAIL = env_str("KESU_EMAIL_FROM", "kesu@localhost")
# The sweep finds due clocks and queues deliveries every this many seconds (`python -m kesu tick`).
KESU_TICK_SECONDS = env_int("KESU_TICK_SECONDS", 20)
# Threads one SLA sweep runs its batches in (PostgreSQL; 1 = one batch after the other).
KESU_SWEEP_THREADS = env_int("KESU_SWEEP_THREADS", 2)

# --- the optional AI assistant (kesu/assistant) ----------------------------------------------
# Any OpenAI-compatible chat-completions endpoint, its base URL ending in /v1 (DeepSeek:
# https://api.deepseek.com/v1, Qwen: https://dashscope.aliyuncs.com/compatible-mode/v1, or a
# self-hosted server). Unset: the assistant is off everywhere; set: each dealer still switches it on.
KESU_LLM_BASE_URL = env_str("KESU_LLM_BASE_URL", "")
KESU_LLM_MODEL = env_str("KESU_LLM_MODEL", "deepseek-chat")
KESU_LLM_API_KEY = env_str("KESU_LLM_API_KEY", "")
# Seconds to wait for an answer before the page carries on without it.
KESU_LLM_TIMEOUT_SECONDS = float(env_str("KESU_LLM_TIMEOUT_SECONDS", "20") or "20")
# --- operations (docs/operations.md) ---------------------------------------------------------
# A delivery still "sending" after this many seconds lost its worker: sent again where the far side
# recognises the key, otherwise marked uncertain for a person (longer than any transport timeout).
KESU_DELIVERY_SENDING_TIMEOUT = env_int("KESU_DELIVERY_SENDING_TIMEOUT", 120)
# A database-queue task RUNNING this long whose worker has stopped beating is requeued (idempotent
# tasks) or marked failed.
KESU_TASK_RUNNING_TIMEOUT = env_int("KESU_TASK_RUNNING_TIMEOUT", 300)
# Workers write a heartbeat this often; the health check calls a worker gone after STALE seconds.
KESU_HEARTBEAT_SECONDS = env_int("KESU_HEARTBEAT_SECONDS", 10)
KESU_HEARTBEAT_STALE_SECONDS = env_int("KESU_HEARTBEAT_STALE_SECONDS", 60)
# `kesu serve`: the longest wait between restarts of a child that keeps dying, and how long a
# child has to stop after SIGTERM before it is killed.
KESU_RESTART_BACKOFF_MAX = env_int("KESU_RESTART_BACKOFF_MAX", 60)
KESU_SHUTDOWN_GRACE_SECONDS = env_int("KESU_SHUTDOWN_GRACE_SECONDS", 30)

# --- login throttling (django-axes; kesu/web/throttle.py) ----------------------------------------
# axes' backend first: a locked-out username or address is refused before a password is hashed
AUTHENTICATION_BACKENDS = [
    "kesu.web.throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = env_int("KESU_LOGIN_FAILURE_LIMIT", 10)  # wrong passwords, per username and per address
AXES_COOLOFF_TIME = timedelta(minutes=env_int("KESU_LOGIN_LOCKOUT_MINUTES", 15))  # the lockout ends by itself
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each counted on its own
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "kesu.web.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "kesu.web.throttle.client_ip"
KESU_PROXY_COUNT = env_int("KESU_PROXY_COUNT", 0)  # trusted reverse proxies adding X-Forwarded-For

# --- headers and cookies ---------------------------------------------------------------------------
# Content-Security-Policy (django-csp): scripts and styles from kesu's own static files only — no
# inline <script>, handler attribute, <style> or style attribute (kesu/web/static/kesu/behaviours.js
# carries the pages' small behaviours); no frames, no plugins, forms post to kesu only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
# KESU_HTTPS=1 (production behind TLS): HSTS for a year, secure cookies, http → https
KESU_HTTPS = env_bool("KESU_HTTPS", False)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = KESU_HTTPS or env_bool("KESU_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = 31_536_000 if KESU_HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = KESU_HTTPS
SECURE_HSTS_PRELOAD = KESU_HTTPS and env_bool("KESU_HSTS_PRELOAD", True)
SECURE_SSL_REDIRECT = KESU_HTTPS and env_bool("KESU_SSL_REDIRECT", True)
if KESU_HTTPS and KESU_PROXY_COUNT > 0:  # the proxy terminates TLS and says so
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("KESU_LOG_LEVEL", "WARNING")},
}
