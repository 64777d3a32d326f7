"""Step 4 of an import, *write*: a :class:`~opencomplaints.interchange.plan.WritePlan` into the database, inside
the import's one transaction (the caller's ``transaction.atomic``), and the configuration the records need first.

* :func:`configuration_write` creates what the records name and the installation lacks, through the councils'
  services: the council itself in an empty installation (interchange §1), the service areas, teams and issue
  categories the user chose to create, and the label mappings the user confirmed. It returns the councils by the
  slug the records carry.
* :func:`plan_write` writes one chunk's plan: deletions of the rows a changed case replaces, then the new rows,
  parents first, then the changed rows. Changed rows are written with ``bulk_create(update_conflicts=True)`` on
  the primary key (an upsert: one ``INSERT … ON CONFLICT (id) DO UPDATE`` a batch, where ``bulk_update`` builds a
  ``CASE WHEN`` per field and row), and so are the new rows of the small tables (Ombudsman, enquiry and compliment
  details). The new rows of the large tables (about a million for 100,000 records: cases, stages, deadlines,
  people and their links) are written by :class:`BulkInsert`, a plain ``INSERT`` with ``executemany`` on SQLite
  and ``COPY`` on PostgreSQL, from values read straight from the plan: measured against ``bulk_create`` on the
  same rows it takes a tenth of the CPU time on SQLite and a sixth on PostgreSQL (docs/adr/0026-import-pipeline.md).
  New cases, stages and people get their ids first (:func:`ids_allocate`), so the rows that point at them are
  written in bulk too.

A row the database refuses raises ``IntegrityError``; the importer then writes the chunk's cases one by one, each
in its own savepoint, to name the records.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.cases.models import (
    Case,
    CaseChild,
    CaseComplainant,
    CaseIssue,
    CaseTeam,
    ComplimentDetail,
    Deadline,
    EnquiryDetail,
    OmbudsmanDetail,
    Person,
    Remedy,
    Stage,
    StageIssue,
    StageTeam,
)
from opencomplaints.councils.models import Council, ServiceArea
from opencomplaints.councils.services import council_create, service_area_create, team_create
from opencomplaints.interchange.mapping import DEFAULT_COUNCIL_NAME
from opencomplaints.interchange.parse import label_key, slug_for
from opencomplaints.interchange.plan import NO_TEAM_SERVICE_AREA, NewRow, Row, WritePlan, chunks
from opencomplaints.interchange.services import import_mapping_save, issue_category_create
from opencomplaints.records import Record

__all__ = ["BulkInsert", "Configured", "configuration_write", "ids_allocate", "plan_write"]

BATCH = 1000

CASE_FIELDS = [
    "received_date",
    "received_via",
    "summary",
    "topic",
    "mediation",
    "advocacy_provided",
    "service_area",
    "procedure",
    "corporate_procedure",
    "acknowledged_date",
    "responded_date",
    "outcome",
    "closed_date",
    "status",
    "current_stage",
    "next_due_date",
    "response_due_date",
    "updated_at",
]
STAGE_FIELDS = [
    "reference",
    "received_date",
    "acknowledged_date",
    "start_date",
    "statement_agreed_date",
    "extended",
    "extended_due_date",
    "extension_reason",
    "extension_notified_date",
    "response_date",
    "outcome",
    "adjudication_date",
    "panel_date",
    "panel_report_date",
    "received_via",
    "service_area",
    "complainant_type",
    "support_category",
    "mediation",
    "advocacy_provided",
    "updated_at",
]
OMBUDSMAN_FIELDS = ["decision", "decision_date", "decision_label", "recommended_payment", "complaint_procedure"]
PERSON_FIELDS = ["sex", "ethnicity_scheme", "ethnicity_code", "disability", "sexual_orientation", "date_of_birth"]


@dataclass
class Configured:
    """The councils the records belong to, by the slug they carry (blank: the default council), and what was
    created for them."""

    councils: dict[str, Council] = field(default_factory=dict)
    councils_created: list[str] = field(default_factory=list)
    names_created: list[tuple[str, str]] = field(default_factory=list)


def configuration_write(
    *,
    records: Sequence[tuple[int, Record]],
    creating: Sequence[tuple[str, str]],
    mappings: Mapping[tuple[str, str], str],
    default_council: Council | None,
    new_councils: Mapping[str, str],
    acting_user: User | None,
) -> Configured:
    """Create the councils, names and mappings the valid ``records`` need (see the module docstring).
    ``creating`` lists the (column, name) pairs to create; ``new_councils`` names the councils to create by slug."""
    writer = _Configuration(acting_user)
    by_council: dict[str, list[tuple[int, Record]]] = {}
    for line, record in records:
        by_council.setdefault(record.council, []).append((line, record))
    for slug, items in by_council.items():
        council = Council.objects.filter(slug=slug).first() if slug else default_council
        if council is None:
            council = writer.create_council(slug, new_councils.get(slug, slug))
        for (column, label), target in mappings.items():
            import_mapping_save(council=council, column=column, label=label, target=target, acting_user=acting_user)
        writer.create_names(council, creating, items)
        writer.done.councils[slug] = council
    return writer.done


class _Configuration:
    def __init__(self, acting_user: User | None) -> None:
        self.acting_user = acting_user
        self.done = Configured()

    def create_council(self, slug: str, name: str) -> Council:
        name = name.strip() or DEFAULT_COUNCIL_NAME
        slug = slug or slug_for(name) or slug_for(DEFAULT_COUNCIL_NAME)
        prefix = "".join(ch for ch in slug.upper() if ch.isalnum())[:3] or "CSC"
        council = council_create(name=name, slug=slug, reference_prefix=prefix, acting_user=self.acting_user)
        self.done.councils_created.append(council.name)
        return council

    def create_names(
        self, council: Council, creating: Sequence[tuple[str, str]], items: Sequence[tuple[int, Record]]
    ) -> None:
        wanted = {(column, label_key(name)) for column, name in creating}
        if not wanted:
            return
        have_areas = {label_key(n): n for n in council.service_areas.values_list("name", flat=True)}
        have_teams = {label_key(n) for n in council.teams.values_list("name", flat=True)}
        have_issues = {label_key(n) for n in council.issue_categories.values_list("name", flat=True)}
        areas: dict[str, ServiceArea] = {}

        def area(name: str) -> ServiceArea:
            key = label_key(name)
            if key not in areas:
                found = council.service_areas.filter(name__iexact=name).order_by("-active_from").first()
                if found is None:
                    found = service_area_create(council=council, name=name, acting_user=self.acting_user)
                    self.done.names_created.append(("service_area", name))
                areas[key] = found
            return areas[key]

        for _line, record in items:
            area_key = label_key(record.service_area or "")
            if record.service_area and ("service_area", area_key) in wanted and area_key not in have_areas:
                area(record.service_area)
                have_areas[label_key(record.service_area)] = record.service_area
            for team in record.teams:
                key = label_key(team)
                if ("teams", key) in wanted and key not in have_teams:
                    home = area(record.service_area or NO_TEAM_SERVICE_AREA)
                    team_create(service_area=home, name=team, acting_user=self.acting_user)
                    self.done.names_created.append(("teams", team))
                    have_teams.add(key)
            for issue in record.issues:
                key = label_key(issue)
                if ("issues", key) in wanted and key not in have_issues:
                    issue_category_create(council=council, name=issue, acting_user=self.acting_user)
                    self.done.names_created.append(("issues", issue))
                    have_issues.add(key)


# -- rows ------------------------------------------------------------------------------------------------------


class BulkInsert:
    """Plain ``INSERT``s of one model's new rows: ``executemany`` on SQLite, ``COPY`` on PostgreSQL.

    ``bulk_create`` prepares each value through the field API and builds the statement's placeholders value by
    value; at about a million rows that was ten times the CPU time of this on SQLite (docs/adr/0026-import-pipeline.md).
    Here the values are read straight from model instances or :data:`~opencomplaints.interchange.plan.Row` values,
    and only dates, times and money are adapted for the database, which is all these tables hold beyond text,
    numbers and booleans. A foreign key given as an object is written as that object's id, so the object must have
    one by then (:func:`ids_allocate`).
    """

    def __init__(self, model: Any, *, with_id: bool) -> None:
        ops = connection.ops
        fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.attnames = [f.attname for f in fields]
        self.relations = [(i, f.name) for i, f in enumerate(fields) if f.is_relation]
        self.auto_times = [
            i for i, f in enumerate(fields) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
        ]
        self.converters: list[tuple[int, Callable[[Any], Any]]] = []
        for i, f in enumerate(fields):
            kind = f.get_internal_type()
            if i in self.auto_times:
                continue
            if kind == "DateTimeField":
                self.converters.append((i, ops.adapt_datetimefield_value))
            elif kind == "DateField":
                self.converters.append((i, ops.adapt_datefield_value))
            elif kind == "DecimalField":
                self.converters.append(
                    (
                        i,
                        functools.partial(
                            ops.adapt_decimalfield_value, max_digits=f.max_digits, decimal_places=f.decimal_places
                        ),
                    )
                )
        defaults = model()
        self.template = [getattr(defaults, name) for name in self.attnames]
        self.index = {name: i for i, name in enumerate(self.attnames)}
        self.values_of = operator.itemgetter(*self.attnames)
        quote = ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608 - names from the model
        self.copy_sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"

    def rows(self, objs: Iterable[models.Model | Row], now: Any) -> Iterator[list[Any]]:
        attnames, relations, auto_times, converters = self.attnames, self.relations, self.auto_times, self.converters
        template, index, values_of = self.template, self.index, self.values_of
        for obj in objs:
            if isinstance(obj, dict):
                row = template.copy()
                for name, value in obj.items():
                    row[index[name]] = value
                for i, _name in relations:
                    value = row[i]
                    if value is not None and not isinstance(value, int):
                        row[i] = value.pk
            else:
                # Every concrete field's value is in the instance's __dict__ (nothing here is deferred): read them
                # all at once rather than through getattr one by one.
                row = list(values_of(obj.__dict__))
                cache = obj._state.fields_cache
                for i, name in relations:
                    if row[i] is None:
                        related = cache.get(name)
                        if related is not None:
                            row[i] = related.pk
                            setattr(obj, attnames[i], related.pk)
            for i in auto_times:
                row[i] = now
            for i, convert in converters:
                if row[i] is not None:
                    row[i] = convert(row[i])
            yield row

    def insert(self, objs: Sequence[models.Model | Row], now: Any) -> None:
        if not objs:
            return
        rows = self.rows(objs, now)
        if connection.vendor == "postgresql":
            # COPY is many times faster than INSERTs on PostgreSQL, which matters at a million rows.
            connection.ensure_connection()
            with connection.connection.cursor() as cursor, cursor.copy(self.copy_sql) as copy:
                for row in rows:
                    copy.write_row(row)
            return
        with connection.cursor() as cursor:
            for chunk in chunks(list(rows), BATCH * 5):
                cursor.executemany(self.sql, chunk)


_INSERTS: dict[tuple[str, type[models.Model], bool], BulkInsert] = {}  # by database alias: the SQL differs


def _insert(model: type[models.Model], *, with_id: bool = False) -> BulkInsert:
    key = (connection.alias, model, with_id)
    found = _INSERTS.get(key)
    if found is None:
        found = _INSERTS[key] = BulkInsert(model, with_id=with_id)
    return found


def ids_allocate(model: type[models.Model], objs: Sequence[models.Model | NewRow]) -> None:
    """Give new rows their ids before they are written, so the rows that point at them can be written in bulk
    too. PostgreSQL hands out ids from the table's sequence; SQLite, whose write lock this transaction holds,
    continues after the highest id it has ever used."""
    if not objs:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)", [table, len(objs)]
            )
            ids = [row[0] for row in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608 - a model's own table name
            highest = cursor.fetchone()[0]
            cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
            found = cursor.fetchone()
            start = max(highest, found[0] if found else 0) + 1
            ids = list(range(start, start + len(objs)))
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk


def _delete(model: type[models.Model], ids: Sequence[int]) -> None:
    for chunk in chunks(ids):
        model._default_manager.filter(pk__in=chunk).delete()


def _upsert[M: models.Model](model: type[M], objs: Sequence[M], fields: Sequence[str]) -> None:
    """Write changed rows: an ``INSERT`` of each row as it now is that updates ``fields`` of the stored row with
    its id (``bulk_create(update_conflicts=True)``)."""
    if objs:
        model._default_manager.bulk_create(
            objs, batch_size=BATCH, update_conflicts=True, unique_fields=["id"], update_fields=list(fields)
        )


def plan_write(plan: WritePlan) -> None:
    """Write a chunk's plan: deletions of replaced rows, then new rows parents first, then changed rows."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    _delete(Deadline, plan.delete_deadlines)
    _delete(CaseTeam, plan.delete_teams)
    _delete(CaseIssue, plan.delete_issues)
    for chunk in chunks(plan.delete_stage_links):
        StageTeam.objects.filter(stage_id__in=chunk).delete()
        StageIssue.objects.filter(stage_id__in=chunk).delete()
    _delete(Remedy, plan.delete_remedies)
    ids_allocate(Person, plan.people)
    ids_allocate(Case, plan.cases)
    ids_allocate(Stage, plan.stages)
    _insert(Person, with_id=True).insert([{**p.values, "id": p.pk} for p in plan.people], now)
    _insert(Case, with_id=True).insert(plan.cases, now)
    _upsert(Case, plan.case_updates, CASE_FIELDS)
    # Existing stages are updated before new ones are added, so "one open stage" holds at every step.
    _upsert(Stage, plan.stage_updates, STAGE_FIELDS)
    _insert(Stage, with_id=True).insert(plan.stages, now)
    _upsert(Person, plan.person_updates, PERSON_FIELDS)
    _insert(CaseComplainant).insert(plan.complainants, now)
    _upsert(CaseComplainant, plan.complainant_updates, ["complainant_type"])
    _insert(CaseChild).insert(plan.children, now)
    _upsert(CaseChild, plan.child_updates, ["age_at_receipt", "support_category"])
    _insert(CaseTeam).insert(plan.teams, now)
    _insert(CaseIssue).insert(plan.issues, now)
    _insert(StageTeam).insert(plan.stage_teams, now)
    _insert(StageIssue).insert(plan.stage_issues, now)
    _insert(Remedy).insert(plan.remedies, now)
    if plan.ombudsman:
        OmbudsmanDetail.objects.bulk_create(plan.ombudsman, batch_size=BATCH)
    _upsert(OmbudsmanDetail, plan.ombudsman_updates, OMBUDSMAN_FIELDS)
    if plan.enquiries:
        EnquiryDetail.objects.bulk_create(plan.enquiries, batch_size=BATCH)
    if plan.compliments:
        ComplimentDetail.objects.bulk_create(plan.compliments, batch_size=BATCH)
    _upsert(ComplimentDetail, plan.compliment_updates, ["about_team"])
    _insert(Deadline).insert(plan.deadlines, now)
