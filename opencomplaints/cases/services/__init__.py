"""Every write to case data (docs/design/case-services.md): keyword-only arguments, an explicit acting user, one
transaction and one audit event per call, and the deadlines recomputed through ``opencomplaints.cases.deadlines``."""

from opencomplaints.cases.services.allocation import ALLOCATE_LIMIT, AllocationResult, case_allocate_bulk
from opencomplaints.cases.services.cases import case_owner_change, case_receipt_correct, case_support_record
from opencomplaints.cases.services.closing import complaints_close_after_window
from opencomplaints.cases.services.complaints import (
    complainant_sufficient_interest_decide,
    complaint_accept,
    complaint_close,
    complaint_decline,
    complaint_register,
    complaint_reopen,
    complaint_withdraw,
)
from opencomplaints.cases.services.details import (
    case_details_change,
    case_link_change,
    child_details_change,
    complainant_details_change,
)
from opencomplaints.cases.services.inputs import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    EnquirerInput,
    LateAcceptance,
    PersonInput,
    PointInput,
    RecommendationInput,
    RecommendationResponse,
)
from opencomplaints.cases.services.learning import (
    UNSET,
    learning_action_complete,
    learning_action_create,
    learning_action_not_implemented,
    learning_action_update,
)
from opencomplaints.cases.services.notes import case_note_add, case_note_change
from opencomplaints.cases.services.ombudsman import (
    ombudsman_case_register,
    ombudsman_compliance_record,
    ombudsman_decision_record,
    ombudsman_enquiry_respond,
)
from opencomplaints.cases.services.points import (
    complaint_point_add,
    complaint_point_change,
    complaint_point_remove,
    recommendation_follow_up_done,
    recommendation_respond,
)
from opencomplaints.cases.services.remedies import (
    remedy_approve,
    remedy_change,
    remedy_mark_not_delivered,
    remedy_pay,
    remedy_propose,
    remedy_record,
)
from opencomplaints.cases.services.representations import representation_register, representation_respond
from opencomplaints.cases.services.restrictions import (
    case_access_grant,
    case_access_revoke,
    case_break_glass,
    case_restrict,
    case_unrestrict,
)
from opencomplaints.cases.services.stage2 import (
    stage2_adjudicate,
    stage2_appoint,
    stage2_report_receive,
    stage2_statement_agree,
)
from opencomplaints.cases.services.stage3 import (
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_panel_schedule,
    stage3_report_record,
    stage3_respond,
)
from opencomplaints.cases.services.stages import (
    complaint_escalate,
    stage_acknowledge,
    stage_extend,
    stage_hold,
    stage_respond,
    stage_resume,
)

__all__ = [
    "ALLOCATE_LIMIT",
    "UNSET",
    "AllocationResult",
    "ChildInput",
    "ComplainantInput",
    "ComplimentInput",
    "EnquirerInput",
    "LateAcceptance",
    "PersonInput",
    "PointInput",
    "RecommendationInput",
    "RecommendationResponse",
    "case_access_grant",
    "case_access_revoke",
    "case_allocate_bulk",
    "case_break_glass",
    "case_details_change",
    "case_link_change",
    "case_note_add",
    "case_note_change",
    "case_owner_change",
    "case_receipt_correct",
    "case_restrict",
    "case_support_record",
    "case_unrestrict",
    "child_details_change",
    "complainant_details_change",
    "complainant_sufficient_interest_decide",
    "complaint_accept",
    "complaint_close",
    "complaint_decline",
    "complaint_escalate",
    "complaint_point_add",
    "complaint_point_change",
    "complaint_point_remove",
    "complaint_register",
    "complaint_reopen",
    "complaint_withdraw",
    "complaints_close_after_window",
    "learning_action_complete",
    "learning_action_create",
    "learning_action_not_implemented",
    "learning_action_update",
    "ombudsman_case_register",
    "ombudsman_compliance_record",
    "ombudsman_decision_record",
    "ombudsman_enquiry_respond",
    "recommendation_follow_up_done",
    "recommendation_respond",
    "remedy_approve",
    "remedy_change",
    "remedy_mark_not_delivered",
    "remedy_pay",
    "remedy_propose",
    "remedy_record",
    "representation_register",
    "representation_respond",
    "stage2_adjudicate",
    "stage2_appoint",
    "stage2_report_receive",
    "stage2_statement_agree",
    "stage3_panel_appoint",
    "stage3_panel_record",
    "stage3_panel_schedule",
    "stage3_report_record",
    "stage3_respond",
    "stage_acknowledge",
    "stage_extend",
    "stage_hold",
    "stage_respond",
    "stage_resume",
]
