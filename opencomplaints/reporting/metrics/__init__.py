"""Pure metrics: records in, tables out. No Django and no database, so every figure can be tested on hand-built
records. Each public function's docstring is the definition of what it counts; the module docstrings state the
counting rules they share (interchange §2)."""

from opencomplaints.reporting.metrics.table import Cell, ChartKind, ChartSpec, Column, ColumnKind, Suppressed, Table

__all__ = ["Cell", "ChartKind", "ChartSpec", "Column", "ColumnKind", "Suppressed", "Table"]
