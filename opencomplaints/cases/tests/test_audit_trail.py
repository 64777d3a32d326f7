"""Every service call leaves exactly one audit event: who, what, when, and the changed fields before and after."""

from datetime import date
from decimal import Decimal

import pytest
from django.utils import timezone

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import LearningAction
from opencomplaints.cases.selectors import case_timeline, text_label
from opencomplaints.cases.services import (
    complaint_accept,
    complaint_close,
    complaint_escalate,
    complaint_reopen,
    learning_action_complete,
    learning_action_create,
    remedy_record,
    stage2_adjudicate,
    stage2_appoint,
    stage2_report_receive,
    stage2_statement_agree,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_report_record,
    stage3_respond,
    stage_extend,
    stage_hold,
    stage_respond,
    stage_resume,
)
from opencomplaints.cases.tests import factories as f


def test_every_step_of_a_complaint_writes_one_event(
    council, complaints_manager, investigating_officer, independent_person, adjudicator, panel_members, payment
):
    user = complaints_manager
    events_before = AuditEvent.objects.count()
    case = f.register(council, user)
    state: dict[str, LearningAction] = {}

    def stage(n):
        return case.stages.get(number=n)

    def points():
        return list(case.points.order_by("number"))

    steps = [
        (AuditEventType.COMPLAINT_ACCEPTED, lambda: complaint_accept(case=case, acting_user=user)),
        (
            AuditEventType.STAGE_EXTENDED,
            lambda: stage_extend(
                stage=stage(1),
                acting_user=user,
                extended_due_date=date(2022, 6, 20),
                reason="Complex",
                notified_date=date(2022, 6, 8),
            ),
        ),
        (
            AuditEventType.STAGE_HELD,
            lambda: stage_hold(
                stage=stage(1), acting_user=user, start_date=date(2022, 6, 9), reason=c.HoldReason.AWAITING_ADVOCATE
            ),
        ),
        (
            AuditEventType.STAGE_RESUMED,
            lambda: stage_resume(stage=stage(1), acting_user=user, end_date=date(2022, 6, 13)),
        ),
        (
            AuditEventType.STAGE_RESPONDED,
            lambda: stage_respond(
                stage=stage(1), acting_user=user, response_date=date(2022, 6, 17), outcome=c.Outcome.NOT_UPHELD
            ),
        ),
        (
            AuditEventType.STAGE_ESCALATED,
            lambda: complaint_escalate(case=case, acting_user=user, request_received_date=date(2022, 6, 20)),
        ),
        (
            AuditEventType.STAGE2_APPOINTED,
            lambda: stage2_appoint(
                stage=stage(2),
                acting_user=user,
                appointed_date=date(2022, 6, 21),
                investigating_officer=investigating_officer,
                independent_person=independent_person,
            ),
        ),
        (
            AuditEventType.STAGE2_STATEMENT_AGREED,
            lambda: stage2_statement_agree(
                stage=stage(2), acting_user=user, agreed_date=date(2022, 7, 1), points=["A", "B"]
            ),
        ),
        (
            AuditEventType.STAGE2_REPORT_RECEIVED,
            lambda: stage2_report_receive(stage=stage(2), acting_user=user, report_date=date(2022, 7, 25)),
        ),
        (
            AuditEventType.STAGE2_ADJUDICATED,
            lambda: stage2_adjudicate(
                stage=stage(2),
                acting_user=user,
                adjudicator=adjudicator,
                adjudication_date=date(2022, 8, 5),
                findings=dict.fromkeys(points(), c.Finding.NOT_UPHELD),
            ),
        ),
        (
            AuditEventType.STAGE_ESCALATED,
            lambda: complaint_escalate(case=case, acting_user=user, request_received_date=date(2022, 8, 15)),
        ),
        (
            AuditEventType.STAGE3_PANEL_APPOINTED,
            lambda: stage3_panel_appoint(
                stage=stage(3), acting_user=user, chair=panel_members[0], members=panel_members[1:]
            ),
        ),
        (
            AuditEventType.STAGE3_PANEL_HELD,
            lambda: stage3_panel_record(stage=stage(3), acting_user=user, panel_date=date(2022, 9, 20)),
        ),
        (
            AuditEventType.STAGE3_REPORT_RECORDED,
            lambda: stage3_report_record(
                stage=stage(3), acting_user=user, report_date=date(2022, 9, 23), recommendations=["Apologise"]
            ),
        ),
        (
            AuditEventType.STAGE3_RESPONDED,
            lambda: stage3_respond(
                stage=stage(3),
                acting_user=user,
                response_date=date(2022, 10, 10),
                findings=dict.fromkeys(points(), c.Finding.UPHELD),
                recommendation_responses={stage(3).recommendations.get(): True},
            ),
        ),
        (
            AuditEventType.REMEDY_RECORDED,
            lambda: remedy_record(case=case, acting_user=user, remedy_type=payment, amount=Decimal(150)),
        ),
        (
            AuditEventType.CASE_REOPENED,
            lambda: complaint_reopen(
                case=case, acting_user=user, reason="Re-run", reopened_date=date(2022, 10, 11), reopen_stage=False
            ),
        ),
        (
            AuditEventType.CASE_CLOSED,
            lambda: complaint_close(case=case, acting_user=user, closed_date=date(2022, 10, 12)),
        ),
        (
            AuditEventType.LEARNING_ACTION_CREATED,
            lambda: state.setdefault(
                "action",
                learning_action_create(council=council, acting_user=user, finding="f", action="a", cases=[case]),
            ),
        ),
        (
            AuditEventType.LEARNING_ACTION_IMPLEMENTED,
            lambda: learning_action_complete(
                action=state["action"], acting_user=user, implemented_date=date(2022, 11, 1), evidence="e"
            ),
        ),
    ]
    for event_type, step in steps:
        count = AuditEvent.objects.count()
        step()
        new = list(AuditEvent.objects.order_by("-id")[: AuditEvent.objects.count() - count])
        assert [e.event_type for e in new] == [event_type], event_type.label
        assert (new[0].case_id, new[0].acting_user) == (case.pk, user), event_type.label

    assert AuditEvent.objects.count() - events_before == len(steps) + 1
    assert AuditEvent.objects.filter(case=case).count() == len(steps) + 1


def test_event_records_who_what_when_and_before_after(complaint, stage1, complaints_manager):
    started = timezone.now()

    stage_extend(
        stage=stage1,
        acting_user=complaints_manager,
        extended_due_date=date(2022, 6, 27),
        reason="Three teams involved",
        notified_date=date(2022, 6, 8),
    )

    event = AuditEvent.objects.filter(case=complaint).latest("id")
    assert event.acting_user == complaints_manager
    assert event.event_type == AuditEventType.STAGE_EXTENDED
    assert started <= event.event_time <= timezone.now()
    assert (event.subject_type, event.subject_id) == ("cases.stage", str(stage1.pk))
    # The reason is free text: the row says it changed and how long it is, and its words are kept beside the row.
    assert event.before == {
        "extended": False,
        "extended_due_date": None,
        "extension_reason": {"free_text": True, "characters": 0},
        "extension_notified_date": None,
        "case.next_due_date": "2022-06-13",
    }
    assert event.after == {
        "extended": True,
        "extended_due_date": "2022-06-27",
        "extension_reason": {"free_text": True, "characters": 20},
        "extension_notified_date": "2022-06-08",
        "case.next_due_date": "2022-06-27",
    }
    assert [(t.side, t.path, t.text) for t in event.texts.all()] == [
        ("after", "extension_reason", "Three teams involved")
    ]


def test_a_refused_call_changes_nothing_and_records_nothing(complaint, stage1, complaints_manager):
    count = AuditEvent.objects.count()

    with pytest.raises(ProcedureError):
        stage_extend(
            stage=stage1,
            acting_user=complaints_manager,
            extended_due_date=date(2022, 7, 27),
            reason="Too long",
            notified_date=date(2022, 6, 8),
        )

    stage1.refresh_from_db()
    assert not stage1.extended
    assert AuditEvent.objects.count() == count


def test_registration_records_what_was_registered(council, complaints_manager, team):
    case = f.register(council, complaints_manager, teams=[team])

    event = AuditEvent.objects.get(case=case)
    assert event.event_type == AuditEventType.COMPLAINT_REGISTERED
    assert event.before == {}
    assert event.after["reference"] == case.reference
    assert event.after["teams"] == [team.pk]
    assert event.after["next_due_date"] == "2022-06-13"


def test_timeline_lists_the_events_in_order_with_who_did_them(complaint, stage1, complaints_manager):
    stage_respond(stage=stage1, acting_user=None, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD)

    timeline = case_timeline(case=complaint)

    assert [e.label for e in timeline] == [
        "Complaint registered",
        "Complaint accepted under the procedure",
        "Stage response sent",
    ]
    assert [e.acting_user for e in timeline] == ["Morgan Okafor", "Morgan Okafor", "System"]
    assert timeline[-1].after["outcome"] == c.Outcome.UPHELD


def test_the_timeline_shows_the_words_kept_beside_the_events(complaint, stage1, complaints_manager):
    stage_extend(
        stage=stage1,
        acting_user=complaints_manager,
        extended_due_date=date(2022, 6, 27),
        reason="Three teams involved",
        notified_date=date(2022, 6, 8),
    )
    stage_respond(stage=stage1, acting_user=None, response_date=date(2022, 6, 10), outcome=c.Outcome.UPHELD)
    complaint_close(case=complaint, acting_user=complaints_manager, closed_date=date(2022, 6, 10))
    complaint_reopen(
        case=complaint,
        acting_user=complaints_manager,
        reason="The complainant sent new evidence",
        reopened_date=date(2022, 6, 14),
    )

    timeline = {entry.label: entry for entry in case_timeline(case=complaint)}

    assert timeline["Stage timescale extended"].texts == (("Reason for the extension", "Three teams involved"),)
    reopened = timeline["Case reopened"]
    assert reopened.summary == f"Case {complaint.reference} reopened"
    assert reopened.texts == (("Reason", "The complainant sent new evidence"),)
    assert reopened.after["reason"] == {"free_text": True, "characters": 33}
    assert timeline["Stage response sent"].texts == ()


@pytest.mark.parametrize(
    ("path", "label"),
    [
        ("note", "Note"),
        ("points[1]", "Point 2"),
        ("recommendations.3.reason", "Recommendation 3: reason"),
        ("something_new", "Something new"),
    ],
)
def test_text_labels(path, label):
    assert text_label(path) == label
