"""Learning actions in the flat file family (issue 13 item 7): a sheet ``learning_actions`` of the records
workbook, or a second CSV (``import --learning-actions FILE``), one action a row, linked to the records by their
``ref`` (docs/interchange-learning-actions.md).

Checked with the records and written in the records import's own transaction, after the records, so an action can
name a record of the same file; a wrong row (here or in the records) imports nothing. ``learning_ref`` identifies
an action within its council: importing it again updates it. Actions recorded in the application, which have no
reference, are exported as ``LA-<id>`` and found again by it.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import audit_event_record
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, LearningAction, Stage
from opencomplaints.councils.models import Council, Team
from opencomplaints.interchange.parse import (
    FileRejected,
    RowError,
    SheetMissing,
    label_key,
    neutralise,
    read_table,
    restore,
)
from opencomplaints.interchange.validate import date_value

__all__ = [
    "LEARNING_COLUMNS",
    "LEARNING_SHEET",
    "LearningCounts",
    "LearningRow",
    "learning_actions_check",
    "learning_actions_csv",
    "learning_actions_rows",
    "learning_actions_write",
]

LEARNING_SHEET = "learning_actions"
LEARNING_COLUMNS: tuple[str, ...] = (
    "council",
    "learning_ref",
    "ref",
    "finding",
    "action",
    "team",
    "due",
    "status",
    "implemented",
    "evidence",
    "not_implemented_reason",
)
LEARNING_REQUIRED = ("learning_ref", "finding", "action")
MAX_REFERENCE = 40
MAX_TEXT = 10_000
_OWN_REFERENCE = re.compile(r"LA-(\d{1,18})")
STATUSES: Mapping[str, str] = dict(c.LearningActionStatus.choices)


def _where(column: str) -> str:
    return f"{LEARNING_SHEET}.{column}" if column else LEARNING_SHEET


@dataclass(frozen=True)
class LearningRow:
    """One checked row of the learning actions sheet."""

    line: int
    council: str
    learning_ref: str
    refs: tuple[str, ...]
    finding: str
    action: str
    team: str
    due: date | None
    status: str
    implemented: date | None
    evidence: str
    not_implemented_reason: str


@dataclass
class LearningCounts:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _text(row: Mapping[str, str], column: str, problems: list[RowError], line: int) -> str:
    value = restore(row.get(column, "").strip())
    if len(value) > MAX_TEXT:
        problems.append(RowError(line, _where(column), f"The text is longer than {MAX_TEXT:,} characters."))
        return ""
    return value


def _date(row: Mapping[str, str], column: str, problems: list[RowError], line: int, today: date) -> date | None:
    text = row.get(column, "").strip()
    if not text:
        return None
    try:
        value = date_value(text)
    except ValueError as error:
        problems.append(RowError(line, _where(column), str(error)))
        return None
    if column == "implemented" and value > today:
        problems.append(RowError(line, _where(column), f"{text} is in the future: an action is implemented by now."))
        return None
    return value


def _status(text: str, problems: list[RowError], line: int) -> str:
    if not text.strip():
        return c.LearningActionStatus.PLANNED.value
    key = label_key(text).replace("_", " ")
    for code, name in STATUSES.items():
        if key in (code.replace("_", " "), label_key(str(name))):
            return code
    problems.append(
        RowError(line, _where("status"), f"{text} is not a status. The statuses are: {', '.join(STATUSES)}.")
    )
    return ""


def _row(line: int, row: Mapping[str, str], today: date, problems: list[RowError]) -> LearningRow | None:
    found = len(problems)
    learning_ref = row.get("learning_ref", "").strip()
    if not learning_ref:
        problems.append(RowError(line, _where("learning_ref"), "Give the action a learning_ref (e.g. LA-2023-01)."))
    elif len(learning_ref) > MAX_REFERENCE:
        problems.append(
            RowError(line, _where("learning_ref"), f"A learning_ref is at most {MAX_REFERENCE} characters.")
        )
    finding = _text(row, "finding", problems, line)
    action = _text(row, "action", problems, line)
    for column, value in (("finding", finding), ("action", action)):
        if not value and not any(p.column == _where(column) for p in problems[found:]):
            what = "what the complaints showed" if column == "finding" else "what will change"
            problems.append(RowError(line, _where(column), f"Say {what}: {column} is required."))
    status = _status(row.get("status", ""), problems, line)
    implemented = _date(row, "implemented", problems, line, today)
    evidence = _text(row, "evidence", problems, line)
    reason = _text(row, "not_implemented_reason", problems, line)
    date_wrong = any(p.column == _where("implemented") for p in problems[found:])
    if status == c.LearningActionStatus.IMPLEMENTED and (implemented is None or not evidence) and not date_wrong:
        problems.append(
            RowError(
                line,
                _where("status"),
                "An implemented action needs the date it was implemented (implemented) and how we know (evidence).",
            )
        )
    if status == c.LearningActionStatus.NOT_IMPLEMENTED and not reason:
        problems.append(RowError(line, _where("not_implemented_reason"), "Say why the action was not implemented."))
    refs = tuple(dict.fromkeys(r.strip() for r in row.get("ref", "").split(";") if r.strip()))
    due = _date(row, "due", problems, line, today)
    if len(problems) > found:
        return None
    return LearningRow(
        line=line,
        council=row.get("council", "").strip(),
        learning_ref=learning_ref,
        refs=refs,
        finding=finding,
        action=action,
        team=" ".join(row.get("team", "").split()),
        due=due,
        status=status,
        implemented=implemented,
        evidence=evidence,
        not_implemented_reason=reason,
    )


def learning_actions_check(
    *, data: bytes, filename: str, today: date, max_bytes: int, in_records_workbook: bool = False
) -> tuple[list[LearningRow], list[RowError]]:
    """The learning actions in ``data`` (a file of their own, or with ``in_records_workbook`` the records
    workbook's ``learning_actions`` sheet, which may be absent) and every problem found in them, each naming its
    line and ``learning_actions.<column>``."""
    try:
        table = read_table(
            data,
            filename=filename,
            max_bytes=max_bytes,
            columns=LEARNING_COLUMNS,
            required=LEARNING_REQUIRED,
            sheet=LEARNING_SHEET,
            sheet_only=in_records_workbook,
        )
    except SheetMissing:
        return [], []
    except FileRejected as rejected:
        if in_records_workbook and any("no records under it" in e.reason for e in rejected.errors):
            return [], []  # a sheet with its header row and no actions
        return [], [RowError(e.line, _where(e.column), e.reason) for e in rejected.errors]
    rows: list[LearningRow] = []
    problems: list[RowError] = []
    seen: dict[tuple[str, str], int] = {}
    for line, values in table.rows:
        checked = _row(line, values, today, problems)
        if checked is None:
            continue
        key = (label_key(checked.council), checked.learning_ref.casefold())
        if key in seen:
            problems.append(
                RowError(
                    line,
                    _where("learning_ref"),
                    f"{checked.learning_ref} is given twice: also on line {seen[key]}.",
                )
            )
            continue
        seen[key] = line
        rows.append(checked)
    return rows, problems


def _council_of(row: LearningRow, councils: Sequence[Council], default: Council | None) -> Council | str:
    if not row.council:
        if default is not None:
            return default
        return "Say which council the action belongs to: the installation has several."
    for council in councils:
        if label_key(row.council) in (label_key(council.slug), label_key(council.name)):
            return council
    return f"{row.council} is not a council of this import. Use one of: {', '.join(c.slug for c in councils)}."


def _cases_by_ref(council: Council, refs: set[str]) -> dict[str, int]:
    """Record ref (a stage's own ref, a case reference, or ``<case reference>/<n>``) → case id."""
    if not refs:
        return {}
    found = dict(Case.objects.filter(council=council, reference__in=refs).values_list("reference", "id"))
    found.update(Stage.objects.filter(case__council=council, reference__in=refs).values_list("reference", "case_id"))
    derived = {ref.rsplit("/", 1)[0]: ref for ref in refs - set(found) if "/" in ref}
    for reference, case_id in Case.objects.filter(council=council, reference__in=derived).values_list(
        "reference", "id"
    ):
        found[derived[reference]] = case_id
    return found


def _values(action: LearningAction) -> tuple[Any, ...]:
    return (
        action.finding,
        action.action,
        action.team_id,
        action.due_date,
        action.status,
        action.implemented_date,
        action.evidence,
        action.not_implemented_reason,
    )


def learning_actions_write(
    *,
    rows: Sequence[LearningRow],
    councils: Sequence[Council],
    default_council: Council | None,
    acting_user: User | None,
) -> tuple[LearningCounts, list[RowError]]:
    """Write ``rows`` (checked by :func:`learning_actions_check`), inside the records import's transaction and
    after its records: each action created, or updated where its council already has its ``learning_ref``, with
    its team and the cases of the records it names. Returns what it did and the problems only the database can
    find (a ref that is no record, a team the council does not have); the caller rolls back if there are any."""
    counts = LearningCounts(rows=len(rows))
    problems: list[RowError] = []
    if default_council is None and len(councils) == 1:
        default_council = councils[0]
    by_council: dict[Council, list[LearningRow]] = {}
    for row in rows:
        council = _council_of(row, councils, default_council)
        if isinstance(council, str):
            problems.append(RowError(row.line, _where("council"), council))
        else:
            by_council.setdefault(council, []).append(row)
    for council, given in by_council.items():
        done = LearningCounts(rows=len(given))
        _write_council(council, given, done, problems)
        counts.created, counts.updated = counts.created + done.created, counts.updated + done.updated
        counts.unchanged += done.unchanged
        if done.created or done.updated:
            audit_event_record(
                acting_user=acting_user,
                event_type=AuditEventType.LEARNING_ACTIONS_IMPORTED,
                subject=council,
                summary=f"Learning actions imported: {done.created} new, {done.updated} updated",
                after={"created": done.created, "updated": done.updated, "rows": len(given)},
            )
    return counts, problems


def _write_council(
    council: Council, rows: Sequence[LearningRow], counts: LearningCounts, problems: list[RowError]
) -> None:
    # A team of that name still active, else the one that started last.
    named = Team.objects.filter(council=council).values_list("pk", "name", "active_from", "active_until")
    teams: dict[str, int] = {}
    for pk, name, *_ in sorted(named, key=lambda t: (t[3] is None, t[2] or date.min, t[0])):
        teams[label_key(name)] = pk
    cases = _cases_by_ref(council, {ref for row in rows for ref in row.refs})
    existing = {a.reference.casefold(): a for a in LearningAction.objects.filter(council=council).exclude(reference="")}
    own_ids = {int(m[1]) for row in rows if (m := _OWN_REFERENCE.fullmatch(row.learning_ref))}
    own = {a.pk: a for a in LearningAction.objects.filter(council=council, reference="", pk__in=own_ids)}
    for row in rows:
        missing = [ref for ref in row.refs if ref not in cases]
        if missing:
            what = "is not the ref of a record" if len(missing) == 1 else "are not refs of records"
            problems.append(
                RowError(
                    row.line,
                    _where("ref"),
                    f"{', '.join(missing)} {what} of {council.name}, in this file or already imported.",
                )
            )
        team_id = teams.get(label_key(row.team)) if row.team else None
        if row.team and team_id is None:
            problems.append(
                RowError(row.line, _where("team"), f"{row.team} is not a team of {council.name}; add it first.")
            )
        if missing or (row.team and team_id is None):
            continue
        match = _OWN_REFERENCE.fullmatch(row.learning_ref)
        action = existing.get(row.learning_ref.casefold()) or (own.get(int(match[1])) if match else None)
        is_new = action is None
        if action is None:
            action = LearningAction(council=council, reference=row.learning_ref)
        before = None if is_new else _values(action)
        action.finding, action.action, action.team_id, action.due_date = row.finding, row.action, team_id, row.due
        action.status, action.implemented_date = row.status, row.implemented
        action.evidence, action.not_implemented_reason = row.evidence, row.not_implemented_reason
        links = sorted({cases[ref] for ref in row.refs})
        linked = [] if is_new else sorted(action.cases.values_list("pk", flat=True))
        if not is_new and before == _values(action) and linked == links:
            counts.unchanged += 1
            continue
        action.save()
        action.cases.set(links)
        if is_new:
            counts.created += 1
        else:
            counts.updated += 1


def learning_actions_rows(*, councils: Sequence[Council]) -> list[list[str]]:
    """The councils' learning actions as the rows of the ``learning_actions`` sheet (the header first), in a stable
    order (council, reference), each linked to the records of its cases by their case reference."""
    actions = (
        LearningAction.objects.filter(council__in=[council.pk for council in councils])
        .select_related("council", "team")
        .prefetch_related("cases")
    )
    rows: list[tuple[tuple[str, str], list[str]]] = []
    for action in actions:
        reference = action.reference or f"LA-{action.pk}"
        values = [
            action.council.slug,
            reference,
            ";".join(sorted(case.reference for case in action.cases.all())),
            action.finding,
            action.action,
            action.team.name if action.team else "",
            action.due_date.isoformat() if action.due_date else "",
            action.status,
            action.implemented_date.isoformat() if action.implemented_date else "",
            action.evidence,
            action.not_implemented_reason,
        ]
        rows.append(((action.council.slug, reference), [neutralise(v) for v in values]))
    return [list(LEARNING_COLUMNS), *(values for _, values in sorted(rows, key=lambda item: item[0]))]


def learning_actions_csv(*, councils: Sequence[Council]) -> bytes:
    """The councils' learning actions as a CSV of their own (``export --learning-actions FILE``)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(learning_actions_rows(councils=councils))
    return buffer.getvalue().encode("utf-8-sig")
