"""Query shapes shared by the selectors that read a council's complaints in bulk (records and the annual report).

Stages carry no council of their own, so a selector finds a council's stages through the ids of its cases. Written
as a join or as ``IN (subquery)``, PostgreSQL's planner tends to read every stage in the table (a parallel
sequential scan of all councils' stages) and hash them against the council's cases, which costs the same whether
the council has ten complaints or ten thousand. ``= ANY(ARRAY(subquery))`` makes it look the council's case ids
up first and then read only their stages through the index on ``case_id``. SQLite plans the join that way by
itself (the join is a little quicker there than ``IN (subquery)``). :func:`of_council_complaints` writes each
database the shape it plans best. The expressions here are lookups, not functions, so that SQLite, which has no
boolean type, does not compare them with ``= 1``, which would stop it using an index for them.

The same holds for a long list of ids given as values: PostgreSQL weighs ``IN (1, 2, …)`` with a thousand ids
against a parallel scan of the whole table and often scans; an array it cannot size in advance is looked up id by
id through the index.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Model, QuerySet
from django.db.models.lookups import In
from django.db.models.sql.compiler import SQLCompiler

__all__ = ["InIds", "InSubquery", "of_council_complaints"]

COMPLAINT = "complaint"


class InSubquery(In):
    """``field IN (subquery)`` as a filter expression: ``Stage.objects.filter(InSubquery(F("case_id"), case_ids))``,
    where ``case_ids`` is a ``values("id")`` query set. On PostgreSQL it is ``field = ANY(ARRAY(subquery))`` (see
    the module docstring)."""

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        rhs_sql, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs_sql} = ANY(ARRAY{rhs_sql})", (*lhs_params, *rhs_params)


class InIds(In):
    """``field IN (ids)`` as a filter expression, for a list of some thousands of ids:
    ``CaseChild.objects.filter(InIds(F("case_id"), ids))``. On PostgreSQL it is ``field = ANY(ARRAY(SELECT
    unnest(ids)))`` (see the module docstring); elsewhere a plain ``IN`` list, so the caller keeps lists within the
    database's limit on parameters."""

    def as_postgresql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, tuple[Any, ...]]:
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY(ARRAY(SELECT unnest(%s::bigint[])))", (*lhs_params, sorted(self.rhs))


def of_council_complaints[M: Model](
    rows: QuerySet[M, Any], *, council_ids: Sequence[int], procedure: str | None, case: str = "case"
) -> QuerySet[M, Any]:
    """``rows`` (stages, remedies, …: anything with a foreign key ``case``) limited to those of the councils'
    complaints, under ``procedure`` when one is given, in the query shape the database plans best (see the
    module docstring)."""
    if connection.vendor == "postgresql":
        cases = apps.get_model("cases", "Case").objects.filter(council_id__in=council_ids, kind=COMPLAINT)
        if procedure:
            cases = cases.filter(procedure=procedure)
        return rows.filter(InSubquery(F(f"{case}_id"), cases.values("id")))
    conditions: dict[str, Any] = {f"{case}__council_id__in": council_ids, f"{case}__kind": COMPLAINT}
    if procedure:
        conditions[f"{case}__procedure"] = procedure
    return rows.filter(**conditions)
