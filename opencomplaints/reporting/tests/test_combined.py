"""The combined council-wide report: each procedure's report in full, side by side, suppressed as each part is
on its own (a part's figures linked within the part), and frozen like any other report (no database)."""

import json
from dataclasses import replace
from datetime import date

import pytest

from opencomplaints.reporting.frozen import canonical_json, report_freeze, report_thaw
from opencomplaints.reporting.metrics.table import Suppressed
from opencomplaints.reporting.renderers import render
from opencomplaints.reporting.renderers.common import publishable
from opencomplaints.reporting.report import COMBINED_PARTS, base_key, build_report, combine_reports
from opencomplaints.reporting.tests.helpers import inputs, rec, sample_records

DAY = date(2024, 5, 1)


@pytest.fixture(scope="module")
def parts():
    records = [
        *sample_records(),
        *(rec(procedure="adults_statutory", received=date(2023, 5, d), service_area="Home care") for d in (2, 3)),
        *(rec(procedure="corporate", received=date(2023, 6, d), service_area="Waste") for d in range(1, 9)),
    ]
    base = inputs(records)
    return [build_report(replace(base, procedure=procedure), generated_on=DAY) for procedure, _, _ in COMBINED_PARTS]


@pytest.fixture(scope="module")
def combined(parts):
    return combine_reports(parts, generated_on=DAY)


def test_every_part_in_full_after_the_side_by_side_figures(parts, combined):
    assert combined.sections[0].key == "overview"
    side = combined.table("side_by_side")
    assert side.column_titles == ("", "Children's social care", "Adult social care", "Corporate complaints")
    assert side.row("Complaints received at stage 1")[1:] == tuple(p.core["stages"]["1"]["received"] for p in parts)
    assert side.row("Complaints received at stage 2")[2] is None  # the adults' procedure has one stage
    assert len(combined.sections) == 1 + sum(len(p.sections) for p in parts)
    assert [s.number for s in combined.sections] == list(range(1, len(combined.sections) + 1))
    assert combined.table("adults.stage_volumes") is not None
    assert len({t.key for t in combined.tables}) == len(combined.tables)


def test_each_part_is_suppressed_as_it_is_on_its_own(parts, combined):
    published = publishable(combined, 5)
    for part, (_, prefix, _) in zip(parts, COMBINED_PARTS, strict=True):
        alone = {t.key: t.rows for t in publishable(part, 5).tables}
        inside = {base_key(t.key): t.rows for t in published.tables if t.key.startswith(f"{prefix}.")}
        assert inside == alone
    assert any(isinstance(v, Suppressed) for t in published.tables for row in t.rows for v in row)


def test_frozen_and_rendered_the_same(combined):
    thawed = report_thaw(json.loads(canonical_json(report_freeze(combined))))
    assert thawed == combined
    assert thawed.parts == ("children", "adults", "corporate")
    for fmt in ("html", "docx", "xlsx"):
        assert render(thawed, fmt) == render(combined, fmt)
    html = render(combined, "html").decode()
    assert "Corporate complaints: Summary" in html
    assert "**" not in html
