"""Settings for the call-center order entry application.

Everything that differs between a laptop and production is read from the
environment, so one module serves both:

- ``DEBUG`` ("1"/"true" to enable; off by default),
- ``SECRET_KEY`` (required when ``DEBUG`` is off),
- ``ALLOWED_HOSTS`` (comma-separated),
- ``CSRF_TRUSTED_ORIGINS`` (comma-separated, e.g. ``https://orders.example.com``),
- ``DATABASE_URL`` (``postgres://user@host:5432/name``; required when ``DEBUG`` is off,
  where SQLite is used only when asked for, ``sqlite:///path``; a SQLite file by default
  with ``DEBUG``),
- ``SECURE_SSL_REDIRECT`` ("0" behind a proxy that already redirects).
"""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set SECRET_KEY in the environment (or DEBUG=1 for development)."
        )
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

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
    "django_filters",
    "django_htmx",
    "axes",
    "csp",
    "callcenter",
    "customers",
    "catalog",
    "orders",
    "payments",
]

MIDDLEWARE = [
    # first: the load balancer's GET /healthz, before host checks, redirects and sessions
    "callcenter.health.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "callcenter.middleware.RefuseNulMiddleware",  # a 400, not a database error
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "callcenter.middleware.LoginRequiredMiddleware",  # Django's, htmx-aware
    "callcenter.middleware.CallCenterTimeZoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "csp.middleware.CSPMiddleware",
    "callcenter.middleware.IdleSessionMiddleware",
    # last, as django-axes requires
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "callcenter.urls"

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
                "callcenter.context_processors.call_center",
            ],
        },
    },
]

WSGI_APPLICATION = "callcenter.wsgi.application"
ASGI_APPLICATION = "callcenter.asgi.application"

# In production a forgotten DATABASE_URL must not quietly mean an empty SQLite file beside
# the code (the health check would pass while every login failed): SQLite is then used
# only when asked for by its URL.
DATABASE_URL = os.environ.get("DATABASE_URL", "")
if not DATABASE_URL:
    if not DEBUG:
        raise ImproperlyConfigured(
            "Set DATABASE_URL in the environment (postgres://user:password@host:5432/name, "
            "or sqlite:////path/to/db.sqlite3 to use a SQLite file), or DEBUG=1 for "
            "development."
        )
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
        # behind PgBouncer pooling by transaction, a cursor cannot outlive its transaction:
        # the exports and the consistency check then read their chunks without one
        disable_server_side_cursors=env_bool("PGBOUNCER_TRANSACTION_POOLING"),
    )
}
# How long a request waits for a row another one has locked (an order being changed) before
# it gives up with a 503 asking the clerk to try again: well within gunicorn's timeout, so
# a stuck transaction never ties up workers until they are killed. Behind PgBouncer the
# connection cannot carry it: set it on the database role (README).
DATABASE_LOCK_TIMEOUT = int(os.environ.get("DATABASE_LOCK_TIMEOUT", "20"))
# How long one statement may run (0: no limit): gunicorn.conf.py sets it for the web
# workers to end before gunicorn's own timeout, so a query the worker was killed for does
# not go on running in PostgreSQL; commands (migrations, exports, checks) keep no limit.
DATABASE_STATEMENT_TIMEOUT = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "0"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and not env_bool(
    "PGBOUNCER_TRANSACTION_POOLING"
):
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "options",
        f"-c lock_timeout={DATABASE_LOCK_TIMEOUT}s "
        f"-c statement_timeout={DATABASE_STATEMENT_TIMEOUT}s",
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # IMMEDIATE transactions take the write lock when they start, so two
    # requests changing the same order queue up instead of failing half-way.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    # Write-ahead logging: clerks reading pages are not held up by one saving an order,
    # and a commit is one sync of the log (synchronous=FULL keeps every commit durable).
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": DATABASE_LOCK_TIMEOUT,  # waiting for the write lock
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;",
    }
    # Tests use a file too: an in-memory database locks whole tables, which
    # would make concurrent clerks fail where the real file makes them queue.
    # One file per test process, so two runs side by side do not share it.
    DATABASES["default"]["TEST"] = {"NAME": str(BASE_DIR / f".test-db-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Nothing kept per process: sessions live in the database (cached in Redis when
# REDIS_URL is set), so any app server behind a load balancer can answer any request.
REDIS_URL = os.environ.get("REDIS_URL", "")
# A Redis that accepts connections but does not answer (overloaded, a network that drops
# packets) is given up after this many seconds, and the clerk gets the 503 "try again"
# page, instead of the request waiting until gunicorn kills its worker.
REDIS_TIMEOUT = float(os.environ.get("REDIS_TIMEOUT", "2"))
REDIS_OPTIONS = {"socket_connect_timeout": REDIS_TIMEOUT, "socket_timeout": REDIS_TIMEOUT}
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "callcenter"),
            "TIMEOUT": 300,
            "OPTIONS": REDIS_OPTIONS,
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# A customer search matching more customers than this lists none and asks for another
# word: ranking and counting every match of a common name alone ("Karen") reads tens of
# thousands of rows at a million customers.
CUSTOMER_SEARCH_LIMIT = int(os.environ.get("CUSTOMER_SEARCH_LIMIT", "5000"))

# Setup data (tax rates, charge rules, scripts...) is kept in each process and read
# again as soon as a call center's reference_version changes (callcenter/reference.py);
# this is how long a change that bypasses model signals can go unseen. 0: no keeping.
REFERENCE_DATA_SECONDS = float(os.environ.get("REFERENCE_DATA_SECONDS", "60"))

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "customers:service"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True
# Off: ids, versions and line numbers rendered into attributes must never read "1,031".
# Amounts are grouped where they are shown (callcenter.money.format_money) and
# accepted grouped where they are typed (callcenter.fields.AmountField).
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

AUTHENTICATION_BACKENDS = [
    # django-axes refuses logins after too many failures, before any password is checked
    "axes.backends.AxesStandaloneBackend",
    "callcenter.auth.ModelBackend",  # Django's, reading permissions in one query
]
# Five failed logins for one username from one address lock that pair for 15 minutes.
# Per pair, not per address: a whole call center often shares one address.
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "callcenter.views.login_locked_out"
# The address a failure counts against, read by django-ipware. No proxy (PROXY_COUNT 0):
# REMOTE_ADDR only, never a header the client sends. Behind N proxies that each append
# their peer's address to X-Forwarded-For: its N-th address from the right, the one the
# outermost proxy appended; what a client puts in the header itself stays on the left.
# (ipware's proxy count is of the proxies listed in the header: the nearest one, which
# Django sees as REMOTE_ADDR, is not; not strict: addresses before the client's are
# ignored, not a reason to give up.)
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "0"))
if PROXY_COUNT < 0:
    raise ImproperlyConfigured("PROXY_COUNT is the number of proxies in front: 0 or more.")
AXES_IPWARE_META_PRECEDENCE_ORDER = ["HTTP_X_FORWARDED_FOR"] if PROXY_COUNT else ["REMOTE_ADDR"]
AXES_IPWARE_PROXY_COUNT = PROXY_COUNT - 1 if PROXY_COUNT else None
AXES_IPWARE_PROXY_ORDER = "left-most"
IPWARE_STRICT = False
AXES_VERBOSE = False

# A session ends after this many minutes without a request (callcenter.middleware).
SESSION_IDLE_MINUTES = int(os.environ.get("SESSION_IDLE_MINUTES", "30"))
# its end is pushed forward at most this often (a session write per click otherwise), so
# it lives that much longer: it never ends before SESSION_IDLE_MINUTES without a request
SESSION_REFRESH_SECONDS = 60
SESSION_COOKIE_AGE = SESSION_IDLE_MINUTES * 60 + SESSION_REFRESH_SECONDS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Only the application's own scripts and styles; no inline script, no eval, no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "style-src-attr": ["'unsafe-inline'"],
        # product images may be given as https addresses (catalog.Product.image_url)
        "img-src": ["'self'", "data:", "https:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}
CSRF_COOKIE_HTTPONLY = False  # htmx reads the token from the page, not the cookie
CSRF_FAILURE_VIEW = "callcenter.views.csrf_failure"
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    if not SECURE_SSL_REDIRECT:
        # the operator said the proxy in front redirects to HTTPS: nothing for
        # ``check --deploy`` to warn about
        SILENCED_SYSTEM_CHECKS = ["security.W008"]
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

# the card gateway (payments.gateways); the test gateway approves test card numbers only
# and takes no money: ``check --deploy`` warns while it is the one used (payments.checks)
PAYMENT_GATEWAY = os.environ.get("PAYMENT_GATEWAY", "payments.gateways.TestGateway")

# Each line says when, which process (gunicorn's worker), how grave and from where, in
# gunicorn's own style: "[2026-12-03 10:15:02 +0000] [4711] [ERROR] django.request: ...".
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "line": {
            "format": (
                "[%(asctime)s] [%(process)d] [%(levelname)s] [%(request_id)s] %(name)s: %(message)s"
            ),
            "datefmt": "%Y-%m-%d %H:%M:%S %z",
        }
    },
    "filters": {
        "one_line_warning": {"()": "callcenter.log.OneLineWarning"},
        "request_id": {"()": "callcenter.log.RequestId"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    # gunicorn spells levels in lower case (--log-level info): either spelling is taken
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO").upper()},
    "loggers": {
        # a request for a host name not in ALLOWED_HOSTS (scanners): a 400 and one line
        "django.security.DisallowedHost": {"filters": ["one_line_warning"]},
    },
}
