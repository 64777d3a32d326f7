"""Benchmark: the full annual report (every section, as JSON, DOCX and tagged PDF) for one council-year, from a
database of 1,000,000 records over many years and councils.

    .venv/bin/python benchmarks/bench_annual_report.py                       # temporary SQLite file
    .venv/bin/python benchmarks/bench_annual_report.py --timed-records 10000  # a large county's year, same total
    .venv/bin/python benchmarks/bench_annual_report.py --database-url postgres://postgres@127.0.0.1:5432/bench
    .venv/bin/python benchmarks/bench_annual_report.py --database-url sqlite:////tmp/b/bench.sqlite3 --reuse

``--timed-records N`` gives the timed council-year (the first council's 2024/25) N records and shares the rest of
``--records`` evenly among the other council-years, so the database is the same size.

A record is one stage of a complaint or one other representation (interchange §1). The data is synthetic and is
written straight into the tables with bulk inserts. Each timed run covers the selectors (every query) and the
metrics once, then renders the JSON, the Word document and the tagged PDF (each with its charts) one after the other;
each format's figure is the selectors and metrics plus its own rendering. Imports and loading the charts' font are
done before timing, as a running server has done them once at start-up.
"""

import argparse
import importlib
import os
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

OUTCOMES = ["upheld", "partly_upheld", "not_upheld", "not_upheld", "withdrawn", "resolved_informally"]
OTHER_KINDS = ["query", "query", "mp_enquiry", "member_enquiry", "compliment", "potential_complaint", "ombudsman"]
DECISIONS = ["upheld_fault_injustice", "not_upheld", "closed_after_initial_enquiries", "premature"]


def _setup(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("SECRET_KEY", "benchmark-only")
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencomplaints.config.settings.local"
    import django

    django.setup()


class _Writer:
    """Plain ``executemany`` inserts of model instances' attribute values: ``bulk_create`` is too slow for
    millions of rows. The timestamps, which the database never reads here, are one prepared value for every row."""

    def __init__(self, model: type[Any], connection: Any) -> None:
        from django.utils import timezone

        fields = list(model._meta.concrete_fields)
        now = timezone.now()
        self.constant = {
            f.attname: f.get_db_prep_save(now, connection) for f in fields if f.attname in {"created_at", "updated_at"}
        }
        self.connection = connection
        self.pk = model._meta.pk.attname
        table = connection.ops.quote_name(model._meta.db_table)
        self.statements: dict[bool, tuple[str, list[str]]] = {}
        for with_pk in (True, False):
            # Rows without an id leave the column out, so PostgreSQL's sequence numbers them.
            chosen = [f for f in fields if with_pk or f.attname != self.pk]
            columns = ", ".join(connection.ops.quote_name(f.column) for f in chosen)
            marks = ", ".join(["%s"] * len(chosen))
            # Names come from the model, never from input.
            sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
            self.statements[with_pk] = (sql, [f.attname for f in chosen])

    def write(self, rows: list[Any]) -> None:
        sql, names = self.statements[getattr(rows[0], self.pk) is not None]
        constant = self.constant
        values = [[constant[n] if n in constant else _plain(getattr(obj, n)) for n in names] for obj in rows]
        with self.connection.cursor() as cursor:
            cursor.executemany(sql, values)


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _build(
    *,
    councils: int,
    first_year: int,
    years: int,
    per_council_year: int,
    seed: int,
    timed: tuple[int, int] | None = None,
) -> int:
    """Insert ``councils * years * per_council_year`` records (``timed`` = (year, records): the first council has
    that many records that year instead); returns the number of records."""
    from django.db import connection, transaction

    from opencomplaints.cases.models import (
        Case,
        CaseChild,
        CaseComplainant,
        CaseIssue,
        CaseTeam,
        OmbudsmanDetail,
        Person,
        Remedy,
        Stage,
    )
    from opencomplaints.councils.models import Council, IssueCategory, RemedyType, ServiceArea, Team

    rng = random.Random(seed)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")
    records = 0
    case_id = person_id = stage_id = 0
    batch: dict[type, list[Any]] = {}
    writers: dict[type, _Writer] = {}

    def add(obj: Any) -> None:
        batch.setdefault(type(obj), []).append(obj)

    def flush() -> None:
        for model in (Person, Case, Stage, CaseTeam, CaseIssue, CaseComplainant, CaseChild, OmbudsmanDetail, Remedy):
            rows = batch.pop(model, [])
            if rows:
                writer = writers.get(model) or writers.setdefault(model, _Writer(model, connection))
                writer.write(rows)

    for c in range(councils):
        with transaction.atomic():
            council = Council.objects.create(name=f"Benchmark Borough {c}", slug=f"bench-{c}", reference_prefix="B")
            areas = [ServiceArea.objects.create(council=council, name=f"Area {a}") for a in range(4)]
            teams = [
                Team.objects.create(council=council, service_area=areas[t % 4], name=f"Team {t}") for t in range(12)
            ]
            issues = [IssueCategory.objects.create(council=council, name=f"Issue {i}") for i in range(12)]
            money = RemedyType.objects.create(council=council, code="financial", name="Financial", is_financial=True)
            for year in range(first_year, first_year + years):
                start = date(year, 4, 1)
                made = 0
                wanted = timed[1] if timed is not None and c == 0 and year == timed[0] else per_council_year
                while made < wanted:
                    case_id += 1
                    received = start + timedelta(days=rng.randrange(365))
                    if rng.random() < 0.6:
                        case = Case(
                            id=case_id,
                            council=council,
                            reference=f"B-{case_id}",
                            kind="complaint",
                            procedure="children_statutory",
                            received_date=received,
                            received_via=rng.choice(["email", "online", "phone"]),
                        )
                        add(case)
                        person_id += 2
                        add(Person(id=person_id - 1, council=council, date_of_birth=date(1980, 1, 1), sex="female"))
                        add(
                            Person(
                                id=person_id,
                                council=council,
                                sex=rng.choice(["female", "male"]),
                                ethnicity_scheme="dfe_csc",
                                ethnicity_code="WBRI",
                            )
                        )
                        add(
                            CaseComplainant(
                                case_id=case_id,
                                person_id=person_id - 1,
                                complainant_type=rng.choice(["parent_relative", "child_young_person"]),
                            )
                        )
                        add(
                            CaseChild(
                                case_id=case_id,
                                person_id=person_id,
                                age_at_receipt=rng.randrange(18),
                                support_category=rng.choice(["cin", "cp", "cla"]),
                            )
                        )
                        for position, team in enumerate(rng.sample(teams, rng.choice([1, 1, 2]))):
                            add(
                                CaseTeam(
                                    case_id=case_id, team=team, service_area_id=team.service_area_id, position=position
                                )
                            )
                        for position, issue in enumerate(rng.sample(issues, rng.choice([1, 2, 3]))):
                            add(CaseIssue(case_id=case_id, category=issue, position=position))
                        stage_received = received
                        for number in (1, 2, 3):
                            stage_id += 1
                            responded = stage_received + timedelta(days=rng.randrange(3, 90 if number > 1 else 40))
                            add(
                                Stage(
                                    id=stage_id,
                                    case_id=case_id,
                                    number=number,
                                    received_date=stage_received,
                                    start_date=stage_received,
                                    response_date=responded,
                                    outcome=rng.choice(OUTCOMES),
                                )
                            )
                            if rng.random() < 0.1:
                                add(
                                    Remedy(
                                        case_id=case_id,
                                        stage_id=stage_id,
                                        remedy_type=money,
                                        amount=Decimal(rng.randrange(50, 2000)),
                                    )
                                )
                            made += 1
                            if rng.random() > 0.2 or made >= wanted:
                                break
                            stage_received = responded + timedelta(days=rng.randrange(1, 20))
                    else:
                        kind = rng.choice(OTHER_KINDS)
                        responded = received + timedelta(days=rng.randrange(1, 30))
                        add(
                            Case(
                                id=case_id,
                                council=council,
                                reference=f"B-{case_id}",
                                kind=kind,
                                received_date=received,
                                responded_date=None if kind == "ombudsman" else responded,
                                topic=rng.choice(["Schools", "Housing", "Social care support"]),
                            )
                        )
                        if kind == "ombudsman":
                            add(
                                OmbudsmanDetail(
                                    case_id=case_id,
                                    decision=rng.choice(DECISIONS),
                                    decision_date=responded + timedelta(days=60),
                                )
                            )
                        made += 1
                records += made
                if len(batch.get(Case, [])) > 20_000:
                    flush()
            flush()
        print(f"  council {c + 1}/{councils}: {records:,} records", flush=True)
    return records


def _time_report(*, slug: str, year: int, runs: int) -> dict[str, list[float]]:
    from django.utils import timezone

    from opencomplaints.councils.models import Council
    from opencomplaints.reporting.metrics.table import ChartKind
    from opencomplaints.reporting.periods import reporting_year
    from opencomplaints.reporting.renderers import render
    from opencomplaints.reporting.renderers.charts import chart_png
    from opencomplaints.reporting.renderers.common import ChartData
    from opencomplaints.reporting.report import build_report
    from opencomplaints.reporting.selectors import report_inputs

    # Start-up work a server does once: load the document libraries and the charts' font.
    importlib.import_module("opencomplaints.reporting.renderers.docx")
    importlib.import_module("opencomplaints.reporting.renderers.pdf")
    chart_png(ChartData("Warm 0123456789", ChartKind.HBAR, ("Abc xyz",), (("s", (1.0,)),), ""))
    council = Council.objects.get(slug=slug)
    timings: dict[str, list[float]] = {"build": [], "json": [], "docx": [], "pdf": []}
    for _ in range(runs):
        started = time.perf_counter()
        inputs = report_inputs(councils=[council], period=reporting_year(year), procedure="children_statutory")
        report = build_report(inputs, generated_on=timezone.localdate())
        built = time.perf_counter() - started
        timings["build"].append(built)
        sizes = {}
        for fmt in ("json", "docx", "pdf"):
            began = time.perf_counter()
            sizes[fmt] = len(render(report, fmt))
            timings[fmt].append(built + time.perf_counter() - began)
        print(
            f"  {len(inputs.records):,} records in the period; selectors and metrics {built:.3f} s; "
            + "; ".join(f"{fmt.upper()} {sizes[fmt]:,} bytes {timings[fmt][-1]:.3f} s" for fmt in sizes),
            flush=True,
        )
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--councils", type=int, default=25)
    parser.add_argument("--years", type=int, default=16)
    parser.add_argument("--database-url", help="PostgreSQL to use instead of a temporary SQLite file.")
    parser.add_argument("--reuse", action="store_true", help="Use the data already in --database-url.")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--timed-records",
        type=int,
        help="Records in the timed council-year (the rest of --records shared among the others; default even).",
    )
    args = parser.parse_args()

    temporary = None
    url = args.database_url
    if not url:
        temporary = tempfile.mkdtemp(prefix="oc-bench-")
        url = f"sqlite:///{temporary}/bench.sqlite3"
    _setup(url)
    from django.core.management import call_command
    from django.db import connection

    first_year = 2024 - args.years + 1
    if not args.reuse:
        if connection.vendor == "postgresql":
            call_command("flush", interactive=False, verbosity=0)
        call_command("migrate", verbosity=0)
        cells = args.councils * args.years
        if args.timed_records:
            per = (args.records - args.timed_records) // (cells - 1)
            expected = per * (cells - 1) + args.timed_records
        else:
            per = args.records // cells
            expected = per * cells
        print(f"Building {expected:,} records ({connection.vendor}) ...", flush=True)
        started = time.perf_counter()
        total = _build(
            councils=args.councils,
            first_year=first_year,
            years=args.years,
            per_council_year=per,
            seed=args.seed,
            timed=(2024, args.timed_records) if args.timed_records else None,
        )
        print(f"Built {total:,} records in {time.perf_counter() - started:.0f} s", flush=True)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
    print(f"Timing the 2024/25 report for one council ({connection.vendor}):", flush=True)
    timings = _time_report(slug="bench-0", year=2024, runs=args.runs)
    for name, values in timings.items():
        print(f"{name}: first run {values[0]:.3f} s; best of {len(values)} {min(values):.3f} s")


if __name__ == "__main__":
    main()
