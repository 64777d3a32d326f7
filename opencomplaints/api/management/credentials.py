"""What the ``api-client`` and ``api-token`` commands share: councils named by their short names, and a refusal of
the token services shown as the command's error."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from opencomplaints.api.services import TokenError
from opencomplaints.councils.models import Council


@contextmanager
def refusal_as_command_error() -> Iterator[None]:
    """A ``TokenError`` from a service becomes the command's error, in the service's words."""
    try:
        yield
    except TokenError as error:
        raise CommandError(error.message) from None


def councils_named(slugs: Sequence[str]) -> list[Council]:
    """The councils with these short names, in order; an unknown one is the command's error."""
    councils: list[Council] = []
    for slug in slugs:
        council = Council.objects.filter(slug=slug).first()
        if council is None:
            raise CommandError(f"No council has the short name {slug}.")
        councils.append(council)
    return councils


def credential_revoke(
    command: BaseCommand, found: Any, missing: str, revoke: Callable[..., Any], **record: Any
) -> None:
    """Revoke ``found`` (a client or a token; ``None``: ``missing`` is the command's error) with ``revoke(**record,
    acting_user=None)``, and say so."""
    if found is None:
        raise CommandError(missing)
    with refusal_as_command_error():
        revoke(**record, acting_user=None)
    command.stdout.write(f"Revoked {found}.")
