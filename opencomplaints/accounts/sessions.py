"""How long a signed-in session lasts: it ends after a spell of inactivity (``SESSION_IDLE_MINUTES``) and, however
busy, a fixed time after signing in (``SESSION_MAX_HOURS``), so a screen left unlocked or a stolen cookie stops
working.

Both times are kept in the session as Unix seconds. The last-seen time is written at most once a minute rather than
on every request (``SESSION_SAVE_EVERY_REQUEST``): on SQLite every write takes the database's single write lock, and
a minute is nothing against a 30-minute timeout.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.sessions.backends.base import SessionBase

__all__ = ["LAST_SEEN_AT", "SIGNED_IN_AT", "session_expiry_reason", "session_start", "session_touch"]

SIGNED_IN_AT = "opencomplaints_signed_in_at"
LAST_SEEN_AT = "opencomplaints_last_seen_at"
# Last-seen times closer together than this are not written back.
TOUCH_SECONDS = 60

IDLE = "idle"
TOO_LONG = "too_long"


def _idle_seconds() -> int:
    return int(settings.OPENCOMPLAINTS["SESSION_IDLE_MINUTES"]) * 60


def _max_seconds() -> int:
    return int(settings.OPENCOMPLAINTS["SESSION_MAX_HOURS"]) * 3600


def session_start(session: SessionBase, *, now: float) -> None:
    """Stamp a session that has just been signed in to."""
    session[SIGNED_IN_AT] = int(now)
    session[LAST_SEEN_AT] = int(now)


def session_expiry_reason(session: SessionBase, *, now: float) -> str | None:
    """``"idle"`` or ``"too_long"`` when the signed-in session must end, else ``None``.

    A session without the stamps (signed in before they existed, or by a route that does not stamp) is not ended
    here: :func:`session_touch` stamps it, and its clock runs from then."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    if now - int(signed_in_at) >= _max_seconds():
        return TOO_LONG
    if now - int(last_seen_at) >= _idle_seconds():
        return IDLE
    return None


def session_touch(session: SessionBase, *, now: float) -> None:
    """Record activity, writing the session only when the last record is more than a minute old."""
    if session.get(SIGNED_IN_AT) is None or session.get(LAST_SEEN_AT) is None:
        session_start(session, now=now)
    elif now - int(session[LAST_SEEN_AT]) >= TOUCH_SECONDS:
        session[LAST_SEEN_AT] = int(now)
