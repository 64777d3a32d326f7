"""GOV.UK Notify's delivery receipts: Notify calls this with the bearer token set in its callback settings, once
for each message whose delivery it knows about (docs/correspondence.md, "Delivery")."""

from __future__ import annotations

import hmac
import json
import logging
from datetime import UTC

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from opencomplaints.notifications.services import message_delivery_record

__all__ = ["NOTIFY_DELIVERED", "NOTIFY_FAILED", "notify_receipt"]

logger = logging.getLogger(__name__)

# Notify's statuses (its API documentation, "Delivery receipts"): an email is delivered; a letter is received by
# the post office. The others in between (sending, created, accepted, pending-virus-check) change nothing here.
NOTIFY_DELIVERED = frozenset({"delivered", "received"})
NOTIFY_FAILED = {
    "permanent-failure": "the email address or postal address does not exist or is no longer used",
    "temporary-failure": "the recipient's inbox was full or their email provider did not accept it in time",
    "technical-failure": "GOV.UK Notify had a technical problem sending it",
    "virus-scan-failed": "GOV.UK Notify found a virus in the letter",
    "validation-failed": "GOV.UK Notify could not print the letter as it was laid out",
    "cancelled": "the letter was cancelled before it was printed",
}
RECEIPT_LIMIT = 20_000


def _problem(status: int, detail: str) -> JsonResponse:
    return JsonResponse({"title": detail}, status=status)


@csrf_exempt
@require_POST
def notify_receipt(request: HttpRequest) -> HttpResponse:
    token = settings.NOTIFY_CALLBACK_TOKEN
    if not token:
        return _problem(404, "Delivery receipts are not switched on in this installation.")
    given = request.headers.get("Authorization", "")
    if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        return _problem(401, "The delivery receipt did not carry the bearer token set for GOV.UK Notify.")
    if len(request.body) > RECEIPT_LIMIT:
        return _problem(413, "A delivery receipt is a small JSON object; this one is too large.")
    try:
        receipt = json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError):
        return _problem(400, "A delivery receipt must be a JSON object.")
    if not isinstance(receipt, dict) or not isinstance(receipt.get("id"), str):
        return _problem(400, "A delivery receipt must be a JSON object with the notification's id.")
    status = str(receipt.get("status", ""))
    if status not in NOTIFY_DELIVERED and status not in NOTIFY_FAILED:
        return HttpResponse(status=204)  # still on its way: nothing to record yet
    at = parse_datetime(str(receipt.get("completed_at") or "")) or timezone.now()
    if timezone.is_naive(at):
        at = timezone.make_aware(at, UTC)
    message = message_delivery_record(
        provider="notify",
        provider_id=receipt["id"],
        delivered=status in NOTIFY_DELIVERED,
        detail=NOTIFY_FAILED.get(status, ""),
        at=at,
    )
    if message is None:
        # Not one of ours (or removed since): Notify retries a receipt that is refused, so it is taken and logged.
        logger.info("GOV.UK Notify receipt for an unknown notification %s", receipt["id"][:64])
    return HttpResponse(status=204)
