"""Small-number suppression (R6.7): primary, secondary, percentages, zeros, threshold."""

from opencomplaints.reporting.metrics.table import (
    Suppressed,
    Table,
    count_column,
    label_column,
    percent_column,
)
from opencomplaints.reporting.suppression import suppress_table


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
    assert any("R6.7" in note for note in suppressed.notes)
