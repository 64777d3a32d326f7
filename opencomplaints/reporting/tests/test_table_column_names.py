"""Report tables address their columns by name: totals, summed columns and percentages name the columns they read,
positions are turned into names when a table is made, and suppression reads the names (R6.7)."""

import pytest

from opencomplaints.reporting.metrics.table import Suppressed, Table, count_column, label_column, percent_column
from opencomplaints.reporting.suppression import CellName, Link, suppress_document, suppress_table


def _table(columns, rows, **kwargs):
    return Table(key="t", title="t", columns=tuple(columns), rows=tuple(rows), sensitive=True, **kwargs)


def test_a_column_is_named_by_its_title_unless_given():
    assert count_column("Stage 1").name == "Stage 1"
    assert count_column("Stage 1", name="stage1").name == "stage1"


def test_positions_are_turned_into_names_when_the_table_is_made():
    table = _table(
        [label_column(""), count_column("Q1"), count_column("Q2"), count_column("Total"), percent_column("%", of=3)],
        [("A", 1, 2, 3, 100.0)],
        total_column=3,
        summed_columns=(1, 2),
    )
    assert (table.total_column, table.summed_columns) == ("Total", ("Q1", "Q2"))
    assert table.columns[4].percent_of == "Total"
    assert table.index("Total") == 3


def test_a_reference_to_no_column_or_to_two_is_refused():
    with pytest.raises(ValueError, match="0 columns are named 'Missing'"):
        _table([label_column(""), count_column("n")], [("A", 1)], total_column="Missing")
    with pytest.raises(ValueError, match="2 columns are named 'n'"):
        _table([label_column(""), count_column("n"), count_column("n")], [("A", 1, 2)], summed_columns=("n",))
    with pytest.raises(ValueError, match="has no column 7"):
        _table([label_column(""), count_column("n")], [("A", 1)], total_column=7)


def test_suppression_follows_the_names_whatever_the_order_of_the_columns():
    # The same table twice, its columns in another order: the same cells are withheld.
    rows = [("A", 3, 9, 12), ("B", 8, 7, 15), ("Total", 11, 16, 27)]
    first = _table(
        [label_column(""), count_column("Q1"), count_column("Q2"), count_column("Total")],
        rows,
        total_row=True,
        total_column="Total",
        summed_columns=("Q1", "Q2"),
    )
    reordered = _table(
        [label_column(""), count_column("Total"), count_column("Q2"), count_column("Q1")],
        [(r[0], r[3], r[2], r[1]) for r in rows],
        total_row=True,
        total_column="Total",
        summed_columns=("Q1", "Q2"),
    )

    def withheld(table):
        return {
            (row[0], table.columns[c].name)
            for row in table.rows
            for c, value in enumerate(row)
            if isinstance(value, Suppressed)
        }

    assert withheld(suppress_table(first)) == withheld(suppress_table(reordered))
    assert ("A", "Q1") in withheld(suppress_table(first))


def test_a_percentage_is_withheld_with_the_count_it_names():
    table = suppress_table(
        _table(
            [label_column(""), count_column("Supported"), count_column("All"), percent_column("%", of="Supported")],
            [("Stage 1", 2, 40, 5.0), ("Stage 2", 10, 20, 50.0)],
        )
    )
    assert isinstance(table.row("Stage 1")[3], Suppressed)
    assert table.row("Stage 2")[3] == 50.0


def test_links_name_a_column_by_its_name():
    small = _table([label_column(""), count_column("Number", name="number")], [("Decided", 3)])
    other = Table(
        key="u", title="u", columns=(label_column(""), count_column("n")), rows=(("Decided", 3),), sensitive=True
    )
    done = suppress_document(
        [small, other], links=[Link((CellName("t", "Decided", "number"), CellName("u", "Decided", "n")))]
    )
    assert all(isinstance(t.rows[0][1], Suppressed) for t in done)
