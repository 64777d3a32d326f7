"""The figures scripts/production-smoke prints and fails on (scripts/smoke/summary.py): nearest-rank percentiles,
overall and for each kind of request, and the error count."""

import importlib.util
import sys
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "scripts" / "smoke" / "summary.py"
_spec = importlib.util.spec_from_file_location("smoke_summary", _PATH)
assert _spec is not None
assert _spec.loader is not None
summary = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = summary  # dataclasses look their module up there
_spec.loader.exec_module(summary)


def test_nearest_rank_percentiles_are_times_a_request_really_took():
    times = [float(ms) for ms in range(1, 101)]  # 1 ms to 100 ms
    assert summary.percentile(times, 50) == 50
    assert summary.percentile(times, 95) == 95
    assert summary.percentile(times, 99) == 99
    assert summary.percentile(times, 100) == 100
    # Twenty requests: the 95th percentile is the 19th, so one slow request in twenty does not set it.
    twenty = sorted([10.0] * 19 + [900.0])
    assert summary.percentile(twenty, 95) == 10
    assert summary.percentile(twenty, 99) == 900
    assert summary.percentile([42.0], 99) == 42


def test_a_percentile_of_nothing_or_out_of_range_is_refused():
    with pytest.raises(ValueError, match="No response times"):
        summary.percentile([], 50)
    with pytest.raises(ValueError, match="between 0 and 100"):
        summary.percentile([1.0], 0)


def test_figures_overall_and_for_each_kind_of_request_count_the_errors():
    lines = ["page: case\t30.5\t1", "page: case\t70\t0", "", "api: read case\t12\t1", "api: read case\t400\t1"]
    overall, each = summary.summarise(summary.read_timings(lines))
    assert (overall.requests, overall.errors, overall.p50, overall.p99) == (4, 1, 30.5, 400)
    assert [(f.name, f.requests, f.errors, f.p50, f.p95) for f in each] == [
        ("api: read case", 2, 0, 12, 400),
        ("page: case", 2, 1, 30.5, 70),
    ]
    text = summary.table(overall, each)
    assert text.splitlines()[-1].split() == ["all", "requests", "4", "1", "30", "400", "400"]


def test_a_malformed_line_is_refused_with_its_number():
    with pytest.raises(ValueError, match="Line 2 of the timings"):
        summary.read_timings(["page: case\t30\t1", "page: case 30 1"])
    with pytest.raises(ValueError, match="recorded no requests"):
        summary.summarise([])
