from django.urls import path

from opencomplaints.casework import views

app_name = "casework"

_stage = "<int:case_id>/stages/<int:stage_id>"
_learning = "<int:case_id>/learning-actions/<int:action_id>"
_message = "<int:case_id>/messages/<int:message_id>"

urlpatterns = [
    path("register/", views.register, name="register"),
    path("register/complaint/", views.complaint_register, name="complaint-register"),
    path("register/ombudsman/", views.ombudsman_register, name="ombudsman-register"),
    path("register/<slug:kind>/", views.representation_register, name="representation-register"),
    path("<int:case_id>/", views.case_detail, name="case-detail"),
    path(f"{_stage}/extend/", views.stage_extend, name="stage-extend"),
    path(f"{_stage}/hold/", views.stage_hold, name="stage-hold"),
    path(f"{_stage}/resume/", views.stage_resume, name="stage-resume"),
    path(f"{_stage}/acknowledge/", views.stage_acknowledge, name="stage-acknowledge"),
    path(f"{_stage}/respond/", views.stage_respond, name="stage-respond"),
    path(f"{_stage}/appoint/", views.stage2_appoint, name="stage2-appoint"),
    path(f"{_stage}/statement/", views.stage2_statement, name="stage2-statement"),
    path(f"{_stage}/investigation-report/", views.stage2_report, name="stage2-report"),
    path(f"{_stage}/adjudicate/", views.stage2_adjudicate, name="stage2-adjudicate"),
    path(f"{_stage}/panel/", views.stage3_panel_appoint, name="stage3-panel-appoint"),
    path(f"{_stage}/panel-meeting/", views.stage3_panel_record, name="stage3-panel-record"),
    path(f"{_stage}/panel-report/", views.stage3_report, name="stage3-report"),
    path(f"{_stage}/panel-response/", views.stage3_respond, name="stage3-respond"),
    path("<int:case_id>/accept/", views.complaint_accept, name="complaint-accept"),
    path("<int:case_id>/decline/", views.complaint_decline, name="complaint-decline"),
    path("<int:case_id>/escalate/", views.complaint_escalate, name="complaint-escalate"),
    path("<int:case_id>/withdraw/", views.complaint_withdraw, name="complaint-withdraw"),
    path("<int:case_id>/close/", views.complaint_close, name="complaint-close"),
    path("<int:case_id>/mediation-and-advocacy/", views.case_support, name="case-support"),
    path("<int:case_id>/reopen/", views.complaint_reopen, name="complaint-reopen"),
    path(
        "<int:case_id>/complainants/<int:complainant_id>/sufficient-interest/",
        views.complainant_interest_decide,
        name="complainant-interest-decide",
    ),
    path("<int:case_id>/remedies/new/", views.remedy_record, name="remedy-record"),
    path("<int:case_id>/learning-actions/new/", views.learning_action_create, name="learning-action-create"),
    path(f"{_learning}/change/", views.learning_action_update, name="learning-action-update"),
    path(f"{_learning}/implemented/", views.learning_action_complete, name="learning-action-complete"),
    path(
        f"{_learning}/not-implemented/", views.learning_action_not_implemented, name="learning-action-not-implemented"
    ),
    path("<int:case_id>/response/", views.representation_respond, name="representation-respond"),
    path("<int:case_id>/ombudsman/decision/", views.ombudsman_decision, name="ombudsman-decision"),
    path("<int:case_id>/ombudsman/compliance/", views.ombudsman_compliance, name="ombudsman-compliance"),
    path("<int:case_id>/ombudsman/enquiry-reply/", views.ombudsman_enquiry_respond, name="ombudsman-enquiry-respond"),
    path("<int:case_id>/who-has-seen/", views.case_access_log, name="case-access-log"),
    path("<int:case_id>/restrict/", views.case_restrict, name="case-restrict"),
    path("<int:case_id>/lift-restriction/", views.case_unrestrict, name="case-unrestrict"),
    path("<int:case_id>/access/new/", views.case_access_grant, name="case-access-grant"),
    path("<int:case_id>/access/<int:grant_id>/remove/", views.case_access_revoke, name="case-access-revoke"),
    path("<int:case_id>/emergency-access/", views.case_break_glass, name="case-break-glass"),
    path("<int:case_id>/documents/new/", views.document_upload, name="document-upload"),
    path("<int:case_id>/documents/<int:document_id>/", views.document_download, name="document-download"),
    path(f"{_message}/", views.message_detail, name="message-detail"),
    path(f"{_message}/try-again/", views.message_retry, name="message-retry"),
    path(f"{_message}/sent-by-hand/", views.message_mark_sent, name="message-mark-sent"),
]
