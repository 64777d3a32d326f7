"""Production: every secret and host comes from the environment, with no insecure default."""

from opencomplaints.config.env import env
from opencomplaints.config.settings.base import *  # noqa: F403

SECRET_KEY = env.str("SECRET_KEY")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
# Never DEBUG in production, whatever the environment says: its error pages show settings and request data.
DEBUG = False

SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
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
