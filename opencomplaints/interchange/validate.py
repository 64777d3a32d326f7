"""Step 2 of an import, *validate*: the rows of a :class:`~opencomplaints.interchange.parse.Table` checked
against the councils' vocabularies, into :class:`~opencomplaints.records.Record` values or errors naming line,
column and reason (../shared/spec/interchange.md §1, §4).

Plain Python, no Django: the caller passes in everything that depends on the database (the councils, their
vocabularies, teams and issue categories, the labels they have mapped; :mod:`~opencomplaints.interchange.mapping`
builds them) and today's date, so every rule here can be tested on hand-built vocabularies.

:func:`validate_table` checks every row and across rows, and gives the :class:`~opencomplaints.records.Record` of
each valid row, a :class:`~opencomplaints.interchange.parse.RowError` (line, column, reason) for every problem, and
the labels the council has not mapped yet, with suggestions. A file with any error imports nothing, so validation
never stops at the first problem: it reports them all. What the database already holds (refs of stored cases,
remedy types) is checked by :mod:`~opencomplaints.interchange.plan`.
"""

from __future__ import annotations

import difflib
import functools
import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from opencomplaints.deadlines import FIRST_COVERED_YEAR
from opencomplaints.interchange.parse import (
    REQUIRED_COLUMNS,
    RowError,
    Table,
    label_key,
    listing,
    restore,
    shortened,
    slug_for,
)
from opencomplaints.records import INTERCHANGE_COLUMNS, Record

__all__ = [
    "BOOLEAN_COLUMNS",
    "CHOICE_COLUMNS",
    "CREATABLE_COLUMNS",
    "DEFAULT_PROCEDURE",
    "SHARED_COLUMNS",
    "STAGE_COLUMNS",
    "TOPIC_LIMIT",
    "CouncilVocabulary",
    "Councils",
    "UnknownLabel",
    "Validation",
    "date_value",
    "suggestions_for",
    "validate_table",
]

COMPLAINT = "complaint"
OMBUDSMAN = "ombudsman"
MAX_REFERENCE = 40
MAX_CHILD_AGE = 25  # the database's case_child_age_range: a child or young person is 25 or under
MAX_AGE = 120
MAX_MONEY = Decimal("99999999.99")
MAX_LIST_ITEM = 150
# Stages each procedure has (R1.20-R1.33 children's; R3.5/R3.6 corporate; R2.5 adults' single stage).
PROCEDURE_STAGES: Mapping[str, tuple[int, ...]] = {
    "children_statutory": (1, 2, 3),
    "corporate": (1, 2),
    "adults_statutory": (1,),
}
DEFAULT_PROCEDURE = "children_statutory"

#: Columns whose values come from a fixed vocabulary (the council's remedy types and the ethnicity schemes count
#: as fixed: their codes are interchange values).
CHOICE_COLUMNS: tuple[str, ...] = (
    "kind",
    "procedure",
    "outcome",
    "complainant_type",
    "received_via",
    "support_category",
    "child_sex",
    "child_ethnicity",
    "child_disability",
    "complainant_sex",
    "complainant_ethnicity",
    "complainant_disability",
    "complainant_sexual_orientation",
    "mediation",
    "remedies",
    "lgsco_decision",
    "extended",
    "advocacy",
)
BOOLEAN_COLUMNS = ("extended", "advocacy")
#: Columns naming the council's own structure; an unknown name can be mapped to an existing one or created.
CREATABLE_COLUMNS = ("service_area", "teams", "issues")
LIST_COLUMNS = ("teams", "issues", "remedies")
DATE_COLUMNS = (
    "received",
    "acknowledged",
    "stage2_start",
    "extended_due",
    "responded",
    "panel_date",
    "panel_report_date",
)
# Dates that record something that has happened, so cannot be after today. ``extended_due`` is a due date.
PAST_DATE_COLUMNS = ("received", "acknowledged", "stage2_start", "responded", "panel_date", "panel_report_date")
INT_COLUMNS = ("child_age", "complainant_age")
TEXT_COLUMNS = ("council", "ref", "case_ref", "lgsco_decision_label", "topic", "summary")
TEXT_LIMITS: Mapping[str, int] = {"ref": MAX_REFERENCE, "case_ref": MAX_REFERENCE, "lgsco_decision_label": 300}
TOPIC_LIMIT = 200
# Case-level fields every stage record of a complaint repeats: the stages must agree on them. Every other column
# belongs to its stage (§4; docs/adr/0010-per-stage-values.md), so two stages may differ in it.
SHARED_COLUMNS = (
    "procedure",
    "child_age",
    "child_sex",
    "child_ethnicity",
    "child_disability",
    "complainant_age",
    "complainant_sex",
    "complainant_ethnicity",
    "complainant_disability",
    "complainant_sexual_orientation",
)
#: The columns each stage of a complaint keeps for itself, with its dates, outcome, teams, issues and remedies.
STAGE_COLUMNS = ("received_via", "service_area", "complainant_type", "support_category", "advocacy", "mediation")


_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_UK_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_MONEY = re.compile(r"£?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?")
_INTEGER = re.compile(r"\d+(?:\.0+)?")
_SPACES = re.compile(r"\s+")


# -- results ---------------------------------------------------------------------------------------------------


def date_value(text: str) -> date:
    """A date as the interchange format writes it (YYYY-MM-DD, or DD/MM/YYYY); ``ValueError`` with the reason."""
    try:
        return _date(text.strip())
    except _Invalid as error:
        raise ValueError(str(error)) from error


@dataclass(frozen=True)
class UnknownLabel:
    """A value the council's vocabulary does not have: where it appears, and the values it most resembles."""

    council: str
    column: str
    label: str
    lines: tuple[int, ...]
    suggestions: tuple[str, ...]
    creatable: bool

    @property
    def key(self) -> str:
        return label_key(self.label)


@dataclass
class Validation:
    records: list[tuple[int, Record]] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    unknown: list[UnknownLabel] = field(default_factory=list)
    rows: int = 0
    # Councils the file names that the import will create (an empty installation): slug → name.
    new_councils: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass(frozen=True)
class CouncilVocabulary:
    """What one council's records may say. ``choices``: column → code → label for the fixed vocabularies;
    ``names``: ``teams``/``issues``/``service_area`` → normalised name → name as configured; ``mappings``:
    (column, normalised label) → the code or name the council mapped it to; ``creating``: (column, normalised
    name) of names the user chose to create."""

    slug: str
    name: str
    choices: Mapping[str, Mapping[str, str]]
    names: Mapping[str, Mapping[str, str]]
    mappings: Mapping[tuple[str, str], str] = field(default_factory=dict)
    creating: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class Councils:
    """The councils a file may name. ``known`` is keyed by normalised slug and name. ``default`` takes rows whose
    ``council`` is blank (``None`` when the installation has several councils and none was chosen). ``new``
    builds the vocabulary of a council the import will create (an empty installation), or is ``None``."""

    known: Mapping[str, CouncilVocabulary]
    default: CouncilVocabulary | None
    new: Callable[[str], CouncilVocabulary] | None = None


def suggestions_for(label: str, options: Mapping[str, str], *, limit: int = 3) -> tuple[str, ...]:
    """The codes (or names) in ``options`` (code → label) that ``label`` most likely means: the same words with
    the case, spaces or underscores changed, then close spellings (``difflib``), best first."""
    wanted = label_key(label)
    squashed = wanted.replace("_", " ").replace("-", " ")
    exact: list[str] = []
    for code, text in options.items():
        forms = {label_key(code).replace("_", " "), label_key(text)}
        if squashed in forms:
            exact.append(code)
    candidates: dict[str, str] = {}
    for code, text in options.items():
        candidates.setdefault(label_key(code).replace("_", " "), code)
        candidates.setdefault(label_key(text), code)
    close = difflib.get_close_matches(squashed, list(candidates), n=limit * 2, cutoff=0.6)
    found = list(dict.fromkeys([*exact, *(candidates[c] for c in close)]))
    return tuple(found[:limit])


# -- values ----------------------------------------------------------------------------------------------------


class _Invalid(Exception):
    pass


@functools.lru_cache(maxsize=65536)  # a file of years of records has a few thousand different dates
def _date(text: str) -> date:
    iso = _ISO_DATE.fullmatch(text)
    try:
        if iso:
            return date(int(iso[1]), int(iso[2]), int(iso[3]))
        uk = _UK_DATE.fullmatch(text)
        if uk:
            day, month = int(uk[1]), int(uk[2])
            if month > 12 and day <= 12:
                raise _Invalid(
                    f"{text} looks like a month-first date. Dates are day first: write it as "
                    f"{month:02d}/{day:02d}/{uk[3]}, or as {uk[3]}-{day:02d}-{month:02d}."
                )
            return date(int(uk[3]), month, day)
    except ValueError as error:
        raise _Invalid(f"{text} is not a real date.") from error
    raise _Invalid(f"{text} is not a date. Write dates as YYYY-MM-DD (2023-05-26) or DD/MM/YYYY (26/05/2023).")


def _money(text: str) -> Decimal:
    match = _MONEY.fullmatch(text.replace(" ", ""))
    if not match:
        if text.lstrip().startswith("-"):
            raise _Invalid(f"{text} is negative; compensation is an amount paid or offered, so 0 or more.")
        raise _Invalid(f"{text} is not an amount of money. Write pounds and pence, for example 250.00.")
    value = Decimal(f"{match[1].replace(',', '')}.{(match[2] or '0').ljust(2, '0')}")
    if value > MAX_MONEY:
        raise _Invalid(f"{text} is more than £99,999,999.99, the largest amount that can be recorded.")
    return value


def _integer(text: str, column: str, maximum: int) -> int:
    if not _INTEGER.fullmatch(text):
        raise _Invalid(f"{text} is not an age in whole years. Write a whole number, for example 14.")
    value = int(Decimal(text))
    if value > maximum:
        if column == "child_age":
            raise _Invalid(f"{text} is too old for a child or young person, who is {MAX_CHILD_AGE} or under.")
        raise _Invalid(f"{text} is not a plausible age.")
    return value


# -- validation ------------------------------------------------------------------------------------------------


class _Checker:
    def __init__(self, councils: Councils, today: date) -> None:
        self.councils = councils
        self.today = today
        self.errors: list[RowError] = []
        self.unknown: dict[tuple[str, str, str], tuple[str, list[int], bool]] = {}
        self.new_councils: dict[str, CouncilVocabulary] = {}  # by the new council's slug
        self.new_by_text: dict[str, CouncilVocabulary] = {}  # by the slug of the council column's text
        self.lookups: dict[tuple[str, str], dict[str, str]] = {}
        self.names_seen: dict[tuple[str, str, str], str] = {}

    def error(self, line: int, column: str, reason: str) -> None:
        self.errors.append(RowError(line, column, reason))

    def council(self, line: int, text: str) -> CouncilVocabulary | None:
        if not text:
            if self.councils.default is None:
                if self.councils.known:
                    self.error(
                        line,
                        "council",
                        "Say which council this record belongs to: this installation has several. The councils are: "
                        f"{listing(sorted({v.slug for v in self.councils.known.values()}))}.",
                    )
                    return None
                if self.councils.new is not None:
                    return self._new("")
            return self.councils.default
        found = self.councils.known.get(label_key(text))
        if found is not None:
            return found
        if self.councils.new is not None and not self.councils.known:
            return self._new(text)
        allowed = sorted({v.slug for v in self.councils.known.values()})
        self.error(
            line,
            "council",
            f"{text} is not a council you can import into. Use one of: {listing(allowed)}."
            if allowed
            else f"{text} is not a council you can import into.",
        )
        return None

    def _new(self, text: str) -> CouncilVocabulary:
        """The council the import will create for ``text`` (blank: the one named by the import's option, else the
        default name). Kept by the new council's slug, so blank rows and rows naming it are the same council."""
        named = slug_for(text) if text else ""
        vocabulary = self.new_by_text.get(named)
        if vocabulary is None:
            assert self.councils.new is not None  # noqa: S101 - callers check
            made = self.councils.new(text)
            vocabulary = self.new_by_text[named] = self.new_councils.setdefault(made.slug, made)
        return vocabulary

    def choice(self, line: int, column: str, text: str, vocabulary: CouncilVocabulary) -> str | None:
        lookup_key = (vocabulary.slug, column)
        lookup = self.lookups.get(lookup_key)
        if lookup is None:
            lookup = self.lookups[lookup_key] = {code.casefold(): code for code in vocabulary.choices.get(column, {})}
        found = lookup.get(text.casefold())
        if found is not None:
            return found
        options = vocabulary.choices.get(column, {})
        key = label_key(text)
        if key in lookup:
            return lookup[key]
        mapped = vocabulary.mappings.get((column, key))
        if mapped is not None and mapped in options:
            return mapped
        if len(text) > MAX_LIST_ITEM:
            # Not a label anyone would map: say what it starts with, and keep it out of the mapping questions.
            self.error(
                line,
                column,
                f"“{shortened(text)}” ({len(text):,} characters) is not a valid {column}. Allowed values: "
                f"{listing(options)}.",
            )
            return None
        self._unknown(line, column, text, vocabulary, creatable=False)
        self.error(
            line,
            column,
            f"{text} is not a valid {column}. Allowed values: {listing(options)}."
            + (f" Did you mean {suggestions_for(text, options)[0]}?" if suggestions_for(text, options) else ""),
        )
        return None

    def name(self, line: int, column: str, text: str, vocabulary: CouncilVocabulary) -> str | None:
        # A name seen before is found without normalising it again: a big file names the same teams every row.
        seen = self.names_seen.get((vocabulary.slug, column, text))
        if seen is not None:
            return seen
        key = label_key(text)
        names = vocabulary.names.get(column, {})
        found = names.get(key)
        if found is not None:
            self.names_seen[(vocabulary.slug, column, text)] = found
            return found
        mapped = vocabulary.mappings.get((column, key))
        if mapped is not None:
            mapped_found = names.get(label_key(mapped))
            if mapped_found is not None:
                return mapped_found
            if (column, label_key(mapped)) in vocabulary.creating:
                return _SPACES.sub(" ", mapped.strip())
        if (column, key) in vocabulary.creating:
            return _SPACES.sub(" ", text.strip())
        if len(text) > MAX_LIST_ITEM:
            self.error(
                line,
                column,
                f"A name is at most {MAX_LIST_ITEM} characters long; “{shortened(text)}” has {len(text):,}.",
            )
            return None
        self._unknown(line, column, text, vocabulary, creatable=True)
        what = {"teams": "team", "issues": "issue category", "service_area": "service area"}[column]
        listed = listing(sorted(names.values()))
        self.error(
            line,
            column,
            f"{text} is not a {what} of {vocabulary.name}. Map it to one of theirs"
            + (f" ({listed})" if listed else "")
            + f" or create it as a new {what}.",
        )
        return None

    def _unknown(self, line: int, column: str, text: str, vocabulary: CouncilVocabulary, *, creatable: bool) -> None:
        key = (vocabulary.slug, column, label_key(text))
        entry = self.unknown.get(key)
        if entry is None:
            self.unknown[key] = (text.strip(), [line], creatable)
        else:
            entry[1].append(line)

    def unknown_labels(self, vocabularies: Mapping[str, CouncilVocabulary]) -> list[UnknownLabel]:
        labels = []
        for (slug, column, _key), (text, lines, creatable) in self.unknown.items():
            vocabulary = vocabularies[slug]
            options: Mapping[str, str]
            if creatable:
                options = {name: name for name in vocabulary.names.get(column, {}).values()}
            else:
                options = vocabulary.choices.get(column, {})
            labels.append(
                UnknownLabel(
                    council=slug,
                    column=column,
                    label=text,
                    lines=tuple(lines),
                    suggestions=suggestions_for(text, options),
                    creatable=creatable,
                )
            )
        labels.sort(key=lambda u: (u.council, INTERCHANGE_COLUMNS.index(u.column), label_key(u.label)))
        return labels


def _row_record(checker: _Checker, line: int, raw: Mapping[str, str]) -> Record | None:
    values = {column: raw.get(column, "").strip() for column in INTERCHANGE_COLUMNS}
    for column, text in values.items():
        if text.startswith("'"):
            values[column] = restore(text)
    errors_before = len(checker.errors)
    error = checker.error
    vocabulary = checker.council(line, values["council"])
    fields: dict[str, Any] = {"council": vocabulary.slug if vocabulary else ""}

    for column in REQUIRED_COLUMNS:
        if not values[column]:
            error(line, column, f"Enter the {column}: every record has one.")
    for column in TEXT_COLUMNS[1:]:
        text = values[column]
        limit = TEXT_LIMITS.get(column)
        if limit is not None and len(text) > limit:
            error(line, column, f"{column} is at most {limit} characters long; this one has {len(text)}.")
        fields[column] = text or None
    fields["ref"] = values["ref"]
    fields["case_ref"] = values["case_ref"]
    if values["topic"] and len(values["topic"]) > TOPIC_LIMIT:
        error(line, "topic", f"topic is at most {TOPIC_LIMIT} characters long; this one has {len(values['topic'])}.")

    for column in DATE_COLUMNS:
        text = values[column]
        if not text:
            fields[column] = None
            continue
        try:
            value = _date(text)
        except _Invalid as invalid:
            error(line, column, str(invalid))
            fields[column] = None
            continue
        if value.year < FIRST_COVERED_YEAR:
            error(
                line,
                column,
                f"{text} is before {FIRST_COVERED_YEAR}, the first year the working-day calendar covers. Import "
                "earlier years as historic summary figures instead.",
            )
        if column in PAST_DATE_COLUMNS and value > checker.today:
            error(line, column, f"{text} is in the future: this date records something that has already happened.")
        fields[column] = value

    if vocabulary is not None:
        for column in CHOICE_COLUMNS:
            text = values[column]
            if column in LIST_COLUMNS:
                items = [item.strip() for item in text.split(";") if item.strip()]
                codes = [checker.choice(line, column, item, vocabulary) for item in items]
                fields[column] = tuple(dict.fromkeys(c for c in codes if c is not None))
            elif text:
                fields[column] = checker.choice(line, column, text, vocabulary)
            else:
                fields[column] = None
        for column in CREATABLE_COLUMNS:
            text = values[column]
            if column in LIST_COLUMNS:
                items = [item.strip() for item in text.split(";") if item.strip()]
                names = [checker.name(line, column, item, vocabulary) for item in items]
                fields[column] = tuple(dict.fromkeys(n for n in names if n is not None))
            else:
                fields[column] = checker.name(line, column, text, vocabulary) if text else None
    for column in BOOLEAN_COLUMNS:
        code = fields.get(column)
        fields[column] = None if code is None else code == "yes"

    for column in INT_COLUMNS:
        text = values[column]
        try:
            fields[column] = (
                _integer(text, column, MAX_CHILD_AGE if column == "child_age" else MAX_AGE) if text else None
            )
        except _Invalid as invalid:
            error(line, column, str(invalid))
            fields[column] = None
    try:
        fields["compensation"] = _money(values["compensation"]) if values["compensation"] else None
    except _Invalid as invalid:
        error(line, "compensation", str(invalid))
        fields["compensation"] = None

    stage_text = values["stage"]
    fields["stage"] = None
    if stage_text:
        if stage_text in {"1", "2", "3"}:
            fields["stage"] = int(stage_text)
        else:
            error(line, "stage", f"{stage_text} is not a stage. A complaint's stage is 1, 2 or 3.")

    _check_record_rules(checker, line, values, fields)
    if len(checker.errors) > errors_before or vocabulary is None:
        return None
    try:
        return Record(**fields)
    except (TypeError, ValueError) as failure:  # pragma: no cover - every field is checked above
        error(line, "", f"This row could not be read ({failure}).")
        return None


def _check_record_rules(checker: _Checker, line: int, values: Mapping[str, str], fields: dict[str, Any]) -> None:
    error = checker.error
    kind = fields.get("kind")
    received: date | None = fields.get("received")
    responded: date | None = fields.get("responded")
    if kind == COMPLAINT:
        if fields.get("procedure") is None and not values["procedure"]:
            fields["procedure"] = DEFAULT_PROCEDURE
        procedure = fields.get("procedure")
        if fields["stage"] is None and not values["stage"]:
            error(line, "stage", "Enter the stage (1, 2 or 3): every complaint record is one stage of a complaint.")
        elif isinstance(procedure, str) and procedure in PROCEDURE_STAGES and fields["stage"] is not None:
            allowed = PROCEDURE_STAGES[procedure]
            if fields["stage"] not in allowed:
                error(
                    line,
                    "stage",
                    f"The {procedure} procedure has no stage {fields['stage']}; its stages are "
                    f"{', '.join(map(str, allowed))}.",
                )
        if responded is not None and not fields.get("outcome") and not values["outcome"]:
            error(line, "outcome", "Enter the outcome: a complaint record with a response date has one.")
        if responded is None and fields.get("outcome"):
            error(line, "responded", "Enter the date of the response: a complaint record with an outcome has one.")
    elif kind is not None:
        # Interchange §4: ``acknowledged`` is optional for every record, and an Ombudsman record's ``procedure`` is
        # that of the complaint the Ombudsman looked at; other representations have no procedure.
        for column in (
            *(() if kind == OMBUDSMAN else ("procedure",)),
            "stage",
            "stage2_start",
            "extended",
            "extended_due",
            "panel_date",
            "panel_report_date",
        ):
            if values[column]:
                error(
                    line,
                    column,
                    f"Leave {column} blank: only the stages of a complaint have stages, these dates and (with "
                    "Ombudsman records) procedures.",
                )
        if values["case_ref"] and values["case_ref"] != values["ref"]:
            error(
                line,
                "case_ref",
                f"Leave case_ref blank (or the same as ref) for a {kind} record: case_ref groups the stages of a "
                "complaint.",
            )
    if kind != OMBUDSMAN and values["lgsco_decision"]:
        error(line, "lgsco_decision", "Only ombudsman records have an Ombudsman decision.")
    if kind == OMBUDSMAN and fields.get("lgsco_decision") not in (None, "in_progress") and responded is None:
        error(line, "responded", "Enter the date of the Ombudsman's decision in responded.")

    stage = fields.get("stage")
    if values["stage2_start"] and kind == COMPLAINT and stage is not None and stage != 2:
        error(line, "stage2_start", "Only a stage 2 record has a stage 2 start date.")
    if (values["panel_date"] or values["panel_report_date"]) and kind == COMPLAINT and stage not in (None, 3):
        column = "panel_date" if values["panel_date"] else "panel_report_date"
        error(line, column, "Only a stage 3 record has review panel dates (R1.31, R1.32).")
    if fields.get("panel_report_date") and not values["panel_date"]:
        error(line, "panel_date", "Enter the date the panel met: the panel report follows the meeting (R1.32).")

    if received is not None:
        for column, what in (
            ("acknowledged", "The acknowledgement"),
            ("responded", "The response"),
            ("stage2_start", "The stage 2 start date"),
            ("panel_date", "The panel"),
            ("extended_due", "The extended due date"),
        ):
            value: date | None = fields.get(column)
            if value is not None and value < received:
                error(
                    line,
                    column,
                    f"{what} ({value:%d/%m/%Y}) cannot be before the date received ({received:%d/%m/%Y}).",
                )
    panel, report = fields.get("panel_date"), fields.get("panel_report_date")
    if panel is not None and report is not None and report < panel:
        error(
            line,
            "panel_report_date",
            f"The panel's report ({report:%d/%m/%Y}) cannot be before the panel met ({panel:%d/%m/%Y}).",
        )
    # Adults' agreed response period is recorded in extended_due whether or not it was an extension (R2.6).
    adults = kind == COMPLAINT and fields.get("procedure") == "adults_statutory"
    if fields.get("extended") is False and fields.get("extended_due") and not adults:
        error(line, "extended", "extended is no but an extended due date is given. Correct one of them.")
    elif fields.get("extended_due") and fields.get("extended") is None:
        fields["extended"] = True
    if fields.get("child_age") is not None and fields["child_age"] > MAX_CHILD_AGE:
        error(line, "child_age", f"A child or young person is {MAX_CHILD_AGE} or under.")


def _check_groups(checker: _Checker, records: Sequence[tuple[int, Record]]) -> set[int]:
    """Checks across rows; returns the lines that failed."""
    failed: set[int] = set()

    def fail(line: int, column: str, reason: str) -> None:
        checker.error(line, column, reason)
        failed.add(line)

    refs: dict[tuple[str, str], int] = {}
    groups: dict[tuple[str, str], list[tuple[int, Record]]] = defaultdict(list)
    for line, record in records:
        key = (record.council, record.ref)
        if key in refs:
            fail(line, "ref", f"The ref {record.ref} is used twice: also on line {refs[key]}. Each record has its own.")
            continue
        refs[key] = line
        groups[(record.council, record.group_ref)].append((line, record))

    for (_council, case_ref), members in groups.items():
        if len(members) > 1:
            for line, record in members:
                if record.kind != COMPLAINT:
                    fail(
                        line,
                        "case_ref",
                        f"{case_ref} is used by {len(members)} records; only the stages of one complaint share a "
                        "case_ref.",
                    )
        members = [(line, r) for line, r in members if r.kind == COMPLAINT]
        if len(members) < 2:
            continue
        members = sorted(members, key=lambda m: (m[1].stage or 0, m[0]))
        by_stage: dict[int, int] = {}
        for line, record in members:
            if record.stage in by_stage:
                fail(
                    line,
                    "stage",
                    f"Complaint {case_ref} has two stage {record.stage} records: here and on line "
                    f"{by_stage[record.stage]}.",
                )
            elif record.stage is not None:
                by_stage[record.stage] = line
        first_line, first = members[0]
        for line, record in members[1:]:
            for column in SHARED_COLUMNS:
                mine, theirs = getattr(record, column), getattr(first, column)
                if mine is not None and theirs is not None and mine != theirs:
                    fail(
                        line,
                        column,
                        f"{column} is {_show(mine)} here but {_show(theirs)} on line {first_line}: the stages of "
                        f"complaint {case_ref} share it. Make them the same, or leave it blank on one of them.",
                    )
        for (line_a, earlier), (line_b, later) in itertools.pairwise(members):
            if earlier.stage == later.stage:
                continue
            if later.received < earlier.received:
                fail(
                    line_b,
                    "received",
                    f"Stage {later.stage} of {case_ref} was received ({later.received:%d/%m/%Y}) before stage "
                    f"{earlier.stage} (line {line_a}, {earlier.received:%d/%m/%Y}). Check both dates.",
                )
            if earlier.responded is None:
                fail(
                    line_a,
                    "responded",
                    f"Stage {earlier.stage} of {case_ref} has no response date, but stage {later.stage} follows it "
                    f"(line {line_b}): only the latest stage of a complaint can be open.",
                )
    return failed


def _show(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def validate_table(table: Table, *, councils: Councils, today: date) -> Validation:
    """Check every row of ``table``; see the module docstring."""
    checker = _Checker(councils, today)
    records: list[tuple[int, Record]] = []
    for line, raw in table.rows:
        record = _row_record(checker, line, raw)
        if record is not None:
            records.append((line, record))
    failed = _check_groups(checker, records)
    vocabularies = {v.slug: v for v in councils.known.values()}
    if councils.default is not None:
        vocabularies[councils.default.slug] = councils.default
    vocabularies.update(checker.new_councils)
    result = Validation(
        records=[(line, r) for line, r in records if line not in failed],
        errors=sorted(checker.errors),
        unknown=checker.unknown_labels(vocabularies),
        rows=len(table.rows),
        new_councils={v.slug: v.name for v in checker.new_councils.values()},
    )
    return result
