"""What a long job does when it may run on django-tasks-local's thread pool (the ``background`` backend without
Redis, docs/adr/0004-background-jobs.md)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connections
from django_tasks_local.backend import current_result_id  # type: ignore[import-untyped]

__all__ = ["on_thread_pool", "pool_connections_closed"]


def on_thread_pool() -> bool:
    """Whether this is django-tasks-local's thread pool, which marks the jobs it runs with their result id."""
    return current_result_id.get(None) is not None


@contextmanager
def pool_connections_closed() -> Iterator[None]:
    """Close this thread's database connections when the job ends, if it ran on the pool: the pool's threads live on
    and are reused, and nothing closes their connections as a request's end does, so each would otherwise hold one
    open for good, or keep one the database has dropped. Under RQ or in-process the caller's connections stay."""
    try:
        yield
    finally:
        if on_thread_pool():
            connections.close_all()
