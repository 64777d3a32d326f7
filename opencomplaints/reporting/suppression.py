"""Small-number suppression for published documents (R6.7; R1.39), across the whole document.

Applied by the publishing renderers (HTML, DOCX, PDF, XLSX) before drawing; never to the JSON core, which is exact.
The rules:

- **Primary**: in a sensitive table, a count from 1 up to ``min_cell - 1`` (1 to 4 by default) is withheld and
  shown as "<5".
- **Secondary**: where a row or column has a total (in any table of the document), and only one of its cells is
  withheld, another is withheld too and shown as "c", so the withheld cell cannot be worked out by subtraction:
  the smallest other non-zero count, else the total, else a zero (which hides which row holds the count) when the
  total is published elsewhere in the document; repeated until no row or column gives one away.
- **Across the document**: the same figure shown in several tables (a breakdown's stage total and the number of
  complaints received at that stage; the Ombudsman decisions' total and the "Decided" line of the summary; this
  year's trend figures) is a :class:`Link`; withheld in one table, it is withheld in all of them, and a figure
  published in a table that is not suppressed is not withheld where it is a total elsewhere unless nothing else
  protects the cell.
- A percentage of a withheld count is withheld; where a column's total is withheld, every percentage of it is.
- True zeros are kept unless needed as secondary suppression: a zero is not disclosive.

Cells are addressed by table key, row label and column name, never by position: totals, summed columns and
percentages name the columns they read (``metrics.table.Table``). ``min_cell`` comes from
``settings.OPENCOMPLAINTS["SUPPRESSION_MIN_CELL"]`` (default 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from opencomplaints.reporting.metrics.table import ColumnKind, Suppressed, Table

__all__ = ["DEFAULT_MIN_CELL", "CellName", "Link", "suppress_document", "suppress_table", "suppress_tables"]

DEFAULT_MIN_CELL = 5

type Position = tuple[int, int]
type Address = tuple[int, int, int]  # table index, row, column


@dataclass(frozen=True)
class CellName:
    """A cell of the document by name: the table's key, the row's label (first cell) and the column's name (its
    title unless the table names it otherwise)."""

    table: str
    row: str
    column: str


@dataclass(frozen=True)
class Link:
    """Cells of different tables that show the same figure."""

    cells: tuple[CellName, ...]


def _groups(table: Table) -> list[list[Position]]:
    """Cells that add up to a total, with the total last."""
    groups: list[list[Position]] = []
    n_rows = len(table.rows)
    data_rows = range(n_rows - 1) if table.total_row else range(n_rows)
    if table.total_column is not None and table.summed_columns:
        summed = [table.index(name) for name in table.summed_columns]
        total = table.index(table.total_column)
        for r in range(n_rows):
            groups.append([(r, c) for c in summed] + [(r, total)])
    if table.total_row and n_rows > 1:
        for c, column in enumerate(table.columns):
            if column.kind == ColumnKind.COUNT:
                groups.append([(r, c) for r in data_rows] + [(n_rows - 1, c)])
    return groups


def _counts(table: Table) -> dict[Position, int]:
    return {
        (r, c): v
        for r, row in enumerate(table.rows)
        for c, v in enumerate(row)
        if table.columns[c].kind == ColumnKind.COUNT and isinstance(v, int) and not isinstance(v, bool)
    }


def _resolve(tables: Sequence[Table], links: Iterable[Link]) -> list[list[Address]]:
    """The links as addresses, leaving out cells the document does not have (a table or row not shown)."""
    index = {t.key: i for i, t in enumerate(tables)}
    resolved: list[list[Address]] = []
    for link in links:
        addresses: list[Address] = []
        for name in link.cells:
            if name.table not in index:
                continue
            t = index[name.table]
            table = tables[t]
            rows = [r for r, row in enumerate(table.rows) if row and row[0] == name.row]
            if rows and name.column in table.column_names:
                addresses.append((t, rows[0], table.index(name.column)))
        if len(addresses) > 1:
            resolved.append(addresses)
    return resolved


def suppress_document(
    tables: Sequence[Table], min_cell: int = DEFAULT_MIN_CELL, links: Iterable[Link] = ()
) -> list[Table]:
    """``tables`` (one document's) with small counts withheld as the module docstring describes, so that no
    withheld count can be worked out from any other table, total or linked figure of the document."""
    if min_cell <= 1 or not any(t.sensitive for t in tables):
        return list(tables)
    counts = [_counts(t) for t in tables]
    groups = [_groups(t) for t in tables]
    linked = _resolve(tables, links)
    link_of: dict[Address, list[Address]] = {a: group for group in linked for a in group}
    # A figure shown in a table that is not suppressed is public: hiding it where it is a total hides nothing.
    pinned = {a for group in linked if any(not tables[t].sensitive for t, _, _ in group) for a in group}
    primary: set[Address] = {
        (t, r, c)
        for t, table in enumerate(tables)
        if table.sensitive
        for (r, c), v in counts[t].items()
        if 0 < v < min_cell and (t, r, c) not in pinned
    }
    withheld: set[Address] = set(primary)
    changed = True
    while changed:
        changed = False
        for same in linked:
            if any(a in withheld for a in same) and not all(a in withheld for a in same):
                withheld.update(same)
                changed = True
        for t, table in enumerate(tables):
            for group in groups[t]:
                hidden = [p for p in group if (t, *p) in withheld]
                if len(hidden) != 1:
                    continue
                choice = _secondary(t, table, group, counts[t], withheld, pinned)
                if choice is not None:
                    withheld.add(choice)
                    withheld.update(link_of.get(choice, ()))
                    changed = True
    return [_apply(t, table, primary, withheld, min_cell) for t, table in enumerate(tables)]


def _secondary(
    t: int,
    table: Table,
    group: list[Position],
    counts: dict[Position, int],
    withheld: set[Address],
    pinned: set[Address],
) -> Address | None:
    parts, total = group[:-1], group[-1]
    open_parts = [p for p in parts if (t, *p) not in withheld and p in counts]
    nonzero = sorted((p for p in open_parts if counts[p] > 0), key=lambda p: (counts[p], p))
    total_open = (t, *total) not in withheld and total in counts
    if nonzero:
        return (t, *nonzero[0])
    if total_open and (t, *total) not in pinned:
        return (t, *total)
    zeros = [p for p in open_parts if counts[p] == 0]
    if zeros and table.sensitive:
        return (t, *zeros[0])
    if total_open:
        return (t, *total)
    return None


def _apply(t: int, table: Table, primary: set[Address], withheld: set[Address], min_cell: int) -> Table:
    mine = {(r, c) for tt, r, c in withheld if tt == t}
    if not mine:
        return table
    n_rows = len(table.rows)
    for c, column in enumerate(table.columns):
        if column.kind != ColumnKind.PERCENT or column.percent_of is None:
            continue
        base = table.index(column.percent_of)
        base_total_withheld = table.total_row and (n_rows - 1, base) in mine
        for r in range(n_rows):
            if (r, base) in mine or (base_total_withheld and table.rows[r][c] is not None):
                mine.add((r, c))
    rows = tuple(
        tuple(
            Suppressed(primary=(t, r, c) in primary, min_cell=min_cell) if (r, c) in mine else v
            for c, v in enumerate(row)
        )
        for r, row in enumerate(table.rows)
    )
    note = (
        f'To protect the people concerned, counts from 1 to {min_cell - 1} are shown as "<{min_cell}", and other '
        'figures that would reveal them as "c".'
    )
    return replace(table, rows=rows, notes=(*table.notes, note))


def suppress_table(table: Table, min_cell: int = DEFAULT_MIN_CELL) -> Table:
    """One table suppressed on its own (as :func:`suppress_document` would a document of one table)."""
    return suppress_document([table], min_cell)[0]


def suppress_tables(tables: Iterable[Table], min_cell: int = DEFAULT_MIN_CELL) -> list[Table]:
    return [suppress_table(t, min_cell) for t in tables]
