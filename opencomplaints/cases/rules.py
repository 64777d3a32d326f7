"""The stage rules of the procedure, held as data (convention 8) so a reader can check them against
``../shared/domain/rules.md`` without reading the services.

The timescales themselves (10/20, 25/65, 30/5/15 working days, the 20-day request windows) are the deadline
engine's data (``opencomplaints.deadlines.procedures``); this module says what must be recorded, in what order, and
which outcomes each stage can have.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from opencomplaints.cases import constants as c

CHILDREN = c.Procedure.CHILDREN_STATUTORY.value

# R1.23: a complaint starts at stage 1, or at stage 2 (with a reason) where local resolution is not appropriate.
START_STAGES = frozenset({1, 2})

# The outcomes a response can give at each stage. "Withdrawn" and "not accepted" are not responses: they come from
# complaint_withdraw (R1.36) and complaint_decline (R1.7-R1.14) so that they are never reported as decisions.
RESPONSE_OUTCOMES: Mapping[int, frozenset[str]] = MappingProxyType(
    {
        1: frozenset(c.MERITS_OUTCOMES | {c.Outcome.RESOLVED_INFORMALLY}),
        2: frozenset(c.MERITS_OUTCOMES),
        3: frozenset(c.MERITS_OUTCOMES),
    }
)

# Stages whose end lets the complainant ask for the next one (R1.21): not after a withdrawal or a refusal.
ESCALATABLE_OUTCOMES = frozenset(c.MERITS_OUTCOMES | {c.Outcome.RESOLVED_INFORMALLY})

# (procedure, stage) pairs whose response records a finding on every point of complaint (R1.25). Corporate and
# adults' procedures have no statement of complaint, so findings there are optional.
FINDINGS_REQUIRED: frozenset[tuple[str, int]] = frozenset((CHILDREN, n) for n in c.FINDINGS_REQUIRED_STAGES)

# The children's stage 2 and 3 responses are recorded by their own services, which check what they need.
DEDICATED_RESPONSE: Mapping[tuple[str, int], tuple[str, str]] = MappingProxyType(
    {
        (CHILDREN, 2): ("the adjudication", "R1.28"),  # stage2_adjudicate
        (CHILDREN, 3): ("the council's response to the panel's recommendations", "R1.33"),  # stage3_respond
    }
)


@dataclass(frozen=True)
class Requirement:
    """A stage field (or property) that must be recorded first, and what to tell the user to do."""

    field: str
    missing: str


@dataclass(frozen=True)
class StepRule:
    """What a step of stage 2 or 3 needs recorded first (R1.24-R1.33)."""

    stage: int
    action: str
    rule: str
    requires: tuple[Requirement, ...] = ()


_STATEMENT = Requirement("statement_agreed_date", "Agree the statement of complaint")

STEP_RULES: Mapping[str, StepRule] = MappingProxyType(
    {
        "stage2_appoint": StepRule(2, "appointing the investigation", "R1.25"),
        "stage2_statement_agree": StepRule(2, "agreeing the statement of complaint", "R1.24, R1.26"),
        "stage2_report_receive": StepRule(2, "recording the investigation report", "R1.24", (_STATEMENT,)),
        "stage2_adjudicate": StepRule(
            2,
            "adjudicating",
            "R1.25, R1.28",
            (
                _STATEMENT,
                Requirement("investigator_ref", "Appoint the investigating officer"),
                Requirement("independent_ref", "Appoint the independent person"),
                Requirement("investigator_report_date", "Record the investigation report"),
            ),
        ),
        "stage3_panel_appoint": StepRule(3, "appointing the panel", "R1.30"),
        "stage3_panel_schedule": StepRule(3, "arranging the panel meeting", "R1.31"),
        "stage3_panel_record": StepRule(3, "recording the panel meeting", "R1.30, R1.31"),
        "stage3_report_record": StepRule(
            3, "recording the panel's report", "R1.32", (Requirement("panel_date", "Record the date the panel met"),)
        ),
        "stage3_respond": StepRule(
            3,
            "responding to the panel's recommendations",
            "R1.33",
            (Requirement("panel_report_date", "Record the panel's report"),),
        ),
    }
)

# What the previous stage must have recorded before the complainant can ask for the next one, besides its response
# (R1.21): stage 3 follows the stage 2 adjudication, which is the stage 2 response (R1.28, R1.29).
ESCALATION_REQUIRES: Mapping[tuple[str, int], tuple[Requirement, ...]] = MappingProxyType(
    {(CHILDREN, 3): (Requirement("adjudication_date", "Record the stage 2 adjudication"),)},
)

# What must be recorded before a stage can be extended: stage 2's 65 working days run from the start date, the
# day the statement of complaint is agreed (R1.26), so there is nothing to extend from until then.
EXTENSION_REQUIRES: Mapping[tuple[str, int], Requirement] = MappingProxyType(
    {(CHILDREN, 2): _STATEMENT},
)

# R1.29 [CONFIG]: the working days after it was sent on which the complainant is deemed to receive a stage's
# response, by how it was sent (email and by hand: the same day; post: two working days, as for second class).
DEEMED_RECEIPT_WORKING_DAYS: Mapping[str, int] = MappingProxyType(
    {c.ResponseSentVia.EMAIL: 0, c.ResponseSentVia.HAND: 0, c.ResponseSentVia.POST: 2}
)

# A review panel is exactly three people, one of whom chairs it (R1.30).
PANEL_SIZE = 3

# Stage fields that record the events the engine's timescales run from (R5.13), by the engine's anchor names.
STAGE_EVENT_ANCHORS: tuple[tuple[str, str], ...] = (
    ("statement_agreed_date", "stage2_start"),
    ("investigator_report_date", "investigation_report_received"),
    ("panel_date", "panel_held"),
    ("panel_report_date", "panel_report_received"),
)

# The stage field whose date meets a deadline, by timescale key; keys ending "_response" or "_acknowledgement"
# follow the suffix rule in ``met_field``. Request windows are met by the next stage's receipt.
DEADLINE_MET_BY: Mapping[str, str] = MappingProxyType(
    {
        "stage2_adjudication": "adjudication_date",
        "stage3_panel": "panel_date",
        "stage3_panel_report": "panel_report_date",
        "adults_response_period": "response_date",
    }
)


def met_field(key: str) -> str | None:
    """The stage field that meets the deadline ``key``, or ``None`` if no stage field does."""
    if key in DEADLINE_MET_BY:
        return DEADLINE_MET_BY[key]
    if key.endswith("_response"):
        return "response_date"
    if key.endswith("_acknowledgement"):
        return "acknowledged_date"
    return None


def receipt_anchor(number: int) -> str:
    """The engine's name for the receipt of stage ``number`` (R5.11 applies to it)."""
    return "received" if number == 1 else f"stage{number}_request_received"


def acknowledgement_anchor(number: int) -> str:
    """The engine's name for the acknowledgement of stage ``number`` (corporate and adults' procedures)."""
    return "acknowledged" if number == 1 else f"stage{number}_acknowledged"


def roll_up_findings(findings: Iterable[str]) -> str:
    """The stage outcome from its findings (R1.25, §7): every point upheld gives upheld; none upheld (nor partly)
    gives not upheld; anything else partly upheld. Points with no finding are left out of the roll-up."""
    considered = [f for f in findings if f != c.Finding.NO_FINDING]
    if considered and all(f == c.Finding.UPHELD for f in considered):
        return c.Outcome.UPHELD
    if any(f in (c.Finding.UPHELD, c.Finding.PARTLY_UPHELD) for f in considered):
        return c.Outcome.PARTLY_UPHELD
    return c.Outcome.NOT_UPHELD
