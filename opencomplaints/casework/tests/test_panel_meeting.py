"""A review panel's meeting arranged ahead (issue 15): its date, time and place (or online) through the case page;
the members and the case owner told; reminded by the daily scan a few working days before; shown on the case page
and the workload page; refused before the panel is appointed, without a place, or once the panel has met."""

from datetime import date, datetime
from html import unescape
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import (
    case_owner_change,
    stage3_panel_appoint,
    stage3_panel_record,
    stage3_panel_schedule,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.notifications.triggers import deadline_scan

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def on(day: date):
    return time_machine.travel(datetime(day.year, day.month, day.day, 12, tzinfo=LONDON), tick=False)


def text(response):
    return unescape(response.content.decode())


def when(name, value):
    return {f"{name}_0": str(value.day), f"{name}_1": str(value.month), f"{name}_2": str(value.year)}


@pytest.fixture
def stage3(council, complaints_manager, complaints_officer, investigating_officer, independent_person, adjudicator):
    """Stage 3 asked for on Monday 15 August 2022; the case is the officer's."""
    stage = f.at_stage3(council, complaints_manager, investigating_officer=investigating_officer,
                        independent_person=independent_person, adjudicator=adjudicator)  # fmt: skip
    case_owner_change(case=stage.case, acting_user=complaints_manager, owner=complaints_officer, reason="Ola's case")
    return stage


def appoint(stage, user, panel):
    chair, *members = panel
    stage3_panel_appoint(stage=stage, acting_user=user, chair=chair, members=members)


def test_a_panel_meeting_arranged_told_reminded_and_shown(
    client, stage3, complaints_manager, complaints_officer, panel_members
):
    case = stage3.case
    address = reverse("casework:stage3-panel-schedule", args=[case.pk, stage3.pk])
    meeting = {**when("meeting_date", date(2022, 9, 6)), "meeting_time": "10:00",
               "place": "County Hall, Committee Room 2"}  # fmt: skip
    with on(date(2022, 8, 22)):
        client.force_login(complaints_manager)
        # Not before the panel is appointed: not offered, and refused.
        assert address not in text(client.get(reverse("casework:case-detail", args=[case.pk])))
        refused = client.post(address, meeting)
        assert refused.status_code == 400
        assert "Appoint the review panel before arranging the panel meeting." in text(refused)

        appoint(stage3, complaints_manager, panel_members)
        assert "Arrange the panel meeting" in text(client.get(reverse("casework:case-detail", args=[case.pk])))
        nowhere = client.post(address, {**meeting, "place": ""})
        assert "Enter where the panel will meet, or say that it meets online." in text(nowhere)
        bad_time = client.post(address, {**meeting, "meeting_time": "25:00"})
        assert "Enter the time as hours and minutes, for example 10:00" in text(bad_time)
        assert not Message.objects.filter(template_key=TemplateKey.PANEL_ARRANGED).exists()

        response = client.post(address, meeting)
        assert response.status_code == 302
        stage3.refresh_from_db()
        assert stage3.panel_meeting_at == datetime(2022, 9, 6, 10, tzinfo=LONDON)
        assert stage3.panel_meeting_place == "County Hall, Committee Room 2"
        told = Message.objects.filter(template_key=TemplateKey.PANEL_ARRANGED)
        assert sorted(told.values_list("recipient", flat=True)) == sorted(
            [p.email for p in panel_members] + [complaints_officer.email]
        )
        words = told.order_by("id")[0]
        assert "will meet on 6 September 2022 at 10am, at County Hall, Committee Room 2." in words.body
        assert "The panel: Pat Rowntree (chair), Quinn Selby, Robin Tansley." in words.body
        assert AuditEvent.objects.filter(case=case, event_type=AuditEventType.STAGE3_PANEL_SCHEDULED).count() == 1

        page = text(client.get(reverse("casework:case-detail", args=[case.pk])))
        assert "6 September 2022 at 10am, at County Hall, Committee Room 2" in page
        assert "Change the panel meeting" in page
        workload = text(client.get(reverse("tracker:workload")))
        section = workload.split("Review panel meetings arranged")[-1]
        assert case.reference in section
        assert "Tuesday 6 September 2022, 10:00" in section

    # Reminded three working days before (Thursday 1 September), not earlier, and only once.
    deadline_scan(today=date(2022, 8, 31))
    assert not Message.objects.filter(template_key=TemplateKey.PANEL_REMINDER).exists()
    deadline_scan(today=date(2022, 9, 1))
    deadline_scan(today=date(2022, 9, 2))
    reminded = Message.objects.filter(template_key=TemplateKey.PANEL_REMINDER)
    assert reminded.count() == 4
    assert "in 3 working days" in reminded.order_by("id")[0].body

    # Moved online to another day: told again, and reminded again before the new date.
    with on(date(2022, 9, 2)):
        client.force_login(complaints_manager)
        moved = {**when("meeting_date", date(2022, 9, 13)), "meeting_time": "14:30", "place": "", "online": "on"}
        assert client.post(address, moved).status_code == 302
    assert Message.objects.filter(template_key=TemplateKey.PANEL_ARRANGED).count() == 8
    assert "13 September 2022 at 2:30pm, online" in (
        Message.objects.filter(template_key=TemplateKey.PANEL_ARRANGED).order_by("-id")[0].body
    )
    deadline_scan(today=date(2022, 9, 8))
    assert Message.objects.filter(template_key=TemplateKey.PANEL_REMINDER).count() == 8


def test_no_reminder_once_the_panel_has_met_and_no_change_after(stage3, complaints_manager, panel_members):
    appoint(stage3, complaints_manager, panel_members)
    stage3_panel_schedule(stage=stage3, acting_user=complaints_manager,
                          meeting_at=datetime(2022, 9, 6, 10, tzinfo=LONDON), online=True)  # fmt: skip
    stage3_panel_record(stage=stage3, acting_user=complaints_manager, panel_date=date(2022, 9, 2))
    deadline_scan(today=date(2022, 9, 1))
    assert not Message.objects.filter(template_key=TemplateKey.PANEL_REMINDER).exists()
    with pytest.raises(ProcedureError) as refused:
        stage3_panel_schedule(stage=stage3, acting_user=complaints_manager,
                              meeting_at=datetime(2022, 9, 8, 10, tzinfo=LONDON), online=True)  # fmt: skip
    assert refused.value.message == errors.PANEL_MEETING_ALREADY_HELD.format(panel_date="Friday 2 September 2022")


def test_a_meeting_before_the_request_is_refused(stage3, complaints_manager, panel_members):
    appoint(stage3, complaints_manager, panel_members)
    with pytest.raises(ProcedureError) as refused:
        stage3_panel_schedule(stage=stage3, acting_user=complaints_manager,
                              meeting_at=datetime(2022, 8, 1, 10, tzinfo=LONDON), place="County Hall")  # fmt: skip
    assert refused.value.message == errors.PANEL_MEETING_BEFORE_REQUEST.format(
        meeting="Monday 1 August 2022", request="Monday 15 August 2022"
    )
