"""Benchmark of the records import: N synthetic rows in the interchange format into an empty installation.

Run from the repository root:

    python benchmarks/bench_import.py [--n 100000] [--seed 20240628] [--database-url postgres://...]

It writes N seeded rows to a CSV in a temporary directory (a realistic mix: about 70% stage 1 complaints, some going
on to stages 2 and 3, and the other kinds of representation; teams, issues, people, remedies and extensions),
sets Django up with the local settings on a throw-away SQLite database file there (or on ``--database-url``, a
PostgreSQL database the script creates and drops), migrates it, creates a council with its teams, and times
``records_import`` from the bytes of the file to the committed transaction: reading, checking, planning every
deadline and writing. It then imports the same file again, which must find every record unchanged. Target: the
first import in under 30 seconds for 100,000 rows. Besides the wall-clock time it prints the process's CPU time and
the load average, as on a shared machine the wall-clock time includes waiting for a core.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlparse, urlunparse

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = date(2025, 3, 31)
TEAMS = {
    "Front Door": ["MASH", "Early Help Hub"],
    "Localities": ["Assessment East", "Assessment West", "Child in Need North", "Child in Need South"],
    "Children in Care": ["Children in Care 1", "Children in Care 2", "Fostering", "Leaving Care"],
    "Disabled Children": ["Disabled Children's Team"],
}
ISSUES = ["Communication or lack of it", "Delay", "Staff attitude or behaviour", "Decision disputed", "Placement"]
OTHER_KINDS = [("potential_complaint", 4), ("query", 4), ("mp_enquiry", 3), ("member_enquiry", 2), ("compliment", 5)]


def synthetic_csv(n: int, seed: int) -> bytes:
    """``n`` seeded rows: complaints with their later stages, and the other kinds, received 2015 to 2024."""
    from opencomplaints.records import INTERCHANGE_COLUMNS

    rng = random.Random(seed)
    buffer = io.StringIO(newline="")
    writer = csv.DictWriter(buffer, fieldnames=INTERCHANGE_COLUMNS, lineterminator="\n")
    writer.writeheader()
    rows = 0
    case = 0
    team_names = [(area, team) for area, teams in TEAMS.items() for team in teams]
    while rows < n:
        case += 1
        received = date(2015, 4, 1) + timedelta(days=rng.randrange(0, 3500))
        area, team = rng.choice(team_names)
        shared = {
            "service_area": area,
            "teams": team,
            "issues": ";".join(rng.sample(ISSUES, rng.choice((1, 1, 2)))),
            "complainant_type": rng.choice(["parent_relative", "child_young_person", "carer", "foster_carer"]),
            "received_via": rng.choice(["email", "online", "phone", "letter"]),
            "support_category": rng.choice(["cla", "cin", "cp", "care_leaver", "unknown"]),
            "child_age": rng.randrange(0, 18),
            "child_sex": rng.choice(["female", "male"]),
            "child_ethnicity": rng.choice(["WBRI", "MWBC", "AIND", "BAFR", "unknown"]),
            "complainant_age": rng.randrange(18, 70),
            "complainant_sex": rng.choice(["female", "male", "unknown"]),
            "summary": f"Synthetic complaint {case}",
        }
        roll = rng.random()
        if roll < 0.8:
            stages = 1 + (rng.random() < 0.15) + (rng.random() < 0.25 if rng.random() < 0.15 else 0)
            day = received
            for number in range(1, stages + 1):
                last = number == stages
                responded = day + timedelta(days=rng.randrange(8, 40))
                open_stage = last and responded > TODAY
                row = {
                    "ref": f"C{case}" if number == 1 else f"C{case}/{number}",
                    "case_ref": f"C{case}",
                    "kind": "complaint",
                    "stage": number,
                    "received": day.isoformat(),
                    "responded": "" if open_stage else responded.isoformat(),
                    "outcome": "" if open_stage else rng.choice(["upheld", "partly_upheld", "not_upheld"]),
                    **shared,
                }
                if number == 1 and rng.random() < 0.1:
                    row["extended"] = "yes"
                if number == 3 and not open_stage:
                    row["panel_date"] = (day + timedelta(days=5)).isoformat()
                    row["panel_report_date"] = (day + timedelta(days=7)).isoformat()
                if not open_stage and rng.random() < 0.1:
                    row["compensation"] = f"{rng.choice([50, 100, 250, 500])}.00"
                    row["remedies"] = "apology"
                writer.writerow(row)
                rows += 1
                if rows >= n or open_stage:
                    break
                day = responded + timedelta(days=rng.randrange(3, 15))
                if day > TODAY:
                    break
        else:
            kind = rng.choices([k for k, _ in OTHER_KINDS], weights=[w for _, w in OTHER_KINDS])[0]
            responded = received + timedelta(days=rng.randrange(1, 20))
            writer.writerow(
                {
                    "ref": f"R{case}",
                    "kind": kind,
                    "received": received.isoformat(),
                    "responded": responded.isoformat() if responded <= TODAY else "",
                    "teams": team,
                    "received_via": rng.choice(["email", "phone"]),
                    "topic": "Synthetic enquiry",
                }
            )
            rows += 1
    return buffer.getvalue().encode()


def setup_django(data_dir: str, database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencomplaints.config.settings.local"
    os.environ["OPENCOMPLAINTS_DATA_DIR"] = data_dir
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _postgres(url: str, *, create: bool) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = urlunparse(parsed._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if create:
            connection.execute(f'CREATE DATABASE "{name}"')


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="rows to import")
    parser.add_argument("--seed", type=int, default=20240628)
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to create, use and drop (e.g. postgres://postgres@127.0.0.1:5432/bench_import)",
    )
    args = parser.parse_args(argv)
    return in_fresh_database(args.database_url, lambda: run(args))


def in_fresh_database(database_url: str | None, work: Callable[[], int]) -> int:
    """Run ``work`` on SQLite in a temporary folder, or in the PostgreSQL database ``database_url`` created for it
    and dropped afterwards."""
    if database_url:
        _postgres(database_url, create=True)
    try:
        with tempfile.TemporaryDirectory(prefix="opencomplaints-bench-") as data_dir:
            setup_django(data_dir, database_url)
            return work()
    finally:
        if database_url:
            from django.db import connections

            connections.close_all()
            _postgres(database_url, create=False)


def _load() -> str:
    """The machine's load average over the last minute: on a shared machine, what the wall-clock time includes."""
    try:
        return f"{os.getloadavg()[0]:.1f}"
    except OSError:  # pragma: no cover - not every platform has one
        return "unknown"


def run(args: argparse.Namespace) -> int:
    from django.db import connection

    from opencomplaints.cases.models import Case, Deadline, Stage
    from opencomplaints.councils.services import council_create, service_area_create, team_create
    from opencomplaints.interchange.importer import records_import
    from opencomplaints.interchange.progress import TerminalProgress

    started = time.perf_counter()
    data = synthetic_csv(args.n, args.seed)
    print(f"Generated {args.n:,} rows ({len(data) / 1_048_576:.1f} MB) in {time.perf_counter() - started:.1f} s")
    council = council_create(name="Borough of Benchmark", slug="benchmark", reference_prefix="BEN", acting_user=None)
    for area_name, teams in TEAMS.items():
        area = service_area_create(council=council, name=area_name, acting_user=None)
        for team in teams:
            team_create(service_area=area, name=team, acting_user=None)

    started, cpu = time.perf_counter(), time.process_time()
    outcome = records_import(
        data=data,
        filename="bench.csv",
        acting_user=None,
        today=TODAY,
        create_missing=True,
        progress=TerminalProgress(sys.stderr),
    )
    seconds, cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    if not outcome.ok:
        for error in outcome.errors[:20]:
            print(error, file=sys.stderr)
        return 1
    print(
        f"{connection.vendor}: imported {outcome.rows:,} rows ({outcome.created:,} new) in {seconds:.1f} s = "
        f"{outcome.rows / seconds:,.0f} rows a second (this process's CPU time {cpu_seconds:.1f} s; load average "
        f"{_load()}); {Case.objects.count():,} cases, {Stage.objects.count():,} stages, "
        f"{Deadline.objects.count():,} deadlines"
    )
    started, cpu = time.perf_counter(), time.process_time()
    again = records_import(data=data, filename="bench.csv", acting_user=None, today=TODAY)
    seconds_again = time.perf_counter() - started
    print(
        f"{connection.vendor}: re-imported the same file in {seconds_again:.1f} s (CPU {time.process_time() - cpu:.1f} "
        f"s): {again.unchanged:,} unchanged, {again.created + again.updated} written"
    )
    return 0 if seconds < 30 else 2


if __name__ == "__main__":
    raise SystemExit(main())
