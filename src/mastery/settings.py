"""Mastery's one settings file, read from the environment.

Every setting is listed, with a comment, in `.env.example`. A bad value stops the process at
start-up with a message naming the variable; nothing silently falls back in production.
"""

import tempfile
from pathlib import Path

import environ
from django.utils.csp import CSP

from mastery.lib.env import Mode, read_mode, require_secret_key

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = Path(environ.Env().str("MASTERY_PROJECT_DIR", default=str(Path.cwd())))

env = environ.Env()
if (PROJECT_DIR / ".env").is_file():
    environ.Env.read_env(PROJECT_DIR / ".env")

MODE = read_mode(env)
DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = require_secret_key(env, MODE)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{PROJECT_DIR / 'mastery.sqlite3'}")
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Keep database connections between requests (seconds); a new PostgreSQL connection per request
# costs more than most pages.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Server-side binding lets psycopg prepare a statement after its fifth use on a connection:
# PostgreSQL then stops re-planning the joined lookups every page makes, which cost more than
# running them (docs/decisions/0009). Off for a pooler that cannot keep prepared statements
# (PgBouncer in transaction mode before 1.22, or without max_prepared_statements).
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env.bool(
    "DATABASE_PREPARED_STATEMENTS", default=True
):
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"server_side_binding": True, "prepare_threshold": 5}
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the background worker write while the web process reads.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "django_tasks_db",
    "simple_history",
    "axes",
    "mastery.accounts",
    "mastery.schools",
    "mastery.calendar",
    "mastery.frameworks",
    "mastery.curriculum",
    "mastery.rosters",
    "mastery.evidence",
    "mastery.grading",
    "mastery.graduation",
    "mastery.reports",
    "mastery.credentials",
    "mastery.conferences",
    "mastery.reviews",
    "mastery.demo",
    "mastery.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "mastery.web.language.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "mastery.urls"
WSGI_APPLICATION = "mastery.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mastery.web.context_processors.mastery",
            ],
        },
    },
]

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "mastery.accounts.backends.UsernameOrEmailBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
if MODE is Mode.TEST:
    # Hashing is not what the tests check; a fast hasher keeps the suite quick.
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = (
    []
    if MODE is not Mode.PRODUCTION
    else [
        {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
        {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
        {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    ]
)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_ENABLED = MODE is not Mode.TEST

# Background jobs live in the database (no broker); `mastery worker` runs them. Tests run them
# at once, in the same process.
TASKS = {
    "default": {
        "BACKEND": (
            "django.tasks.backends.immediate.ImmediateBackend"
            if MODE is Mode.TEST
            else "django_tasks_db.DatabaseBackend"
        )
    }
}

LANGUAGE_CODE = "en"
# Student and family pages come in English and Spanish; a signed-in person's own choice
# (User.preferred_language) wins over the browser's Accept-Language.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# Production serves collected files (collectstatic); demo and test serve straight from the apps.
STATIC_ROOT = PROJECT_DIR / ".staticfiles" if MODE is Mode.PRODUCTION else None
MEDIA_URL = "media/"
# Uploaded files (exemplar work). Tests keep theirs out of the project folder.
_MEDIA_DEFAULT = (
    Path(tempfile.gettempdir()) / "mastery-test-media"
    if MODE is Mode.TEST
    else PROJECT_DIR / "media"
)
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(_MEDIA_DEFAULT)))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or MODE is not Mode.PRODUCTION
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = MODE is not Mode.PRODUCTION

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=MODE is Mode.PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The Ed25519 private key (PEM) that signs mastery-transcript credentials. Demo and test make one
# on first use; production refuses to sign until it exists (never commit it).
CREDENTIAL_SIGNING_KEY_FILE = Path(
    env.str("CREDENTIAL_SIGNING_KEY_FILE", default=str(PROJECT_DIR / "credential-signing-key.pem"))
)

# Notifications (review requests and their answers) go out by email: EMAIL_URL picks the server
# (smtp://user:password@host:587, or consolemail:// to print them, the default). Tests keep
# them in memory.
_mail = environ.Env.email_url_config(env.str("EMAIL_URL", default="consolemail://"))
_smtp = {
    "host": _mail.get("EMAIL_HOST"),
    "port": _mail.get("EMAIL_PORT"),
    "username": _mail.get("EMAIL_HOST_USER"),
    "password": _mail.get("EMAIL_HOST_PASSWORD"),
    "use_tls": _mail.get("EMAIL_USE_TLS"),
    "use_ssl": _mail.get("EMAIL_USE_SSL"),
}
MAILERS = {
    "default": {
        "BACKEND": _mail["EMAIL_BACKEND"],
        "OPTIONS": {name: value for name, value in _smtp.items() if value},
    }
}
# The address people reach Mastery at, for links in emails.
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Mastery <mastery@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {"axes": {"level": "WARNING"}},
}
