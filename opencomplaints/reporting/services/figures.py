"""Writes of the report's own inputs: historic summary figures and context figures.

Neither is case data, but both change what a published report says, so each write is one validated transaction
that records who made it in the audit trail, with the figures before and after (convention 4).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.benchmarking import CONTEXT_FIELDS
from opencomplaints.reporting.metrics.dimension_trends import BREAKDOWN_DIMENSIONS, BREAKDOWN_MEASURES
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES
from opencomplaints.reporting.models import ContextFigures, HistoricBreakdown, HistoricFigure

UNKNOWN_MEASURE = "{measure} is not a measure historic figures can be entered for. The measures are: {measures}."
UNKNOWN_CONTEXT_FIGURE = "{name} is not a context figure. The context figures are: {names}."
NEGATIVE_FIGURE = "A figure cannot be negative: {name} is {value}."


@transaction.atomic
def historic_figure_set(
    *,
    council: Council,
    year: int,
    measure: str,
    value: Decimal | int | None,
    note: str = "",
    acting_user: User | None,
) -> HistoricFigure | None:
    """Set (or, with ``value=None``, remove) the historic summary figure for ``measure`` in reporting year
    ``year`` (by the year it starts). Setting the same figure again updates it, so an import can be re-run."""
    if measure not in HISTORIC_MEASURES:
        raise DomainError(
            UNKNOWN_MEASURE.format(measure=measure, measures=", ".join(HISTORIC_MEASURES)), field="measure"
        )
    figure = HistoricFigure.objects.filter(council=council, year=year, measure=measure).first()
    before = _historic_values(figure)
    if value is None:
        if figure is not None:
            figure_id = figure.pk
            figure.delete()
            figure.pk = figure_id  # the audit event names the row that was removed
            _historic_audit(figure, before, {}, acting_user, removed=True)
        return None
    if Decimal(value) < 0:
        raise DomainError(NEGATIVE_FIGURE.format(name=measure, value=value), field="value")
    if figure is None:
        figure = HistoricFigure(council=council, year=year, measure=measure)
    figure.value = Decimal(value).quantize(Decimal("0.01"))
    figure.note = note.strip()
    figure.full_clean()
    after = _historic_values(figure)
    if after == before:
        return figure  # re-running an import that changes nothing writes nothing
    figure.save()
    _historic_audit(figure, before, after, acting_user, removed=False)
    return figure


def _historic_values(figure: HistoricFigure | None) -> dict[str, Decimal | str]:
    return {} if figure is None else {"value": figure.value, "note": figure.note}


def _historic_audit(
    figure: HistoricFigure,
    before: Mapping[str, object],
    after: Mapping[str, object],
    acting_user: User | None,
    *,
    removed: bool,
) -> None:
    what = f"{figure.measure} for {figure.year}/{(figure.year + 1) % 100:02d}"
    identity = {"council": figure.council_id, "year": figure.year, "measure": figure.measure}
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.HISTORIC_FIGURE_SET,
        subject=figure,
        summary=f"Historic figure {what} removed" if removed else f"Historic figure {what} set to {figure.value}",
        before=identity | dict(before) if before else {},
        after={} if removed else identity | dict(after),
    )


@dataclass(frozen=True)
class BreakdownFigure:
    """One historic figure by dimension (see :class:`HistoricBreakdown`)."""

    year: int
    stage: int
    measure: str
    dimension: str
    category: str
    value: int


UNKNOWN_BREAKDOWN = "{what} is not a {kind} historic figures by dimension can be entered for. Use one of: {allowed}."


def _breakdown_check(figure: BreakdownFigure) -> None:
    if figure.measure not in BREAKDOWN_MEASURES:
        raise DomainError(
            UNKNOWN_BREAKDOWN.format(what=figure.measure, kind="measure", allowed=", ".join(BREAKDOWN_MEASURES)),
            field="measure",
        )
    if figure.dimension not in BREAKDOWN_DIMENSIONS:
        raise DomainError(
            UNKNOWN_BREAKDOWN.format(what=figure.dimension, kind="dimension", allowed=", ".join(BREAKDOWN_DIMENSIONS)),
            field="dimension",
        )
    if figure.stage not in (1, 2, 3):
        raise DomainError(f"{figure.stage} is not a stage: the stages are 1, 2 and 3.", field="stage")
    if figure.value < 0:
        raise DomainError(NEGATIVE_FIGURE.format(name=figure.measure, value=figure.value), field="value")


@transaction.atomic
def historic_breakdowns_set(
    *, council: Council, figures: Sequence[BreakdownFigure], acting_user: User | None
) -> tuple[int, int]:
    """Set historic figures by dimension for ``council``: each figure given replaces the one entered before for
    the same year, stage, measure, dimension and category (so an import can be run again). One audit event names
    how many were created and changed. Returns (created, updated)."""
    for figure in figures:
        _breakdown_check(figure)
    existing = {
        (row.year, row.stage, row.measure, row.dimension, row.category): row
        for row in HistoricBreakdown.objects.filter(council=council, year__in={f.year for f in figures})
    }
    created: list[HistoricBreakdown] = []
    updated: list[HistoricBreakdown] = []
    for figure in figures:
        row = existing.get((figure.year, figure.stage, figure.measure, figure.dimension, figure.category))
        if row is None:
            created.append(
                HistoricBreakdown(
                    council=council,
                    year=figure.year,
                    stage=figure.stage,
                    measure=figure.measure,
                    dimension=figure.dimension,
                    category=figure.category,
                    value=figure.value,
                )
            )
        elif row.value != figure.value:
            row.value = figure.value
            row.updated_at = timezone.now()  # bulk_update does not apply auto_now
            updated.append(row)
    HistoricBreakdown.objects.bulk_create(created)
    HistoricBreakdown.objects.bulk_update(updated, ["value", "updated_at"])
    if created or updated:
        years = sorted({f.year for f in figures})
        audit_event_record(
            acting_user=acting_user,
            event_type=AuditEventType.HISTORIC_BREAKDOWNS_SET,
            subject=council,
            summary=f"Historic figures by dimension set: {len(created)} added, {len(updated)} changed",
            after={"years": years, "created": len(created), "updated": len(updated)},
        )
    return len(created), len(updated)


@transaction.atomic
def context_figures_set(
    *, council: Council, year: int, figures: Mapping[str, int | None], acting_user: User | None
) -> ContextFigures:
    """Set some or all of a council's context figures for reporting year ``year``; figures not given keep their
    value, and ``None`` clears one."""
    names = [name for name, _ in CONTEXT_FIELDS]
    for name, value in figures.items():
        if name not in names:
            raise DomainError(UNKNOWN_CONTEXT_FIGURE.format(name=name, names=", ".join(names)), field=name)
        if value is not None and value < 0:
            raise DomainError(NEGATIVE_FIGURE.format(name=name, value=value), field=name)
    row = ContextFigures.objects.filter(council=council, year=year).first() or ContextFigures(
        council=council, year=year
    )
    before = {name: getattr(row, name) for name in figures if row.pk is not None}
    changed = {name: value for name, value in figures.items() if row.pk is None or getattr(row, name) != value}
    for name, value in figures.items():
        setattr(row, name, value)
    row.full_clean()
    if not changed and row.pk is not None:
        return row
    row.save()
    audit_event_record(
        acting_user=acting_user,
        event_type=AuditEventType.CONTEXT_FIGURES_SET,
        subject=row,
        summary=f"Context figures for {row} set: {', '.join(changed) or 'none given'}",
        before={name: before[name] for name in changed if name in before},
        after=changed,
    )
    return row
