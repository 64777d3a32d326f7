"""The frozen report: every part of the report survives JSON and comes back equal, so the files made from it are
the same (no database)."""

import json
from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.reporting.frozen import canonical_json, report_freeze, report_thaw
from opencomplaints.reporting.metrics.table import Suppressed
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.renderers.common import publishable
from opencomplaints.reporting.report import build_report, with_narrative
from opencomplaints.reporting.tests.helpers import inputs, sample_records


@pytest.fixture(scope="module")
def report():
    built = build_report(inputs(sample_records()), generated_on=date(2024, 5, 1))
    return with_narrative(built, {"summary": "A steady year.\n\n**Fewer** complaints."}, final=True)


def test_a_report_thaws_equal_to_itself(report):
    thawed = report_thaw(json.loads(canonical_json(report_freeze(report))))
    assert thawed == report
    assert thawed.sections[0].sentences == ("A steady year.", "Fewer complaints.")
    assert all(not s.placeholders for s in thawed.sections)
    assert thawed.published is True


def test_canonical_json_is_stable_and_keeps_withheld_cells_and_money(report):
    frozen = canonical_json(report_freeze(report))
    assert frozen == canonical_json(json.loads(frozen))
    suppressed = publishable(report, 5)
    thawed = report_thaw(json.loads(canonical_json(report_freeze(suppressed))))
    assert thawed == suppressed
    cells = {type(v) for t in thawed.tables for row in t.rows for v in row}
    assert Suppressed in cells
    assert Decimal in cells


@pytest.mark.parametrize("fmt", ["html", "docx", "xlsx"])
def test_files_from_the_thawed_report_are_identical(report, fmt):
    thawed = report_thaw(json.loads(canonical_json(report_freeze(report))))
    assert render(thawed, fmt) == render(report, fmt)
    assert render(thawed, fmt) == render(thawed, fmt)


def test_an_unknown_format_version_is_refused(report):
    data = report_freeze(report) | {"format_version": 99}
    with pytest.raises(ValueError, match="format 99"):
        report_thaw(data)
