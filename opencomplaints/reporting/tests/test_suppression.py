"""Small-number suppression (R6.7): primary, secondary, percentages, zeros, threshold."""

from hypothesis import given, settings
from hypothesis import strategies as st

from opencomplaints.reporting.metrics.table import (
    ColumnKind,
    Suppressed,
    Table,
    count_column,
    label_column,
    percent_column,
)
from opencomplaints.reporting.suppression import CellName, Link, _groups, suppress_document, suppress_table


def grid(rows, *, sensitive=True, total_row=True, total_column=None, summed=()):
    columns = [label_column("")] + [count_column(f"c{i}") for i in range(1, len(rows[0]))]
    return Table(
        key="t",
        title="t",
        columns=tuple(columns),
        rows=tuple(rows),
        sensitive=sensitive,
        total_row=total_row,
        total_column=total_column,
        summed_columns=summed,
    )


def marks(table):
    return [[("P" if v.primary else "S") if isinstance(v, Suppressed) else v for v in row] for row in table.rows]


def test_primary_suppression_of_1_to_4_and_zeros_kept():
    table = suppress_table(grid([("A", 12), ("B", 3), ("C", 0), ("D", 9), ("Total", 24)]))
    assert marks(table)[1] == ["B", "P"]
    assert marks(table)[2] == ["C", 0]
    assert str(table.rows[1][1]) == "<5"


def test_secondary_suppression_protects_a_lone_small_cell_in_a_total():
    table = suppress_table(grid([("A", 12), ("B", 3), ("C", 0), ("D", 9), ("Total", 24)]))
    # B alone would be 24 - 12 - 0 - 9: the smallest other non-zero cell (D) is withheld too.
    assert marks(table) == [["A", 12], ["B", "P"], ["C", 0], ["D", "S"], ["Total", 24]]
    assert str(table.rows[3][1]) == "c"


def test_secondary_suppression_falls_back_to_the_total():
    table = suppress_table(grid([("A", 3), ("B", 0), ("Total", 3)]))
    assert marks(table) == [["A", "P"], ["B", 0], ["Total", "P"]]
    only = suppress_table(grid([("A", 2), ("B", 0), ("Total", 7)]))  # impossible data, but never reveal A
    assert marks(only)[2] == ["Total", "S"]


def test_rows_and_columns_both_protected_until_stable():
    rows = [("A", 10, 2, 12), ("B", 8, 9, 17), ("Total", 18, 11, 29)]
    table = suppress_table(grid(rows, total_column=3, summed=(1, 2)))
    result = marks(table)
    assert result[0][2] == "P"
    for row in result:  # every row with a withheld cell has at least two withheld
        assert sum(1 for v in row if v in {"P", "S"}) != 1
    for c in (1, 2, 3):  # and so does every column
        assert sum(1 for row in result if row[c] in {"P", "S"}) != 1


def test_percentages_of_withheld_counts_are_withheld():
    table = Table(
        key="t",
        title="t",
        columns=(label_column(""), count_column("n"), percent_column("%", of=1)),
        rows=(("A", 20, 80.0), ("B", 5, 20.0), ("C", 0, 0.0), ("Total", 25, 100.0)),
        total_row=True,
        sensitive=True,
    )
    result = suppress_table(table, min_cell=6)
    assert isinstance(result.rows[1][1], Suppressed)
    assert isinstance(result.rows[1][2], Suppressed)
    assert str(result.rows[1][1]) == "<6"
    assert result.rows[2][1:] == (0, 0.0)


def test_threshold_and_sensitivity():
    table = grid([("A", 12), ("B", 3), ("Total", 15)])
    assert suppress_table(table, min_cell=3).rows == table.rows  # 3 is not below 3
    assert suppress_table(grid([("A", 1), ("Total", 1)], sensitive=False)).rows == (("A", 1), ("Total", 1))
    suppressed = suppress_table(table)
    assert any('shown as "<5"' in note for note in suppressed.notes)
    assert not any("R6." in note for note in suppressed.notes)  # no rule codes in published text


# Document-wide suppression: a count withheld in one table cannot be recovered from any other table of the same
# document, nor from a row or column total, by differencing (R6.7). The attacker below knows every published figure,
# every total relation of every table and which cells of different tables show the same figure, and solves every
# relation with a single unknown until nothing more can be found.


STAGES = ("Stage 1", "Stage 2", "Stage 3")


def breakdown(key, parts_by_row, *, sensitive=True):
    """A table of rows by stage with a total column and a total row, like the report's breakdowns."""
    rows = [(label, *values, sum(values)) for label, values in parts_by_row]
    totals = tuple(sum(row[i] for row in rows) for i in range(1, len(STAGES) + 2))
    columns = (label_column(""), *(count_column(s) for s in STAGES), count_column("All stages"))
    return Table(
        key=key,
        title=key,
        columns=columns,
        rows=(*rows, ("Total", *totals)),
        sensitive=sensitive,
        total_row=True,
        total_column=len(STAGES) + 1,
        summed_columns=tuple(range(1, len(STAGES) + 1)),
    )


def split(total, n, draw):
    """``total`` split into ``n`` non-negative parts."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=n - 1, max_size=n - 1)))
    bounds = [0, *cuts, total]
    return [bounds[i + 1] - bounds[i] for i in range(n)]


@st.composite
def documents(draw):
    stage_totals = [draw(st.integers(0, 30)) for _ in STAGES]
    tables = []
    for key, labels in (("by_type", ("Parent", "Young person", "Other")), ("by_area", ("North", "South"))):
        columns = [split(total, len(labels), draw) for total in stage_totals]
        tables.append(breakdown(key, [(label, [columns[s][i] for s in range(3)]) for i, label in enumerate(labels)]))
    volumes = Table(
        key="volumes",
        title="volumes",
        columns=(label_column("Stage"), count_column("Received")),
        rows=(*((s, n) for s, n in zip(STAGES, stage_totals, strict=True)), ("Total", sum(stage_totals))),
        total_row=True,
    )
    tables.append(volumes)
    links = [
        Link((CellName("by_type", "Total", s), CellName("by_area", "Total", s), CellName("volumes", s, "Received")))
        for s in STAGES
    ] + [
        Link(
            (
                CellName("by_type", "Total", "All stages"),
                CellName("by_area", "Total", "All stages"),
                CellName("volumes", "Total", "Received"),
            )
        )
    ]
    return tables, links


def recover(published, links):
    """Every withheld cell the attacker can work out: {(table key, row, column): value}."""
    known = {}
    unknown = set()
    for table in published:
        for r, row in enumerate(table.rows):
            for c, value in enumerate(row):
                if table.columns[c].kind != ColumnKind.COUNT:
                    continue
                if isinstance(value, Suppressed):
                    unknown.add((table.key, r, c))
                else:
                    known[(table.key, r, c)] = value
    relations = [[(t.key, r, c) for r, c in group] for t in published for group in _groups(t)]
    by_key = {t.key: t for t in published}
    equal = []
    for link in links:
        cells = []
        for name in link.cells:
            table = by_key[name.table]
            r = next(i for i, row in enumerate(table.rows) if row[0] == name.row)
            cells.append((name.table, r, table.column_titles.index(name.column)))
        equal.append(cells)
    found = {}
    changed = True
    while changed:
        changed = False
        for group in equal:
            values = {known[a] for a in group if a in known}
            for a in group:
                if values and a not in known:
                    known[a] = found[a] = next(iter(values))
                    changed = True
        for group in relations:
            parts, total = group[:-1], group[-1]
            missing = [a for a in group if a not in known]
            if len(missing) != 1:
                continue
            (a,) = missing
            rest = sum(known[p] for p in parts if p != a)
            known[a] = found[a] = known[total] - rest if a != total else rest
            changed = True
    return {a: v for a, v in found.items() if a in unknown}


@settings(max_examples=300, deadline=None)
@given(documents())
def test_no_withheld_small_count_can_be_recovered_by_differencing_the_document(document):
    tables, links = document
    published = suppress_document(tables, 5, links)
    recovered = recover(published, links)
    by_key = {t.key: t for t in published}
    for (key, r, c), _value in recovered.items():
        cell = by_key[key].rows[r][c]
        assert not (isinstance(cell, Suppressed) and cell.primary), f"{key} row {r} column {c} recovered"


def test_the_ombudsman_summary_does_not_give_away_a_withheld_decisions_total():
    decisions = Table(
        key="ombudsman_decisions",
        title="Decisions",
        columns=(label_column("Decision"), count_column("Number")),
        rows=(("Upheld", 4), ("Total", 4)),
        total_row=True,
        sensitive=True,
    )
    summary = Table(
        key="ombudsman_summary",
        title="Summary",
        columns=(label_column(""), count_column("Number")),
        rows=(("Received", 9), ("Decided", 4)),
    )
    link = Link(
        (CellName("ombudsman_decisions", "Total", "Number"), CellName("ombudsman_summary", "Decided", "Number"))
    )
    published_decisions, published_summary = suppress_document([decisions, summary], 5, [link])
    assert isinstance(published_decisions.rows[0][1], Suppressed)
    assert isinstance(published_summary.rows[1][1], Suppressed)  # not "Decided 4" beside "<5"
    assert published_summary.rows[0][1] == 9


def test_a_stage_total_published_elsewhere_is_kept_and_a_zero_hides_the_lone_count():
    (by_type, volumes) = suppress_document(
        [
            breakdown("by_type", [("Parent", [10, 0, 0]), ("Young person", [0, 2, 0])]),
            Table(
                key="volumes",
                title="volumes",
                columns=(label_column("Stage"), count_column("Received")),
                rows=(("Stage 1", 10), ("Stage 2", 2), ("Stage 3", 0), ("Total", 12)),
                total_row=True,
            ),
        ],
        5,
        [Link((CellName("by_type", "Total", "Stage 2"), CellName("volumes", "Stage 2", "Received")))],
    )
    assert volumes.rows[1][1] == 2  # the number of stage 2 complaints stays published
    assert by_type.rows[2][2] == 2  # and the breakdown's total agrees with it
    stage_2 = [row[2] for row in by_type.rows[:2]]
    assert all(isinstance(v, Suppressed) for v in stage_2)  # which row holds the 2 is hidden


def test_the_attacker_recovers_what_table_by_table_suppression_leaves_open():
    # Without the document's links the breakdown's lone stage 2 count is hidden in the table but not in the
    # document: the attacker must find it, or the property above proves nothing.
    tables = [
        breakdown("by_type", [("Parent", [10, 0, 0]), ("Young person", [0, 2, 0])]),
        breakdown("by_area", [("North", [6, 1, 0]), ("South", [4, 1, 0])]),
        Table(
            key="volumes",
            title="volumes",
            columns=(label_column("Stage"), count_column("Received")),
            rows=(("Stage 1", 10), ("Stage 2", 2), ("Stage 3", 0), ("Total", 12)),
            total_row=True,
        ),
    ]
    links = [Link((CellName("by_type", "Total", "Stage 2"), CellName("volumes", "Stage 2", "Received")))]
    assert recover(suppress_document(tables, 5, []), links)
    assert not recover(suppress_document(tables, 5, links), links)
