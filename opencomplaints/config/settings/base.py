"""Settings shared by every environment. Integrations switch themselves on from the environment."""

from datetime import timedelta
from pathlib import Path

import django_stubs_ext
from django.utils.csp import CSP

from opencomplaints.config.env import PACKAGE_DIR, data_dir, env

# Lets admin classes and querysets be written with type parameters (ModelAdmin[Case]) at run time too.
django_stubs_ext.monkeypatch()

DATA_DIR: Path = data_dir()

SECRET_KEY = env.str("SECRET_KEY", default="")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS: list[str] = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS: list[str] = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_forms_gds",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "oauth2_provider",
    "opencomplaints.common",
    "opencomplaints.accounts",
    "opencomplaints.audit",
    "opencomplaints.calendars",
    "opencomplaints.councils",
    "opencomplaints.cases",
    "opencomplaints.tracker",
    "opencomplaints.web",
    "opencomplaints.api",
    "opencomplaints.demo",
    "opencomplaints.casework",
    "opencomplaints.handlingcode",
    "opencomplaints.reporting",
    "opencomplaints.interchange",
    "opencomplaints.notifications",
    "opencomplaints.jobs",
    "opencomplaints.portal",
    "opencomplaints.retention",
    "opencomplaints.correspondence",
    "opencomplaints.backups",
]

MIDDLEWARE = [
    # First: counts and times every request by view, method and status (served at /metrics, web/metrics.py).
    "opencomplaints.web.metrics.RequestMetricsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "opencomplaints.accounts.middleware.SessionLifetimeMiddleware",
    "opencomplaints.accounts.middleware.SignedInNoStoreMiddleware",
    "opencomplaints.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes asks: it turns a refused sign-in into the locked-out page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "opencomplaints.config.urls"
WSGI_APPLICATION = "opencomplaints.config.wsgi.application"

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
                "opencomplaints.web.context_processors.service",
                "opencomplaints.accounts.context_processors.two_factor",
            ],
        },
    },
]

DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{DATA_DIR / 'opencomplaints.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the tracker read while a background job writes; IMMEDIATE avoids "database is locked" on upgrade.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No JIT compilation: the access function's ORs of subqueries make PostgreSQL estimate the tracker's queries
    # above jit_above_cost, and it then spent about 0.1 s compiling for each query that ran in a few milliseconds
    # (the tracker took 0.36 s instead of 0.05 s at 100,000 cases; docs/performance.md). Behind PgBouncer, which
    # refuses this start-up option, set it on the database instead: ALTER DATABASE ... SET jit = off.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    if env.bool("OPENCOMPLAINTS_POSTGRES_JIT_OFF", default=True):
        _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DATABASES["default"]["ATOMIC_REQUESTS"] = False
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "tracker:case-list"
LOGOUT_REDIRECT_URL = "accounts:login"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
LANGUAGES = [("en-gb", "English")]
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [PACKAGE_DIR / "locale"]

STATIC_URL = "/static/"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(DATA_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "documents")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Serve the packaged static files directly, so `opencomplaints demo` needs no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

CRISPY_ALLOWED_TEMPLATE_PACKS = ["gds"]
CRISPY_TEMPLATE_PACK = "gds"

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "opencomplaints.api.authentication.ClientCredentialsAuthentication",
        "opencomplaints.api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "opencomplaints.api.errors.exception_handler",
    "DEFAULT_THROTTLE_CLASSES": ["opencomplaints.api.throttling.CredentialRateThrottle"],
}
# OAuth 2.0 client credentials for system integrations (opencomplaints/api/oauth.py, docs/adr/0023): only the
# client-credentials grant, an hour's access token, the read and write scopes of personal tokens.
RFC9700_GATES = [
    "IMPLICIT_GRANT", "PASSWORD_GRANT", "PKCE_METHOD", "ACCESS_TOKEN_TRANSPORT", "AUTHZ_RESPONSE_ISS", "TOKEN_STORAGE",
    "REFRESH_TOKEN", "REDIRECT_URI_SCHEME", "REDIRECT_URI_MATCHING", "PKCE_REQUIRED",
]  # fmt: skip
OAUTH2_PROVIDER = {
    "SCOPES": {"read": "Read cases", "write": "Read and change cases"},
    "DEFAULT_SCOPES": ["read"],
    "ACCESS_TOKEN_EXPIRE_SECONDS": 3600,
    "OAUTH2_VALIDATOR_CLASS": "opencomplaints.api.oauth.ClientValidator",
    # RFC 9700 (the OAuth 2.0 security best current practice) throughout: tokens stored hashed, never in a URL.
    **{f"COMPLIANT_BCP_RFC9700_{gate}": True for gate in RFC9700_GATES},
    "REFRESH_TOKEN_REUSE_PROTECTION": True,
    "ALLOWED_REDIRECT_URI_SCHEMES": ["https"],
}
OAUTH2_PROVIDER_APPLICATION_MODEL = "oauth2_provider.Application"
SPECTACULAR_SETTINGS = {
    "TITLE": "OpenComplaints API",
    "DESCRIPTION": "Case management and statutory reporting for children's social care complaints.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The API documentation pages load their scripts from this server, never from a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for a choice set several resources share (a case's procedure, an Ombudsman case's complaint's).
    "ENUM_NAME_OVERRIDES": {
        "ProcedureEnum": "opencomplaints.cases.constants.Procedure",
        # The jobs' (api/jobs.py): a report file's or export's state (the same set), an import's, the reports'.
        "JobFileStatusEnum": "opencomplaints.reporting.models.ReportFileStatus",
        "ImportStatusEnum": "opencomplaints.interchange.models.ImportRun.Status",
        "ReportProcedureEnum": "opencomplaints.reporting.models.PROCEDURE_CHOICES",
    },
}

# --- Signing in (opencomplaints/accounts) -------------------------------------------------------------------
# Argon2 (the password-hashing competition's winner) for new and changed passwords; the others only read hashes
# made before it was the default, and re-hash them with Argon2 at the next sign-in.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# django-axes first: it refuses a locked-out username and address before any password is checked.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
# Lock a username from one address out after this many failed attempts, for this long; a success resets the count.
AXES_FAILURE_LIMIT = env.int("OPENCOMPLAINTS_SIGN_IN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("OPENCOMPLAINTS_SIGN_IN_LOCKOUT_MINUTES", default=30))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "opencomplaints.accounts.views.locked_out"
# Sign-ins are in the audit trail; axes keeps only the failed attempts a lockout needs, and logs no usernames.
AXES_DISABLE_ACCESS_LOG = True
AXES_VERBOSE = False
# The address of the person signing in, as the portal's rate limit reads it (behind trusted proxies).
AXES_CLIENT_IP_CALLABLE = "opencomplaints.accounts.throttling.sign_in_client_address"
OTP_TOTP_ISSUER = env.str("OPENCOMPLAINTS_SERVICE_NAME", default="OpenComplaints")

# Single sign-on through the council's identity provider (OpenID Connect), only when OIDC_RP_CLIENT_ID is set.
# People are matched to existing accounts by email address; none is ever created.
OIDC_RP_CLIENT_ID = env.str("OIDC_RP_CLIENT_ID", default="")
OIDC_RP_CLIENT_SECRET = env.str("OIDC_RP_CLIENT_SECRET", default="")
OIDC_OP_AUTHORIZATION_ENDPOINT = env.str("OIDC_OP_AUTHORIZATION_ENDPOINT", default="")
OIDC_OP_TOKEN_ENDPOINT = env.str("OIDC_OP_TOKEN_ENDPOINT", default="")
OIDC_OP_USER_ENDPOINT = env.str("OIDC_OP_USER_ENDPOINT", default="")
OIDC_OP_JWKS_ENDPOINT = env.str("OIDC_OP_JWKS_ENDPOINT", default="")
OIDC_RP_SIGN_ALGO = env.str("OIDC_RP_SIGN_ALGO", default="RS256")
OIDC_RP_SCOPES = "openid email"
OIDC_CREATE_USER = False
OIDC_AUTHENTICATION_CALLBACK_URL = "accounts:oidc-callback"
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
if OIDC_RP_CLIENT_ID:
    AUTHENTICATION_BACKENDS.append("opencomplaints.accounts.oidc.StaffOIDCBackend")

# Sessions end after OPENCOMPLAINTS["SESSION_IDLE_MINUTES"] without a request and OPENCOMPLAINTS["SESSION_MAX_HOURS"]
# after signing in (accounts/sessions.py); the cookie goes when the browser closes, and the row when it expires.
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_AGE = env.int("OPENCOMPLAINTS_SESSION_MAX_HOURS", default=8) * 3600
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"

# --- Hardening ---------------------------------------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
# Content security policy: everything from this server, no inline script or style, no framing, forms post here.
# The two-factor QR code is inline SVG markup, so images need no data: URIs.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
    "form-action": [CSP.SELF],
}
# Uploads: documents are limited by OPENCOMPLAINTS["MAX_UPLOAD_BYTES"] and sniffed (casework/sniffing.py); ordinary
# form posts stay small, and uploaded files are readable by this service's user only.
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_NUMBER_FIELDS = 2000
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # No personal data in the logs: query strings, posted values, email addresses, postcodes and phone numbers are
    # scrubbed from every record (opencomplaints/common/log_scrubbing.py).
    "filters": {"personal_data": {"()": "opencomplaints.common.log_scrubbing.PersonalDataFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The development server's request lines carry query strings: through the scrubbing handler, not Django's own.
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}

OPENCOMPLAINTS = {
    "SERVICE_NAME": env.str("OPENCOMPLAINTS_SERVICE_NAME", default="OpenComplaints"),
    # R5.11: day 0 for a representation received on a non-working day. "actual_date" or "next_working_day".
    "RECEIPT_RULE": env.str("OPENCOMPLAINTS_RECEIPT_RULE", default="actual_date"),
    # The largest document a case may hold, in bytes (20 MB).
    "MAX_UPLOAD_BYTES": env.int("OPENCOMPLAINTS_MAX_UPLOAD_BYTES", default=20 * 1024 * 1024),
    # The largest records file an import reads, in bytes (50 MiB); a larger one is refused before it is read.
    "MAX_IMPORT_BYTES": env.int("OPENCOMPLAINTS_MAX_IMPORT_BYTES", default=50 * 1024 * 1024),
    # R6.7: published tables show counts below this as "<5" (with secondary suppression); true zeros stay.
    "SUPPRESSION_MIN_CELL": env.int("OPENCOMPLAINTS_SUPPRESSION_MIN_CELL", default=5),
}

# Messages, background jobs and the public portal (docs/adr/0004-background-jobs.md).
OPENCOMPLAINTS.update(
    {
        # Where links in emails point: the address people reach this installation at.
        "SITE_URL": env.str("OPENCOMPLAINTS_SITE_URL", default="http://127.0.0.1:8000"),
        # Case owners are reminded this many working days before each deadline.
        "REMINDER_WORKING_DAYS": env.int("OPENCOMPLAINTS_REMINDER_WORKING_DAYS", default=3),
        # A message that could not be sent is tried again after each of these delays, then marked failed.
        "MESSAGE_RETRY_MINUTES": env.list(
            "OPENCOMPLAINTS_MESSAGE_RETRY_MINUTES", cast=int, default=[1, 5, 30, 120, 720]
        ),
        # The scheduler: the daily deadline scan and the weekly digest, London time.
        "DEADLINE_SCAN_AT": env.str("OPENCOMPLAINTS_DEADLINE_SCAN_AT", default="06:00"),
        "WEEKLY_DIGEST_DAY": env.str("OPENCOMPLAINTS_WEEKLY_DIGEST_DAY", default="monday"),
        "WEEKLY_DIGEST_AT": env.str("OPENCOMPLAINTS_WEEKLY_DIGEST_AT", default="07:00"),
        # A job that raises is run again after each of these delays (seconds) before it is left failed.
        "JOB_RETRY_SECONDS": env.list("OPENCOMPLAINTS_JOB_RETRY_SECONDS", cast=int, default=[30, 120, 600]),
        # How often each worker looks for jobs whose worker died mid-job (heartbeat lapsed), to retry them.
        "JOB_ABANDONED_CHECK_SECONDS": env.int("OPENCOMPLAINTS_JOB_ABANDONED_CHECK_SECONDS", default=30),
        # A daily job (at DEADLINE_SCAN_AT) closes a complaint once the window to ask for its next stage has passed
        # (R1.22, R1.29, R3.9): "true" for every council, "false" for none, or the slugs of the councils that want it.
        "AUTO_CLOSE_AFTER_WINDOW": env.str("OPENCOMPLAINTS_AUTO_CLOSE_AFTER_WINDOW", default="true"),
        # The public portal: how long a follow link works, and how many submissions one address may make.
        "FOLLOW_LINK_DAYS": env.int("OPENCOMPLAINTS_FOLLOW_LINK_DAYS", default=30),
        "PORTAL_RATE_LIMIT": env.int("OPENCOMPLAINTS_PORTAL_RATE_LIMIT", default=10),
        "PORTAL_RATE_LIMIT_SECONDS": env.int("OPENCOMPLAINTS_PORTAL_RATE_LIMIT_SECONDS", default=3600),
        # Requests a minute for each API credential (opencomplaints/api/throttling.py).
        "API_RATE_LIMIT": env.int("OPENCOMPLAINTS_API_RATE_LIMIT", default=600),
        "PORTAL_MAX_REQUEST_BYTES": env.int("OPENCOMPLAINTS_PORTAL_MAX_REQUEST_BYTES", default=10 * 1024 * 1024),
        # Proxies in front of the portal that add X-Forwarded-For (0: use the connecting address).
        "PORTAL_TRUSTED_PROXIES": env.int("OPENCOMPLAINTS_PORTAL_TRUSTED_PROXIES", default=0),
        # Report files (DOCX, PDF, XLSX, JSON) asked for from the report page are deleted this many days later.
        "REPORT_FILE_DAYS": env.int("OPENCOMPLAINTS_REPORT_FILE_DAYS", default=7),
    }
)

# Email coming in: the shared mailbox read over IMAP (docs/adr/0016-inbound-email.md). Nothing is polled while
# IMAP_HOST is empty. Messages are filed for the council whose slug is IMAP_COUNCIL.
OPENCOMPLAINTS.update(
    {
        "IMAP_HOST": env.str("OPENCOMPLAINTS_IMAP_HOST", default=""),
        "IMAP_PORT": env.int("OPENCOMPLAINTS_IMAP_PORT", default=993),
        "IMAP_SSL": env.bool("OPENCOMPLAINTS_IMAP_SSL", default=True),
        "IMAP_USER": env.str("OPENCOMPLAINTS_IMAP_USER", default=""),
        "IMAP_PASSWORD": env.str("OPENCOMPLAINTS_IMAP_PASSWORD", default=""),
        "IMAP_FOLDER": env.str("OPENCOMPLAINTS_IMAP_FOLDER", default="INBOX"),
        "IMAP_COUNCIL": env.str("OPENCOMPLAINTS_IMAP_COUNCIL", default=""),
        # How often the worker's scheduler reads the mailbox, and the waits between tries to connect.
        "IMAP_POLL_MINUTES": env.int("OPENCOMPLAINTS_IMAP_POLL_MINUTES", default=5),
        "IMAP_RETRY_SECONDS": env.list("OPENCOMPLAINTS_IMAP_RETRY_SECONDS", cast=float, default=[1, 5, 15]),
    }
)

# GOV.UK Notify sends messages when NOTIFY_API_KEY is set; otherwise Django's email backend does (EMAIL_URL:
# smtp://user:password@host:587 with +tls, or the console by default).
NOTIFY_API_KEY = env.str("NOTIFY_API_KEY", default="")
NOTIFY_BASE_URL = env.str("NOTIFY_BASE_URL", default="https://api.notifications.service.gov.uk")
# Notify templates showing ((subject)) and ((body)), for messages whose template has no Notify template of its own.
NOTIFY_EMAIL_TEMPLATE_ID = env.str("NOTIFY_EMAIL_TEMPLATE_ID", default="")
NOTIFY_LETTER_TEMPLATE_ID = env.str("NOTIFY_LETTER_TEMPLATE_ID", default="")
# The bearer token GOV.UK Notify sends with its delivery receipts (set in Notify's "Callbacks" settings, with the
# URL /notifications/notify/receipts/); the receipts are refused while it is blank.
NOTIFY_CALLBACK_TOKEN = env.str("NOTIFY_CALLBACK_TOKEN", default="")
_email = env.email_url("EMAIL_URL", default="consolemail://")
MAILERS = {
    "default": {
        "BACKEND": _email["EMAIL_BACKEND"],
        "OPTIONS": {
            "host": _email.get("EMAIL_HOST", "localhost"),
            "port": _email.get("EMAIL_PORT") or None,
            "username": _email.get("EMAIL_HOST_USER", ""),
            "password": _email.get("EMAIL_HOST_PASSWORD", ""),
            "use_tls": _email.get("EMAIL_USE_TLS", False),
            "use_ssl": _email.get("EMAIL_USE_SSL", False),
        }
        if _email["EMAIL_BACKEND"].endswith("smtp.EmailBackend")
        else {},
    }
}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="OpenComplaints <no-reply@localhost>")

# Background jobs run in-process (the demo needs no Redis) unless REDIS_URL names a Redis for `opencomplaints worker`.
REDIS_URL = env.str("REDIS_URL", default="")
RQ_QUEUES = {
    "default": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 3600,
        "QUEUE_CLASS": "opencomplaints.jobs.queues.RetryingQueue",
    },
    # Imports and report files: their own queue, so a long one never holds up messages (`worker --queue`).
    "long": {
        "URL": REDIS_URL or "redis://127.0.0.1:6379/0",
        "DEFAULT_TIMEOUT": 4 * 3600,
        "QUEUE_CLASS": "opencomplaints.jobs.queues.RetryingQueue",
    },
}
TASKS = {
    # Short jobs (sending messages, the scheduled scans): run where they are enqueued when there is no Redis.
    "default": {
        "BACKEND": "django_tasks_rq.RQBackend" if REDIS_URL else "django.tasks.backends.immediate.ImmediateBackend",
        "QUEUES": ["default"],
    },
    # Long jobs a person starts (imports, report files): without Redis, a small pool of threads in the web
    # process, so the request returns at once and the page can show progress.
    "background": {
        "BACKEND": "django_tasks_rq.RQBackend" if REDIS_URL else "django_tasks_local.ThreadPoolBackend",
        "QUEUES": ["long"],
        "OPTIONS": {} if REDIS_URL else {"MAX_WORKERS": env.int("OPENCOMPLAINTS_BACKGROUND_THREADS", default=2)},
    },
}
if REDIS_URL:
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    # The worker is another process: progress figures it writes must reach the web process.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}}

# Signing in and records retention (opencomplaints/accounts, opencomplaints/retention, docs/adr/0006-retention.md).
OPENCOMPLAINTS.update(
    {
        # Staff enter a code from an authenticator app after their password. Always on under the production
        # settings; `opencomplaints demo` turns it off for the local demonstration only.
        "REQUIRE_TWO_FACTOR": env.bool("OPENCOMPLAINTS_REQUIRE_TWO_FACTOR", default=True),
        "SESSION_IDLE_MINUTES": env.int("OPENCOMPLAINTS_SESSION_IDLE_MINUTES", default=30),
        "SESSION_MAX_HOURS": SESSION_COOKIE_AGE // 3600,
        "SIGN_IN_LOCKOUT_MINUTES": int(AXES_COOLOFF_TIME.total_seconds() // 60),
        # Personal data of a closed case is removed this many years after it closed (unless a legal hold stops it),
        # by the daily job at RETENTION_RUN_AT (London time).
        "RETENTION_YEARS": env.int("OPENCOMPLAINTS_RETENTION_YEARS", default=6),
        "RETENTION_RUN_AT": env.str("OPENCOMPLAINTS_RETENTION_RUN_AT", default="02:30"),
    }
)

# Backups (opencomplaints/backups): `opencomplaints backup --out FILE`, and a daily one at BACKUP_AT (London time)
# into BACKUP_DIR when it is set, keeping the newest BACKUP_KEEP. Encrypted with BACKUP_PASSPHRASE when it is set.
OPENCOMPLAINTS.update(
    {
        "BACKUP_DIR": env.str("OPENCOMPLAINTS_BACKUP_DIR", default=""),
        "BACKUP_AT": env.str("OPENCOMPLAINTS_BACKUP_AT", default="01:30"),
        "BACKUP_KEEP": env.int("OPENCOMPLAINTS_BACKUP_KEEP", default=14),
        "BACKUP_PASSPHRASE": env.str("OPENCOMPLAINTS_BACKUP_PASSPHRASE", default=""),
    }
)

# Prometheus metrics at /metrics only for a scraper that sends this bearer token; 404 when it is unset.
OPENCOMPLAINTS["METRICS_TOKEN"] = env.str("OPENCOMPLAINTS_METRICS_TOKEN", default="")
