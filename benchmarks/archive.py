"""Benchmark of the whole-history archive (docs/archive.md): export and import of the three-year demonstration data
of two councils (the shared service), with a few documents on top.

Run from the repository root:

    python benchmarks/archive.py [--years 3] [--councils 2] [--database-url postgres://...]

It sets Django up with the local settings on a throw-away SQLite database file in a temporary directory (or on
``--database-url``, a PostgreSQL database the script creates and drops), migrates it, builds the demonstration data
through the services (not timed), and times ``archive_export`` of every council; then empties the installation,
times ``archive_import`` of the archive, and exports again, which must give the same bytes. Target: export and
import each in under 20 seconds.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_import import in_fresh_database  # benchmarks/bench_import.py, beside this script


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--councils", type=int, default=2)
    parser.add_argument("--database-url", help="a PostgreSQL database to create, use and drop")
    args = parser.parse_args(argv)
    return in_fresh_database(args.database_url, lambda: run(args))


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    from opencomplaints.councils.models import Council
    from opencomplaints.interchange.archive import archive_export, archive_import
    from opencomplaints.interchange.tests.archive_world import build_world, empty_installation

    started = time.perf_counter()
    build_world(years=args.years, councils=args.councils)
    print(f"Built {args.years} years of demonstration data of {args.councils} councils in "
          f"{time.perf_counter() - started:.1f} s ({connection.vendor})")  # fmt: skip

    councils = list(Council.objects.order_by("slug"))
    started = time.perf_counter()
    first, counts = archive_export(councils=councils, acting_user=None)
    exported = time.perf_counter() - started
    rows = sum(count for label, count in counts.items() if label != "documents")
    print(f"Export: {exported:.2f} s for {rows:,} rows in {len(counts) - 1} parts and {counts['documents']} "
          f"documents ({len(first) / 1_048_576:.1f} MB zip); cases {counts['cases.case']:,}, stages "
          f"{counts['cases.stage']:,}, deadlines {counts['cases.deadline']:,}")  # fmt: skip

    empty_installation()
    started = time.perf_counter()
    outcome = archive_import(data=first, acting_user=None)
    imported = time.perf_counter() - started
    print(f"Import: {imported:.2f} s for {outcome.total:,} rows and {outcome.documents} documents")

    again, _counts = archive_export(councils=list(Council.objects.order_by("slug")), acting_user=None)
    same = again == first
    print("Exporting again gives the same bytes." if same else "Exporting again gave DIFFERENT bytes.")
    within = exported < 20 and imported < 20
    print("Target (each under 20 s): " + ("met" if within else "NOT met"))
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
