"""The kinds of case, one declaration each: what a kind is called, which procedures and stages it follows, how it
is registered, where it shows in the tracker and the report, and the value the interchange files give it
(docs/design/kinds-and-procedures.md; procedures: docs/adr/0014-procedures-as-data.md).

Every place that lists kinds reads them here: the case's ``kind`` choices, the registration pages, the tracker's
representations, the report's other representations and trends, the interchange vocabulary, the deadline for an
answer. A council adds a kind its complaints team also logs (a service request, a Freedom of Information or
subject access request, R3.3) by naming a module in the setting ``OPENCOMPLAINTS_EXTRA_KINDS``: the module's
``KINDS`` (a sequence of ``CaseKind``) are registered after the built-in ones. A kind added this way is a
representation: one response, no stages, registered on the generic representation page. Adding a kind is its
declaration, plus templates if it needs its own words.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from opencomplaints.cases import constants as c

__all__ = [
    "BUILT_IN",
    "CaseKind",
    "Shape",
    "all_kinds",
    "answered_within",
    "kind_choices",
    "kind_for_slug",
    "kind_label",
    "kind_of",
    "representation_kinds",
]


class Shape(StrEnum):
    """How a kind's case runs: a complaint through its procedure's stages, an Ombudsman case through the
    Ombudsman's enquiry, or a representation with one response."""

    COMPLAINT = "complaint"
    OMBUDSMAN = "ombudsman"
    REPRESENTATION = "representation"


class Answer(StrEnum):
    """Which deadline a representation's response has: the enquiry deadline (local practice), or none."""

    ENQUIRY = "enquiry"
    NONE = ""


# The outcomes a representation's response can record, by kind: labels in the kind's own words, values from the
# interchange vocabulary (blank: none to record). A compliment has no outcome; an enquiry is answered.
GENERAL_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("", "No outcome to record"),
    (c.Outcome.RESOLVED_INFORMALLY, "Resolved informally"),
    (c.Outcome.UPHELD, "Upheld"),
    (c.Outcome.PARTLY_UPHELD, "Partly upheld"),
    (c.Outcome.NOT_UPHELD, "Not upheld"),
)
ENQUIRY_OUTCOMES: tuple[tuple[str, str], ...] = (
    ("", "Answered"),
    (c.Outcome.RESOLVED_INFORMALLY, "Answered, and the matter was put right"),
)
COMPLIMENT_OUTCOMES: tuple[tuple[str, str], ...] = (("", "Thanked and passed on"),)


@dataclass(frozen=True, kw_only=True)
class CaseKind:
    """One kind of case."""

    #: Stored on the case, and the kind's value in the interchange vocabulary (the files' ``kind`` column).
    value: str
    #: "MP enquiry"; ``plural`` "MP enquiries"; ``article`` the one for the label in a sentence ("an MP enquiry").
    label: str
    plural: str
    article: str = "a"
    shape: Shape = Shape.REPRESENTATION
    #: The procedures a case of this kind may follow, and its stages (a complaint's; none for the others).
    procedures: tuple[str, ...] = ()
    stages: tuple[int, ...] = ()
    #: The casework actions (``casework.declarations``) offered on a case of this kind besides the common ones.
    actions: tuple[str, ...] = ()
    #: The registration page's slug (``/cases/register/<slug>/``) and the person recorded as the enquirer.
    slug: str = ""
    enquirer_type: str = ""
    #: The deadline for the response.
    answer: Answer = Answer.NONE
    #: The tracker's columns for a case of this kind, and the report section it is counted in.
    tracker_columns: tuple[str, ...] = ("reference", "kind", "received", "team", "due", "status")
    report_section: str = "other_representations"
    #: The label within a sentence ("MP enquiry", "query"): the label in lower case unless given.
    noun: str = ""
    #: The outcomes its response can record (a representation's), each with the label the form shows.
    outcomes: tuple[tuple[str, str], ...] = GENERAL_OUTCOMES

    @property
    def in_sentence(self) -> str:
        return self.noun or self.label.lower()


_STAGED_COLUMNS = ("reference", "kind", "procedure", "stage", "received", "team", "due", "status")

BUILT_IN: tuple[CaseKind, ...] = (
    CaseKind(
        value=c.Kind.COMPLAINT,
        label="Complaint",
        plural="Complaints",
        shape=Shape.COMPLAINT,
        procedures=tuple(c.Procedure.values),
        stages=(1, 2, 3),
        actions=("accept", "decline", "extend", "hold", "respond", "escalate", "withdraw"),
        slug="complaint",
        tracker_columns=_STAGED_COLUMNS,
        report_section="complaints",
    ),
    CaseKind(
        value=c.Kind.POTENTIAL_COMPLAINT,
        label="Potential complaint",
        plural="Potential complaints",
        slug="potential-complaint",
        actions=("respond",),
    ),
    CaseKind(
        value=c.Kind.QUERY,
        label="Query",
        plural="Queries",
        slug="query",
        actions=("respond",),
        outcomes=ENQUIRY_OUTCOMES,
    ),
    CaseKind(
        value=c.Kind.MP_ENQUIRY,
        label="MP enquiry",
        plural="MP enquiries",
        article="an",
        noun="MP enquiry",
        slug="mp-enquiry",
        enquirer_type=c.EnquirerType.MP,
        answer=Answer.ENQUIRY,
        actions=("respond",),
        outcomes=ENQUIRY_OUTCOMES,
    ),
    CaseKind(
        value=c.Kind.MEMBER_ENQUIRY,
        label="Councillor enquiry",
        plural="Councillor enquiries",
        slug="councillor-enquiry",
        enquirer_type=c.EnquirerType.COUNCILLOR,
        answer=Answer.ENQUIRY,
        actions=("respond",),
        outcomes=ENQUIRY_OUTCOMES,
    ),
    CaseKind(
        value=c.Kind.COMPLIMENT,
        label="Compliment",
        plural="Compliments",
        slug="compliment",
        actions=("respond",),
        outcomes=COMPLIMENT_OUTCOMES,
    ),
    CaseKind(
        value=c.Kind.OMBUDSMAN,
        label="Ombudsman case",
        plural="Ombudsman cases",
        article="an",
        shape=Shape.OMBUDSMAN,
        slug="ombudsman",
        actions=("ombudsman_decision",),
        tracker_columns=("reference", "kind", "received", "team", "due", "status"),
        report_section="ombudsman",
    ),
)

EXTRA_KINDS_INVALID = "{module} in OPENCOMPLAINTS_EXTRA_KINDS must define KINDS, a sequence of CaseKind"
KIND_REPEATED = "The kind {value!r} (or its registration slug {slug!r}) is declared twice"
EXTRA_KIND_SHAPE = "The kind {value!r} from {module} must be a representation: only those can be added"


@functools.cache
def _registry(modules: tuple[str, ...]) -> tuple[CaseKind, ...]:
    kinds = list(BUILT_IN)
    for name in modules:
        declared = getattr(importlib.import_module(name), "KINDS", None)
        if not isinstance(declared, Sequence) or not all(isinstance(k, CaseKind) for k in declared):
            raise ImproperlyConfigured(EXTRA_KINDS_INVALID.format(module=name))
        for kind in declared:
            if kind.shape != Shape.REPRESENTATION:
                raise ImproperlyConfigured(EXTRA_KIND_SHAPE.format(value=kind.value, module=name))
        kinds.extend(declared)
    values = [k.value for k in kinds]
    slugs = [k.slug for k in kinds]
    for kind in kinds:
        if values.count(kind.value) > 1 or not kind.slug or slugs.count(kind.slug) > 1:
            raise ImproperlyConfigured(KIND_REPEATED.format(value=kind.value, slug=kind.slug))
    return tuple(kinds)


def all_kinds() -> tuple[CaseKind, ...]:
    """Every registered kind, the built-in ones first in their usual order."""
    return _registry(tuple(getattr(settings, "OPENCOMPLAINTS_EXTRA_KINDS", ())))


def kind_of(value: str) -> CaseKind:
    """The kind stored as ``value``; ``LookupError`` for a value no kind is registered as."""
    for kind in all_kinds():
        if kind.value == value:
            return kind
    raise LookupError(f"No kind of case is registered as {value!r}")


def kind_for_slug(slug: str) -> CaseKind | None:
    return next((kind for kind in all_kinds() if kind.slug == slug), None)


def kind_label(value: str) -> str:
    """The kind's label, or the stored value itself when no kind is registered as it (a kind removed from the
    settings after cases of it were recorded)."""
    try:
        return kind_of(value).label
    except LookupError:
        return value


def kind_choices() -> list[tuple[str, str]]:
    """The choices of ``Case.kind`` (a callable, so a kind added in the settings needs no migration)."""
    return [(kind.value, kind.label) for kind in all_kinds()]


def representation_kinds() -> tuple[str, ...]:
    """The kinds with one response and no stages, in order: the report's other representations."""
    return tuple(kind.value for kind in all_kinds() if kind.shape == Shape.REPRESENTATION)


def answered_within(answer: Answer) -> tuple[str, ...]:
    """The kinds whose response has the deadline ``answer``."""
    return tuple(kind.value for kind in all_kinds() if kind.shape == Shape.REPRESENTATION and kind.answer == answer)
