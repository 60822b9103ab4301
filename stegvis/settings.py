"""Settings, read from the environment (see README "Configuration").

Nothing secret is committed: SECRET_KEY comes from the environment, and only a
debug (demo) installation may generate one and keep it in var/.
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("STEGVIS_VAR_DIR", Path.cwd() / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
# A demo installation on one's own machine over plain http (`make demo`): a generated
# key, local host names, no https, static files straight from the app folders — while
# DEBUG stays off, so a visitor sees the Swedish error pages, not Django's. A
# development installation (DEBUG=1) is a demo installation too, as it always was.
STEGVIS_DEMO = env_bool("STEGVIS_DEMO", False) or DEBUG


def _secret_key() -> str:
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not STEGVIS_DEMO:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set unless STEGVIS_DEMO=1 or DEBUG=1 (see README, Configuration)."
        )
    # Demo/development: generate once and keep it, so sessions survive restarts.
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(50))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost" if STEGVIS_DEMO else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "simple_history",
    "stegvis.core",
    "stegvis.accounts",
    "stegvis.associations",
    "stegvis.audit",
    "stegvis.finance",
    "stegvis.plans",
    "stegvis.interventions",
    "stegvis.participants",
    "stegvis.instruments",
    "stegvis.goals",
    "stegvis.structural",
    "stegvis.reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "stegvis.core.middleware.PermissionsPolicyMiddleware",
    "stegvis.core.middleware.NoStoreForParticipantRowsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "stegvis.accounts.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "stegvis.associations.tenancy.TenantMiddleware",
    # Last: turns axes's lock into the Swedish login page (accounts.throttle).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "stegvis.urls"
WSGI_APPLICATION = "stegvis.wsgi.application"

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
                "stegvis.core.context_processors.shell",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'stegvis.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The embedded default serves one office (README): WAL lets pages read while one
    # request writes; a writer waits up to 20 s for another instead of failing with
    # "database is locked", and takes the write lock when its transaction begins
    # (IMMEDIATE), so two writers never deadlock upgrading a read lock. WAL is a no-op
    # for the test suite's in-memory database.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        **DATABASES["default"].get("OPTIONS", {}),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# axes first: it refuses a locked account or address before any password is checked.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions end after a period without activity (default one hour) and when the
# browser closes: the app holds data about vulnerable people.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", "3600"))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not STEGVIS_DEMO)
# Switchable only for a production-like run over plain http on 127.0.0.1 (the load
# test, bench/load.sh): a client does not send a Secure cookie back over http, so
# login would fail. `check --deploy` warns when either is off.
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not STEGVIS_DEMO)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not STEGVIS_DEMO)
SECURE_HSTS_SECONDS = 0 if STEGVIS_DEMO else int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not STEGVIS_DEMO
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", not STEGVIS_DEMO)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Everything the pages use comes from the app itself: no inline script or style
# (charts are SVG with presentation attributes, see finance.charts.svg_text), images
# also as data: URLs (the survey links' QR codes), forms posting only to the app.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
BEHIND_PROXY = env_bool("BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LANGUAGE_CODE = "sv"
LANGUAGES = [("sv", _("Svenska")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Stockholm"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", VAR_DIR / "static"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if STEGVIS_DEMO
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# A demo installation serves the files from the app folders (no collectstatic step);
# an empty STATIC_ROOT keeps WhiteNoise from warning that it is missing.
WHITENOISE_USE_FINDERS = STEGVIS_DEMO
if STEGVIS_DEMO:
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)

OTP_TOTP_ISSUER = "Stegvis"

# Password guessing (django-axes, see accounts/throttle.py): after LOGIN_FAILURE_LIMIT
# wrong passwords, the account (from any address) and the address (to any account)
# are each locked for LOGIN_COOLOFF_MINUTES after the last wrong one.
LOGIN_FAILURE_LIMIT = int(os.environ.get("LOGIN_FAILURE_LIMIT", "5"))
LOGIN_COOLOFF_MINUTES = int(os.environ.get("LOGIN_COOLOFF_MINUTES", "15"))
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = timedelta(minutes=LOGIN_COOLOFF_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own: account OR address
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # trying while locked does not prolong it
AXES_RESET_ON_SUCCESS = False  # accounts.throttle.failures_forget does it more narrowly
AXES_LOCKOUT_CALLABLE = "stegvis.accounts.throttle.lockout_response"
AXES_CLIENT_IP_CALLABLE = "stegvis.audit.services.client_ip"  # X-Forwarded-For only BEHIND_PROXY
AXES_DISABLE_ACCESS_LOG = True  # logins are in the app's own audit log
AXES_ENABLE_ADMIN = False

# Roles whose permissions include reading participant rows must log in with
# a second factor. Kept switchable only for automated tests of the flow itself.
STEGVIS_REQUIRE_2FA = env_bool("STEGVIS_REQUIRE_2FA", True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
