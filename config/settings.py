"""Settings, read from the environment (docs/architecture.md). They fail closed.

Without an explicit DJANGO_DEBUG=true the app is in production mode and refuses to start without
DJANGO_SECRET_KEY; there is no development secret unless debugging was asked for. A ``.env`` file
in the project root is read when present (the real environment wins over it; ``.env.example``
lists the variables). Other defaults give a single-machine install: SQLite in the project folder
and tasks run in-process. Production sets DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL
(PostgreSQL) and CELERY_BROKER_URL (Redis). docs/architecture.md lists every variable.
"""

import datetime as dt
import os
from pathlib import Path

import bootstrap_wrapper
import environ
from celery.schedules import crontab
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()

# DJANGO_ENV_FILE names another file to read, or none when set empty (the settings tests use
# that, so a developer's .env cannot change what they prove).
ENV_FILE = os.environ.get("DJANGO_ENV_FILE", str(BASE_DIR / ".env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    environ.Env.read_env(ENV_FILE)  # never overwrites a variable already in the environment

DEBUG = env.bool("DJANGO_DEBUG", default=False)

_INSECURE_DEV_KEY = "django-insecure-teichaku-development-only"
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=_INSECURE_DEV_KEY if DEBUG else "")
if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY must be set: without DJANGO_DEBUG=true Teichaku runs in production "
        "mode and refuses to start without a secret key. For development set DJANGO_DEBUG=true "
        "(scripts/demo.sh does), in the environment or in .env (see .env.example)."
    )

ALLOWED_HOSTS = env.list(
    "DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "crispy_forms",
    "crispy_bootstrap5",
    "core.admin_apps.LoginLockoutConfig",  # axes, its admin section named in Japanese
    "csp",
    "django_otp",
    "core.admin_apps.TwoFactorConfig",  # django_otp.plugins.otp_totp, likewise
    "core",
    "offices",
    "clients",
    "contacts",
    "plans",
    "surveys",
    "billing",
    # Django REST framework is used by the api app without being installed as an app: its
    # Japanese catalogue would otherwise override Django's own messages on every page (「この項目は
    # 必須です。」 for 「このフィールドは必須です。」). The messages the API needs are in api's
    # catalogue.
    "drf_spectacular",
    "drf_spectacular_sidecar",
    # The REST API sits on top of every app above (DESIGN 5.7).
    "api",
    # The person's own channel (LINE, self check-in): on top of the others (DESIGN 5.6).
    "voice",
]

# Extension points (docs/architecture.md): an upper app adds to a lower app's page only through
# these lists, read by ``core.extensions``; a lower app never imports the apps above it.
# Contacts' worklist: ``build(*, user, clients, today)`` -> ``contacts.worklist.WorklistSection``
# or None; its notifications join the daily reminders, its rows the worklist's download.
WORKLIST_SECTIONS = [
    "plans.worklist.plan_section",
    "plans.worklist.handover_section",
    "billing.certificates.certificate_section",
    "voice.worklist.warning_section",
]
# The manager's home (contacts.overview): ``build(*, offices, today)`` -> {office pk: figure},
# shown by ``build.template``.
MANAGER_HOME_FIGURES = ["plans.worklist.plan_figures", "plans.worklist.handover_figures"]
# The contact statistics page, its XLSX and ``contact_stats``: ``build(*, offices, date_from,
# date_to)`` -> a section with ``as_json()`` (and ``tables()``), shown by ``build.template``.
CONTACT_STATS_SECTIONS = ["plans.stats.handover_comparison_section"]
# A support report's plan goals: ``provider(*, client, month)`` -> str; the first that answers.
SUPPORT_REPORT_GOALS = ["plans.rules.report_goals"]
# Templates included on contacts' quick entry (with its context: ``client`` …).
QUICK_ENTRY_PANEL_TEMPLATES = ["plans/_entry_goals.html"]
# The client page (clients): events on its timeline (``source(client)`` -> [event dict]) and
# cards below it (templates rendered with the page's context).
CLIENT_TIMELINE_SOURCES = ["contacts.timeline.monthly_contact_events"]
CLIENT_PAGE_CARD_TEMPLATES = [
    "contacts/_client_contacts.html",
    "plans/_client_plan_card.html",
    "plans/_client_handover_card.html",
    "billing/_client_certificate_card.html",
    "voice/_client_voice_card.html",
]
# The office's retention page (clients): panels (``build(*, office, today)``, shown by
# ``build.template``) and the month's billable person-months the what-if multiplies by
# (``count(office, month, *, retention_result, fee_reference)``; the first listed answers).
RETENTION_PANELS = ["plans.worklist.retention_handover_panel"]
RETENTION_BILLABLE_PERSON_MONTHS = ["billing.month.billable_person_months"]
# The session's user (offices.backends, every request): facts read with the user in the same
# query, ``build()`` -> {attribute: expression on a user query (``OuterRef("pk")``)}.
SESSION_USER_FACTS = ["surveys.access.session_user_facts"]
# The audit trail (core) names the people an event lists by client code:
# ``names(*, office_id, codes)`` → ``{(office id, code): name}``.
AUDIT_PERSON_NAMES = ["clients.selectors.names_by_code"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    # Django's session middleware, renewing the expiry at most once a minute and never failing a
    # response over a session that could not be saved (core.sessions).
    "core.sessions.ResilientSessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Signed-in pages carry personal data: "Cache-Control: private, no-store" (core.headers).
    "core.headers.NoStoreForSignedInMiddleware",
    # Optional two-factor login (offices.two_factor): an enrolled user's session counts as logged
    # in only once a code verified it.
    "django_otp.middleware.OTPMiddleware",
    "offices.two_factor.SecondFactorMiddleware",
    # Dates in the user's calendar (西暦 or 和暦) for this request (core.date_style).
    "core.date_style.DateStyleMiddleware",
    # 400 for a NUL byte or a control character in the path, query, form or cookies (core.params).
    "core.params.RefuseHostileInputMiddleware",
    # Fail closed: every view needs a login unless it is marked @login_not_required.
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # A refused attempt at another office's row is written to the audit trail (core.audit).
    "core.audit.RefusedAccessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # A change to a closed month is refused with a Japanese message (offices.month_lock).
    "offices.month_lock.ClosedMonthMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: answers a locked-out login with the lockout page.
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
                "core.context_processors.navigation",
                "core.context_processors.date_style",
                "csp.context_processors.nonce",
            ],
        },
    },
]

# Form widgets render through TEMPLATES, so that templates/django/forms/ may override one (the
# empty choice of a dropdown says 「選択してください」, not Django's "---------").
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'teichaku.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
# Persistent connections, checked before reuse so a connection the database dropped is replaced.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A transaction takes the write lock when it begins, so a worker's transaction and a page's
    # write (a cancel request) wait for each other instead of failing with "database is locked";
    # a busy worker may make a page wait some seconds for its turn.
    DATABASES["default"].setdefault("OPTIONS", {}).update(transaction_mode="IMMEDIATE", timeout=20)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # Not the product's name, nor the names of the user's offices and corporations.
    {"NAME": "offices.passwords.NoLocalNamesValidator"},
]
# django-axes: the login (app and admin) refuses a username after AXES_FAILURE_LIMIT failures from
# any address, and an address after TEICHAKU_LOGIN_ADDRESS_FAILURE_LIMIT failures for any
# usernames, even with the right password, until the cool-off ends or an administrator unlocks it
# (admin "Access attempts", or `manage.py axes_reset_username NAME`). A login clears only its own
# username's failures (offices.lockout).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    # ModelBackend reading the 2FA enrolment and scoping facts with the session's user.
    "offices.backends.SessionUserBackend",
]
AXES_FAILURE_LIMIT = env.int("TEICHAKU_LOGIN_FAILURE_LIMIT", default=10)
AXES_COOLOFF_TIME = dt.timedelta(minutes=env.int("TEICHAKU_LOGIN_COOLOFF_MINUTES", default=30))
TEICHAKU_LOGIN_ADDRESS_FAILURE_LIMIT = env.int("TEICHAKU_LOGIN_ADDRESS_FAILURE_LIMIT", default=100)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # each on its own, limits in AXES_HANDLER
AXES_HANDLER = "offices.lockout.UsernameAndAddressHandler"
AXES_RESET_ON_SUCCESS = True  # only the username's own failures (offices.lockout)
AXES_LOCKOUT_CALLABLE = "core.views.login_locked_out"
AXES_CLIENT_IP_CALLABLE = "core.audit.client_address"  # the same address as the audit trail
AXES_VERBOSE = False
# Two-factor login (offices.two_factor): the name authenticator apps show; 1, 2, 4 … seconds
# between tries after a wrong code.
OTP_TOTP_ISSUER = "Teichaku"
OTP_TOTP_THROTTLE_FACTOR = 1
# The admin lists TOTP devices (to delete a lost phone's) without showing their keys.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "ja"
LANGUAGES = [("ja", _("Japanese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# Bootstrap's dist files come from the bootstrap-wrapper wheel and are served locally (WhiteNoise),
# never from a CDN.
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("vendor/bootstrap", str(bootstrap_wrapper.get_bootstrap_dir())),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "media/"
# Hand-over documents (plans.documents): outside the web root, served only by a scoped view.
TEICHAKU_PRIVATE_MEDIA_ROOT = env.str(
    "TEICHAKU_PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media")
)
TEICHAKU_HANDOVER_MAX_BYTES = env.int("TEICHAKU_HANDOVER_MAX_BYTES", default=10 * 1024 * 1024)

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Uploads: CSV imports are refused above this size, with a clear message (core.tabular).
IMPORT_MAX_UPLOAD_BYTES = env.int("TEICHAKU_IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = IMPORT_MAX_UPLOAD_BYTES + 1024 * 1024
# An uploaded XLSX (a zip archive) is refused before it is read when its parts would expand to
# more than this, or one is compressed more than 100 to 1 (core.tabular.xlsx_archive_problem).
TEICHAKU_XLSX_MAX_UNCOMPRESSED_BYTES = env.int(
    "TEICHAKU_XLSX_MAX_UNCOMPRESSED_BYTES", default=50 * 1000 * 1000
)
TEICHAKU_TRUSTED_PROXIES = env.list("TEICHAKU_TRUSTED_PROXIES", default=[])  # core.audit
# The open survey link: answers stored per browser address and hour (surveys/protection.py).
TEICHAKU_SURVEY_SUBMISSIONS_PER_HOUR = env.int("TEICHAKU_SURVEY_SUBMISSIONS_PER_HOUR", default=30)

EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
globals().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env.str("DJANGO_DEFAULT_FROM_EMAIL", default="teichaku@localhost")

# The cache (the survey link's throttle): Redis at CACHE_URL, else at a redis:// Celery broker,
# else local memory (one process's own count: enough for a one-machine install).
_CACHE_URL = env.str("CACHE_URL", default="") or (
    os.environ.get("CELERY_BROKER_URL", "")
    if os.environ.get("CELERY_BROKER_URL", "").startswith(("redis://", "rediss://"))
    else ""
)
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": _CACHE_URL}
    if _CACHE_URL
    else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
}

# The REST API (api/, docs/api.md): personal Bearer tokens only (no session, so no CSRF), JSON
# only, Japanese error messages, a rate limit per token counted in the cache above.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.authentication.BearerTokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_THROTTLE_CLASSES": ["api.throttling.TokenRateThrottle"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Calls per token and period ("120/min", "5000/hour"); over it: 429 with Retry-After.
TEICHAKU_API_RATE = env.str("TEICHAKU_API_RATE", default="120/min")
SPECTACULAR_SETTINGS = {
    "TITLE": "Teichaku API",
    "DESCRIPTION": (
        "就労定着支援の記録を、画面と同じ権限・同じ監査で読み書きする API（docs/api.md）"
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.empty_means_absent",
    ],
    # Swagger UI from the drf-spectacular-sidecar package's static files: no CDN. (Redoc is not
    # offered: its page loads fonts and a logo from the internet.)
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "SWAGGER_UI_SETTINGS": {"persistAuthorization": False},
}

# Celery: no broker configured means tasks run eagerly in-process.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="")
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=CELERY_BROKER_URL or None)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = True
if not CELERY_BROKER_URL:
    CELERY_BROKER_URL = "memory://"
CELERY_TIMEZONE = TIME_ZONE
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# A message taken by a worker that died comes back to the queue after this many seconds.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env.int("TEICHAKU_JOB_VISIBILITY_SECONDS", default=10 * 60)
}
# An unreachable broker must fail a page in seconds, not hang it (core.jobs.enqueue).
CELERY_BROKER_CONNECTION_TIMEOUT = 2
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.5,
    "interval_max": 0.5,
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 2
CELERY_REDIS_SOCKET_TIMEOUT = 5
# Jobs that stop showing signs of life are failed by the sweeper (core.jobs.sweep). The stale
# limit is longer than the visibility timeout, so a redelivered job gets its chance first.
# The 国保連 claim file (docs/data-contracts.md 5.5): values the project could not verify, so
# set by the operator, never guessed; the file is refused while either is unset.
# The control record's データ種別 (3 half-width characters) when J611 travels with J111/J121.
TEICHAKU_CLAIM_DATA_KIND = env.str("TEICHAKU_CLAIM_DATA_KIND", default="")
# The 様式種別番号 of the 就労定着支援 service record (J611 field 7: form 2 digits + branch 2).
TEICHAKU_CLAIM_SERVICE_RECORD_FORM = env.str("TEICHAKU_CLAIM_SERVICE_RECORD_FORM", default="")
TEICHAKU_JOB_STALE_MINUTES = env.int("TEICHAKU_JOB_STALE_MINUTES", default=15)
TEICHAKU_JOB_PENDING_MINUTES = env.int("TEICHAKU_JOB_PENDING_MINUTES", default=30)
CELERY_BEAT_SCHEDULE = {
    "daily-reminders": {
        "task": "contacts.tasks.send_daily_reminders",
        "schedule": crontab(hour=7, minute=0),
    },
    "sweep-jobs": {"task": "core.tasks.sweep_jobs", "schedule": 5 * 60},
    # Check-ins due (LINE questions) and silence warnings (voice.warning), before the reminders.
    "check-in-round": {
        "task": "voice.tasks.check_in_round",
        "schedule": crontab(hour=6, minute=30),
    },
}

# The person's own channel (voice/, docs/line.md): the LINE Messaging API's base address (tests
# point it at a local stand-in), the key that encrypts each office's channel secret and token,
# and how long link codes, check-in links and employer links stay valid.
LINE_API_BASE = env.str("LINE_API_BASE", default="https://api.line.me")
TEICHAKU_SECRETS_KEY = env.str("TEICHAKU_SECRETS_KEY", default="")
# Without that key only a debugging install (DJANGO_DEBUG=true) may derive one from SECRET_KEY.
TEICHAKU_SECRETS_KEY_DERIVED = DEBUG
TEICHAKU_LINE_LINK_CODE_MINUTES = env.int("TEICHAKU_LINE_LINK_CODE_MINUTES", default=30)
TEICHAKU_CHECK_IN_LINK_DAYS = env.int("TEICHAKU_CHECK_IN_LINK_DAYS", default=90)
TEICHAKU_EMPLOYER_SHARE_DAYS = env.int("TEICHAKU_EMPLOYER_SHARE_DAYS", default=90)

SESSION_COOKIE_HTTPONLY = True
# Signed out after this much inactivity: each request pushes the expiry on (sliding).
SESSION_COOKIE_AGE = env.int("DJANGO_SESSION_COOKIE_AGE", default=30 * 60)
# Sliding: the session's expiry is pushed on at most once every TEICHAKU_SESSION_RENEW_SECONDS
# (core.sessions), not written on every request.
SESSION_SAVE_EVERY_REQUEST = False
TEICHAKU_SESSION_RENEW_SECONDS = env.int("TEICHAKU_SESSION_RENEW_SECONDS", default=60)
# A form with a missing or stale token gets a page in Japanese, not the technical page.
CSRF_FAILURE_VIEW = "core.errors.csrf_failure"
X_FRAME_OPTIONS = "DENY"
# django-csp 4: the app loads nothing from elsewhere and has no inline script, style or event
# handler; the two print pages' <style> carries the request's nonce. Bootstrap's CSS draws its
# icons (select arrows, check marks) from data: images.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [NONE],
        "script-src": [SELF],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [NONE],
        "object-src": [NONE],
    },
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if not DEBUG:
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env.bool("DJANGO_HSTS_PRELOAD", default=True)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "teichaku.audit": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="WARNING")},
}
