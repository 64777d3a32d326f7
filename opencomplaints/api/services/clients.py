"""Registering and revoking the OAuth clients of system integrations (docs/api.md). The secret is returned once
and stored only hashed (django-oauth-toolkit hashes it on save)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from opencomplaints.accounts.models import User
from opencomplaints.api.models import ApiClient, TokenScope
from opencomplaints.api.services.tokens import TokenError
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.councils.models import Council, Role
from opencomplaints.councils.services import council_member_add

__all__ = ["INTEGRATION_ROLE", "api_client_create", "api_client_revoke"]

#: The role an integration account holds in its councils: it sees and registers their cases as a complaints
#: officer does (``cases.access``), narrowed further to reading by a read client.
INTEGRATION_ROLE = Role.COMPLAINTS_OFFICER


def _username(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:100] or "system"
    base, number = f"integration-{slug}", 1
    username = base
    while User.objects.filter(username=username).exists():
        number += 1
        username = f"{base}-{number}"
    return username


@transaction.atomic
def api_client_create(
    *,
    name: str,
    scope: str,
    councils: Sequence[Council],
    acting_user: User | None,
    now: datetime | None = None,
    client_id: str | None = None,
    secret: str | None = None,
) -> tuple[ApiClient, str, str]:
    """A new client for the system ``name``, reaching ``councils`` with ``scope`` (``read`` or ``write``), and its
    client id and secret (to show once; generated unless given, as the demonstration's published ones are). It
    acts as a new integration account, which cannot sign in to the pages (no password) and is a member of each
    council."""
    name = name.strip()
    if not name or len(name) > 100:
        raise TokenError("Enter the system's name, in 100 characters or fewer.", field="name")
    if scope not in TokenScope.values:
        raise TokenError("Choose read or write for the client's scope.", field="scope")
    if not councils:
        raise TokenError("Name at least one council the client works for.", field="council")
    user = User(username=_username(name), first_name=name[:150], last_name="(integration)", is_active=True)
    user.set_unusable_password()
    user.save()
    for council in councils:
        council_member_add(council=council, user=user, role=INTEGRATION_ROLE, acting_user=acting_user)
    secret = secret or generate_client_secret()
    application = Application.objects.create(
        **({"client_id": client_id} if client_id else {}),
        name=name,
        user=user,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,
        hash_client_secret=True,
    )
    client = ApiClient.objects.create(
        application=application, name=name, user=user, scope=scope, created_at=now or timezone.now()
    )
    client.councils.set(councils)
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.API_CLIENT_CREATED,
        subject=client,
        summary=f"API client {application.client_id} registered for {name}",
        after={"user": user.pk, "scope": scope, "councils": sorted(c.pk for c in councils)},
    )
    return client, application.client_id, secret


@transaction.atomic
def api_client_revoke(*, client: ApiClient, acting_user: User | None, now: datetime | None = None) -> ApiClient:
    """Stop ``client`` working at once: its access tokens are deleted and no new one is issued."""
    if client.revoked_at is not None:
        raise TokenError("This client is already revoked.")
    client.revoked_at = now or timezone.now()
    client.save(update_fields=["revoked_at"])
    AccessToken.objects.filter(application_id=client.application_id).delete()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.API_CLIENT_REVOKED,
        subject=client,
        summary=f"API client {client.application.client_id} revoked",
        after={"revoked_at": client.revoked_at.isoformat()},
    )
    return client
