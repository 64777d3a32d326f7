"""What councils tells the layers above it without importing them (layers point down only, docs/adr/0009-layers.md).

``role_request_made`` is sent, in the request's transaction, when a system administrator asks for a role that sees
case content: ``role_request`` and the other administrators to alert (``recipients``). The messages app
(``notifications.receivers``) queues an email to each; a request rolled back sends nothing.
"""

from django.dispatch import Signal

__all__ = ["role_request_made"]

role_request_made = Signal()
