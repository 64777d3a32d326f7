"""Settings for the test suite: fast hashing, no network, an in-memory SQLite database unless DATABASE_URL is set."""

import tempfile
from pathlib import Path

from opencomplaints.config.env import env
from opencomplaints.config.settings.base import *  # noqa: F403
from opencomplaints.config.settings.base import DATABASES, TASKS

SECRET_KEY = "test-only-secret-key-not-used-anywhere-else"  # noqa: S105
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]

if not env.str("DATABASE_URL", default=""):
    DATABASES["default"] = {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}

MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="opencomplaints-test-media-"))
STATIC_ROOT = Path(tempfile.mkdtemp(prefix="opencomplaints-test-static-"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Long jobs run where they are enqueued, so a test sees their result as soon as the request returns.
TASKS = {**TASKS, "background": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend", "QUEUES": ["long"]}}
