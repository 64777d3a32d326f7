"""Benchmark of stage 1 due-date computation: the vectorised path against the scalar one.

Run from the repository root:

    python benchmarks/bench_deadlines.py [--n 1000000] [--repeat 5] [--scalar-n 200000]

It builds the England and Wales calendar, draws N seeded random receipt dates from 2006 to 2035 (weekends and bank
holidays included) and computes each date's stage 1 due date and extended due date (10 and 20 working days,
R1.20). A "computation" is one due date, so each receipt date counts twice.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import numpy as np

# Runnable as a plain script from a checkout, without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from opencomplaints.deadlines import (
    CHILDREN_STATUTORY,
    bulk_timescale_due_dates,
    england_and_wales_calendar,
)

FIRST = np.datetime64("2006-01-01")
LAST = np.datetime64("2035-12-31")


def random_receipt_dates(n: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    span = int((LAST - FIRST).astype(int)) + 1
    dates: np.ndarray = FIRST + rng.integers(0, span, size=n).astype("timedelta64[D]")
    return dates


def best_of(repeat: int, work: Callable[[], object]) -> float:
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        timings.append(time.perf_counter() - started)
    return min(timings)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="receipt dates for the bulk path")
    parser.add_argument("--scalar-n", type=int, default=200_000, help="receipt dates for the scalar path")
    parser.add_argument("--repeat", type=int, default=5, help="timed repetitions (the best is reported)")
    parser.add_argument("--seed", type=int, default=20220526)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    calendar = england_and_wales_calendar()
    _ = calendar.busdaycalendar
    print(f"calendar built in {time.perf_counter() - started:.3f} s ({calendar.first_covered}-{calendar.last_covered})")

    timescale = CHILDREN_STATUTORY.stage(1).timescale("stage1_response")
    received = random_receipt_dates(args.n, args.seed)

    bulk_seconds = best_of(args.repeat, lambda: bulk_timescale_due_dates(received, timescale, calendar=calendar))
    bulk_rate = 2 * args.n / bulk_seconds
    print(
        f"bulk:   {args.n:>9,} receipt dates, 2 due dates each, best of {args.repeat}: {bulk_seconds:.3f} s "
        f"= {bulk_rate:,.0f} due dates a second"
    )

    scalar_dates = [date.fromisoformat(str(d)) for d in received[: args.scalar_n]]
    add = calendar.add_working_days

    def scalar() -> None:
        for d in scalar_dates:
            add(d, 10)
            add(d, 20)

    scalar_seconds = best_of(args.repeat, scalar)
    scalar_rate = 2 * len(scalar_dates) / scalar_seconds
    print(
        f"scalar: {len(scalar_dates):>9,} receipt dates, 2 due dates each, best of {args.repeat}: "
        f"{scalar_seconds:.3f} s = {scalar_rate:,.0f} due dates a second"
    )

    sample = min(1000, len(scalar_dates))
    check = bulk_timescale_due_dates(received[:sample], timescale, calendar=calendar)
    expected = [add(d, 10) for d in scalar_dates[:sample]]
    if [date.fromisoformat(str(d)) for d in check.due_on] != expected:
        print("MISMATCH between the bulk and scalar answers", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
