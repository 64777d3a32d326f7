from datetime import date

import pytest

from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.tests import factories as f
from opencomplaints.notifications.models import Channel, Message, TemplateKey
from opencomplaints.notifications.services import stage_extend_and_notify, stage_hold_and_notify

pytestmark = pytest.mark.django_db


def _extend(case, user, **overrides):
    values = {
        "stage": f.stage(case, 1),
        "acting_user": user,
        "extended_due_date": date(2022, 6, 24),
        "reason": "We are waiting for records from the school.",
        "notified_date": date(2022, 6, 9),
    }
    return stage_extend_and_notify(**(values | overrides))


def test_extension_letter_by_email(council, complaints_manager):
    case = f.accepted(council, complaints_manager, complainants=[f.complainant(email="sam@example.com")])
    _extend(case, complaints_manager)
    letter = Message.objects.get(template_key=TemplateKey.EXTENSION_LETTER)
    assert (letter.channel, letter.recipient, letter.case) == (Channel.EMAIL, "sam@example.com", case)
    assert "We told you we would reply by 13 June 2022" in letter.body
    assert "because: We are waiting for records from the school." in letter.body
    assert "We will now reply by 24 June 2022." in letter.body


def test_extension_letter_by_post_without_an_email(council, complaints_manager):
    complainant = f.complainant(
        first_name="Sam", last_name="Ward", address="1 High Street\nExampleton", postcode="EX1 1AA"
    )
    case = f.accepted(council, complaints_manager, complainants=[complainant])
    _extend(case, complaints_manager)
    letter = Message.objects.get(template_key=TemplateKey.EXTENSION_LETTER)
    assert letter.channel == Channel.LETTER
    assert letter.recipient == "Sam Ward\n1 High Street\nExampleton\nEX1 1AA"
    assert letter.body.startswith("Dear Sam Ward,")


def test_a_refused_extension_writes_no_letter(council, complaints_manager):
    case = f.accepted(council, complaints_manager, complainants=[f.complainant(email="sam@example.com")])
    with pytest.raises(ProcedureError):
        _extend(case, complaints_manager, extended_due_date=date(2022, 8, 1))
    assert not Message.objects.exists()


def test_no_letter_to_an_anonymous_complainant(council, complaints_manager):
    case = f.accepted(council, complaints_manager, complainants=[f.complainant(first_name="", last_name="")])
    _extend(case, complaints_manager)
    assert not Message.objects.exists()


def test_hold_letter(council, complaints_manager):
    case = f.accepted(council, complaints_manager, complainants=[f.complainant(email="sam@example.com")])
    stage_hold_and_notify(
        stage=f.stage(case, 1), acting_user=complaints_manager, start_date=date(2022, 6, 1), reason="awaiting_advocate"
    )
    letter = Message.objects.get(template_key=TemplateKey.HOLD_LETTER)
    assert "From 1 June 2022 we have put your complaint on hold. The reason is: awaiting an advocate." in letter.body
