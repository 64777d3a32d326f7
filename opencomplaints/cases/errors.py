"""The procedure's errors and their messages.

Every message a service can raise is a constant here, so tests assert the exact text and the screens, the API and
the command line all show the same words. Messages name the rule they apply (``../shared/domain/rules.md``) and
are written for the member of staff who has to put things right. Placeholders are filled with ``str.format``.
"""

from opencomplaints.common.errors import DomainError


class ProcedureError(DomainError):
    """Doing this would break the complaints procedure or the integrity of the record."""

    code = "procedure"


# -- general -------------------------------------------------------------------------------------------------

CASE_CLOSED = "{reference} is closed. Reopen it first if more needs to be recorded."
CASE_NOT_A_COMPLAINT = "{reference} is not a complaint, so it has no stages."
CASE_IS_A_COMPLAINT = "{reference} is a complaint: record its response against its stage."
WRONG_KIND = "{reference} is a {kind}, not {expected}."
OTHER_COUNCIL = "{what} belongs to another council, so it cannot be used on a case of {council}."
NOT_A_MEMBER = "{user} is not a member of {council}, so they could not see the case. Add them to the council first."
DATE_BEFORE = "{what} ({when}) cannot be before {other} ({other_when})."
DATE_OUTSIDE_CALENDAR = "{error}"
INVALID_RECORD = "{message}"
UNKNOWN_CHOICE = "{value!r} is not a valid {what}. Choose one of: {choices}."

# -- registration and triage (R1.7-R1.14, R1.23) --------------------------------------------------------------

# R1.4
NEEDS_COMPLAINANT = "Add at least one complainant: a complaint is always made by someone."
UNKNOWN_PROCEDURE = "{procedure!r} is not a procedure this system knows. Choose one of: {choices}."
# R3.9
CORPORATE_PROCEDURE_ONLY_FOR_CORPORATE = (
    "A corporate procedure can only be chosen for a complaint under the corporate procedure."
)
CORPORATE_PROCEDURE_REPLACED = (
    "Version {version} of {name} has been replaced: a new complaint starts under the version in force now."
)
# R5.12
RECEIVED_AT_MISMATCH = (
    "The date received ({received_date}) is not the London date of the time received ({received_at})."
)
# R1.12
GROUNDS_AFTER_RECEIVED = "The date the grounds arose ({grounds}) cannot be after the date received ({received})."
# R1.12
OUT_OF_TIME_NEEDS_DECISION = (
    "This complaint was made more than {months} months after the grounds arose (the time limit ended on "
    "{last_day}), so record whether it is still considered, and why, against both tests for a late complaint."
)
# R1.12
LATE_ACCEPTANCE_NOT_NEEDED = "This complaint was made within the time limit, so no late-acceptance decision is needed."
# R1.12
LATE_ACCEPTANCE_NEEDS_BOTH_REASONS = (
    "To consider a late complaint, record why it was not reasonable to expect it in time and why it is still "
    "possible to consider it effectively and fairly: both must be met."
)
# R1.12
LATE_REFUSAL_NEEDS_REASON = "To refuse a late complaint, record which test for a late complaint is not met and why."
# R1.23
START_STAGE_INVALID = "A complaint starts at stage 1, or at stage 2 when stage 1 is not appropriate."
# R1.23
STAGE1_SKIP_NEEDS_REASON = "Record why stage 1 is not being used before starting at stage 2."
# R1.23
STAGE1_SKIP_REASON_ONLY_AT_STAGE2 = "A reason for skipping stage 1 is only recorded when starting at stage 2."
PROCEDURE_HAS_NO_STAGE = "The {procedure} has no stage {number}."
REFERENCE_TAKEN = "The reference {reference} is already used by another case of {council}."
PERSON_TWICE = "{person} is named twice as a {role}; name each person once."
# R6.2, R6.3
ETHNICITY_NEEDS_SCHEME = "Choose the category scheme the ethnicity {code!r} comes from."
CHILD_TOO_OLD = "A child or young person is 25 or under; {name} was {age} when the complaint was received."
# R1.7-R1.14
ACCEPT_NOT_IN_TRIAGE = "{reference} has already been {decision}; triage decides once."
# R1.9
ACCEPT_INTEREST_PENDING = (
    "Decide whether {person} has sufficient interest in the child's welfare before accepting the complaint."
)
# R1.9, R1.11
ACCEPT_NO_INTEREST = (
    "{person} was found not to have sufficient interest, so the complaint cannot be accepted from them: "
    "decline it as ineligible and tell them."
)
# R1.7-R1.14
NOT_ACCEPTED_YET = "Accept the complaint under the procedure before responding to or escalating it."
DECLINE_ALREADY_DECLINED = "{reference} has already been declined."
# R1.7-R1.14
DECLINE_REASON_INVALID = "Choose why the complaint is not accepted."
# R1.8, R1.9
INTEREST_NOT_NEEDED = "{person} complains on a basis that does not need a sufficient-interest decision."
# R1.9
INTEREST_REFUSAL_NEEDS_NOTICE = (
    "Record the date {person} was told they do not have sufficient interest: they must be notified."
)

RECEIPT_CORRECTION_NEEDS_REASON = "Record why the date received is being corrected."
RECEIPT_AFTER_LATER_EVENT = "The date received cannot be after {what} ({when}): correct that first, or check the date."

# -- stages: timescales, holds, responses (R1.20-R1.22, R1.26, R1.29, R1.37) ------------------------------------

STAGE_CLOSED = "Stage {number} of {reference} has already been responded to; reopen the case to change it."
STAGE_RECEIVED_FIRST = "{what} ({when}) cannot be before stage {number} was received ({received})."
EXTENSION_NOT_ALLOWED = "Stage {number} of the {procedure} cannot be extended: its timescales are fixed."
EXTENSION_NEEDS_REASON = "Record why more time is needed before extending stage {number}."
EXTENSION_NEEDS_NOTICE = "Record the date the complainant was told of the extension and the new date."
EXTENSION_NOT_LATER = (
    "The extended date ({extended}) must be after the standard due date ({due}): an extension cannot bring a "
    "deadline forward."
)
EXTENSION_TOO_LONG = (
    "Stage {number} can be extended to at most {days} working days from {anchor}, which is {latest}; "
    "{extended} is too late."
)
# R1.37
HOLD_ALREADY_OPEN = "Stage {number} is already on hold from {start}; resume it before starting another hold."
# R1.37
HOLD_OVERLAPS = "A hold cannot start ({start}) before the previous hold ended ({end})."
# R1.37
HOLD_NONE_OPEN = "Stage {number} is not on hold, so there is nothing to resume."
# R1.37
HOLD_RESUME_BEFORE_START = "A hold cannot end ({end}) before it started ({start})."
# R1.37
RESPOND_WHILE_ON_HOLD = "Stage {number} is on hold from {start}; resume it before responding."
RESPOND_BEFORE_RECEIVED = "The response ({response}) cannot be before stage {number} was received ({received})."
OUTCOME_INVALID = "{outcome!r} is not an outcome a stage {number} response can have. Choose one of: {choices}."
USE_DEDICATED_RESPONSE = "Stage {number} of the children's procedure ends with {service}."
# R1.25
FINDINGS_MISSING = (
    "Record a finding on every point of complaint before responding at stage {number}: points {points} have none."
)
# R1.24, R1.25
FINDINGS_NEED_POINTS = "Agree the statement of complaint, with its points, before responding at stage {number}."
FINDING_NOT_A_POINT = "A finding was given for a point that is not part of {reference}."
FINDING_INVALID = "{finding!r} is not a finding. Choose one of: {choices}."
# R1.25
OUTCOME_DISAGREES_WITH_FINDINGS = (
    "At stage {number} the findings on the points give {rolled_up}, not {outcome}: leave the outcome empty to "
    "follow the findings, or give the reason for choosing another."
)

# -- escalation (R1.21-R1.23, R1.29) ---------------------------------------------------------------------------

ESCALATE_OPEN_STAGE = (
    "Stage {number} has not been answered and its time allowed runs until {allowed}: respond to it, or record a "
    "request for stage {next} made after that date."
)
# R1.15
ESCALATE_NO_NEXT_STAGE = "Stage {number} is the last stage of the {procedure}; the complainant may go to the Ombudsman."
ESCALATE_AFTER_WITHDRAWAL = "Stage {number} ended as {outcome}, so there is nothing to escalate."
ESCALATE_BEFORE_RESPONSE = (
    "The request for stage {next} ({request}) cannot be before the stage {number} response ({response})."
)
LATE_REQUEST_NEEDS_DECISION = (
    "The request for stage {next} arrived on {request}, after the window of {days} working days that ended on "
    "{window_end}. Record whether the late request is accepted, and why: it is never refused without "
    "a decision."
)
LATE_REQUEST_NEEDS_REASON = "Record the reason for the decision on the late request for stage {next}."
LATE_DECISION_NOT_NEEDED = (
    "The request for stage {next} is within the window (it ended on {window_end}), so no late-request decision "
    "is needed."
)
LATE_DECISION_NO_WINDOW = (
    "The {procedure} sets no window for asking for stage {next}, so no late-request decision is needed."
)

# -- stage 2 (R1.24-R1.28) -------------------------------------------------------------------------------------

NOT_STAGE = "This can only be recorded at stage {number} of the children's statutory procedure."
# R1.25
APPOINT_NOBODY = "Choose the investigating officer, the independent person or both."
# R1.25
IO_IS_IP = "The investigating officer and the independent person must be different people: {user} cannot be both."
# R1.24
STATEMENT_NEEDS_POINTS = "A statement of complaint lists at least one point."
# R1.24
STATEMENT_POINT_EMPTY = "Point {number} of the statement of complaint has no description."
STATEMENT_HAS_FINDINGS = (
    "Findings have already been recorded against the points of {reference}, so the statement can no longer change."
)
STATEMENT_DROPS_ANSWERED_POINT = (
    "Point {number} was answered at stage 1, so the statement keeps it: reword it if needed, and give it "
    '"No finding" at the adjudication if it is no longer part of the complaint.'
)
REQUIRED_FIRST = "{missing} before {action}."
# R1.26
STATEMENT_BREAKS_EXTENSION = (
    "Stage 2 was extended to {extended}, but from a statement agreed on {agreed} the extended date must be after "
    "{due} and no later than {latest}. Agree the statement on the right date, or tell the complainant a "
    "new date and extend again."
)
RECOMMENDATION_EMPTY = "Recommendation {number} has no text."
# R1.33
RECOMMENDATION_REJECTED_WITHOUT_REASON = (
    "Give the reason for not following recommendation {number}: the council must explain why."
)

# -- stage 3 (R1.29-R1.33) -------------------------------------------------------------------------------------

# R1.30
PANEL_SIZE = "A review panel has exactly three people, one of whom chairs it; {count} were given."
# R1.30
PANEL_CHAIR_ALSO_MEMBER = "The chair is one of the three panel members; list the other two as members."
# R1.30
PANEL_INCLUDES_IP = "{user} was the independent person at stage 2 and may not sit on the review panel."
# R1.30
PANEL_ALREADY_MET = "The panel met on {panel_date}, so its membership can no longer change."
# R1.31
PANEL_MEETING_ALREADY_HELD = "The panel met on {panel_date}: record its report rather than arrange a meeting."
PANEL_MEETING_NEEDS_PLACE = "Enter where the panel will meet, or say that it meets online."
PANEL_MEETING_BEFORE_REQUEST = (
    "The panel cannot meet ({meeting}) before the complainant asked for the review ({request})."
)
RECOMMENDATIONS_ALREADY_ANSWERED = "The council has already responded to the panel's recommendations."
# R1.33
RECOMMENDATION_NOT_ANSWERED = "Say whether the council follows recommendation {number}, giving reasons if not."
RECOMMENDATION_NOT_THIS_STAGE = "A response was given for a recommendation that is not the panel's."

# -- withdrawal, closure, reopening (R1.36, R1.38) -------------------------------------------------------------

# R1.36
WITHDRAW_NOTHING_OPEN = "No stage of {reference} is open, so there is nothing to withdraw: close the case instead."
CLOSE_WITH_OPEN_STAGE = "Stage {number} of {reference} is still open; respond to it or withdraw it before closing."
CLOSE_BEFORE_RESPONSE = "The case cannot be closed ({closed}) before its last response ({response})."
REOPEN_OPEN_CASE = "{reference} is open already."
REOPEN_NEEDS_REASON = "Record why the case is being reopened."
REOPEN_BEFORE_CLOSED = "The case cannot be reopened ({reopened}) before it was closed ({closed})."

# -- remedies and learning (R1.40 item 10, R3.7, R4.5) ---------------------------------------------------------

# R4.5
REMEDY_NEEDS_AMOUNT = "Enter the amount of the {remedy_type} remedy: a financial remedy records how much."
REMEDY_AMOUNT_NOT_FINANCIAL = "A {remedy_type} remedy is not financial, so it has no amount."
REMEDY_AMOUNT_NEGATIVE = "The amount of a remedy cannot be negative."
REMEDY_PAID_NEEDS_AMOUNT = "Only a remedy with an amount can have a payment date."
REMEDY_STAGE_OTHER_CASE = "The stage given is not a stage of {reference}."
# The remedy lifecycle (docs/adr/0020-remedy-lifecycle.md): proposed, approved, then paid or not delivered.
REMEDY_AMOUNT_TOO_SMALL = "The amount must be at least £0.01."
REMEDY_AMOUNT_TOO_LARGE = "The amount must be £100,000 or less. Check it was typed correctly."
REMEDY_AMOUNT_PENCE = "Enter the amount in pounds and pence, with no more than 2 decimal places, like 250.50."
REMEDY_NOT_EDITABLE = (
    "This remedy was approved on {agreed}, so it can no longer be changed. If what was agreed cannot be done, "
    "record it as not delivered and propose a new remedy."
)
REMEDY_NOT_PROPOSED = "This remedy is {status}: only a proposed remedy can be approved."
REMEDY_APPROVER_ROLE = (
    "Only a complaints manager or an adjudicator (director) of {council} can approve a remedy. Ask one of them to "
    "approve it."
)
REMEDY_APPROVER_PROPOSED = (
    "You proposed this payment, so someone else must approve it. Ask another complaints manager or the adjudicator."
)
REMEDY_NEEDS_DUE_DATE = "Enter the date the remedy is to be delivered by: the complainant is told what and by when."
REMEDY_DUE_AFTER_COMPLIANCE = (
    "The Ombudsman asked for its remedies by {compliance}, so the remedy must be due by then, not {due}."
)
REMEDY_PAID_NOT_APPROVED = "This remedy is {status}. It must be approved before it is recorded as paid or delivered."
REMEDY_NEEDS_PAYMENT_REFERENCE = "Enter the payment reference, so the payment can be traced."
REMEDY_ALREADY_FINISHED = "This remedy is already recorded as {status}."
# R3.7
REMEDY_NOT_DELIVERED_NEEDS_REASON = "Enter why the remedy was not delivered: the complainant is told why."
OMBUDSMAN_REMEDIES_OUTSTANDING = (
    "{count} of the remedies on this Ombudsman case {verb} not been paid or delivered yet. Record each as paid, "
    "delivered or not delivered first."
)
# R1.40 item 10
LEARNING_NEEDS_TEXT = "Record what the complaint showed and what will change."
# R1.40 item 10
LEARNING_NEEDS_EVIDENCE = "Record the date the action was implemented and the evidence that it was."
# R1.40 item 10
LEARNING_NEEDS_REASON = "Record why the action was not implemented: the annual report gives the reason."
LEARNING_ALREADY_FINISHED = "This learning action is already {status}."
# R1.40 item 10
LEARNING_STATUS_BY_UPDATE = (
    "Use the implemented or not-implemented actions to finish a learning action, so the evidence or reason is recorded."
)

# -- other representations and the Ombudsman (§4) -------------------------------------------------------------

REPRESENTATION_KIND_INVALID = (
    "{kind!r} is not a kind of representation registered here: complaints and Ombudsman cases have their own "
    "registration."
)
ENQUIRY_NEEDS_ENQUIRER = "Record who made the enquiry: the MP or councillor and their constituency or ward."
ENQUIRER_TYPE_MISMATCH = "An {kind} comes from {expected}."
DETAIL_FOR_OTHER_KIND = "{detail} details only belong on {kind} records."
OMBUDSMAN_COMPLAINT_NOT_COMPLAINT = "The case the Ombudsman considered must be a complaint."
# R4.1-R4.4
OMBUDSMAN_DECISION_IN_PROGRESS = "Choose the Ombudsman's decision; 'in progress' is not a decision."
OMBUDSMAN_NO_COMPLIANCE_DUE = "No remedy is awaiting compliance on this Ombudsman case."
OMBUDSMAN_ALREADY_DECIDED = "The Ombudsman's decision was already recorded on {decision_date}."
OMBUDSMAN_ENQUIRY_ALREADY_ANSWERED = "The Ombudsman's enquiries were already answered on {responded}."
OMBUDSMAN_NEEDS_DECISION = "Record the Ombudsman's decision before compliance with its remedy."
# R1.17
ADVOCACY_PROVIDED_NOT_OFFERED = "Advocacy cannot have been provided without being offered."
ADVOCATE_WITHOUT_ADVOCACY = "An advocate's name or organisation can be recorded only when advocacy was provided."
CHILD_PERSON_OR_COMPLAINANT = (
    "Give each child either their details or that they are the complainant themselves, not both and not neither."
)

# -- restricted cases and who may see them (docs/adr/0005-roles-and-access.md) ---------------------------------

ACCESS_NEEDS_MANAGER = "Only a complaints manager of {council} can decide who may see its restricted cases."
RESTRICT_NEEDS_REASON = (
    "Enter why the case is restricted, for example that it is about a member of the complaints team or a senior "
    "officer."
)
ALREADY_RESTRICTED = "{reference} is already restricted. Name the people who need to see it instead."
NOT_RESTRICTED = "{reference} is not restricted: everyone whose role allows can already see it."
UNRESTRICT_NEEDS_REASON = "Enter why the restriction is no longer needed."
GRANT_NOT_A_MEMBER = "{user} is not a member of {council}, so they cannot be named on its case."
GRANT_ROLE_SEES_NO_CASES = "{user} is a {role} in {council}, a role that sees no cases, so they cannot be named on one."
GRANT_ALREADY = "{user} is already named on {reference}."
GRANT_NEEDS_REASON = "Enter why {user} needs to see this case."
GRANT_ALREADY_REVOKED = "{user} no longer has access to {reference}."
BREAK_GLASS_NEEDS_REASON = (
    "Enter why you need to see this case now. Your reason is recorded, and other complaints managers can see it."
)
BREAK_GLASS_NOT_NEEDED = "You can already see {reference}: emergency access is only for a restricted case."
OWNER_CHANGE_NEEDS_REASON = "Enter why the owner is changing"
OWNER_UNCHANGED = "{reference} already has that owner: choose someone else"


# -- optimistic concurrency (cases.concurrency) ---------------------------------------------------------------

STALE_VERSION = (
    "Someone else changed this case since you opened the page. Check what they changed, then save your changes "
    "again: what you entered is kept below."
)


class StaleVersion(ProcedureError):
    """The record changed after the form (or the API client) read it: saving would overwrite someone else's work.
    ``current`` is the version now stored."""

    code = "stale"

    def __init__(self, *, expected: int, current: int) -> None:
        super().__init__(STALE_VERSION)
        self.expected = expected
        self.current = current


# -- notes and edits after registration ----------------------------------------------------------------------

NOTE_NEEDS_SUMMARY = "Enter what was said or done"
NOTE_NOT_YOURS = "Only the person who wrote a note can change it."
NOTE_IN_FUTURE = "The date of the contact cannot be in the future."
DETAILS_UNCHANGED = "Nothing was changed. Change a detail, or go back to the case."
# -- independence and consistency (R1.3, R1.30, R3.6, R4.1-R4.4) -------------------------------------------------

IP_IS_OFFICER = (
    "{user} is a member of the council's staff, so cannot be the independent person: choose someone recorded as an "
    "independent person."
)
ADJUDICATOR_IS_IO = "{user} investigated the complaint, so cannot also adjudicate on it: choose someone else."
PANEL_NOT_INDEPENDENT = (
    "{user} is a member of the council's staff, so cannot sit on the review panel: choose independent people."
)
PANEL_CONNECTED = "{user} {part} on this complaint, so cannot sit on its review panel."
# Contacts: the council's people without accounts (docs/adr/0032-contacts-without-accounts.md).
CONTACT_INACTIVE = (
    "{contact} has been deactivated in the council's contacts, so cannot be appointed: choose someone else."
)
CONTACT_NOT_INDEPENDENT = (
    "{contact} is not confirmed as independent of the council, so cannot be an independent person or sit on a review "
    "panel: confirm it on the contacts page, or choose someone else."
)
CONTACT_NOT_FOR = (
    "{contact} is not recorded in the council's contacts as someone who may act as {capacity}: change their details "
    "on the contacts page, or choose someone else."
)
OMBUDSMAN_UPHELD_NO_FAULT = (
    "The Ombudsman's decision cannot be upheld with no fault found: upheld decisions find fault. Check the decision "
    "and the answer about fault."
)


# -- allocation (the alloc strand) -----------------------------------------------------------------------------

OWNER_MAY_NOT_OWN = (
    "{user} cannot own cases at {council}: only complaints managers, complaints officers and investigating managers "
    "can. Choose someone else."
)
ALLOCATE_NOTHING_CHOSEN = "Select the cases to give to the officer"
ALLOCATE_TOO_MANY = "Select {limit} cases or fewer at a time"
ALLOCATE_NEEDS_REASON = "Enter why the cases are being given to the officer"
ALLOCATE_CLOSED = "{reference} is closed, so it cannot be given to an officer: leave it out"
ALLOCATE_STALE = (
    "Someone else changed {reference} since you opened the page, so nothing was changed. Check the cases, then "
    "allocate them again."
)
# -- points of complaint at every stage, and the response to recommendations (issue 15, item 4) -----------------

POINTS_NO_OPEN_STAGE = "No stage of {reference} is open, so its points of complaint can no longer change."
# R1.24: at the children's stages 2 and 3 the points are the agreed statement of complaint's.
POINTS_BY_STATEMENT = (
    "At stage {number} the points of complaint are those of the statement of complaint: change the statement instead."
)
POINT_NEEDS_DESCRIPTION = "Enter the point of complaint"
POINT_ANSWERED = "Point {number} was answered at stage {stage}, so it cannot be {doing}."
# R1.33: the council's reasons for not following a recommendation.
RECOMMENDATION_STAGE_OPEN = (
    "Stage {number} has not been answered yet: respond to its recommendations with the stage's response."
)
FOLLOW_UP_NOT_FOLLOWED = (
    "A recommendation the council will not follow has no follow-up: leave the action and date empty."
)
FOLLOW_UP_DATE_NEEDS_ACTION = "Enter what the council will do by the date given"
FOLLOW_UP_NONE = "Recommendation {number} has no follow-up to mark as done: record what the council will do first."
LINK_NOT_FOUND = "There is no case {reference} in this council. Check the reference of the earlier case."
LINK_ITSELF = "A case cannot follow itself: enter the reference of the earlier case."
LINK_CYCLE = "{reference} already follows this case, so this case cannot follow it."
REPRESENTATION_OUTCOME_INVALID = "That is not an outcome of a {kind}. Choose one of: {choices}."
