"""Small-number suppression for published documents (R6.7; R1.39).

Applied by the publishing renderers (HTML, DOCX, PDF, XLSX) to the tables marked sensitive; never to the JSON
core, which is exact. The rules:

- **Primary**: a count from 1 up to ``min_cell - 1`` (1 to 4 by default) is withheld and shown as "<5".
- **Secondary**: where a row or column has a total, and only one cell of it is withheld, the smallest other
  non-zero count in it (or, failing that, the total) is withheld too and shown as "c", so the withheld cell
  cannot be worked out by subtraction; repeated until no row or column gives one away.
- A percentage of a withheld count is withheld; where a column's total is withheld, every percentage of it is.
- True zeros are kept: a zero is not disclosive (``zero_is_disclosive = false``).

``min_cell`` comes from ``settings.OPENCOMPLAINTS["SUPPRESSION_MIN_CELL"]`` (default 5).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from opencomplaints.reporting.metrics.table import Cell, ColumnKind, Suppressed, Table

__all__ = ["DEFAULT_MIN_CELL", "suppress_table", "suppress_tables"]

DEFAULT_MIN_CELL = 5

type Position = tuple[int, int]


def _groups(table: Table) -> list[list[Position]]:
    """Cells that add up to a total, with the total last."""
    groups: list[list[Position]] = []
    n_rows = len(table.rows)
    data_rows = range(n_rows - 1) if table.total_row else range(n_rows)
    if table.total_column is not None and table.summed_columns:
        for r in range(n_rows):
            groups.append([(r, c) for c in table.summed_columns] + [(r, table.total_column)])
    if table.total_row and n_rows > 1:
        for c, column in enumerate(table.columns):
            if column.kind == ColumnKind.COUNT:
                groups.append([(r, c) for r in data_rows] + [(n_rows - 1, c)])
    return groups


def suppress_table(table: Table, min_cell: int = DEFAULT_MIN_CELL) -> Table:
    """``table`` with small counts withheld as the module docstring describes; returned unchanged unless the
    table is sensitive."""
    if not table.sensitive or min_cell <= 1:
        return table
    cells: dict[Position, Cell] = {(r, c): v for r, row in enumerate(table.rows) for c, v in enumerate(row)}
    counts: dict[Position, int] = {
        (r, c): v
        for (r, c), v in cells.items()
        if table.columns[c].kind == ColumnKind.COUNT and isinstance(v, int) and not isinstance(v, bool)
    }
    primary = {p for p, v in counts.items() if 0 < v < min_cell}
    secondary: set[Position] = set()
    groups = _groups(table)
    changed = True
    while changed:
        changed = False
        for group in groups:
            withheld = [p for p in group if p in primary or p in secondary]
            if len(withheld) != 1:
                continue
            parts, total = group[:-1], group[-1]
            options = sorted(
                (p for p in parts if p not in withheld and p not in secondary and counts.get(p, 0) > 0),
                key=lambda p: (counts[p], p),
            )
            if options:
                secondary.add(options[0])
            elif total not in withheld and total in counts:
                secondary.add(total)
            else:
                continue
            changed = True
    withheld_all = primary | secondary
    n_rows = len(table.rows)
    for c, column in enumerate(table.columns):
        if column.kind != ColumnKind.PERCENT or column.percent_of is None:
            continue
        base = column.percent_of
        base_total_withheld = table.total_row and (n_rows - 1, base) in withheld_all
        for r in range(n_rows):
            if (r, base) in withheld_all or (base_total_withheld and cells[(r, c)] is not None):
                secondary.add((r, c))
    rows = tuple(
        tuple(
            Suppressed(primary=True, min_cell=min_cell)
            if (r, c) in primary
            else Suppressed(primary=False, min_cell=min_cell)
            if (r, c) in secondary
            else v
            for c, v in enumerate(row)
        )
        for r, row in enumerate(table.rows)
    )
    note = (
        f'To protect the people concerned, counts from 1 to {min_cell - 1} are shown as "<{min_cell}", and other '
        'figures that would reveal them as "c" (R6.7).'
    )
    notes = table.notes if not (primary or secondary) else (*table.notes, note)
    return replace(table, rows=rows, notes=notes)


def suppress_tables(tables: Iterable[Table], min_cell: int = DEFAULT_MIN_CELL) -> list[Table]:
    return [suppress_table(t, min_cell) for t in tables]
