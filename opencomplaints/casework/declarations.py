"""Every casework action as data: its URL name (also the permission ``cases.access.case_permissions`` checks), the
record it is on, its form, the service it calls and what it says when done. One generic view
(``casework.views.case_action``) and one URL pattern an action serve them all; an action is added by declaring it
here, with a form in ``casework.forms``.

The action's service is called with the acting user and the form's ``service_arguments()``: the record as the
service names it (``stage=``, ``case=``...) and the cleaned fields by name. The message is a format string over
``case``, ``target`` (the record), ``result`` (what the service returned), ``data`` (the cleaned fields, dates
written out) and ``outcome`` (a stage's outcome, in lower case), or a function of those."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

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
)
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
    note = notes_for_case(case=case, user=user, permissions=permissions).filter(pk=ids["note_id"]).first()
    if note is None:
        raise NotFoundError("Note not found")
    note.case = case
    return note


def _child(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    child = case.children.select_related("person").filter(pk=ids["child_id"]).first()
    if child is None:
        raise NotFoundError("Child not found")
    child.case = case
    return child


def _point(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    point = case.points.select_related("issue").filter(pk=ids["point_id"]).first()
    if point is None:
        raise NotFoundError("Point of complaint not found")
    point.case = case
    return point


def _recommendation(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    rec = Recommendation.objects.select_related("stage").filter(stage__case=case, pk=ids["recommendation_id"]).first()
    if rec is None or not permissions.sees_stage(rec.stage_id):
        raise NotFoundError("Recommendation not found")
    rec.stage.case = case
    return rec


NOTE = Target("note", "notes/<int:note_id>/", _note)
POINT = Target("point", "points/<int:point_id>/", _point)
RECOMMENDATION = Target("recommendation", "recommendations/<int:recommendation_id>/", _recommendation)


def _remedy(case: Case, permissions: CasePermissions, user: User, ids: dict[str, int]) -> Any:
    # Remedies are part of the whole case: seen by those who see its remedies section.
    remedy = case.remedies.select_related("remedy_type").filter(pk=ids["remedy_id"]).first()
    if remedy is None or not permissions.sees_whole_case:
        raise NotFoundError("Remedy not found")
    remedy.case = case
    return remedy


REMEDY = Target("remedy", "remedies/<int:remedy_id>/", _remedy)
CHILD = Target("child", "children/<int:child_id>/", _child)
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
    form: type[f.ActionForm]
    service: Callable[..., Any]
    message: str | Callable[[Done], str]
    #: The service commits on its own (a stored file is not undone by a rollback: ``casework.services``), so the
    #: version check runs just before it rather than in one transaction with it.
    own_transaction: bool = False

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
    A("stage-extend", STAGE, "extend/", f.StageExtendForm, notification_services.stage_extend_and_notify,
      "Stage {target.number} extended to {data[extended_due_date]}"),
    A("stage-hold", STAGE, "hold/", f.StageHoldForm, notification_services.stage_hold_and_notify,
      "Stage {target.number} on hold from {data[start_date]}"),
    A("stage-resume", STAGE, "resume/", f.StageResumeForm, services.stage_resume, "Stage {target.number} resumed"),
    A("stage-acknowledge", STAGE, "acknowledge/", f.StageAcknowledgeForm, services.stage_acknowledge,
      "Acknowledgement of stage {target.number} recorded"),
    A("stage-respond", STAGE, "respond/", f.StageRespondForm, services.stage_respond,
      "Stage {target.number} response recorded: {outcome}"),
    A("stage2-appoint", STAGE, "appoint/", f.Stage2AppointForm, services.stage2_appoint,
      "Stage 2 appointments recorded"),
    A("stage2-statement", STAGE, "statement/", f.Stage2StatementForm, services.stage2_statement_agree,
      _points_agreed),
    A("stage2-report", STAGE, "investigation-report/", f.Stage2ReportForm, services.stage2_report_receive,
      "Investigation report recorded"),
    A("stage2-adjudicate", STAGE, "adjudicate/", f.Stage2AdjudicateForm, services.stage2_adjudicate,
      "Stage 2 adjudication recorded: {outcome}"),
    A("stage3-panel-appoint", STAGE, "panel/", f.Stage3PanelAppointForm, services.stage3_panel_appoint,
      "Review panel appointed"),
    A("stage3-panel-schedule", STAGE, "panel-meeting-arranged/", f.Stage3PanelScheduleForm,
      notification_services.stage3_panel_schedule_and_notify, _panel_arranged),
    A("stage3-panel-record", STAGE, "panel-meeting/", f.Stage3PanelRecordForm, services.stage3_panel_record,
      "Panel meeting recorded"),
    A("stage3-report", STAGE, "panel-report/", f.Stage3ReportForm, services.stage3_report_record,
      "Panel's report recorded"),
    A("stage3-respond", STAGE, "panel-response/", f.Stage3RespondForm, services.stage3_respond,
      "Response to the review panel recorded: {outcome}"),
    # A complaint
    A("complaint-accept", CASE, "accept/", f.ComplaintAcceptForm, services.complaint_accept,
      "Complaint {case.reference} accepted"),
    A("complaint-decline", CASE, "decline/", f.ComplaintDeclineForm, services.complaint_decline,
      "Complaint {case.reference} recorded as not accepted"),
    A("complaint-escalate", CASE, "escalate/", f.ComplaintEscalateForm, services.complaint_escalate, _escalated),
    A("complaint-withdraw", CASE, "withdraw/", f.ComplaintWithdrawForm, services.complaint_withdraw,
      "Complaint {case.reference} recorded as withdrawn"),
    A("complaint-close", CASE, "close/", f.ComplaintCloseForm, services.complaint_close,
      "Complaint {case.reference} closed"),
    A("case-support", CASE, "mediation-and-advocacy/", f.CaseSupportForm, services.case_support_record,
      "Mediation and advocacy recorded"),
    A("complaint-reopen", CASE, "reopen/", f.ComplaintReopenForm, services.complaint_reopen,
      "Complaint {case.reference} reopened"),
    A("complainant-interest-decide", COMPLAINANT, "sufficient-interest/", f.ComplainantInterestForm,
      services.complainant_sufficient_interest_decide, "Sufficient-interest decision for {target.person} recorded"),
    A("case-owner-change", CASE, "owner/", f.CaseOwnerForm, services.case_owner_change,
      "Owner of {case.reference} changed"),
    # Notes and contacts; the details corrected after registration ("Check your answers" on the case page).
    A("case-note-add", CASE, "notes/new/", f.CaseNoteForm, services.case_note_add, _note_added),
    A("case-note-change", NOTE, "change/", f.CaseNoteChangeForm, services.case_note_change, "Note changed"),
    A("case-summary-change", CASE, "details/summary/", f.CaseSummaryForm, services.case_details_change,
      "Summary changed"),
    A("case-topic-change", CASE, "details/topic/", f.CaseTopicForm, services.case_details_change, "Topic changed"),
    A("case-received-via-change", CASE, "details/received-via/", f.CaseReceivedViaForm, services.case_details_change,
      "How it was received changed"),
    A("case-received-date-change", CASE, "details/date-received/", f.CaseReceiptForm, services.case_receipt_correct,
      "Date received changed to {data[received_date]}: the due dates were worked out again"),
    A("complainant-name-change", COMPLAINANT, "name/", f.ComplainantNameForm, services.complainant_details_change,
      "Complainant's name changed"),
    A("complainant-contact-change", COMPLAINANT, "contact/", f.ComplainantContactForm,
      services.complainant_details_change, "Complainant's contact details changed"),
    A("complainant-type-change", COMPLAINANT, "type/", f.ComplainantTypeForm, services.complainant_details_change,
      "Who the complainant is changed"),
    A("child-details-change", CHILD, "details/", f.ChildNameForm, services.child_details_change,
      "Child's details changed"),
    A("child-support-change", CHILD, "support/", f.ChildSupportForm, services.child_details_change,
      "Support the child has changed"),
    # Remedies and learning
    # The remedy lifecycle (docs/adr/0020-remedy-lifecycle.md)
    A("remedy-propose", CASE, "remedies/new/", f.RemedyProposeForm, services.remedy_propose,
      "{result.remedy_type} proposed"),
    A("remedy-change", REMEDY, "change/", f.RemedyChangeForm, services.remedy_change, "Proposed remedy changed"),
    A("remedy-approve", REMEDY, "approve/", f.RemedyApproveForm, services.remedy_approve,
      "{target.remedy_type} approved: due by {data[due_date]}"),
    A("remedy-pay", REMEDY, "paid/", f.RemedyPayForm, services.remedy_pay, _remedy_paid),
    A("remedy-not-delivered", REMEDY, "not-delivered/", f.RemedyNotDeliveredForm, services.remedy_mark_not_delivered,
      "{target.remedy_type} recorded as not delivered"),
    A("learning-action-create", CASE, "learning-actions/new/", f.LearningActionForm, services.learning_action_create,
      "Learning action added"),
    A("learning-action-update", LEARNING, "change/", f.LearningActionUpdateForm, services.learning_action_update,
      "Learning action updated"),
    A("learning-action-complete", LEARNING, "implemented/", f.LearningActionCompleteForm,
      services.learning_action_complete, "Learning action recorded as implemented"),
    A("learning-action-not-implemented", LEARNING, "not-implemented/", f.LearningActionNotImplementedForm,
      services.learning_action_not_implemented, "Learning action recorded as not implemented"),
    # Other representations and the Ombudsman
    A("representation-respond", CASE, "response/", f.RepresentationRespondForm, services.representation_respond,
      "Response to {case.reference} recorded"),
    A("ombudsman-decision", CASE, "ombudsman/decision/", f.OmbudsmanDecisionForm, services.ombudsman_decision_record,
      "Ombudsman's decision recorded"),
    A("ombudsman-compliance", CASE, "ombudsman/compliance/", f.OmbudsmanComplianceForm,
      services.ombudsman_compliance_record, "Compliance with the Ombudsman's remedy recorded"),
    A("ombudsman-enquiry-respond", CASE, "ombudsman/enquiry-reply/", f.OmbudsmanEnquiryRespondForm,
      services.ombudsman_enquiry_respond, "Reply to the Ombudsman's enquiries recorded"),
    # Documents and messages (docs/adr/0004-background-jobs.md)
    A("document-upload", CASE, "documents/new/", f.DocumentUploadForm, casework_services.document_upload,
      "{result.original_name} uploaded", own_transaction=True),
    A("message-retry", MESSAGE, "try-again/", f.MessageRetryForm, notification_services.message_retry, _sent_again),
    A("message-mark-sent", MESSAGE, "sent-by-hand/", f.MessageMarkSentForm, notification_services.message_mark_sent,
      _sent_by_hand),
    # Who may see a restricted case (docs/adr/0005-roles-and-access.md)
    A("case-restrict", CASE, "restrict/", f.CaseRestrictForm, services.case_restrict,
      "{case.reference} is restricted: only the people named on it can see it"),
    A("case-unrestrict", CASE, "lift-restriction/", f.CaseUnrestrictForm, services.case_unrestrict,
      "The restriction on {case.reference} was lifted"),
    A("case-access-grant", CASE, "access/new/", f.CaseAccessGrantForm, services.case_access_grant,
      "{data[user]} can now see {case.reference}"),
    A("case-access-revoke", GRANT, "remove/", f.CaseAccessRevokeForm, services.case_access_revoke,
      "{target.user} can no longer see {case.reference}"),
    # Points of complaint at every stage, and the response to recommendations (point strand, issue 15 item 4)
    A("complaint-point-add", CASE, "points/new/", f.ComplaintPointForm, services.complaint_point_add,
      "Point {result.number} added"),
    A("complaint-point-change", POINT, "change/", f.ComplaintPointChangeForm, services.complaint_point_change,
      "Point {target.number} changed"),
    A("complaint-point-remove", POINT, "remove/", f.ComplaintPointRemoveForm, services.complaint_point_remove,
      "Point {target.number} removed"),
    A("recommendation-respond", RECOMMENDATION, "response/", f.RecommendationRespondForm,
      services.recommendation_respond, "Response to recommendation {target.number} recorded"),
    A("recommendation-done", RECOMMENDATION, "done/", f.RecommendationDoneForm,
      services.recommendation_follow_up_done, "Follow-up of recommendation {target.number} recorded as done"),
    A("case-linked-change", CASE, "details/earlier-case/", f.CaseLinkForm, services.case_link_change,
      "Earlier case changed"),
)  # fmt: skip
