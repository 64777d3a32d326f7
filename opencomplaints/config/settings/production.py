"""Production: every secret and host comes from the environment, with no insecure default."""

from django.core.checks.mail import NON_PRODUCTION_EMAIL_BACKENDS
from django.core.exceptions import ImproperlyConfigured

from opencomplaints.config.env import env
from opencomplaints.config.settings.base import *  # noqa: F403
from opencomplaints.config.settings.base import DATABASES, LOGGING, MAILERS, NOTIFY_API_KEY

SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# No silent SQLite file in a container's scratch space: the database is named, and so is the address in emails.
_database_url = env.str("DATABASE_URL")
# Keep each web thread's connection for a minute rather than opening one per request; checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
OPENCOMPLAINTS["SITE_URL"] = env.str("OPENCOMPLAINTS_SITE_URL")  # noqa: F405

# Messages go through GOV.UK Notify (NOTIFY_API_KEY) or a real mail server (EMAIL_URL). The console backend, the
# development default, would print every message, names included, to the log unscrubbed: refuse to start.
if not NOTIFY_API_KEY and MAILERS["default"]["BACKEND"] in NON_PRODUCTION_EMAIL_BACKENDS:
    raise ImproperlyConfigured(
        "Set NOTIFY_API_KEY (GOV.UK Notify) or EMAIL_URL to an SMTP server, for example "
        "smtp+tls://user:password@smtp.example.gov.uk:587: the production settings never print messages to the log."
    )
if NOTIFY_API_KEY and not env.str("EMAIL_URL", default=""):
    # Notify sends every message; nothing else may fall back to printing email.
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.dummy.EmailBackend"}}
    SILENCED_SYSTEM_CHECKS = ["mail.E001"]
# Never DEBUG in production, whatever the environment says: its error pages show settings and request data.
DEBUG = False

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# The container's own health check asks over plain HTTP from inside; everything else is redirected to HTTPS.
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
# The __Host- prefix tells browsers to send these cookies only over HTTPS, only to this host, for every path.
SESSION_COOKIE_NAME = "__Host-sessionid"
CSRF_COOKIE_NAME = "__Host-csrftoken"

# Two-factor sign-in cannot be turned off in production, whatever OPENCOMPLAINTS_REQUIRE_TWO_FACTOR says.
OPENCOMPLAINTS["REQUIRE_TWO_FACTOR"] = True  # noqa: F405

# Logs: one JSON object a line on standard output, for the council's log platform, through the same filter that
# scrubs personal data (config/log_scrubbing.py). Each record carries its time, level, logger and message.
_formatters: dict[str, dict[str, object]] = LOGGING["formatters"]  # type: ignore[assignment]
_handlers: dict[str, dict[str, object]] = LOGGING["handlers"]  # type: ignore[assignment]
_formatters["json"] = {
    "()": "opencomplaints.config.json_logging.ScrubbedJsonFormatter",
    "fmt": "%(asctime)s %(levelname)s %(name)s %(process)d %(message)s",
    "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
}
_handlers["console"]["formatter"] = "json"
