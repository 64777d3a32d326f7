"""Jobs a service asks for by name, so that a service and the task module that calls it back do not import each
other (docs/adr/0009-layers.md).

A task module, which imports the services whose work it does, provides each of its jobs here when its app is ready
(``AppConfig.ready`` imports it); a service queues the job by name. Asking for a job nobody provided raises
``JobNotProvided`` at once, so a missing task module is an error the service reports (as when Redis does not
answer), never a job silently dropped."""

from __future__ import annotations

from collections.abc import Callable

__all__ = [
    "CHANGE_RECORDED",
    "JobNotProvided",
    "event_listen",
    "event_raise",
    "job_enqueue",
    "job_provide",
    "job_provided",
]

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


# -- events: what a lower layer announces and a higher one acts on (the API's webhooks) ---------------------------

#: Raised for every change written to the audit trail, inside the change's transaction, with ``event_type`` (the
#: audit event's number) and ``case_id``. A listener that records something records it in the same transaction, so
#: a change rolled back announces nothing.
CHANGE_RECORDED = "change-recorded"

_listeners: dict[str, dict[str, Callable[..., None]]] = {}


def event_listen(name: str, key: str, listener: Callable[..., None]) -> None:
    """Call ``listener`` with the event's values each time ``name`` is raised. ``key`` names the listener, so
    listening again (a module imported twice, a test) replaces it rather than calling it twice."""
    _listeners.setdefault(name, {})[key] = listener


def event_raise(name: str, **values: Json) -> None:
    """Announce ``name`` to its listeners (none: nothing happens). A listener's error is the raiser's."""
    for listener in list(_listeners.get(name, {}).values()):
        listener(**values)
