"""A whole annual report as JSON, and back: what publication freezes (docs/adr/0015-publication-freezes-the-
document.md). Every section, sentence, table, column, cell and chart the renderers draw is kept exactly (counts as
counts, money as decimal strings, withheld cells as markers), so the published files can be made again from the
frozen JSON alone and compared byte for byte, whatever has happened to the case data since.

Plain Python: no database. The JSON text is canonical (keys sorted, no spaces), so its SHA-256 names the figures.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.table import ChartKind, ChartSpec, Column, ColumnKind, Suppressed, Table
from opencomplaints.reporting.periods import Period
from opencomplaints.reporting.report import AnnualReport, Quote, Section

__all__ = ["FORMAT_VERSION", "canonical_json", "report_freeze", "report_thaw", "sha256"]

#: The shape of the frozen JSON; a later shape must still thaw every earlier one.
FORMAT_VERSION = 1


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _value(value: Any) -> Any:
    """A value as JSON: decimals, dates and withheld cells tagged so they come back as they were."""
    if isinstance(value, Suppressed):
        return {"$withheld": [value.primary, value.min_cell]}
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, dict):
        return {str(k): _value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_value(v) for v in value]
    return value


def _thawed(value: Any) -> Any:
    if isinstance(value, dict):
        if "$withheld" in value:
            primary, min_cell = value["$withheld"]
            return Suppressed(primary=primary, min_cell=min_cell)
        if "$decimal" in value:
            return Decimal(value["$decimal"])
        if "$date" in value:
            return date.fromisoformat(value["$date"])
        return {k: _thawed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_thawed(v) for v in value]
    return value


def _table(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": table.title,
        "columns": [[c.title, str(c.kind), c.percent_of] for c in table.columns],
        "rows": [[_value(v) for v in row] for row in table.rows],
        "definition": table.definition,
        "source": table.source,
        "notes": list(table.notes),
        "total_row": table.total_row,
        "total_column": table.total_column,
        "summed_columns": list(table.summed_columns),
        "sensitive": table.sensitive,
        "chart": None if table.chart is None else _value(asdict(table.chart)),
        "extra": _value(table.extra),
    }


def _table_thawed(data: dict[str, Any]) -> Table:
    chart = data["chart"]
    return Table(
        key=data["key"],
        title=data["title"],
        columns=tuple(Column(title, ColumnKind(kind), percent_of) for title, kind, percent_of in data["columns"]),
        rows=tuple(tuple(_thawed(v) for v in row) for row in data["rows"]),
        definition=data["definition"],
        source=data["source"],
        notes=tuple(data["notes"]),
        total_row=data["total_row"],
        total_column=data["total_column"],
        summed_columns=tuple(data["summed_columns"]),
        sensitive=data["sensitive"],
        chart=None
        if chart is None
        else ChartSpec(
            kind=ChartKind(chart["kind"]),
            value_columns=tuple(chart["value_columns"]),
            title=chart["title"],
            skip_total_row=chart["skip_total_row"],
            transpose=chart["transpose"],
        ),
        extra=_thawed(data["extra"]),
    )


def report_freeze(report: AnnualReport) -> dict[str, Any]:
    """``report`` as plain JSON data (see the module docstring)."""
    return {
        "format_version": FORMAT_VERSION,
        "title": report.title,
        "council_names": list(report.council_names),
        "period": [report.period.start.isoformat(), report.period.end_exclusive.isoformat(), report.period.label],
        "procedure": report.procedure,
        "procedure_name": report.procedure_name,
        "basis": str(report.basis),
        "generated_on": report.generated_on.isoformat(),
        "counting_basis": list(report.counting_basis),
        "published": report.published,
        "parts": list(report.parts),
        "timescales": _value(report.timescales),
        "core": _value(report.core),
        "sections": [
            {
                "number": s.number,
                "key": s.key,
                "title": s.title,
                "sentences": list(s.sentences),
                "placeholders": list(s.placeholders),
                "quotes": [[q.text, q.team] for q in s.quotes],
                "tables": [_table(t) for t in s.tables],
            }
            for s in report.sections
        ],
    }


def report_thaw(data: dict[str, Any]) -> AnnualReport:
    """The report frozen in ``data`` (from :func:`report_freeze`, perhaps years ago)."""
    if data.get("format_version") != FORMAT_VERSION:
        raise ValueError(f"Frozen report format {data.get('format_version')!r} is not one this version reads.")
    start, end_exclusive, label = data["period"]
    sections = []
    for s in data["sections"]:
        section = Section(
            number=s["number"],
            key=s["key"],
            title=s["title"],
            sentences=tuple(s["sentences"]),
            tables=tuple(_table_thawed(t) for t in s["tables"]),
            placeholders=tuple(s["placeholders"]),
            quotes=tuple(Quote(text, team) for text, team in s["quotes"]),
        )
        sections.append(section)
    return AnnualReport(
        title=data["title"],
        council_names=tuple(data["council_names"]),
        period=Period(date.fromisoformat(start), date.fromisoformat(end_exclusive), label),
        procedure=data["procedure"],
        procedure_name=data["procedure_name"],
        basis=Basis(data["basis"]),
        generated_on=date.fromisoformat(data["generated_on"]),
        counting_basis=tuple(data["counting_basis"]),
        sections=tuple(sections),
        core=_thawed(data["core"]),
        timescales=_thawed(data["timescales"]),
        published=data["published"],
        parts=tuple(data.get("parts", ())),
    )


def canonical_json(data: Any) -> bytes:
    """``data`` as canonical JSON bytes: sorted keys, no insignificant spaces, UTF-8."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode()
