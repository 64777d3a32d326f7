"""The player's machinery: what it keeps as it plays, and which handler applies each kind of event.

``plays(kind)`` registers a handler method for one kind of event (``events``); ``Player`` (``player``) gathers
the handlers of a complaint (``plays_complaints``) and of the other cases (``plays_others``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import (
    Case,
    ComplaintPoint,
    LearningAction,
    Remedy,
    Stage,
)
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council, IssueCategory, RemedyType, Team
from opencomplaints.demo import events as e

STEP_FAILED = "Could not build {what}: {message}"
REFERENCE_DRIFT = "The services numbered {what} {actual}, but the plan expected {expected}."


class BuildError(Exception):
    """The plan could not be applied; the message says which record and why."""


_HANDLERS: dict[type[e.Event], Callable[[Any, Any], object]] = {}

type Handler[P, E] = Callable[[P, E], object]


def plays[P: PlayerBase, E: e.Event](kind: type[E]) -> Callable[[Handler[P, E]], Handler[P, E]]:
    """Register the decorated method as the one that applies events of ``kind`` (one handler a kind)."""

    def register(handler: Handler[P, E]) -> Handler[P, E]:
        if kind in _HANDLERS:
            raise ValueError(f"{kind.__name__} already has a handler.")
        _HANDLERS[kind] = handler
        return handler

    return register


class PlayerBase:
    def __init__(
        self,
        *,
        council: Council,
        users: Mapping[str, User],
        teams: Mapping[str, Team],
        issues: Mapping[str, IssueCategory],
        remedy_types: Mapping[str, RemedyType],
    ) -> None:
        self.council = council
        self.users = users
        self.teams = teams
        self.issues = issues
        self.remedy_types = remedy_types
        self.cases: dict[str, Case] = {}
        self.remedies: dict[str, Remedy] = {}
        self.learning: dict[str, LearningAction] = {}

    def play(self, events: Iterable[e.Event], *, what: str) -> None:
        """Apply ``events`` in the order given (``timeline`` puts them in the order they happened)."""
        for event in events:
            try:
                _HANDLERS[type(event)](self, event)
            except DomainError as error:
                at = f"{what} ({event.what} on {event.day:%d/%m/%Y})"
                raise BuildError(STEP_FAILED.format(what=at, message=error.message)) from error

    def by(self, event: e.Event) -> User | None:
        return self.users[event.by] if event.by else None

    def user(self, username: str) -> User:
        return self.users[username]

    def case(self, event: e.Event) -> Case:
        return self.cases[event.case]

    def stage(self, event: e.Event, number: int | None = None) -> Stage:
        return Stage.objects.get(case=self.cases[event.case], number=number or event.stage)

    def findings(self, event: e.Event, findings: tuple[str, ...]) -> dict[ComplaintPoint, str]:
        points = list(ComplaintPoint.objects.filter(case=self.cases[event.case]).order_by("number"))
        return dict(zip(points, findings, strict=True))

    def registered(self, key: str, case: Case, expected: str) -> None:
        # The plan numbers references the way the services do; a difference means the two have drifted apart.
        if case.reference != expected:
            raise BuildError(REFERENCE_DRIFT.format(what=key, actual=case.reference, expected=expected))
        self.cases[key] = case
