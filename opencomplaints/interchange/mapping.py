"""What a council's records may say, built from the database for :mod:`opencomplaints.interchange.validate`: our
vocabularies (``cases.constants``, the council's remedy types, the ethnicity schemes), the council's teams, issue
categories and service areas, and the labels it has mapped to them (``ImportMapping``).

A label the council has not mapped is reported with suggestions; a person confirms what it means once (on the
validation page, or with ``--map`` on the command line) and the mapping is kept for every later import.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.db.models import TextChoices

from opencomplaints.cases import constants as c
from opencomplaints.cases.kinds import all_kinds
from opencomplaints.councils.defaults import DEFAULT_ISSUE_CATEGORIES, DEFAULT_REMEDY_TYPES
from opencomplaints.councils.models import Council, EthnicityCategory
from opencomplaints.interchange.models import ImportMapping
from opencomplaints.interchange.parse import label_key, slug_for
from opencomplaints.interchange.validate import CHOICE_COLUMNS, CREATABLE_COLUMNS, Councils, CouncilVocabulary

__all__ = [
    "DEFAULT_COUNCIL_NAME",
    "MAPPABLE_COLUMNS",
    "council_vocabulary",
    "import_councils",
    "mapping_options",
    "parse_map_option",
]

#: The name of the council an import into an empty installation creates when none is given (``--council``).
DEFAULT_COUNCIL_NAME = "Our council"
UNKNOWN = "unknown"
MAPPABLE_COLUMNS = (*CHOICE_COLUMNS, *CREATABLE_COLUMNS)
MAP_OPTION_INVALID = (
    'Write a mapping as column:"Label"=value, for example outcome:"Partly Upheld"=partly_upheld; {value!r} is not '
    "in that form."
)
MAP_COLUMN_INVALID = "{column} is not a column whose values can be mapped. These can: {columns}."

_YES_NO = {"yes": "Yes", "no": "No"}


def _choices(model: type[TextChoices]) -> dict[str, str]:
    return {str(value): str(label) for value, label in model.choices}


def _ethnicity() -> dict[str, str]:
    codes = dict(EthnicityCategory.objects.order_by("scheme", "position").values_list("code", "name"))
    codes[UNKNOWN] = "Not known"
    return codes


def _fixed(remedy_types: Mapping[str, str], ethnicity: Mapping[str, str]) -> dict[str, Mapping[str, str]]:
    sex = _choices(c.Sex)
    disability = _choices(c.YesNoUnknown)
    return {
        "kind": {kind.value: kind.label for kind in all_kinds()},
        "procedure": _choices(c.Procedure),
        "outcome": _choices(c.Outcome),
        "complainant_type": _choices(c.ComplainantType),
        "received_via": _choices(c.ReceivedVia),
        "support_category": _choices(c.SupportCategory),
        "child_sex": sex,
        "child_ethnicity": ethnicity,
        "child_disability": disability,
        "complainant_sex": sex,
        "complainant_ethnicity": ethnicity,
        "complainant_disability": disability,
        "complainant_sexual_orientation": _choices(c.SexualOrientation),
        "mediation": _choices(c.Mediation),
        "remedies": dict(remedy_types),
        "lgsco_decision": _choices(c.LgscoDecision),
        "extended": _YES_NO,
        "advocacy": _YES_NO,
    }


def _names(values: Iterable[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for value in values:
        names.setdefault(label_key(value), value)
    return names


def council_vocabulary(
    council: Council,
    *,
    extra_mappings: Mapping[tuple[str, str], str] | None = None,
    creating: Iterable[tuple[str, str]] = (),
    ethnicity: Mapping[str, str] | None = None,
) -> CouncilVocabulary:
    """Everything a record of ``council`` may say, with its stored mappings, ``extra_mappings`` (column, label →
    value, e.g. from ``--map``; they win over stored ones) and the names being created in this import."""
    mappings = {
        (column, key): target
        for column, key, target in ImportMapping.objects.filter(council=council)
        .order_by()
        .values_list("column", "label_key", "target")
    }
    mappings.update({(column, label_key(label)): target for (column, label), target in (extra_mappings or {}).items()})
    remedy_types = dict(council.remedy_types.order_by("code").values_list("code", "name"))
    return CouncilVocabulary(
        slug=council.slug,
        name=council.name,
        choices=_fixed(remedy_types, ethnicity if ethnicity is not None else _ethnicity()),
        names={
            "teams": _names(council.teams.order_by("name", "-active_from").values_list("name", flat=True)),
            "issues": _names(council.issue_categories.order_by("name").values_list("name", flat=True)),
            "service_area": _names(council.service_areas.order_by("name").values_list("name", flat=True)),
        },
        mappings=mappings,
        creating=frozenset((column, label_key(name)) for column, name in creating),
    )


def _new_council_vocabulary(
    name: str,
    *,
    extra_mappings: Mapping[tuple[str, str], str],
    creating: Iterable[tuple[str, str]],
    ethnicity: Mapping[str, str],
) -> CouncilVocabulary:
    """The vocabulary of a council that ``council_create`` will make: its default issue categories and remedy
    types, and no teams yet."""
    return CouncilVocabulary(
        slug=slug_for(name) or slug_for(DEFAULT_COUNCIL_NAME),
        name=name or DEFAULT_COUNCIL_NAME,
        choices=_fixed({r.code: r.name for r in DEFAULT_REMEDY_TYPES}, ethnicity),
        names={"teams": {}, "issues": _names(DEFAULT_ISSUE_CATEGORIES), "service_area": {}},
        mappings={(column, label_key(label)): target for (column, label), target in extra_mappings.items()},
        creating=frozenset((column, label_key(n)) for column, n in creating),
    )


def import_councils(
    *,
    councils: Iterable[Council],
    default: Council | None,
    allow_new: bool,
    new_name: str = "",
    extra_mappings: Mapping[tuple[str, str], str] | None = None,
    creating: Iterable[tuple[str, str]] = (),
) -> Councils:
    """The councils a file may name, for :func:`~opencomplaints.interchange.validate.validate_table`.

    ``default`` takes the rows with a blank ``council``. ``allow_new`` (an installation with no council yet) lets
    the file name the councils to create; blank rows then go to one named ``new_name`` (or the default name).
    """
    extra = dict(extra_mappings or {})
    creating = list(creating)
    ethnicity = _ethnicity()
    known: dict[str, CouncilVocabulary] = {}
    default_vocabulary: CouncilVocabulary | None = None
    for council in councils:
        vocabulary = council_vocabulary(council, extra_mappings=extra, creating=creating, ethnicity=ethnicity)
        known[label_key(council.slug)] = vocabulary
        known.setdefault(label_key(council.name), vocabulary)
        if default is not None and council.pk == default.pk:
            default_vocabulary = vocabulary
    if default is not None and default_vocabulary is None:
        default_vocabulary = council_vocabulary(default, extra_mappings=extra, creating=creating, ethnicity=ethnicity)
    if not allow_new:
        return Councils(known=known, default=default_vocabulary)

    def new(name: str) -> CouncilVocabulary:
        return _new_council_vocabulary(name or new_name, extra_mappings=extra, creating=creating, ethnicity=ethnicity)

    return Councils(known=known, default=default_vocabulary, new=new)


def parse_map_option(value: str) -> tuple[tuple[str, str], str]:
    """``column:"Label"=value`` (the quotes optional) as ((column, label), value). Raises ``ValueError`` with a
    message for the user."""
    column, sep, rest = value.partition(":")
    column = column.strip().lower()
    if not sep or "=" not in rest:
        raise ValueError(MAP_OPTION_INVALID.format(value=value))
    if column not in MAPPABLE_COLUMNS:
        raise ValueError(MAP_COLUMN_INVALID.format(column=column, columns=", ".join(MAPPABLE_COLUMNS)))
    rest = rest.strip()
    if rest.startswith('"'):
        end = rest.find('"', 1)
        if end < 0 or "=" not in rest[end:]:
            raise ValueError(MAP_OPTION_INVALID.format(value=value))
        label, target = rest[1:end], rest[end + 1 :].strip().removeprefix("=")
    else:
        label, _, target = rest.rpartition("=")
    label, target = label.strip(), target.strip().strip('"')
    if not label or not target:
        raise ValueError(MAP_OPTION_INVALID.format(value=value))
    return (column, label), target


def mapping_options(council: Council) -> dict[str, dict[str, str]]:
    """For the mapping form: every column's allowed values (code → label; names → themselves)."""
    vocabulary = council_vocabulary(council)
    options = {column: dict(values) for column, values in vocabulary.choices.items()}
    for column, names in vocabulary.names.items():
        options[column] = {name: name for name in sorted(names.values())}
    return options
