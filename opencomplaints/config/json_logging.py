"""Production logs as one JSON object a line (python-json-logger), carrying only the fields named here.

python-json-logger would add every ``extra`` attribute a library puts on a record; those are not scrubbed by
``PersonalDataFilter``, so they are left out: a record carries its time, level, logger, process, the scrubbed
message and traceback, and an HTTP status where Django gives one.
"""

from __future__ import annotations

from pythonjsonlogger.core import LogData
from pythonjsonlogger.json import JsonFormatter

__all__ = ["ScrubbedJsonFormatter"]

KEPT = frozenset({"time", "level", "logger", "process", "message", "exc_info", "stack_info", "status_code"})


class ScrubbedJsonFormatter(JsonFormatter):
    def process_log_record(self, log_data: LogData) -> LogData:
        return {key: value for key, value in log_data.items() if key in KEPT}
