"""Benchmark of the case page: the server's time to answer ``GET /cases/<id>/`` for a rich case among 100,000.

Run from the repository root:

    python benchmarks/bench_case_page.py [--cases 100000] [--runs 50]
    python benchmarks/bench_case_page.py --database-url postgres://postgres@127.0.0.1:5432/bench_case_page

Without ``--database-url`` it uses a throw-away SQLite file in a temporary directory. With one, it creates that
PostgreSQL database if it does not exist, and drops it at the end unless ``--keep`` is given: name a database
nothing else uses.

The 100,000 background cases are written with ``bulk_create`` (each with its complainant, stage, deadlines and
audit event, so every table the page reads is large). The measured case is built through the services: three
stages, points with findings at stages 2 and 3, recommendations, a hold, remedies, learning actions, documents
and 100 audit events. Each run is a full request through Django's middleware, URL resolution, the access check,
the page's queries and the template (the test client, signed in); the figure is the server's time, without a
network. It prints the median and 90th percentile over ``--runs`` requests, after warming up, and the number of
queries per request.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from sign_in import sign_in  # benchmarks/sign_in.py, beside this script

# Runnable as a plain script from a checkout, without installing the project.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

BATCH = 2000
EVENTS = 100


def setup_django(data_dir: str, database_url: str | None, settings: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    os.environ["OPENCOMPLAINTS_DATA_DIR"] = data_dir
    os.environ["MEDIA_ROOT"] = str(Path(data_dir) / "documents")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
        _create_database(database_url)
    else:
        os.environ.pop("DATABASE_URL", None)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def _create_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def _drop_database(url: str) -> None:
    import psycopg

    name = url.rsplit("/", 1)[1].split("?")[0]
    maintenance = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(maintenance, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def fill_background(council: Any, user: Any, count: int) -> None:
    """``count`` complaints written directly, each with a complainant, an open stage 1, two deadlines and its
    registration event: the bulk that the page's indexed queries must find one case in."""
    from django.utils import timezone

    from opencomplaints.audit.models import AuditEvent, AuditEventType
    from opencomplaints.cases import constants as c
    from opencomplaints.cases.models import Case, CaseComplainant, Deadline, Person, Stage

    first = date(2019, 4, 1)
    surnames = ["Smith", "Patel", "Jones", "Khan", "Evans", "Taylor", "Brown", "Wilson", "Ahmed", "Walker"]
    now = timezone.now()
    for start in range(0, count, BATCH):
        numbers = range(start, min(start + BATCH, count))
        received = {n: first + timedelta(days=n % 2400) for n in numbers}
        cases = Case.objects.bulk_create(
            Case(
                council=council,
                reference=f"BG-{received[n].year}-{n + 1:06d}",
                kind=c.Kind.COMPLAINT,
                procedure=c.Procedure.CHILDREN_STATUTORY,
                status=c.CaseStatus.OPEN,
                acceptance=c.Acceptance.ACCEPTED,
                received_date=received[n],
                current_stage=1,
                next_due_date=received[n] + timedelta(days=14),
            )
            for n in numbers
        )
        people = Person.objects.bulk_create(
            Person(council=council, first_name=f"Person{n}", last_name=surnames[n % len(surnames)]) for n in numbers
        )
        CaseComplainant.objects.bulk_create(
            CaseComplainant(case=case, person=person, eligibility_basis=c.EligibilityBasis.PARENT)
            for case, person in zip(cases, people, strict=True)
        )
        stages = Stage.objects.bulk_create(
            Stage(case=case, number=1, received_date=case.received_date, start_date=case.received_date)
            for case in cases
        )
        Deadline.objects.bulk_create(
            Deadline(
                case=stage.case,
                stage=stage,
                key=key,
                label=label,
                rule=rule,
                anchor_date=stage.received_date,
                working_days=days,
                due_date=stage.received_date + timedelta(days=days + days // 5 * 2),
            )
            for stage in stages
            for key, label, rule, days in (
                ("stage1_response", "Stage 1 response", "R1.20", 10),
                ("stage1_response_extended", "Stage 1 extended response", "R1.20", 20),
            )
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                event_time=now,
                acting_user=user,
                event_type=AuditEventType.COMPLAINT_REGISTERED,
                case=case,
                subject_type="cases.case",
                subject_id=str(case.pk),
                summary=f"Complaint {case.reference} registered",
            )
            for case in cases
        )


def rich_case(council: Any, users: dict[str, Any]) -> Any:
    """A complaint taken through all three stages by the services, with everything the page shows."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opencomplaints.cases import constants as c
    from opencomplaints.cases import services as s
    from opencomplaints.casework.services import document_download_record, document_upload
    from opencomplaints.councils.models import RemedyType

    manager = users["manager"]
    case = s.complaint_register(
        council=council,
        acting_user=manager,
        received_date=date(2024, 5, 23),
        complainants=[
            s.ComplainantInput(
                person=s.PersonInput(first_name="Jo", last_name="Marsh", email="jo@example.com"),
                complainant_type=c.ComplainantType.PARENT_RELATIVE,
                eligibility_basis=c.EligibilityBasis.PARENT,
            )
        ],
        children=[
            s.ChildInput(person=s.PersonInput(first_name="Sam", last_name="Marsh", date_of_birth=date(2012, 3, 4)))
        ],
        summary="Calls not returned; the assessment was late; the plan was not shared.",
    )
    s.complaint_accept(case=case, acting_user=manager)
    stage1 = case.stages.get(number=1)
    s.stage_extend(
        stage=stage1,
        acting_user=manager,
        extended_due_date=date(2024, 6, 14),
        reason="Records",
        notified_date=date(2024, 5, 30),
    )
    s.stage_respond(stage=stage1, acting_user=manager, response_date=date(2024, 6, 12), outcome=c.Outcome.NOT_UPHELD)
    stage2 = s.complaint_escalate(case=case, acting_user=manager, request_received_date=date(2024, 6, 20))
    s.stage2_appoint(
        stage=stage2,
        acting_user=manager,
        appointed_date=date(2024, 6, 21),
        investigating_officer=users["io"],
        independent_person=users["ip"],
    )
    points = [f"Point of complaint {n}" for n in range(1, 9)]
    s.stage2_statement_agree(stage=stage2, acting_user=manager, agreed_date=date(2024, 7, 1), points=points)
    s.stage_hold(
        stage=stage2, acting_user=manager, start_date=date(2024, 7, 8), reason=c.HoldReason.COMPLAINANT_REQUEST
    )
    s.stage_resume(stage=stage2, acting_user=manager, end_date=date(2024, 7, 12))
    s.stage2_report_receive(stage=stage2, acting_user=manager, report_date=date(2024, 8, 1))
    findings = [c.Finding.UPHELD, c.Finding.PARTLY_UPHELD, c.Finding.NOT_UPHELD, c.Finding.NO_FINDING]
    all_points = list(case.points.order_by("number"))
    s.stage2_adjudicate(
        stage=stage2,
        acting_user=manager,
        adjudicator=users["adjudicator"],
        adjudication_date=date(2024, 8, 9),
        findings={p: findings[i % 4] for i, p in enumerate(all_points)},
        recommendations=["Apologise", "Train the team", "Review the plan"],
    )
    stage3 = s.complaint_escalate(case=case, acting_user=manager, request_received_date=date(2024, 8, 19))
    s.stage3_panel_appoint(stage=stage3, acting_user=manager, chair=users["panel"][0], members=users["panel"][1:])
    s.stage3_panel_record(stage=stage3, acting_user=manager, panel_date=date(2024, 9, 5))
    s.stage3_report_record(
        stage=stage3, acting_user=manager, report_date=date(2024, 9, 10), recommendations=["Pay £250", "Audit calls"]
    )
    s.stage3_respond(
        stage=stage3,
        acting_user=manager,
        response_date=date(2024, 9, 30),
        findings=dict.fromkeys(all_points, c.Finding.PARTLY_UPHELD),
        recommendation_responses=dict.fromkeys(stage3.recommendations.all(), (True, "")),
    )
    payment = RemedyType.objects.get(council=council, is_financial=True, code="financial")
    apology = RemedyType.objects.get(council=council, code="apology")
    for n in range(5):
        s.remedy_record(case=case, acting_user=manager, remedy_type=payment, stage=stage3, amount=Decimal(50 * (n + 1)))
        s.remedy_record(case=case, acting_user=manager, remedy_type=apology, stage=stage1, description=f"Apology {n}")
        s.learning_action_create(
            council=council,
            acting_user=manager,
            finding=f"Finding {n}",
            action=f"Action {n}",
            cases=[case],
            owner=manager,
        )
    documents = [
        document_upload(
            case=case,
            acting_user=manager,
            file=SimpleUploadedFile(f"letter-{n}.pdf", b"%PDF-1.7\n%%EOF\n" + bytes(200)),
            kind="letter",
            stage=[stage1, stage2, stage3][n % 3],
        )
        for n in range(10)
    ]
    n = 0
    while case.audit_events.count() < EVENTS:
        document_download_record(document=documents[n % len(documents)], acting_user=manager)
        n += 1
    return case


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000, help="background cases in the database")
    parser.add_argument("--runs", type=int, default=50, help="timed requests")
    parser.add_argument("--database-url", default=None, help="a PostgreSQL database to create, fill and drop")
    parser.add_argument("--keep", action="store_true", help="keep the PostgreSQL database afterwards")
    parser.add_argument("--settings", default="opencomplaints.config.settings.local")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="opencomplaints-bench-") as data_dir:
        setup_django(data_dir, args.database_url, args.settings)
        from django.db import connection
        from django.test import Client
        from django.urls import reverse

        from opencomplaints.accounts.models import User
        from opencomplaints.cases.models import Case
        from opencomplaints.councils.models import CouncilMembership
        from opencomplaints.councils.services import council_create

        try:
            started = time.perf_counter()
            admin = User.objects.create(username="bench.admin", is_superuser=True)
            council = council_create(
                name="Borough of Benchmark", slug="benchmark", reference_prefix="BEN", acting_user=admin
            )
            names = {"manager": "bench.manager", "io": "bench.io", "ip": "bench.ip", "adjudicator": "bench.director"}
            users: dict[str, Any] = {}
            # Each with the role the procedure needs: an independent person and panel members are not council
            # staff (R1.3, R1.30), so the services refuse officers in those parts.
            roles = {"ip": "independent_person", "io": "investigating_officer", "adjudicator": "adjudicator"}
            for key, username in names.items():
                users[key] = User.objects.create(username=username, first_name=key.title(), last_name="Bench")
                role = roles.get(key, "complaints_officer")
                CouncilMembership.objects.create(council=council, user=users[key], role=role)
            users["panel"] = []
            for n in range(3):
                member = User.objects.create(username=f"bench.panel{n}", first_name="Panel", last_name=f"Member {n}")
                CouncilMembership.objects.create(council=council, user=member, role="panel_member")
                users["panel"].append(member)
            fill_background(council, users["manager"], args.cases)
            case = rich_case(council, users)
            # Fresh statistics, as a live database has, so the planner knows how big the tables are.
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            filled = time.perf_counter() - started

            client = Client(HTTP_HOST="localhost")
            sign_in(client, users["manager"])
            url = reverse("casework:case-detail", args=[case.pk])
            for _ in range(5):
                response = client.get(url)
                if response.status_code != 200:
                    raise SystemExit(f"The case page answered {response.status_code}")
            queries: list[str] = []

            def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(count):
                client.get(url)
            timings = []
            for _ in range(args.runs):
                began = time.perf_counter()
                response = client.get(url)
                timings.append((time.perf_counter() - began) * 1000)
            timings.sort()
            median = statistics.median(timings)
            p90 = timings[max(0, int(len(timings) * 0.9) - 1)]
            print(f"database: {connection.vendor}")
            print(f"cases in the database: {Case.objects.count():,} (filled in {filled:.1f} s)")
            print(
                f"measured case: {case.reference}: {case.stages.count()} stages, {case.points.count()} points, "
                f"{case.remedies.count()} remedies, {case.documents.count()} documents, "
                f"{case.audit_events.count()} audit events; page {len(response.content):,} bytes"
            )
            print(f"queries per request: {len(queries)}")
            print(
                f"case page over {args.runs} requests: median {median:.1f} ms, 90th percentile {p90:.1f} ms, "
                f"fastest {timings[0]:.1f} ms (target: under 300 ms)"
            )
        finally:
            connection.close()
            if args.database_url and not args.keep:
                _drop_database(args.database_url)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
