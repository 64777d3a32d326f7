"""What happens to a demonstration case, one small declaration per kind of event.

A case is a sequence of these (``timeline`` makes them from a plan), each with the day it happened and the plan
key of the case (or remedy, or learning action) it happens to. ``player`` applies each one through the service that
records it; nothing here touches the database. Adding a kind of event is a dataclass here, a line in the timeline
that makes it and a handler in the player.

A class whose name starts with an underscore is not a kind of event: it declares once what several kinds share.

Events are played in the order they happened: by day, then by stage, then by ``order`` (their place in the
procedure within a day: a hold starts before an extension is agreed, the response comes after both, then what
follows from it), and otherwise in the order the timeline declared them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import ClassVar

from opencomplaints.demo.plans import (
    ComplaintPlan,
    LearningActionPlan,
    OmbudsmanPlan,
    PointPlan,
    RecommendationPlan,
    RepresentationPlan,
)


@dataclass(frozen=True, kw_only=True)
class Event:
    case: str  # the plan key of the case the event happens to
    day: date
    by: str = ""  # the username of whoever records it; empty for the system (the daily jobs)
    stage: int = 0
    order: ClassVar[int] = 0
    what: ClassVar[str] = "event"

    def sort_key(self) -> tuple[date, int, int]:
        return (self.day, self.stage, self.order)


@dataclass(frozen=True, kw_only=True)
class CorporateProcedureRevised(Event):
    """The council changes its corporate procedure (a new version, docs/adr/0014-procedures-as-data.md): complaints
    registered from then on use it, earlier ones keep theirs. ``case`` is empty: it happens to the council."""

    changes: Mapping[str, object]
    what = "corporate procedure revised"


# -- a complaint ------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ComplaintRegistered(Event):
    """Registered with its complainants, children, teams and issues (and any mediation or advocacy recorded)."""

    complaint: ComplaintPlan
    what = "register"


@dataclass(frozen=True, kw_only=True)
class InterestDecided(Event):
    has_interest: bool
    child_consulted: bool
    notified_date: date
    order = 2
    what = "decide interest"


@dataclass(frozen=True, kw_only=True)
class Declined(Event):
    reason: str
    redirected_to: str
    note: str
    order = 10
    what = "decline"


@dataclass(frozen=True, kw_only=True)
class Accepted(Event):
    order = 3
    what = "accept"


@dataclass(frozen=True, kw_only=True)
class Escalated(Event):
    late_request_accepted: bool | None
    late_request_reason: str
    order = 1
    what = "escalate"


@dataclass(frozen=True, kw_only=True)
class Acknowledged(Event):
    order = 3
    what = "acknowledge"


@dataclass(frozen=True, kw_only=True)
class Held(Event):
    reason: str
    note: str
    order = 4
    what = "hold"


@dataclass(frozen=True, kw_only=True)
class Resumed(Event):
    order = 6
    what = "resume"


@dataclass(frozen=True, kw_only=True)
class Extended(Event):
    """The extension agreed and the complainant told (``day``), to ``extended_due_date``."""

    extended_due_date: date
    reason: str
    order = 7
    what = "extend"


@dataclass(frozen=True, kw_only=True)
class InvestigatorsAppointed(Event):
    investigating_officer: str
    independent_person: str
    order = 2
    what = "appoint"


@dataclass(frozen=True, kw_only=True)
class StatementAgreed(Event):
    points: tuple[PointPlan, ...]
    order = 5
    what = "statement"


@dataclass(frozen=True, kw_only=True)
class InvestigationReported(Event):
    order = 9
    what = "report"


@dataclass(frozen=True, kw_only=True)
class PanelAppointed(Event):
    chair: str
    members: tuple[str, ...]
    order = 2
    what = "appoint"


@dataclass(frozen=True, kw_only=True)
class PanelArranged(Event):
    meeting_at: datetime
    place: str
    order = 4
    what = "arrange"


@dataclass(frozen=True, kw_only=True)
class PanelMet(Event):
    order = 8
    what = "panel"


@dataclass(frozen=True, kw_only=True)
class PanelReported(Event):
    recommendations: tuple[str, ...]
    order = 9
    what = "report"


@dataclass(frozen=True, kw_only=True)
class _StageEnded(Event):
    """The end of a stage: a response, a withdrawal or an adjudication, after everything else recorded that day."""

    order = 10
    what = "respond"


@dataclass(frozen=True, kw_only=True)
class _RecommendationsAnswered(_StageEnded):
    """A stage 2 or 3 response: a finding on each point, and the council's decision on each recommendation."""

    findings: tuple[str, ...]
    recommendations: tuple[RecommendationPlan, ...]


@dataclass(frozen=True, kw_only=True)
class Responded(_StageEnded):
    """The stage answered with an outcome, or point by point: the points (recorded first if they are not yet),
    a finding and a sentence on each, and how the response was sent."""

    outcome: str = ""
    points: tuple[PointPlan, ...] = ()
    findings: tuple[str, ...] = ()
    responses: tuple[str, ...] = ()
    sent_via: str = ""


@dataclass(frozen=True, kw_only=True)
class Withdrawn(_StageEnded):
    note: str


@dataclass(frozen=True, kw_only=True)
class Adjudicated(_RecommendationsAnswered):
    """Stage 2 of the children's procedure: the adjudicator's findings and decisions on the recommendations."""


@dataclass(frozen=True, kw_only=True)
class PanelAnswered(_RecommendationsAnswered):
    """Stage 3: the council's response to the panel, its findings and a decision on each recommendation."""


@dataclass(frozen=True, kw_only=True)
class Closed(Event):
    """Closed by the system, as the daily job closes a case once the window to ask for the next stage has passed."""

    stage: int = 9  # after everything else recorded on the case that day
    order = 12
    what = "close"


@dataclass(frozen=True, kw_only=True)
class Reopened(Event):
    """Reopened for a late request the council accepted (before the request it makes room for)."""

    reason: str
    what = "reopen"


# -- a remedy, through its lifecycle (docs/adr/0020-remedy-lifecycle.md) ----------------------------------------


@dataclass(frozen=True, kw_only=True)
class _RemedyEvent(Event):
    remedy: str  # the key the later events of the same remedy name it by
    order = 11


@dataclass(frozen=True, kw_only=True)
class RemedyProposed(_RemedyEvent):
    remedy_type: str
    remedy_stage: int | None
    description: str
    amount: Decimal | None = None
    what = "remedy"


@dataclass(frozen=True, kw_only=True)
class RemedyApproved(_RemedyEvent):
    due_date: date | None = None
    what = "remedy approved"


@dataclass(frozen=True, kw_only=True)
class RemedyPaid(_RemedyEvent):
    """Paid (or, for a remedy that is not a payment, delivered) on ``day``."""

    payment_reference: str
    what = "remedy paid"


@dataclass(frozen=True, kw_only=True)
class RemedyNotDelivered(_RemedyEvent):
    reason: str
    what = "remedy not delivered"


# -- other representations and the Ombudsman --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class RepresentationRegistered(Event):
    representation: RepresentationPlan
    what = "registration"


@dataclass(frozen=True, kw_only=True)
class RepresentationAnswered(Event):
    outcome: str
    order = 1
    what = "response"


@dataclass(frozen=True, kw_only=True)
class OmbudsmanCaseRegistered(Event):
    ombudsman_case: OmbudsmanPlan
    what = "registration"


@dataclass(frozen=True, kw_only=True)
class OmbudsmanEnquiriesAnswered(Event):
    order = 1
    what = "reply to the Ombudsman's enquiries"


@dataclass(frozen=True, kw_only=True)
class OmbudsmanDecided(Event):
    decision: str
    decision_label: str
    fault_found: bool | None
    injustice_found: bool | None
    recommended_payment: Decimal | None
    compliance_due_date: date | None
    order = 2
    what = "decision"


@dataclass(frozen=True, kw_only=True)
class OmbudsmanComplied(Event):
    order = 12  # after the payment it recommended, made the same day
    what = "compliance"


# -- learning ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class LearningActionCreated(Event):
    """``case`` is the learning action's own key here; it names the complaints it came from."""

    action: LearningActionPlan
    what = "creation"


@dataclass(frozen=True, kw_only=True)
class LearningActionStarted(Event):
    order = 1
    what = "start"


@dataclass(frozen=True, kw_only=True)
class LearningActionImplemented(Event):
    evidence: str
    order = 2
    what = "implementation"


@dataclass(frozen=True, kw_only=True)
class LearningActionNotImplemented(Event):
    reason: str
    order = 2
    what = "decision not to implement"
