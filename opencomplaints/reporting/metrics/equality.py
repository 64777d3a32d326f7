"""Equality monitoring of complainants and of the children complaints concern (R1.40 item 11; §6).

Each complaint with a stage received in the period is counted once (its stages share a ``case_ref``); when the
report counts completed complaints (R1.41), each complaint with a stage completed in the period. The complainant
is the primary complainant. The children are every child or young person the complaint concerns: a complaint
about three children counts each of them, so the children's tables count children, not complaints, and a
complaint that records no child adds none. Ages are banded at report time from the age at receipt (R6.6):
children under 1, 1 to 4, 5 to 9, 10 to 15, 16 to 17, care leavers 18 to 20 and 21 to 25; adult complainants 18
to 24, 25 to 34, 35 to 44, 45 to 54, 55 to 64, 65 and over. Ethnicity is shown in one classification, the five
high-level groups of the 2021 Census (England and Wales) that its 19 categories are grouped under (R6.2): a value
recorded in the DfE children's social care codes is counted under the group of the Census category it matches
(R6.3; "Chinese" under Asian, as the 2021 Census places it), so the schemes are never shown side by side. Values
not recorded, recorded as not known, refused or "prefer not to say", or in no classification the report knows,
are counted as "Not known", and the table says so when some were in no known classification. Every table here is
small-number suppressed when published (R6.7).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

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
    "ETHNIC_GROUPS",
    "ChildConcerned",
    "age_band",
    "children_from_records",
    "children_tables",
    "equality_tables",
    "ethnic_group",
    "young_people_profile_tables",
]

NOT_KNOWN = "Not known"
_UNKNOWN_CODES = frozenset({"", "unknown", "not_known", "NOBT", "REFU", "prefer_not_to_say"})

_ASIAN = "Asian, Asian British or Asian Welsh"
_BLACK = "Black, Black British, Black Welsh, Caribbean or African"
_MIXED = "Mixed or Multiple ethnic groups"
_WHITE = "White"
_OTHER = "Other ethnic group"
#: The 2021 Census high-level ethnic groups (England and Wales), in the ONS order: the rows of the ethnicity tables.
ETHNIC_GROUPS: tuple[str, ...] = (_ASIAN, _BLACK, _MIXED, _WHITE, _OTHER)
#: The 19 categories of the 2021 Census (their codes in ``councils.EthnicityCategory``) and the group of each.
_CENSUS_2021: Mapping[str, str] = {
    **dict.fromkeys(("bangladeshi", "chinese", "indian", "pakistani", "other_asian"), _ASIAN),
    **dict.fromkeys(("african", "caribbean", "other_black"), _BLACK),
    **dict.fromkeys(("white_and_asian", "white_and_black_african", "white_and_black_caribbean", "other_mixed"), _MIXED),
    **dict.fromkeys(("white_british", "irish", "gypsy_or_irish_traveller", "roma", "other_white"), _WHITE),
    **dict.fromkeys(("arab", "any_other_ethnic_group"), _OTHER),
}
#: Each DfE children's social care code and the 2021 Census category it matches (R6.3).
_DFE_TO_CENSUS_2021: Mapping[str, str] = {
    "WBRI": "white_british",
    "WIRI": "irish",
    "WIRT": "gypsy_or_irish_traveller",
    "WOTH": "other_white",
    "WROM": "roma",
    "MWBC": "white_and_black_caribbean",
    "MWBA": "white_and_black_african",
    "MWAS": "white_and_asian",
    "MOTH": "other_mixed",
    "AIND": "indian",
    "APKN": "pakistani",
    "ABAN": "bangladeshi",
    "AOTH": "other_asian",
    "BCRB": "caribbean",
    "BAFR": "african",
    "BOTH": "other_black",
    "CHNE": "chinese",
    "OOTH": "any_other_ethnic_group",
}
UNMAPPED_NOTE = (
    "Some ethnicity values were recorded in a classification that does not match the 2021 Census groups; they are "
    "counted as not known."
)
GROUPS_NOTE = (
    "Ethnicity is shown in the five high-level groups of the 2021 Census. Values recorded in the DfE children's "
    "social care codes are counted under the group of the matching Census category."
)


def ethnic_group(code: str | None) -> str | None:
    """The 2021 Census high-level group ``code`` is counted under (a Census category or a DfE code); "Not known"
    when it was not recorded, not known or refused; ``None`` when it is in no classification the report knows."""
    if code is None or code in _UNKNOWN_CODES:
        return NOT_KNOWN
    return _CENSUS_2021.get(_DFE_TO_CENSUS_2021.get(code, code))


def _ethnicity_table[T](
    key: str, title: str, once: Sequence[T], code: Callable[[T], str | None], definition: str, **kwargs: Any
) -> Table:
    """An ethnicity table in the 2021 Census high-level groups, with a note when some values were not mapped."""
    unmapped = any(ethnic_group(code(item)) is None for item in once)
    notes = (*kwargs.pop("notes", ()), GROUPS_NOTE, *((UNMAPPED_NOTE,) if unmapped else ()))
    return _table(
        key,
        title,
        "Ethnic group",
        once,
        lambda item: ethnic_group(code(item)) or NOT_KNOWN,
        ETHNIC_GROUPS,
        definition,
        notes=notes,
        **kwargs,
    )


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
            "disability",
            "Disabled children complaints concerned",
            "Disabled",
            vocab("yes_no", lambda ch: ch.disability),
            None,
        ),
    ]
    tables = [
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
    ethnicity = _ethnicity_table(
        "equality_child_ethnicity",
        f"Ethnicity of the children complaints concerned, {period.label}",
        concerned,
        lambda ch: ch.ethnicity,
        definition,
        unit="Children",
        notes=(CHILDREN_NOTE,),
    )
    return [*tables[:2], ethnicity, *tables[2:]]


def equality_tables(
    records: Sequence[Record],
    period: Period,
    procedure: str,
    labels: Labels,
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
    complainants = [
        _table(f"equality_{key}", f"{title}, {period.label}", heading, once, value, order, definition)
        for key, title, heading, value, order in specs
    ]
    ethnicity = _ethnicity_table(
        "equality_complainant_ethnicity",
        f"Ethnicity of the complainant, {period.label}",
        once,
        lambda r: r.complainant_ethnicity,
        definition,
    )
    return [
        *children_tables(every_child, records, period, procedure, labels, basis),
        *complainants[:2],
        ethnicity,
        *complainants[2:],
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
