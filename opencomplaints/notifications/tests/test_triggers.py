from datetime import date

import pytest
from django.contrib.auth.models import Group

from opencomplaints.cases import constants as c
from opencomplaints.cases.services import stage_hold, stage_respond
from opencomplaints.cases.tests import factories as f
from opencomplaints.notifications.models import Message, TemplateKey
from opencomplaints.notifications.triggers import (
    COMPLAINTS_MANAGERS_GROUP,
    SENIOR_MANAGERS_GROUP,
    deadline_reminders_queue,
    deadline_scan,
    weekly_digests_queue,
)

pytestmark = pytest.mark.django_db

# Received Thursday 26 May 2022: the stage 1 response is due Monday 13 June 2022.
DUE = date(2022, 6, 13)


@pytest.fixture
def case(council, complaints_manager, complaints_officer):
    return f.accepted(council, complaints_manager, owner=complaints_officer)


def test_reminds_the_owner_three_working_days_before(case, complaints_officer):
    # Wednesday 8 June is three working days before Monday 13 June.
    assert deadline_reminders_queue(today=date(2022, 6, 8)) == 1
    message = Message.objects.get(template_key=TemplateKey.DEADLINE_REMINDER)
    assert message.recipient == complaints_officer.email
    assert message.case == case
    assert message.subject == f"Due in 3 working days: Stage 1 response for {case.reference}"
    assert "13 June 2022" in message.body
    assert f"/cases/{case.pk}/" in message.body


def test_not_before_the_reminder_window(case):
    assert deadline_reminders_queue(today=date(2022, 6, 7)) == 0


def test_the_window_is_configurable(case, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"REMINDER_WORKING_DAYS": 5}
    assert deadline_reminders_queue(today=date(2022, 6, 6)) == 1


def test_one_reminder_however_often_the_scan_runs(case):
    for today in (date(2022, 6, 8), date(2022, 6, 8), date(2022, 6, 9), date(2022, 6, 10)):
        deadline_reminders_queue(today=today)
    assert Message.objects.filter(template_key=TemplateKey.DEADLINE_REMINDER).count() == 1


def test_no_reminder_for_a_stage_on_hold(case, complaints_manager):
    stage_hold(stage=f.stage(case, 1), acting_user=complaints_manager, start_date=date(2022, 6, 1), reason="other")
    assert deadline_reminders_queue(today=date(2022, 6, 8)) == 0


def test_no_reminder_once_met(case, complaints_manager):
    stage_respond(
        stage=f.stage(case, 1), acting_user=complaints_manager, response_date=date(2022, 6, 7), outcome="upheld"
    )
    assert deadline_reminders_queue(today=date(2022, 6, 8)) == 0


def test_no_reminder_without_an_owner(council, complaints_manager):
    f.accepted(council, complaints_manager)
    assert deadline_reminders_queue(today=date(2022, 6, 8)) == 0


def test_overdue_alerts_go_to_the_councils_complaints_managers_once(case, complaints_manager, other_council_officer):
    managers = Group.objects.get(name=COMPLAINTS_MANAGERS_GROUP)
    complaints_manager.groups.add(managers)
    other_council_officer.groups.add(managers)  # a manager of another council hears nothing of this case
    result = deadline_scan(today=date(2022, 6, 14))
    deadline_scan(today=date(2022, 6, 15))
    assert result.overdue_alerts == 1
    [alert] = Message.objects.filter(template_key=TemplateKey.OVERDUE_ALERT)
    assert alert.recipient == complaints_manager.email
    assert alert.subject == f"Overdue: Stage 1 response for {case.reference}"
    assert "Ola Pennington" in alert.body


def test_weekly_digest_for_senior_managers(case, council, complaints_manager, adjudicator):
    adjudicator.groups.add(Group.objects.get(name=SENIOR_MANAGERS_GROUP))
    f.register(council, complaints_manager, date(2022, 6, 13))  # in triage
    assert weekly_digests_queue(today=date(2022, 6, 15)) == 1
    assert weekly_digests_queue(today=date(2022, 6, 17)) == 0  # the same week
    digest = Message.objects.get(template_key=TemplateKey.WEEKLY_DIGEST)
    assert digest.recipient == adjudicator.email
    assert digest.subject == "Complaints this week: Borough of Exampleton"
    assert "week beginning 13 June 2022" in digest.body
    assert "* open: 1" in digest.body
    assert "* received and waiting for triage: 1" in digest.body
    assert "* overdue: 1" in digest.body
    assert f"* {case.reference}: due 13 June 2022" in digest.body
    assert digest.case is None


def test_extension_moves_the_reminder(case, complaints_manager):
    from opencomplaints.cases.services import stage_extend

    deadline_reminders_queue(today=date(2022, 6, 8))
    stage_extend(
        stage=f.stage(case, 1),
        acting_user=complaints_manager,
        extended_due_date=date(2022, 6, 24),
        reason="Complex",
        notified_date=date(2022, 6, 9),
    )
    deadline_reminders_queue(today=date(2022, 6, 21))
    reminders = Message.objects.filter(template_key=TemplateKey.DEADLINE_REMINDER).order_by("id")
    assert ["13 June 2022" in m.body for m in reminders] == [True, False]
    assert "24 June 2022" in reminders[1].body
    assert case.status == c.CaseStatus.OPEN
