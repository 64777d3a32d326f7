"""What accounts tells the layers above it without importing them (layers point down only, docs/adr/0009-layers.md).

``security_notice_due`` is sent, in the caller's transaction, when someone's two-factor sign-in changed or a recovery
code was used and they have an email address: ``user``, the change's audit ``event``, the ``change`` in words, and
the ``acting_user``. The messages app (``notifications.receivers``) queues the email; a change rolled back sends
nothing, because the queued message rolls back with it.
"""

from django.dispatch import Signal

__all__ = ["security_notice_due"]

security_notice_due = Signal()
