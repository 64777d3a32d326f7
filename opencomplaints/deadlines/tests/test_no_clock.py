"""Static checks: the engine never reads the clock and never imports Django.

Deadlines must be reproducible from their inputs alone (a report rerun next year gives the same answer), so the
engine takes every date as an argument. These tests parse each module with :mod:`ast` rather than importing it, so
they also catch calls on code paths no other test happens to run.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent
MODULES = sorted(p for p in PACKAGE.rglob("*.py") if "tests" not in p.relative_to(PACKAGE).parts)

#: Attribute calls that read the clock: date.today(), datetime.now(), time.time(), time.monotonic()...
CLOCK_ATTRIBUTES = frozenset(
    {
        "today",
        "now",
        "utcnow",
        "time",
        "time_ns",
        "monotonic",
        "monotonic_ns",
        "perf_counter",
        "perf_counter_ns",
        "process_time",
        "process_time_ns",
        "localtime",
        "gmtime",
        "ctime",
        "asctime",
        "clock_gettime",
    }
)
#: Modules whose import alone signals clock access (or, for Django, a forbidden dependency).
FORBIDDEN_IMPORTS = frozenset({"time", "django", "rest_framework", "freezegun"})
#: numpy.datetime64("today") / ("now") read the clock too.
CLOCK_STRINGS = frozenset({"today", "now"})


def clock_uses(source: str, filename: str) -> list[str]:
    """Every clock read or forbidden import in ``source``, as ``"line: description"`` strings."""
    found: list[str] = []
    for node in ast.walk(ast.parse(source, filename=filename)):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Attribute) and func.attr in CLOCK_ATTRIBUTES:
                found.append(f"{node.lineno}: call to .{func.attr}()")
            elif isinstance(func, ast.Name) and func.id in CLOCK_ATTRIBUTES:
                found.append(f"{node.lineno}: call to {func.id}()")
            for arg in node.args:
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and arg.value in CLOCK_STRINGS:
                    found.append(f"{node.lineno}: clock string {arg.value!r}")
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in FORBIDDEN_IMPORTS:
                    found.append(f"{node.lineno}: import {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in FORBIDDEN_IMPORTS:
            found.append(f"{node.lineno}: from {node.module} import ...")
    return found


def test_the_package_has_modules_to_check() -> None:
    names = {p.name for p in MODULES}
    assert {"calendar.py", "engine.py", "bulk.py", "periods.py", "procedures.py", "govuk_data.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_never_reads_the_clock_or_imports_django(path: Path) -> None:
    assert clock_uses(path.read_text(encoding="utf-8"), str(path)) == []


@pytest.mark.parametrize(
    "source",
    [
        "from datetime import date\ndate.today()",
        "import datetime\ndatetime.datetime.now()",
        "from datetime import datetime\ndatetime.utcnow()",
        "import time\ntime.time()",
        "from time import monotonic\nmonotonic()",
        "import numpy as np\nnp.datetime64('today')",
        "import django",
        "from django.utils import timezone",
    ],
)
def test_the_checker_catches_clock_reads(source: str) -> None:
    assert clock_uses(source, "<example>") != []


def test_the_checker_accepts_ordinary_date_arithmetic() -> None:
    source = "from datetime import date, timedelta\nd = date(2025, 1, 6) + timedelta(days=1)\nd.isoformat()"
    assert clock_uses(source, "<example>") == []
