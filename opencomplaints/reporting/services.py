"""Writes of the report's own inputs: historic summary figures and context figures.

Neither is case data, so no audit event type exists for them yet; each write is one validated transaction.
"""

from collections.abc import Mapping
from decimal import Decimal

from django.db import transaction

from opencomplaints.accounts.models import User
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import Council
from opencomplaints.reporting.metrics.benchmarking import CONTEXT_FIELDS
from opencomplaints.reporting.metrics.trends import HISTORIC_MEASURES
from opencomplaints.reporting.models import ContextFigures, HistoricFigure

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
    if value is None:
        HistoricFigure.objects.filter(council=council, year=year, measure=measure).delete()
        return None
    if Decimal(value) < 0:
        raise DomainError(NEGATIVE_FIGURE.format(name=measure, value=value), field="value")
    figure = HistoricFigure.objects.filter(council=council, year=year, measure=measure).first()
    if figure is None:
        figure = HistoricFigure(council=council, year=year, measure=measure)
    figure.value = Decimal(value)
    figure.note = note.strip()
    figure.full_clean()
    figure.save()
    return figure


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
    for name, value in figures.items():
        setattr(row, name, value)
    row.full_clean()
    row.save()
    return row
