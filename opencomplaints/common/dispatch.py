"""Jobs a service asks for by name, so that a service and the task module that calls it back do not import each
other (docs/adr/0009-layers.md).

A task module, which imports the services whose work it does, provides each of its jobs here when its app is ready
(``AppConfig.ready`` imports it); a service queues the job by name. Asking for a job nobody provided raises
``JobNotProvided`` at once, so a missing task module is an error the service reports (as when Redis does not
answer), never a job silently dropped."""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["JobNotProvided", "job_enqueue", "job_provide", "job_provided"]

type Json = str | int | float | bool | None

_jobs: dict[str, Callable[..., object]] = {}


class JobNotProvided(LookupError):
    """No task module provided the job asked for."""


def job_provide(name: str, enqueue: Callable[..., object]) -> None:
    """Make ``name`` queue a job by calling ``enqueue`` (a task's ``enqueue``) with the service's arguments. Providing
    a name again replaces it (a module imported twice, or a test providing its own)."""
    _jobs[name] = enqueue


def job_provided(name: str) -> bool:
    return name in _jobs


def job_enqueue(name: str, *args: Json) -> object:
    """Queue the job ``name`` with ``args`` (plain JSON values, as Django's tasks require) and return what the task
    backend returns. Raises ``JobNotProvided`` when no task module provided ``name``, and whatever the backend raises
    when it cannot queue (Redis down)."""
    try:
        enqueue = _jobs[name]
    except KeyError:
        raise JobNotProvided(f"No job called {name!r} has been provided") from None
    return enqueue(*args)
