"""What the services take in: plain, frozen values that the web forms, the API and imports all build the same way."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Person
from opencomplaints.councils.models import IssueCategory, Team

__all__ = [
    "ChildInput",
    "ComplainantInput",
    "ComplimentInput",
    "EnquirerInput",
    "LateAcceptance",
    "PersonInput",
    "PointInput",
    "RecommendationInput",
    "RecommendationResponse",
]


@dataclass(frozen=True, kw_only=True)
class PersonInput:
    """A person's details, or an existing ``person`` of the same council instead (R1.14: repeat complainants are
    linked, not duplicated). Equality fields always allow "not known" (R6.x)."""

    first_name: str = ""
    last_name: str = ""
    date_of_birth: date | None = None
    email: str = ""
    phone: str = ""
    address: str = ""
    postcode: str = ""
    sex: str = c.Sex.UNKNOWN
    ethnicity_scheme: str = ""
    ethnicity_code: str = ""
    disability: str = c.YesNoUnknown.UNKNOWN
    sexual_orientation: str = c.SexualOrientation.UNKNOWN
    religion: str = ""
    person: Person | None = None


@dataclass(frozen=True, kw_only=True)
class ComplainantInput:
    person: PersonInput
    complainant_type: str = c.ComplainantType.UNKNOWN
    eligibility_basis: str = c.EligibilityBasis.NOT_APPLICABLE
    on_behalf_of_child: bool = False
    child_consent: str = c.ChildConsent.NOT_APPLICABLE


@dataclass(frozen=True, kw_only=True)
class ChildInput:
    """A child the complaint is about. A young person complaining about their own care is both the complainant
    and the child: give ``same_as_complainant=True`` (and no ``person``) so they are one person, counted once."""

    person: PersonInput | None = None
    age_at_receipt: int | None = None  # derived from date_of_birth when not given
    support_category: str = c.SupportCategory.UNKNOWN
    same_as_complainant: bool = False


@dataclass(frozen=True, kw_only=True)
class LateAcceptance:
    """The R1.12 discretion: a late complaint is considered only if both tests are met, each with its reason."""

    accepted: bool
    not_reasonable_to_expect_reason: str
    still_possible_reason: str


@dataclass(frozen=True, kw_only=True)
class PointInput:
    """One point of the statement of complaint (R1.24)."""

    description: str
    issue: IssueCategory | None = None


@dataclass(frozen=True, kw_only=True)
class RecommendationInput:
    """A recommendation of the investigation or the panel; ``accepted`` is the council's decision where made."""

    text: str
    accepted: bool | None = None
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class RecommendationResponse:
    """The council's response to one panel recommendation: not following it needs a reason (R1.33)."""

    accepted: bool
    reason: str = ""


@dataclass(frozen=True, kw_only=True)
class EnquirerInput:
    """Who made an MP or councillor enquiry."""

    enquirer_type: str
    name: str
    constituency_or_ward: str = ""


@dataclass(frozen=True, kw_only=True)
class ComplimentInput:
    """Who a compliment praises, and its words."""

    about_team: Team | None = None
    about_person: str = ""
    quote: str = ""
