"""The figures ``scripts/production-smoke`` prints: error count and the 50th, 95th and 99th percentiles of the
response times, overall and for each kind of request, from the lines the load test wrote (name, milliseconds,
1 for a success or 0 for an error, tab-separated). Standard library only: the orchestrating script imports it.

Percentiles are nearest-rank (the smallest time that at least that share of the requests took no longer than),
so each is a time some request really took."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

__all__ = ["Figures", "percentile", "read_timings", "summarise", "table"]


@dataclass(frozen=True)
class Figures:
    name: str
    requests: int
    errors: int
    p50: float
    p95: float
    p99: float


def percentile(sorted_times: Sequence[float], share: float) -> float:
    """The nearest-rank ``share`` percentile (0 < share <= 100) of times already sorted in ascending order."""
    if not sorted_times:
        raise ValueError("No response times to take a percentile of")
    if not 0 < share <= 100:
        raise ValueError(f"A percentile is between 0 and 100, not {share}")
    rank = math.ceil(share / 100 * len(sorted_times))
    return sorted_times[rank - 1]


def _figures(name: str, rows: Sequence[tuple[float, bool]]) -> Figures:
    times = sorted(milliseconds for milliseconds, _ok in rows)
    return Figures(
        name=name,
        requests=len(rows),
        errors=sum(1 for _milliseconds, ok in rows if not ok),
        p50=percentile(times, 50),
        p95=percentile(times, 95),
        p99=percentile(times, 99),
    )


def summarise(timings: Iterable[tuple[str, float, bool]]) -> tuple[Figures, list[Figures]]:
    """The figures of every request together, and of each name (in name order)."""
    by_name: dict[str, list[tuple[float, bool]]] = {}
    everything: list[tuple[float, bool]] = []
    for name, milliseconds, ok in timings:
        by_name.setdefault(name, []).append((milliseconds, ok))
        everything.append((milliseconds, ok))
    if not everything:
        raise ValueError("The load test recorded no requests")
    return _figures("all requests", everything), [_figures(name, by_name[name]) for name in sorted(by_name)]


def read_timings(lines: Iterable[str]) -> list[tuple[str, float, bool]]:
    """Parse the load test's lines; a line that is not three tab-separated fields is refused, naming it."""
    timings = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) != 3 or parts[2] not in ("0", "1"):
            raise ValueError(f"Line {number} of the timings is not 'name, milliseconds, 0 or 1': {line!r}")
        timings.append((parts[0], float(parts[1]), parts[2] == "1"))
    return timings


def table(overall: Figures, each: Sequence[Figures]) -> str:
    """The figures as a plain-text table, each kind of request first and every request together last."""
    width = max(len(figures.name) for figures in [overall, *each])
    header = f"{'request':<{width}}  {'count':>6}  {'errors':>6}  {'p50 ms':>7}  {'p95 ms':>7}  {'p99 ms':>7}"
    lines = [header, "-" * len(header)]
    for figures in [*each, overall]:
        if figures is overall:
            lines.append("-" * len(header))
        lines.append(
            f"{figures.name:<{width}}  {figures.requests:>6}  {figures.errors:>6}  "
            f"{figures.p50:>7.0f}  {figures.p95:>7.0f}  {figures.p99:>7.0f}"
        )
    return "\n".join(lines)
