"""The vocabularies of case records. Values are the interchange format's codes (../shared/spec/interchange.md §1),
so an import or export never needs a translation table for our own data."""

from django.db import models


class Kind(models.TextChoices):
    COMPLAINT = "complaint", "Complaint"
    POTENTIAL_COMPLAINT = "potential_complaint", "Potential complaint"
    QUERY = "query", "Query"
    MP_ENQUIRY = "mp_enquiry", "MP enquiry"
    MEMBER_ENQUIRY = "member_enquiry", "Councillor enquiry"
    COMPLIMENT = "compliment", "Compliment"
    OMBUDSMAN = "ombudsman", "Ombudsman case"


class Procedure(models.TextChoices):
    CHILDREN_STATUTORY = "children_statutory", "Children's statutory procedure"
    CORPORATE = "corporate", "Corporate procedure"
    ADULTS_STATUTORY = "adults_statutory", "Adults' statutory procedure"


class CaseStatus(models.TextChoices):
    # R1.38: a representation arrives "to triage", is accepted (open) or not, and is closed at the end.
    TRIAGE = "triage", "Received, to triage"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Acceptance(models.TextChoices):
    PENDING = "pending", "Not yet decided"
    ACCEPTED = "accepted", "Accepted"
    DECLINED = "declined", "Not accepted"


class DeclineReason(models.TextChoices):
    # R1.7-R1.14 and §7 "reason not accepted".
    INELIGIBLE = "ineligible", "The person is not eligible to complain under this procedure"
    OUT_OF_TIME = "out_of_time", "Made after the time limit, and not accepted late"
    OUT_OF_SCOPE = "out_of_scope", "Not about a function this procedure covers"
    PREVIOUSLY_CONSIDERED = "previously_considered", "Already considered at every stage"
    DEFERRED_PENDING_PROCEEDINGS = (
        "deferred_pending_proceedings",
        "Not considered while other proceedings run",
    )


class Route(models.TextChoices):
    """Where a representation not accepted under the statutory procedure goes instead (R1.7, R1.11)."""

    CORPORATE = "corporate", "Corporate complaints procedure"
    SAFEGUARDING = "safeguarding", "Safeguarding procedures"
    CONFERENCE_COMPLAINTS = "conference_complaints", "Child protection conference complaints process"
    FOSTERING_OR_ADOPTION_PANEL = "fostering_or_adoption_panel", "Fostering or adoption panel route"
    COURT = "court", "The court"
    NONE = "none", "No further action"
    OTHER = "other", "Another route"


class Outcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"
    RESOLVED_INFORMALLY = "resolved_informally", "Resolved informally"
    NOT_ACCEPTED = "not_accepted", "Not accepted"
    # R1.21: a stage not answered in the time allowed, ended by the complainant's request for the next stage.
    NOT_ANSWERED_IN_TIME = "not_answered_in_time", "Not answered in the time allowed"


class ResponseSentVia(models.TextChoices):
    """How a stage's response went to the complainant: when they are deemed to have received it follows (R1.29)."""

    EMAIL = "email", "By email"
    POST = "post", "By post"
    HAND = "hand", "By hand"


class Finding(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    NO_FINDING = "no_finding", "No finding"


class ComplainantType(models.TextChoices):
    CHILD_YOUNG_PERSON = "child_young_person", "Child or young person"
    PARENT_RELATIVE = "parent_relative", "Parent or relative"
    CARER = "carer", "Carer"
    FOSTER_CARER = "foster_carer", "Foster carer"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian"
    ADVOCATE = "advocate", "Advocate"
    SOLICITOR = "solicitor", "Solicitor"
    MP = "mp", "MP"
    COUNCILLOR = "councillor", "Councillor"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class EligibilityBasis(models.TextChoices):
    """R1.8: why the person may complain under the children's statutory procedure."""

    CHILD = "child", "Child looked after or in need (s26(3)(a))"
    PARENT = "parent", "Parent of such a child (s26(3)(b))"
    PR_HOLDER = "pr_holder", "Non-parent with parental responsibility (s26(3)(c))"
    LA_FOSTER_CARER = "la_foster_carer", "Local authority foster parent (s26(3)(d))"
    SUFFICIENT_INTEREST = "sufficient_interest", "Sufficient interest in the child's welfare (s26(3)(e))"
    CARE_LEAVER = "care_leaver", "Care leaver (s24D)"
    ADOPTION_S3_1 = "adoption_s3_1", "Person within ACA 2002 s3(1) (s26(3B)(a))"
    ADOPTION_SUFFICIENT_INTEREST = (
        "adoption_sufficient_interest",
        "Sufficient interest in an adopted child (s26(3B)(b))",
    )
    SG_CHILD = "sg_child", "Child subject to a special guardianship order (s26(3C))"
    SPECIAL_GUARDIAN = "special_guardian", "Special guardian (s26(3C))"
    SG_PARENT = "sg_parent", "Parent of a child subject to special guardianship (s26(3C))"
    SG_ASSESSMENT_APPLICANT = (
        "sg_assessment_applicant",
        "Applicant for a special guardianship support assessment (s26(3C))",
    )
    SG_SUFFICIENT_INTEREST = (
        "sg_sufficient_interest",
        "Sufficient interest in a special guardianship child (s26(3C))",
    )
    NOT_APPLICABLE = "not_applicable", "Not applicable (not the statutory procedure)"


# R1.9: the bases whose eligibility needs a recorded "sufficient interest" decision.
SUFFICIENT_INTEREST_BASES = frozenset(
    {
        EligibilityBasis.SUFFICIENT_INTEREST,
        EligibilityBasis.ADOPTION_SUFFICIENT_INTEREST,
        EligibilityBasis.SG_SUFFICIENT_INTEREST,
    }
)


class SufficientInterestDecision(models.TextChoices):
    NOT_REQUIRED = "not_required", "Not required"
    PENDING = "pending", "To be decided"
    HAS_INTEREST = "has_interest", "Has sufficient interest"
    NO_INTEREST = "no_interest", "Does not have sufficient interest"


class ChildConsent(models.TextChoices):
    """R1.10: whether the child is happy for someone to complain on their behalf."""

    NOT_APPLICABLE = "not_applicable", "Not applicable"
    NOT_SOUGHT = "not_sought", "Not yet sought"
    GIVEN = "given", "Given"
    REFUSED = "refused", "Refused"
    UNABLE = "unable", "The child is not able to give a view"


class ReceivedVia(models.TextChoices):
    EMAIL = "email", "Email"
    ONLINE = "online", "Online form"
    PHONE = "phone", "Phone"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class NoteKind(models.TextChoices):
    CALL = "call", "Phone call"
    MEETING = "meeting", "Meeting"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    NOTE = "note", "Note"


class NoteDirection(models.TextChoices):
    IN = "in", "Incoming"
    OUT = "out", "Outgoing"


class SupportCategory(models.TextChoices):
    CLA = "cla", "Child looked after"
    CARE_LEAVER = "care_leaver", "Care leaver"
    CIN = "cin", "Child in need"
    CP = "cp", "Child protection plan"
    FRONT_DOOR = "front_door", "Front door / referral"
    DISABLED_CHILDREN = "disabled_children", "Disabled children"
    EARLY_HELP = "early_help", "Early help"
    OTHER = "other", "Other"
    UNKNOWN = "unknown", "Not known"


class Sex(models.TextChoices):
    FEMALE = "female", "Female"
    MALE = "male", "Male"
    UNKNOWN = "unknown", "Not known"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    UNKNOWN = "unknown", "Not known"


class SexualOrientation(models.TextChoices):
    # R6.4; asked only of people aged 16 or over.
    STRAIGHT = "straight", "Straight or heterosexual"
    GAY_LESBIAN = "gay_lesbian", "Gay or lesbian"
    BISEXUAL = "bisexual", "Bisexual"
    OTHER = "other", "Other sexual orientation"
    PREFER_NOT_TO_SAY = "prefer_not_to_say", "Prefer not to say"
    UNKNOWN = "unknown", "Not known"


class Mediation(models.TextChoices):
    NONE = "none", "None"
    RESOLVED = "resolved", "Mediation resolved the complaint"
    NOT_RESOLVED = "not_resolved", "Mediation did not resolve the complaint"


class HoldReason(models.TextChoices):
    # R1.13 (reg 8 deferral), R1.19 (awaiting an advocate), R1.37.
    COURT_PROCEEDINGS = "court_proceedings", "Court proceedings"
    CRIMINAL_INVESTIGATION = "criminal_investigation", "Criminal investigation or proceedings"
    DISCIPLINARY = "disciplinary", "Disciplinary proceedings"
    AWAITING_ADVOCATE = "awaiting_advocate", "Awaiting an advocate"
    COMPLAINANT_REQUEST = "complainant_request", "At the complainant's request"
    OTHER = "other", "Other"


class LearningActionStatus(models.TextChoices):
    PLANNED = "planned", "Planned"
    IN_PROGRESS = "in_progress", "In progress"
    IMPLEMENTED = "implemented", "Implemented"
    NOT_IMPLEMENTED = "not_implemented", "Not implemented"


class RemedyStatus(models.TextChoices):
    """Where a remedy is in its lifecycle (R3.7: say what and by when, follow through, explain if undeliverable;
    docs/adr/0020-remedy-lifecycle.md)."""

    PROPOSED = "proposed", "Proposed"
    APPROVED = "approved", "Approved"
    PAID = "paid", "Paid or delivered"
    NOT_DELIVERED = "not_delivered", "Not delivered"


class LgscoDecision(models.TextChoices):
    """R4.1-R4.4: the Ombudsman's decision, normalised; the Ombudsman's own wording is kept beside it."""

    UPHELD_FAULT_INJUSTICE = "upheld_fault_injustice", "Upheld: fault and injustice"
    UPHELD_FAULT_NO_INJUSTICE = "upheld_fault_no_injustice", "Upheld: fault, no injustice"
    UPHELD_REMEDIED_BY_COUNCIL = (
        "upheld_remedied_by_council",
        "Upheld: satisfactory remedy provided by the council",
    )
    NOT_UPHELD = "not_upheld", "Not upheld"
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries", "Closed after initial enquiries"
    PREMATURE = "premature", "Premature: referred back for local resolution"
    INCOMPLETE_INVALID = "incomplete_invalid", "Incomplete or invalid"
    OUT_OF_JURISDICTION = "out_of_jurisdiction", "Out of jurisdiction"
    ADVICE_GIVEN = "advice_given", "Advice given"
    WITHDRAWN = "withdrawn", "Withdrawn"
    IN_PROGRESS = "in_progress", "In progress"


class EnquirerType(models.TextChoices):
    MP = "mp", "Member of Parliament"
    COUNCILLOR = "councillor", "Councillor"


class DeadlineKind(models.TextChoices):
    # Whose clock it is: the council's, or the complainant's window to ask for the next stage, which is only a
    # flag and never a bar (R1.22, R1.29).
    DEADLINE = "deadline", "Council deadline"
    REQUEST_WINDOW = "request_window", "Window to ask for the next stage"


class PanelRole(models.TextChoices):
    CHAIR = "chair", "Chair"
    MEMBER = "member", "Member"


# The kinds that follow a procedure with stages; every other kind has one response date.
STAGED_KINDS = frozenset({Kind.COMPLAINT})
# Stage rules as data (convention 8): at these stages a response records a finding on every point of complaint,
# and the stage outcome is rolled up from them (R1.25, §7).
FINDINGS_REQUIRED_STAGES = frozenset({2, 3})
# Outcomes that end a stage with a decision on the merits (the others end it without one).
MERITS_OUTCOMES = frozenset({Outcome.UPHELD, Outcome.PARTLY_UPHELD, Outcome.NOT_UPHELD})
