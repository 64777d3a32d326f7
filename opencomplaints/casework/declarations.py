"""Every casework action as data: its URL name (also the permission ``cases.access.case_permissions`` checks), the
record it is on, its form, the service it calls and what it says when done. One generic view
(``casework.views.case_action``) and one URL pattern an action serve them all; an action is added by declaring it
here. Its form is declared in its row (``form(title, submit label, fields...)``, from the field factories of
``casework.fields``) when it only lists fields, or is a class of ``casework.forms`` when it does more
(docs/adr/0027-forms-declared-with-their-actions.md).

The action's service is called with the acting user and the form's ``service_arguments()``: the record as the
service names it (``stage=``, ``case=``...) and the cleaned fields by name. The message is a format string over
``case``, ``target`` (the record), ``result`` (what the service returned), ``data`` (the cleaned fields, dates
written out) and ``outcome`` (a stage's outcome, in lower case), or a function of those."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases import services
from opencomplaints.cases.access import CasePermissions
from opencomplaints.cases.models import Case, Recommendation, Stage
from opencomplaints.cases.notes import notes_for_case
from opencomplaints.cases.selectors import case_access_grants
from opencomplaints.casework import forms as f
from opencomplaints.casework import services as casework_services
from opencomplaints.casework.access import (
    MESSAGE_NOT_FOUND,
    access_case_stage,
    access_complainant_for_case,
    access_learning_action_for_case,
    access_message_for_case,
    record_of_case,
)
from opencomplaints.casework.fields import (
    date_field,
    email,
    event_date,
    lines,
    money,
    notes,
    radios,
    text_area,
    text_input,
    yes_no,
)
from opencomplaints.casework.forms import declare as form
from opencomplaints.casework.forms import details, person_details
from opencomplaints.casework.templatetags.casework import govuk_date
from opencomplaints.common.errors import NotFoundError
from opencomplaints.notifications import services as notification_services

__all__ = ["ACTIONS", "Action", "Done", "Target"]

type Loader = Callable[[Case, CasePermissions, User, dict[str, int]], Any]


@dataclass(frozen=True)
class Target:
    """What an action's URL addresses below the case, and how the record is read (a record the user may not see is
    not found)."""

    keyword: str  # the service's name for the record
    route: str  # the URL below the case, ending in "/"
    load: Loader


def _message(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    # A message is part of the whole case: seen by those who see the case's messages section.
    if not permissions.sees_whole_case:
        raise NotFoundError(MESSAGE_NOT_FOUND)
    return access_message_for_case(case=case, message_id=ids["message_id"])


def _grant(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    grant = next((g for g in case_access_grants(case=case, now=timezone.now()) if g.pk == ids["grant_id"]), None)
    if grant is None:
        raise NotFoundError("Access not found")
    return grant


CASE = Target("case", "", lambda case, permissions, user, ids: case)
STAGE = Target(
    "stage",
    "stages/<int:stage_id>/",
    lambda case, permissions, user, ids: access_case_stage(user=user, case_id=case.pk, stage_id=ids["stage_id"]),
)
LEARNING = Target(
    "action",
    "learning-actions/<int:action_id>/",
    lambda case, permissions, user, ids: access_learning_action_for_case(case=case, action_id=ids["action_id"]),
)
COMPLAINANT = Target(
    "complainant",
    "complainants/<int:complainant_id>/",
    lambda case, permissions, user, ids: access_complainant_for_case(case=case, complainant_id=ids["complainant_id"]),
)
GRANT = Target("grant", "access/<int:grant_id>/", _grant)


def _note(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    notes = notes_for_case(case=case, user=user, permissions=permissions)
    return record_of_case(notes, ids["note_id"], "Note not found", case=case)


def _recommendation(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    rec = Recommendation.objects.select_related("stage").filter(stage__case=case, pk=ids["recommendation_id"]).first()
    if rec is None or not permissions.sees_stage(rec.stage_id):
        raise NotFoundError("Recommendation not found")
    rec.stage.case = case
    return rec


NOTE = Target("note", "notes/<int:note_id>/", _note)


def _of_case(keyword: str, records: Callable[[Case], QuerySet[Any]], missing: str) -> Loader:
    """Read the record among ``records`` of the case whose id the URL gives as ``<keyword>_id``."""
    return lambda case, permissions, user, ids: record_of_case(records(case), ids[f"{keyword}_id"], missing, case=case)


POINT = Target(
    "point", "points/<int:point_id>/",
    _of_case("point", lambda case: case.points.select_related("issue"), "Point of complaint not found"),
)  # fmt: skip
RECOMMENDATION = Target("recommendation", "recommendations/<int:recommendation_id>/", _recommendation)


def _remedy(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    # Remedies are part of the whole case: seen by those who see its remedies section.
    remedy = case.remedies.select_related("remedy_type").filter(pk=ids["remedy_id"]).first()
    if remedy is None or not permissions.sees_whole_case:
        raise NotFoundError("Remedy not found")
    remedy.case = case
    return remedy


REMEDY = Target("remedy", "remedies/<int:remedy_id>/", _remedy)
CHILD = Target(
    "child", "children/<int:child_id>/",
    _of_case("child", lambda case: case.children.select_related("person"), "Child not found"),
)  # fmt: skip
MESSAGE = Target("message", "messages/<int:message_id>/", _message)


@dataclass(frozen=True)
class Done:
    """What a success message is written from."""

    case: Case
    target: Any
    result: Any
    data: dict[str, Any]

    def names(self) -> dict[str, Any]:
        shown = {k: govuk_date(v) if isinstance(v, date) else v for k, v in self.data.items()}
        outcome = self.target.get_outcome_display().lower() if isinstance(self.target, Stage) else ""
        return {"case": self.case, "target": self.target, "result": self.result, "data": shown, "outcome": outcome}


@dataclass(frozen=True)
class Action:
    name: str  # the URL name, and the permission it needs
    target: Target
    path: str  # below the target's URL, ending in "/"
    service: Callable[..., Any]
    message: str | Callable[[Done], str]
    form: type[
        f.ActionForm
    ]  # a class of ``casework.forms``, or declared here with ``form(...)`` when it only lists fields
    #: The service commits on its own (a stored file is not undone by a rollback: ``casework.services``), so the
    #: version check runs just before it rather than in one transaction with it.
    own_transaction: bool = False

    def __post_init__(self) -> None:
        if self.form.__name__ == f.DECLARED:  # named after its action: "stage-resume" has StageResumeForm
            self.form.__name__ = self.form.__qualname__ = "".join(p.capitalize() for p in self.name.split("-")) + "Form"

    def success(self, done: Done) -> str:
        return self.message(done) if callable(self.message) else self.message.format(**done.names())


def _points_agreed(done: Done) -> str:
    count = len(done.data["points"])
    return f"Statement of complaint agreed with {count} point{'s' if count != 1 else ''}"


def _escalated(done: Done) -> str:
    stage = done.result
    if stage.outcome == c.Outcome.NOT_ACCEPTED:
        return f"The late request for stage {stage.number} was recorded as not accepted"
    return f"Stage {stage.number} opened"


def _panel_arranged(done: Done) -> str:
    meeting, where = notification_services.panel_meeting_words(done.result)
    return f"Panel meeting arranged for {meeting}, {where}: the panel and the case owner have been told"


def _sent_again(done: Done) -> str:
    return f"{done.target.get_template_key_display()} queued to be sent again"


def _sent_by_hand(done: Done) -> str:
    return f"{done.target.get_template_key_display()} recorded as sent on {govuk_date(done.data['sent_date'])}"


def _note_added(done: Done) -> str:
    return f"{done.result.get_kind_display()} added to {done.case.reference}"


def _remedy_paid(done: Done) -> str:
    return f"{done.target.remedy_type} recorded as {done.result.status_label.lower()}"


A = Action
ACTIONS: tuple[Action, ...] = (
    # A stage: the extension and hold letters are queued in the same transaction (R1.20, R1.26).
    A("stage-extend", STAGE, "extend/", notification_services.stage_extend_and_notify,
      "Stage {target.number} extended to {data[extended_due_date]}",
      form("Extend the timescale", "Extend the timescale",
           extended_due_date=date_field("the new due date", "New due date"),
           reason=text_area("Why is more time needed?", error="Enter why more time is needed"),
           notified_date=event_date("the date the complainant was told", "When was the complainant told?",
                                    hint="They must be told of the new date."))),
    A("stage-hold", STAGE, "hold/", notification_services.stage_hold_and_notify,
      "Stage {target.number} on hold from {data[start_date]}",
      form("Put the stage on hold", "Put on hold", start_date=event_date("the date the hold starts",
           "Date the hold starts"), reason=radios("Why is it on hold?", c.HoldReason.choices,
           "Select why the stage is on hold"), note=notes())),
    A("stage-resume", STAGE, "resume/", services.stage_resume, "Stage {target.number} resumed",
      form("Resume the stage", "Resume", end_date=event_date("the date work resumed", "Date work resumed"))),
    A("stage-acknowledge", STAGE, "acknowledge/", services.stage_acknowledge,
      "Acknowledgement of stage {target.number} recorded", form("Record the acknowledgement",
      "Record the acknowledgement", acknowledged_date=event_date("the date it was acknowledged", "Date acknowledged"))),
    A("stage-respond", STAGE, "respond/", services.stage_respond, "Stage {target.number} response recorded: {outcome}",
      f.StageRespondForm),
    A("stage2-appoint", STAGE, "appoint/", services.stage2_appoint, "Stage 2 appointments recorded",
      f.Stage2AppointForm),
    A("stage2-statement", STAGE, "statement/", services.stage2_statement_agree, _points_agreed, f.Stage2StatementForm),
    A("stage2-report", STAGE, "investigation-report/", services.stage2_report_receive, "Investigation report recorded",
      form("Record the investigation report", "Record the report",
           report_date=event_date("the date the report was received", "Date the report was received"))),
    A("stage2-adjudicate", STAGE, "adjudicate/", services.stage2_adjudicate, "Stage 2 adjudication recorded: {outcome}",
      f.Stage2AdjudicateForm),
    A("stage3-panel-appoint", STAGE, "panel/", services.stage3_panel_appoint, "Review panel appointed",
      f.Stage3PanelAppointForm),
    A("stage3-panel-schedule", STAGE, "panel-meeting-arranged/", notification_services.stage3_panel_schedule_and_notify,
      _panel_arranged, f.Stage3PanelScheduleForm),
    A("stage3-panel-record", STAGE, "panel-meeting/", services.stage3_panel_record, "Panel meeting recorded",
      form("Record the panel meeting", "Record the meeting",
           panel_date=event_date("the date the panel met", "Date the panel met"))),
    A("stage3-report", STAGE, "panel-report/", services.stage3_report_record, "Panel's report recorded",
      form("Record the panel's report", "Record the report",
           report_date=event_date("the date of the panel's report", "Date of the panel's report"),
           recommendations=lines("The panel's recommendations (optional)", required=False,
                                 hint="Write each recommendation on its own line."))),
    A("stage3-respond", STAGE, "panel-response/", services.stage3_respond,
      "Response to the review panel recorded: {outcome}", f.Stage3RespondForm),
    # A complaint
    A("complaint-accept", CASE, "accept/", services.complaint_accept, "Complaint {case.reference} accepted",
      form("Accept the complaint", "Accept the complaint",
           lede="Accept it if the complainant is eligible and it is a matter the procedure covers. "  # R1.7 to R1.14
           "Its stage can then be answered. Every sufficient-interest decision must be made first.")),  # R1.9
    A("complaint-decline", CASE, "decline/", services.complaint_decline,
      "Complaint {case.reference} recorded as not accepted",
      form("Do not accept the complaint", "Record the decision", warning=True,
           reason=radios("Why is it not accepted?", c.DeclineReason.choices,
                         "Select why the complaint is not accepted"),
           decided_date=event_date("the date of the decision", "Date of the decision"),
           redirected_to=radios("Where does it go instead? (optional)", c.Route.choices,
                                "Select where the complaint goes instead", required=False),
           note=notes())),
    A("complaint-escalate", CASE, "escalate/", services.complaint_escalate, _escalated, f.ComplaintEscalateForm),
    A("complaint-withdraw", CASE, "withdraw/", services.complaint_withdraw,
      "Complaint {case.reference} recorded as withdrawn",
      form("Record a withdrawal", "Record the withdrawal", warning=True,
           lede="The open stage ends as withdrawn and the complaint closes. It can be reopened later.",  # R1.36
           withdrawn_date=event_date("the date it was withdrawn", "Date withdrawn"), note=notes())),
    A("complaint-close", CASE, "close/", services.complaint_close, "Complaint {case.reference} closed",
      form("Close the complaint", "Close the complaint",
           lede="Close it when the complainant has not asked for the next stage and nothing more is to be done.",
           closed_date=event_date("the date it was closed", "Date closed"))),
    A("case-support", CASE, "mediation-and-advocacy/", services.case_support_record, "Mediation and advocacy recorded",
      f.CaseSupportForm),
    A("complaint-reopen", CASE, "reopen/", services.complaint_reopen, "Complaint {case.reference} reopened",
      form("Reopen the complaint", "Reopen the complaint",
           reason=text_area("Why is it being reopened?", error="Enter why the complaint is being reopened"),
           reopened_date=event_date("the date it was reopened", "Date reopened"),
           reopen_stage=yes_no("Reopen the last stage too?", "Select whether to reopen the last stage", choices=[
               ("yes", "Yes, its response and outcome are cleared"),
               ("no", "No, keep the stages as answered, for example to accept a late request for the next stage"),
           ]),
           prepare=lambda form: form.initial.setdefault("reopen_stage", "yes"))),
    A("complainant-interest-decide", COMPLAINANT, "sufficient-interest/",
      services.complainant_sufficient_interest_decide, "Sufficient-interest decision for {target.person} recorded",
      f.ComplainantInterestForm),
    A("case-owner-change", CASE, "owner/", services.case_owner_change, "Owner of {case.reference} changed",
      f.CaseOwnerForm),
    # Notes and contacts; the details corrected after registration ("Check your answers" on the case page).
    A("case-note-add", CASE, "notes/new/", services.case_note_add, _note_added, f.CaseNoteForm),
    A("case-note-change", NOTE, "change/", services.case_note_change, "Note changed", f.CaseNoteChangeForm),
    A("case-summary-change", CASE, "details/summary/", services.case_details_change, "Summary changed",
      details("Change the summary", summary=text_area("Summary of the complaint", required=False,
                                                      hint="Personal data: never published."))),
    A("case-topic-change", CASE, "details/topic/", services.case_details_change, "Topic changed",
      details("Change the topic", topic=text_input("Topic", max_length=200))),
    A("case-received-via-change", CASE, "details/received-via/", services.case_details_change,
      "How it was received changed", details("Change how it was received", received_via=radios(
          "How was it received?", c.ReceivedVia.choices, "Select how it was received"))),
    A("case-received-date-change", CASE, "details/date-received/", services.case_receipt_correct,
      "Date received changed to {data[received_date]}: the due dates were worked out again", f.CaseReceiptForm),
    A("complainant-name-change", COMPLAINANT, "name/", services.complainant_details_change,
      "Complainant's name changed",
      person_details("Change the complainant's name", first_name=text_input("First name", max_length=100),
                     last_name=text_input("Last name", max_length=100, required=True,
                                          error="Enter the complainant's last name"))),
    A("complainant-contact-change", COMPLAINANT, "contact/", services.complainant_details_change,
      "Complainant's contact details changed",
      person_details("Change the complainant's contact details", email=email("Email address (optional)"),
                     phone=text_input("Phone number (optional)", max_length=40),
                     address=text_area("Address (optional)", required=False),
                     postcode=text_input("Postcode (optional)", max_length=10))),
    A("complainant-type-change", COMPLAINANT, "type/", services.complainant_details_change,
      "Who the complainant is changed", details("Change who the complainant is", complainant_type=radios(
          "Who is the complainant?", c.ComplainantType.choices, "Select who the complainant is"))),
    A("child-details-change", CHILD, "details/", services.child_details_change, "Child's details changed",
      person_details("Change the child's details", first_name=text_input("First name", max_length=100),
                     last_name=text_input("Last name", max_length=100),
                     date_of_birth=event_date("the child's date of birth", "Date of birth (optional)",
                                              required=False))),
    A("child-support-change", CHILD, "support/", services.child_details_change, "Support the child has changed",
      details("Change the support the child has", support_category=radios(
          "What support does the child have?", c.SupportCategory.choices, "Select the support the child has"))),
    # Remedies and learning
    # The remedy lifecycle (docs/adr/0020-remedy-lifecycle.md)
    A("remedy-propose", CASE, "remedies/new/", services.remedy_propose, "{result.remedy_type} proposed",
      f.RemedyProposeForm),
    A("remedy-change", REMEDY, "change/", services.remedy_change, "Proposed remedy changed", f.RemedyChangeForm),
    A("remedy-approve", REMEDY, "approve/", services.remedy_approve,
      "{target.remedy_type} approved: due by {data[due_date]}", f.RemedyApproveForm),
    A("remedy-pay", REMEDY, "paid/", services.remedy_pay, _remedy_paid,
      form("Record the remedy as paid or delivered", "Record as paid or delivered",
           paid_date=event_date("the date it was paid or delivered", "Date paid or delivered"),
           payment_reference=text_input(
               "Payment reference (only for a payment)", max_length=60,
               hint="The reference of the payment in the council's finance system, for example BACS 004471."))),
    A("remedy-not-delivered", REMEDY, "not-delivered/", services.remedy_mark_not_delivered,
      "{target.remedy_type} recorded as not delivered",
      form("Record the remedy as not delivered", "Record as not delivered",
           not_delivered_date=event_date("the date it was decided", "Date decided"),
           reason=text_area("Why will it not be delivered?", error="Enter why the remedy will not be delivered",
                            hint="The complainant is told why."))),
    A("learning-action-create", CASE, "learning-actions/new/", services.learning_action_create,
      "Learning action added", f.LearningActionForm),
    A("learning-action-update", LEARNING, "change/", services.learning_action_update, "Learning action updated",
      f.LearningActionUpdateForm),
    A("learning-action-complete", LEARNING, "implemented/", services.learning_action_complete,
      "Learning action recorded as implemented",
      form("Record a learning action as implemented", "Record as implemented",
           implemented_date=event_date("the date it was implemented", "Date implemented"),
           evidence=text_area("How do we know it was implemented?",
                              error="Enter the evidence that it was implemented"))),
    A("learning-action-not-implemented", LEARNING, "not-implemented/", services.learning_action_not_implemented,
      "Learning action recorded as not implemented",
      form("Record a learning action as not implemented", "Record as not implemented",
           reason=text_area("Why was it not implemented?", error="Enter why it was not implemented"))),
    # Other representations and the Ombudsman
    A("representation-respond", CASE, "response/", services.representation_respond,
      "Response to {case.reference} recorded", f.RepresentationRespondForm),
    A("ombudsman-decision", CASE, "ombudsman/decision/", services.ombudsman_decision_record,
      "Ombudsman's decision recorded",
      form("Record the Ombudsman's decision", "Record the decision",
           decision=radios(
               "What did the Ombudsman decide?",
               [(v, str(label)) for v, label in c.LgscoDecision.choices if v != c.LgscoDecision.IN_PROGRESS],
               "Select the Ombudsman's decision"),
           decision_date=event_date("the date of the decision", "Date of the decision"),
           decision_label=text_input("The Ombudsman's own wording (optional)", max_length=300),
           fault_found=yes_no("Did it find fault?", "Select whether fault was found", choices=f.TRI_STATE,
                              required=False),
           injustice_found=yes_no("Did it find injustice?", "Select whether injustice was found",
                                  choices=f.TRI_STATE, required=False),
           recommended_payment=money("Payment recommended, in pounds (optional)", "Payment"),
           compliance_due_date=date_field("the date the remedy is due",
                                          "When must the council comply with the remedy? (optional)", required=False,
                                          hint="Leave blank if there is no remedy: the case then closes."))),
    A("ombudsman-compliance", CASE, "ombudsman/compliance/", services.ombudsman_compliance_record,
      "Compliance with the Ombudsman's remedy recorded",
      form("Record compliance with the Ombudsman's remedy", "Record compliance",
           complied_date=event_date("the date the council complied", "Date the council complied"))),
    A("ombudsman-enquiry-respond", CASE, "ombudsman/enquiry-reply/", services.ombudsman_enquiry_respond,
      "Reply to the Ombudsman's enquiries recorded",
      form("Record the reply to the Ombudsman's enquiries", "Record the reply",
           responded_date=event_date("the date of the reply", "Date of the reply"))),
    # Documents and messages (docs/adr/0004-background-jobs.md)
    A("document-upload", CASE, "documents/new/", casework_services.document_upload, "{result.original_name} uploaded",
      f.DocumentUploadForm, own_transaction=True),
    A("message-retry", MESSAGE, "try-again/", notification_services.message_retry, _sent_again,
      form("Try sending the message again", "Try sending again",
           lede="It goes back in the queue and is sent in the next few minutes, to the same recipient with the same "
           "words. Check first that the reason it was not sent has been put right, or it may fail again.")),
    A("message-mark-sent", MESSAGE, "sent-by-hand/", notification_services.message_mark_sent, _sent_by_hand,
      f.MessageMarkSentForm),
    # Who may see a restricted case (docs/adr/0005-roles-and-access.md)
    A("case-restrict", CASE, "restrict/", services.case_restrict,
      "{case.reference} is restricted: only the people named on it can see it", f.CaseRestrictForm),
    A("case-unrestrict", CASE, "lift-restriction/", services.case_unrestrict,
      "The restriction on {case.reference} was lifted",
      form("Lift the restriction", "Lift the restriction",
           lede="Everyone whose role allows will see the case again. Who was named on it stays on its record.",
           reason=text_area("Why is the restriction no longer needed?",
                            error="Enter why the restriction is no longer needed"))),
    A("case-access-grant", CASE, "access/new/", services.case_access_grant, "{data[user]} can now see {case.reference}",
      f.CaseAccessGrantForm),
    A("case-access-revoke", GRANT, "remove/", services.case_access_revoke,
      "{target.user} can no longer see {case.reference}",
      form("Remove someone from this restricted case", "Remove their access", warning=True,
           prepare=lambda form: setattr(form, "lede", f"{form.target.user} will no longer see the case. That they "
                                        "could see it until now stays on its record."))),
    # Points of complaint at every stage, and the response to recommendations (point strand, issue 15 item 4)
    A("complaint-point-add", CASE, "points/new/", services.complaint_point_add, "Point {result.number} added",
      f.ComplaintPointForm),
    A("complaint-point-change", POINT, "change/", services.complaint_point_change, "Point {target.number} changed",
      f.ComplaintPointChangeForm),
    A("complaint-point-remove", POINT, "remove/", services.complaint_point_remove, "Point {target.number} removed",
      form("Remove the point of complaint", "Remove the point", warning=True,
           lede="The points after it move up one number. A point already answered cannot be removed.")),
    A("recommendation-respond", RECOMMENDATION, "response/", services.recommendation_respond,
      "Response to recommendation {target.number} recorded", f.RecommendationRespondForm),
    A("recommendation-done", RECOMMENDATION, "done/", services.recommendation_follow_up_done,
      "Follow-up of recommendation {target.number} recorded as done",
      form("Record the follow-up as done", "Record as done",
           done_date=event_date("the date it was done", "When was it done?"))),
    A("case-linked-change", CASE, "details/earlier-case/", services.case_link_change, "Earlier case changed",
      f.CaseLinkForm),
)  # fmt: skip
