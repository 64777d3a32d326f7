"""``opencomplaints api-token create --user NAME --scope read|write [--council SLUG] [--expires DAYS]``: make a
personal API token and print it once (docs/api.md). ``api-token list --user NAME`` and ``api-token revoke PREFIX``
manage them."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencomplaints.accounts.models import User
from opencomplaints.api.management.credentials import councils_named, credential_revoke, refusal_as_command_error
from opencomplaints.api.models import ApiToken, TokenScope
from opencomplaints.api.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens."

    def add_arguments(self, parser: ArgumentParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--user", required=True, help="The user name the token acts as.")
        create.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ.value)
        create.add_argument("--council", action="append", default=[], help="Narrow it to a council (repeatable).")
        create.add_argument("--expires", type=int, default=90, help="Days until it stops working (1 to 366).")
        create.add_argument("--name", default="", help="What the token is for (default: the command line).")
        listing = actions.add_parser("list", help="List a user's tokens (never the tokens themselves).")
        listing.add_argument("--user", required=True)
        revoke = actions.add_parser("revoke", help="Revoke a token by its prefix.")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "revoke":
            found = ApiToken.objects.filter(prefix=options["prefix"]).first()
            missing = f"No API token has the prefix {options['prefix']}."
            credential_revoke(self, found, missing, api_token_revoke, token=found)
            return
        user = User.objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['user']}.")
        if action == "list":
            for token in ApiToken.objects.filter(user=user):
                state = (
                    "revoked"
                    if token.revoked_at
                    else f"expires {token.expires_at:%Y-%m-%d}"
                    if token.expires_at
                    else ""
                )
                self.stdout.write(f"{token.prefix}  {token.scope:5}  {token.name}  {state}")
            return
        councils = councils_named(options["council"])
        with refusal_as_command_error():
            made, secret = api_token_create(
                user=user,
                acting_user=None,
                name=options["name"] or f"Created with the api-token command ({options['scope']})",
                scope=options["scope"],
                councils=councils,
                expires_in_days=options["expires"],
            )
        self.stderr.write(
            f"Token {made.prefix} for {user.username}, scope {made.scope}, expires {made.expires_at:%Y-%m-%d}. "
            "It is shown only now: keep it safe."
        )
        self.stdout.write(secret)
