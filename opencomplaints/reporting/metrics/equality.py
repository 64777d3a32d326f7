"""Equality monitoring of complainants and of the children complaints concern (R1.40 item 11; §6).

Each complaint with a stage received in the period is counted once (its stages share a ``case_ref``); when the
report counts completed complaints (R1.41), each complaint with a stage completed in the period. The complainant
is the primary complainant. The children are every child or young person the complaint concerns: a complaint
about three children counts each of them, so the children's tables count children, not complaints, and a
complaint that records no child adds none. Ages are banded at report time from the age at receipt (R6.6):
children under 1, 1 to 4, 5 to 9, 10 to 15, 16 to 17, care leavers 18 to 20 and 21 to 25; adult complainants 18
to 24, 25 to 34, 35 to 44, 45 to 54, 55 to 64, 65 and over. Ethnicity is shown as recorded, by the name of its
category in the scheme it was recorded in (R6.2, R6.3). Values not recorded, or recorded as not known, are shown
as "Not known". Every table here is small-number suppressed when published (R6.7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass

from opencomplaints.records import Record
from opencomplaints.reporting.metrics.breakdowns import Basis
from opencomplaints.reporting.metrics.representations import CHILD, complaints_once, complaints_received_once
from opencomplaints.reporting.metrics.selection import COMPLAINT, Labels, label
from opencomplaints.reporting.metrics.table import (
    Cell,
    ChartKind,
    ChartSpec,
    Table,
    count_column,
    definition_of,
    label_column,
    percent,
    percent_column,
)
from opencomplaints.reporting.periods import Period

__all__ = [
    "ADULT_AGE_BANDS",
    "CHILD_AGE_BANDS",
    "ChildConcerned",
    "age_band",
    "children_from_records",
    "children_tables",
    "equality_tables",
    "young_people_profile_tables",
]

NOT_KNOWN = "Not known"
_UNKNOWN_CODES = frozenset({"", "unknown", "not_known", "NOBT", "REFU"})

#: (label, lowest age, highest age) — R6.6.
CHILD_AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 1", 0, 0),
    ("1 to 4", 1, 4),
    ("5 to 9", 5, 9),
    ("10 to 15", 10, 15),
    ("16 to 17", 16, 17),
    ("18 to 20", 18, 20),
    ("21 to 25", 21, 25),
)
ADULT_AGE_BANDS: tuple[tuple[str, int, int], ...] = (
    ("Under 18", 0, 17),
    ("18 to 24", 18, 24),
    ("25 to 34", 25, 34),
    ("35 to 44", 35, 44),
    ("45 to 54", 45, 54),
    ("55 to 64", 55, 64),
    ("65 and over", 65, 200),
)


@dataclass(frozen=True, kw_only=True, slots=True)
class ChildConcerned:
    """One child or young person a complaint concerns, with the equality data recorded about them. ``council``
    and ``case_ref`` name the complaint as its records do (interchange §1); vocabulary values are codes."""

    council: str = ""
    case_ref: str
    age: int | None = None
    sex: str | None = None
    ethnicity: str | None = None
    disability: str | None = None
    support_category: str | None = None


def children_from_records(records: Iterable[Record]) -> list[ChildConcerned]:
    """The children interchange records describe: a record carries only the first child of its complaint, so
    this gives at most one child a complaint. The report uses it only when it is not given every child."""
    children: dict[tuple[str, str], ChildConcerned] = {}
    for r in records:
        key = (r.council, r.group_ref)
        described = (r.child_age, r.child_sex, r.child_ethnicity, r.child_disability, r.support_category)
        if r.kind != COMPLAINT or key in children or all(v is None for v in described):
            continue
        children[key] = ChildConcerned(
            council=r.council,
            case_ref=r.group_ref,
            age=r.child_age,
            sex=r.child_sex,
            ethnicity=r.child_ethnicity,
            disability=r.child_disability,
            support_category=r.support_category,
        )
    return list(children.values())


def age_band(age: int | None, bands: Sequence[tuple[str, int, int]]) -> str:
    """The band ``age`` falls in; "Not known" when it is unknown or outside every band."""
    if age is None:
        return NOT_KNOWN
    for name, lowest, highest in bands:
        if lowest <= age <= highest:
            return name
    return NOT_KNOWN


def _table[T](
    key: str,
    title: str,
    heading: str,
    once: Sequence[T],
    value: Callable[[T], str],
    order: Sequence[str] | None,
    definition: str,
    *,
    unit: str = "Complaints",
    notes: tuple[str, ...] = (),
) -> Table:
    counts = _count(once, value)
    names = [n for n in order if n in counts] if order is not None else [n for n in counts if n != NOT_KNOWN]
    if NOT_KNOWN in counts and NOT_KNOWN not in names:
        names.append(NOT_KNOWN)
    total = len(once)
    rows: list[tuple[Cell, ...]] = [(name, counts[name], percent(counts[name], total)) for name in names]
    rows.append(("Total", total, 100.0 if total else None))
    return Table(
        key=key,
        title=title,
        columns=(label_column(heading), count_column(unit), percent_column("%", of=unit)),
        rows=tuple(rows),
        definition=definition,
        source="R1.40 item 11; R6.2 to R6.7",
        notes=notes,
        total_row=True,
        sensitive=True,
        chart=ChartSpec(ChartKind.HBAR, value_columns=(1,), title=title),
    )


def _count[T](items: Iterable[T], value: Callable[[T], str]) -> dict[str, int]:
    """How many items have each value, most frequent first and then by name (as ``count_by`` orders)."""
    counts: dict[str, int] = {}
    for item in items:
        name = value(item)
        counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _coded(code: str | None, names: Mapping[str, str]) -> str:
    if code is None or code in _UNKNOWN_CODES:
        return NOT_KNOWN
    return names.get(code, code)


CHILDREN_NOTE = (
    "Each child a complaint concerns is counted, so a complaint about several children counts once for each of "
    "them and the children can outnumber the complaints; complaints that record no child are not counted here."
)


def children_tables(
    children: Sequence[ChildConcerned],
    records: Sequence[Record],
    period: Period,
    procedure: str,
    labels: Labels,
    ethnicity_names: Mapping[str, str],
    basis: Basis = Basis.RECEIVED,
) -> list[Table]:
    """Age band, sex, ethnicity and disability of every child the complaints counted concern (R1.40 item 11,
    R6.2 to R6.6), as the module docstring defines them: one row per child, not per complaint."""
    counted = {(r.council, r.group_ref) for r in complaints_once(records, period, procedure, basis)}
    concerned = [child for child in children if (child.council, child.case_ref) in counted]
    definition = definition_of(children_tables) + "\n\n" + (__doc__ or "").strip()
    child_ages = [b[0] for b in CHILD_AGE_BANDS]

    def vocab(vocabulary: str, getter: Callable[[ChildConcerned], str | None]) -> Callable[[ChildConcerned], str]:
        return lambda child: _coded(getter(child), labels.get(vocabulary, {}))

    specs: list[tuple[str, str, str, Callable[[ChildConcerned], str], Sequence[str] | None]] = [
        (
            "age",
            "Age of the children complaints concerned",
            "Age",
            lambda ch: age_band(ch.age, CHILD_AGE_BANDS),
            child_ages,
        ),
        ("sex", "Sex of the children complaints concerned", "Sex", vocab("sex", lambda ch: ch.sex), None),
        (
            "ethnicity",
            "Ethnicity of the children complaints concerned",
            "Ethnic group",
            lambda ch: _coded(ch.ethnicity, ethnicity_names),
            None,
        ),
        (
            "disability",
            "Disabled children complaints concerned",
            "Disabled",
            vocab("yes_no", lambda ch: ch.disability),
            None,
        ),
    ]
    return [
        _table(
            f"equality_child_{key}",
            f"{title}, {period.label}",
            heading,
            concerned,
            value,
            order,
            definition,
            unit="Children",
            notes=(CHILDREN_NOTE,),
        )
        for key, title, heading, value, order in specs
    ]


def equality_tables(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    labels: Labels,
    ethnicity_names: Mapping[str, str],
    *,
    children: Sequence[ChildConcerned] | None = None,
    basis: Basis = Basis.RECEIVED,
) -> list[Table]:
    """Age band, sex, ethnicity and disability of the children complaints concerned, and of complainants (with
    sexual orientation, asked only of adults, R6.4), as the module docstring defines them. ``children`` are every
    child of the complaints (from the case records); without them, the first child each record carries."""
    once = complaints_once(records, period, procedure, basis)
    definition = definition_of(equality_tables) + "\n\n" + (__doc__ or "").strip()
    adult_ages = [b[0] for b in ADULT_AGE_BANDS]

    def vocab(vocabulary: str, getter: Callable[[Record], str | None]) -> Callable[[Record], str]:
        return lambda r: _coded(getter(r), labels.get(vocabulary, {}))

    specs: list[tuple[str, str, str, Callable[[Record], str], Sequence[str] | None]] = [
        (
            "complainant_age",
            "Age of the complainant",
            "Age",
            lambda r: age_band(r.complainant_age, ADULT_AGE_BANDS),
            adult_ages,
        ),
        ("complainant_sex", "Sex of the complainant", "Sex", vocab("sex", lambda r: r.complainant_sex), None),
        (
            "complainant_ethnicity",
            "Ethnicity of the complainant",
            "Ethnic group",
            lambda r: _coded(r.complainant_ethnicity, ethnicity_names),
            None,
        ),
        (
            "complainant_disability",
            "Complainant has a disability",
            "Disabled",
            vocab("yes_no", lambda r: r.complainant_disability),
            None,
        ),
        (
            "complainant_sexual_orientation",
            "Sexual orientation of the complainant",
            "Sexual orientation",
            vocab("sexual_orientation", lambda r: r.complainant_sexual_orientation),
            None,
        ),
    ]
    every_child = children_from_records(records) if children is None else children
    return [
        *children_tables(every_child, records, period, procedure, labels, ethnicity_names, basis),
        *(
            _table(f"equality_{key}", f"{title}, {period.label}", heading, once, value, order, definition)
            for key, title, heading, value, order in specs
        ),
    ]


def young_people_profile_tables(
    records: Sequence[Record], period: Period, procedure: str, labels: Labels
) -> list[Table]:
    """Young people's own complaints (complainant type ``child_young_person``), each counted once: by sex, by age
    band and by category of support."""
    once = [r for r in complaints_received_once(records, period, procedure) if r.complainant_type == CHILD]
    definition = definition_of(young_people_profile_tables)
    child_ages = [b[0] for b in CHILD_AGE_BANDS]
    return [
        _table(
            "young_people_sex",
            f"Young people's own complaints by sex, {period.label}",
            "Sex",
            once,
            lambda r: _coded(r.complainant_sex, labels.get("sex", {})),
            None,
            definition,
        ),
        _table(
            "young_people_age",
            f"Young people's own complaints by age, {period.label}",
            "Age",
            once,
            lambda r: age_band(r.complainant_age if r.complainant_age is not None else r.child_age, CHILD_AGE_BANDS),
            child_ages,
            definition,
        ),
        _table(
            "young_people_support",
            f"Young people's own complaints by category of support, {period.label}",
            "Category of support",
            once,
            lambda r: label(labels, "support_category", r.support_category) if r.support_category else NOT_KNOWN,
            None,
            definition,
        ),
    ]
