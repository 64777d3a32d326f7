import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import case_support_record

pytestmark = pytest.mark.django_db


def test_mediation_and_advocacy_are_recorded_and_audited_r1_17(complaint, complaints_manager):
    case_support_record(
        case=complaint,
        acting_user=complaints_manager,
        mediation=c.Mediation.RESOLVED,
        advocacy_offered=True,
        advocacy_provided=True,
        advocate_name="A Advocate",
        advocate_organisation="Young People's Advocacy Service",
    )
    complaint.refresh_from_db()
    assert (complaint.mediation, complaint.advocacy_offered, complaint.advocacy_provided) == ("resolved", True, True)
    assert complaint.advocate_organisation == "Young People's Advocacy Service"
    # The current stage keeps them as its own (docs/adr/0010-per-stage-values.md).
    stage = complaint.stages.get(number=complaint.current_stage)
    assert (stage.mediation, stage.advocacy_provided) == ("resolved", True)
    event = AuditEvent.objects.filter(case=complaint).latest("id")
    assert event.event_type == AuditEventType.CASE_SUPPORT_RECORDED
    assert event.acting_user == complaints_manager
    assert event.before["mediation"] == "none"
    assert event.after["mediation"] == "resolved"


def test_advocacy_cannot_be_provided_without_being_offered_r1_17(complaint, complaints_manager):
    with pytest.raises(
        ProcedureError, match=errors.ADVOCACY_PROVIDED_NOT_OFFERED.replace("(", r"\(").replace(")", r"\)")
    ):
        case_support_record(
            case=complaint,
            acting_user=complaints_manager,
            mediation=c.Mediation.NONE,
            advocacy_offered=False,
            advocacy_provided=True,
        )


def test_an_advocate_needs_advocacy_provided(complaint, complaints_manager):
    with pytest.raises(ProcedureError) as error:
        case_support_record(
            case=complaint,
            acting_user=complaints_manager,
            mediation=c.Mediation.NONE,
            advocacy_offered=True,
            advocacy_provided=False,
            advocate_name="A Advocate",
        )
    assert error.value.field == "advocacy_provided"
    complaint.refresh_from_db()
    assert complaint.advocate_name == ""


def test_an_unknown_mediation_value_is_refused(complaint, complaints_manager):
    with pytest.raises(ProcedureError, match="is not a valid mediation result"):
        case_support_record(
            case=complaint,
            acting_user=complaints_manager,
            mediation="maybe",
            advocacy_offered=None,
            advocacy_provided=None,
        )
