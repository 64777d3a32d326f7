"""The reporting app's writes: the report's own inputs (historic and context figures, ``figures``) and report files
asked for from the report page (``files``)."""

from opencomplaints.reporting.services.figures import (
    BreakdownFigure,
    context_figures_set,
    historic_breakdowns_set,
    historic_figure_set,
)
from opencomplaints.reporting.services.files import (
    report_file_build,
    report_file_fail_stalled,
    report_file_open,
    report_file_request,
    report_files_expire,
)
from opencomplaints.reporting.services.saved_tables import saved_table_create, saved_table_remove

__all__ = [
    "BreakdownFigure",
    "context_figures_set",
    "historic_breakdowns_set",
    "historic_figure_set",
    "report_file_build",
    "report_file_fail_stalled",
    "report_file_open",
    "report_file_request",
    "report_files_expire",
    "saved_table_create",
    "saved_table_remove",
]
