"""The default settings: a single machine, SQLite in a visible data folder, no other server needed."""

import secrets

from opencomplaints.config.settings.base import *  # noqa: F403
from opencomplaints.config.settings.base import DATA_DIR, SECRET_KEY, STATIC_ROOT

DATA_DIR.mkdir(parents=True, exist_ok=True)
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

if not SECRET_KEY:
    # A per-installation key kept beside the database, so nothing secret is ever committed.
    _key_file = DATA_DIR / "secret_key"
    if not _key_file.exists():
        _key_file.write_text(secrets.token_urlsafe(50))
        _key_file.chmod(0o600)
    SECRET_KEY = _key_file.read_text().strip()
