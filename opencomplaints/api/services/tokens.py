"""Making and revoking personal API tokens (docs/api.md). The token itself is returned once and never stored."""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.api.models import ApiToken, TokenScope, token_digest
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, CouncilMembership

__all__ = ["MAX_DAYS", "TOKEN_PREFIX", "TokenError", "api_token_create", "api_token_revoke"]

TOKEN_PREFIX = "oc"  # noqa: S105 - the marker every token starts with, not a secret
#: A token lasts a year at most: an integration renews its token, and one forgotten stops working.
MAX_DAYS = 366


class TokenError(DomainError):
    """A token that cannot be made or changed as asked."""


def _new_token() -> tuple[str, str]:
    prefix = secrets.token_hex(6)
    return prefix, f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"


@transaction.atomic
def api_token_create(
    *,
    user: User,
    acting_user: User | None,
    name: str,
    scope: str,
    councils: Sequence[Council] = (),
    expires_in_days: int | None = 90,
    now: datetime | None = None,
) -> tuple[ApiToken, str]:
    """A new token for ``user`` and the token itself, to show once. ``councils`` narrows it to some of the user's
    councils (none: all of them); ``scope`` is ``read`` or ``write``; it expires after ``expires_in_days``."""
    now = now or timezone.now()
    name = name.strip()
    if not name:
        raise TokenError("Enter what the token is for, so you know which one to revoke later.", field="name")
    if len(name) > 100:
        raise TokenError("The name must be 100 characters or fewer.", field="name")
    if scope not in TokenScope.values:
        raise TokenError("Choose read or write for the token's scope.", field="scope")
    if not user.is_active:
        raise TokenError(f"{user.username} cannot sign in, so cannot have an API token.", field="user")
    if expires_in_days is not None and not 1 <= expires_in_days <= MAX_DAYS:
        raise TokenError(f"A token lasts from 1 to {MAX_DAYS} days.", field="expires")
    member_of = set(CouncilMembership.objects.filter(user=user).values_list("council_id", flat=True))
    outside = [c.name for c in councils if c.pk not in member_of]
    if outside:
        raise TokenError(f"{user.username} is not a member of {', '.join(outside)}.", field="council")
    if not member_of and not user.is_superuser:
        raise TokenError(f"{user.username} is not a member of any council, so a token could read nothing.")
    prefix, token = _new_token()
    row = ApiToken.objects.create(
        user=user,
        name=name,
        prefix=prefix,
        digest=token_digest(token),
        scope=scope,
        created_at=now,
        expires_at=None if expires_in_days is None else now + timedelta(days=expires_in_days),
    )
    row.councils.set(councils)
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.API_TOKEN_CREATED,
        subject=row,
        summary=f"API token {prefix} created for user {user.pk}",
        after={
            "user": user.pk,
            "scope": scope,
            "councils": sorted(c.pk for c in councils),
            "expires_at": row.expires_at.isoformat() if row.expires_at else None,
        },
    )
    return row, token


@transaction.atomic
def api_token_revoke(*, token: ApiToken, acting_user: User | None, now: datetime | None = None) -> ApiToken:
    """Stop ``token`` working, at once and for good."""
    if token.revoked_at is not None:
        raise TokenError("This token is already revoked.")
    token.revoked_at = now or timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.API_TOKEN_REVOKED,
        subject=token,
        summary=f"API token {token.prefix} revoked",
        after={"revoked_at": token.revoked_at.isoformat()},
    )
    return token
