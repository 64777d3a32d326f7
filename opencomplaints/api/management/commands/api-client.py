"""``opencomplaints api-client create --council SLUG --scope read|write [--name NAME]``: register a system
integration's OAuth client and print its client id and secret once (docs/api.md). ``api-client list`` and
``api-client revoke CLIENT_ID`` manage them."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from opencomplaints.api.management.credentials import councils_named, credential_revoke, refusal_as_command_error
from opencomplaints.api.models import ApiClient, TokenScope
from opencomplaints.api.services import api_client_create, api_client_revoke


class Command(BaseCommand):
    help = "Register, list or revoke the OAuth clients of system integrations."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Register a client and print its id and secret once.")
        create.add_argument("--council", action="append", required=True, help="A council it works for (repeatable).")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ.value)
        create.add_argument("--name", default="System integration", help="The system, e.g. the CRM.")
        actions.add_parser("list", help="List the clients (never their secrets).")
        revoke = actions.add_parser("revoke", help="Revoke a client by its client id.")
        revoke.add_argument("client_id")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "list":
            for client in ApiClient.objects.select_related("application").prefetch_related("councils"):
                slugs = ",".join(sorted(c.slug for c in client.councils.all()))
                state = "revoked" if client.revoked_at else "active"
                self.stdout.write(f"{client.application.client_id}  {client.scope:5}  {slugs}  {client.name}  {state}")
            return
        if action == "revoke":
            found = ApiClient.objects.filter(application__client_id=options["client_id"]).first()
            missing = f"No API client has the id {options['client_id']}."
            credential_revoke(self, found, missing, api_client_revoke, client=found)
            return
        councils = councils_named(options["council"])
        with refusal_as_command_error():
            client, client_id, secret = api_client_create(
                name=options["name"], scope=options["scope"], councils=councils, acting_user=None
            )
        self.stderr.write(
            f"Client for {client.name}, scope {client.scope}, acting as {client.user.username}. "
            "The secret is shown only now: keep it safe. Ask /api/oauth/token/ for an access token with both."
        )
        self.stdout.write(f"client_id={client_id}\nclient_secret={secret}")
