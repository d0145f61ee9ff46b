"""Ketenregie settings, read from the environment (see .env.example for every variable)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

import environ
from celery.schedules import crontab
from csp.constants import NONE, SELF

from config.kernel.keys import parse_versioned_keys

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
# A local .env (written by `make run` from .env.example) holds the quick-start values.
# Real deployments pass the environment directly; the file is then absent.
ENV_FILE = env.str("KETENREGIE_ENV_FILE", default=str(BASE_DIR / ".env"))
if Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE, overwrite=False)

# --- Core -------------------------------------------------------------------------------------
SECRET_KEY = env.str("SECRET_KEY", default="")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY is not set or shorter than 50 characters.")
DEBUG = env.bool("DEBUG", default=False)
DEMO_MODE = env.bool("DEMO_MODE", default=False)
if DEMO_MODE and not DEBUG:
    raise ImproperlyConfigured(
        "DEMO_MODE=true requires DEBUG=true: the demo users and their known password "
        "must never reach a production deployment."
    )
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000")

# Versioned keys, newest first; separate from SECRET_KEY so they can be rotated on their own.
PSEUDONYM_KEYS = parse_versioned_keys(env.str("PSEUDONYM_KEYS", default=""), name="PSEUDONYM_KEYS")
FIELD_ENCRYPTION_KEYS = parse_versioned_keys(
    env.str("FIELD_ENCRYPTION_KEYS", default=""), name="FIELD_ENCRYPTION_KEYS"
)

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # no autodiscover: only what we register
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "axes",
    "guardian",
    "auditlog",
    "csp",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "config.kernel",
    "partners",
    "audit",
    "casus",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "config.kernel.access.NoStoreMiddleware",
    # Before the session rules: SessionLifetimeMiddleware tells the user why they were signed out.
    "django.contrib.messages.middleware.MessageMiddleware",
    "audit.middleware.AuditContextMiddleware",
    "partners.middleware.SessionLifetimeMiddleware",
    "partners.middleware.MfaRequiredMiddleware",
    "partners.middleware.PasswordChangeRequiredMiddleware",
    # A form or API call sent twice takes effect once (config.kernel.onceonly); after the
    # session rules, so a submit they turn away is not remembered as done.
    "config.kernel.onceonly.OnceOnlyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "auditlog.middleware.AuditlogMiddleware",
    # django-axes must be last: it turns a lockout into the lockout response.
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
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "config.navigation.navigation",
            ],
        },
    },
]

# --- Database ---------------------------------------------------------------------------------
DATABASES = {
    "default": env.db_url_config(
        env.str("DATABASE_URL", default="") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}"
    ),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, Redis and Celery ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")
# The cache is in the database: it holds sign-in rate limits and short locks, which must keep
# working while Redis is down (Redis carries the Celery queue only; nothing is lost there either,
# because every job is first written to the job outbox in the database).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "kernel_cache",
        "KEY_PREFIX": "ketenregie",
    }
}

CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
# Without a broker (the quick start) tasks run eagerly, in-process.
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL or None)
CELERY_RESULT_EXPIRES = timedelta(days=1)
# A task is acknowledged only after it ran, and re-delivered when its worker dies: no lost work.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message not acknowledged within this time is delivered again: longer than the longest job
# (a purge at national scale: minutes), shorter than an hour's wait. A killed worker's job does
# not wait for it: the job outbox's lease (config.kernel.outbox) runs out within a minute.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 30 * 60,
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
CELERY_TIMEZONE = "Europe/Amsterdam"
# The audit purge runs on its own queue, served by a worker whose database login may act as the
# purge role (docs/operations.md); the application's workers never can.
CELERY_TASK_ROUTES = {"audit.purge_expired_events": {"queue": "audit_purge"}}
CELERY_BEAT_SCHEDULE = {
    "heartbeat": {"task": "ketenregie.heartbeat", "schedule": timedelta(minutes=5)},
    # The job outbox: hand over what the broker has not got yet, and re-queue jobs of killed
    # workers (their lease ran out).
    "jobs-sweep": {"task": "kernel.sweep_jobs", "schedule": timedelta(seconds=10)},
    "jobs-purge-finished": {
        "task": "kernel.purge_finished_jobs",
        "schedule": crontab(hour=4, minute=30),
    },
    # The sealer chains what requests appended (audit.sealing); a run that waited longer than
    # its interval is dropped, the next one seals everything pending.
    "audit-seal": {"task": "audit.seal", "schedule": 1.0, "options": {"expires": 5}},
    "audit-checkpoint": {"task": "audit.checkpoint", "schedule": timedelta(minutes=10)},
    "audit-verify-daily": {"task": "audit.verify_chain", "schedule": crontab(hour=2, minute=30)},
    "audit-purge-daily": {
        "task": "audit.purge_expired_events",
        "schedule": crontab(hour=3, minute=15),
    },
    # Idempotent, so frequent: a run lost while Redis was down is made up a quarter later.
    "agendas": {"task": "casus.schedule_agendas", "schedule": crontab(minute="*/15")},
    "retention-purge": {"task": "casus.purge_expired", "schedule": crontab(minute=45)},
    "afspraken-reminders-daily": {
        "task": "casus.notify_afspraken",
        "schedule": crontab(hour=7, minute=0),
    },
}
# The concept agenda of a ketenoverleg is generated this many working days before the meeting.
AGENDA_WORKING_DAYS_BEFORE = env.int("AGENDA_WORKING_DAYS_BEFORE", default=5)

# --- Authentication: users, allauth with mandatory MFA, django-axes lockout --------------------
AUTH_USER_MODEL = "partners.User"
# The page guard of config.kernel.access asks these two: may this user do that (the role table),
# and record a refusal (an access event for the FG).
PERMISSION_CHECK = "partners.policy.has_permission"
ACCESS_DENIED_RECORD = "audit.services.record_denied"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "account_login"

ACCOUNT_ADAPTER = "partners.auth.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"username"}
ACCOUNT_SIGNUP_FIELDS = ["username*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_REAUTHENTICATION_REQUIRED = False
# django-axes records the failed password attempts and partners.auth.LockoutHandler decides on
# them (a growing delay per account, a limit per address); allauth's own counter is off.
ACCOUNT_RATE_LIMITS = {"login_failed": False}
# The change page refuses the current password as the new one (partners.auth).
ACCOUNT_FORMS = {"change_password": "partners.auth.ChangePasswordForm"}  # nosec B105  # a form path
MFA_ADAPTER = "partners.auth.MfaAdapter"
# The code step is limited like the password step (5 per sign-in attempt, 10 per account).
MFA_FORMS = {"authenticate": "partners.auth.LimitedAuthenticateForm"}
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ketenregie"
MFA_RECOVERY_CODE_COUNT = 10

# Per account, whatever the address: after AXES_FAILURE_LIMIT failed passwords the account waits
# 1, 2, 4 ... minutes after each further failure (at most LOGIN_ACCOUNT_MAX_DELAY); a browser
# that signed in to the account before is not held up (the device cookie), so guessing by a third
# party does not keep the user out. Per address: LOGIN_ADDRESS_FAILURE_LIMIT failures across
# accounts lock the address for AXES_COOLOFF_TIME. Failures are forgotten AXES_COOLOFF_TIME after
# the last one, and after a successful sign-in of the account.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = ["username"]  # what a successful sign-in resets
# axes.W006 warns that "username" alone lets an attacker rotate addresses: the per-address limit
# (LOGIN_ADDRESS_FAILURE_LIMIT) is applied by partners.auth.LockoutHandler itself, and keying
# axes on the address too would let a third party lock a user out (tests/test_lockout.py).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
AXES_HANDLER = "partners.auth.LockoutHandler"
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # a refused attempt does not count
LOGIN_ACCOUNT_FIRST_DELAY = timedelta(minutes=1)
LOGIN_ACCOUNT_MAX_DELAY = timedelta(minutes=env.int("LOGIN_ACCOUNT_MAX_DELAY_MINUTES", default=15))
LOGIN_ADDRESS_FAILURE_LIMIT = env.int("LOGIN_ADDRESS_FAILURE_LIMIT", default=20)
LOGIN_DEVICE_COOKIE_NAME = "__Host-kr_device" if not DEBUG else "kr_device"
LOGIN_DEVICE_COOKIE_AGE = timedelta(days=90)
AXES_USERNAME_CALLABLE = "partners.auth.axes_username"
AXES_LOCKOUT_CALLABLE = "partners.views.lockout"
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_ENABLE_ADMIN = False
# Number of reverse proxies in front of the app whose X-Forwarded-For may be trusted.
AXES_IPWARE_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0) or None
AXES_IPWARE_META_PRECEDENCE_ORDER = (
    ["HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"] if AXES_IPWARE_PROXY_COUNT else ["REMOTE_ADDR"]
)

# --- Sessions and cookies ---------------------------------------------------------------------
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_IDLE_TIMEOUT = timedelta(minutes=15)
SESSION_ABSOLUTE_LIFETIME = timedelta(hours=12)
SESSION_COOKIE_AGE = int(SESSION_IDLE_TIMEOUT.total_seconds())
SESSION_SAVE_EVERY_REQUEST = True  # every request renews the idle window
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-sessionid" if not DEBUG else "sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken" if not DEBUG else "csrftoken"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if env.bool("TRUST_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]

# Strict Content Security Policy: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    },
}

# --- Internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Nederlands")), ("en", _("Engels"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# --- Static files -----------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
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

# --- E-mail: notifications say only that something changed, with a link -----------------------
EMAIL_BACKEND = env.str("EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="ketenregie@localhost")

# --- Object permissions (django-guardian) -----------------------------------------------------
ANONYMOUS_USER_NAME = None  # no guardian anonymous user: anonymous visitors get nothing
GUARDIAN_RAISE_403 = False
GUARDIAN_RENDER_403 = False

# --- Retention (PRODUCT.md §6) -----------------------------------------------------------------------
RETENTION_SIGNAAL_GEEN_VERVOLG = timedelta(days=env.int("RETENTION_SIGNAAL_DAYS", default=183))
RETENTION_CASUS_AFGESLOTEN = timedelta(days=env.int("RETENTION_CASUS_DAYS", default=730))

# --- Audit log ------------------------------------------------------------------------------------
AUDIT_RETENTION = timedelta(days=env.int("AUDIT_RETENTION_DAYS", default=5 * 365))
# Signed checkpoints of the chain (audit.checkpoints): an Ed25519 key that is not in the database
# (base64 of the 32-byte seed; `manage.py audit_checkpoint --new-key` makes one), the public key
# for a verifier that must not sign, and a directory outside the database (a write-once volume
# or mounted object store).
AUDIT_SIGNING_KEY = env.str("AUDIT_SIGNING_KEY", default="")
# Without a broker (the quick start) no beat runs the sealer: seal after each commit instead.
AUDIT_SEAL_ON_COMMIT = CELERY_TASK_ALWAYS_EAGER
AUDIT_VERIFY_KEY = env.str("AUDIT_VERIFY_KEY", default="")
AUDIT_CHECKPOINT_DIR = env.str(
    "AUDIT_CHECKPOINT_DIR", default=str(BASE_DIR / "var" / "audit-checkpoints")
)

# --- Processing register (AVG art. 30) ----------------------------------------------------------
# The description of the processing; the FG's register page adds the field classification
# (config.classification) and the security facts it derives from the settings above.
PROCESSING_REGISTER = {
    "controller": env.str(
        "VERWERKINGSVERANTWOORDELIJKE", default="Gemeente Leeuwarden (namens de ketenpartners)"
    ),
    "fg_contact": env.str("FG_CONTACT", default=""),
    "name": "Ketenregie mensenhandel",
    "purposes": [
        "Signalen van mogelijke mensenhandel en uitbuiting in de seksbranche gepseudonimiseerd "
        "delen tussen ketenpartners",
        "Hulp, zorg, veiligheid en handhaving rond één casus afstemmen (regie door de "
        "zorgcoördinator mensenhandel)",
        "Het ketenoverleg voorbereiden en houden, en besluiten en afspraken opvolgen",
        "Verantwoording en beveiliging: vastleggen wie welke gegevens inzag of wijzigde",
        "Beleid: geanonimiseerde trendcijfers (cellen onder de 5 worden niet getoond)",
    ],
    "data_subjects": [
        "Mogelijke slachtoffers van mensenhandel en sekswerkers (alleen gepseudonimiseerd, "
        "zonder naam of andere directe identificatoren)",
        "Derden die in vrije tekst voorkomen, zoals mogelijke daders (zonder directe "
        "identificatoren)",
        "Medewerkers van de ketenpartners die het platform gebruiken",
    ],
    "recipients": (
        "De ketenpartners, per casus alleen de betrokken partners en binnen die partners "
        "volgens functie en zichtbaarheidsniveau; geen andere ontvangers"
    ),
    "transfers_outside_eu": "Geen",
}

# --- Change history (django-auditlog) ---------------------------------------------------------
AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = False

# --- REST API ---------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["casus.apibase.LimitedJSONParser"],
    "EXCEPTION_HANDLER": "casus.apibase.exception_handler",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ketenregie API",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "DESCRIPTION": "Casussen, bijdragen en afspraken; dezelfde toegangsregels als de webpagina's.",
    # Swagger UI from the installed sidecar package: no CDN, fits the strict CSP.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "CasusStatusEnum": "casus.models.Status",
        "SignaalStatusEnum": "casus.models.SignaalStatus",
        "RisicoEnum": "casus.models.Risico",
        "ZichtbaarheidEnum": "casus.models.Zichtbaarheid",
        "SignaalStatusShownEnum": "casus.signalen.serializers.SIGNAAL_STATUS_SHOWN",
        "CasusUitkomstEnum": "casus.casussen.serializers.CLOSING_OUTCOME_CHOICES",
        "AfspraakUitkomstEnum": "casus.models.Uitkomst",
    },
}

# --- Logging: structured event names and ids only, never content ------------------------------
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        "django.security.DisallowedHost": {"level": "ERROR"},
        "axes": {"level": "WARNING"},
    },
}
