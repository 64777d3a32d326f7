"""The reporting app's writes: the report's own inputs (historic and context figures, ``figures``), report files
asked for from the report page (``files``) and the publication workflow (``publication``)."""

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
from opencomplaints.reporting.services.publication import (
    report_approve,
    report_context_figures_save,
    report_draft_start,
    report_narrative_save,
    report_publish,
    report_quote_review,
    report_reproduce,
    report_return,
    report_submit,
)
from opencomplaints.reporting.services.saved_tables import saved_table_create, saved_table_remove

__all__ = [
    "BreakdownFigure",
    "context_figures_set",
    "historic_breakdowns_set",
    "historic_figure_set",
    "report_approve",
    "report_context_figures_save",
    "report_draft_start",
    "report_file_build",
    "report_file_fail_stalled",
    "report_file_open",
    "report_file_request",
    "report_files_expire",
    "report_narrative_save",
    "report_publish",
    "report_quote_review",
    "report_reproduce",
    "report_return",
    "report_submit",
    "saved_table_create",
    "saved_table_remove",
]
