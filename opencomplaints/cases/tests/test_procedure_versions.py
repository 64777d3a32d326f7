"""A case keeps the version of its council's rules it started under (docs/adr/0014-procedures-as-data.md): a
council changes its stage 1 timescale, a new case gets the new due date and an old case keeps its own, even when
every open case is recomputed (R3.9, R2.5, R2.6; enquiries are local practice).

26 May 2022 is a Thursday; 2 and 3 June 2022 were the Platinum Jubilee bank holidays.
"""

from datetime import date

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases.deadlines import deadlines_recompute_open
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.services import EnquirerInput, representation_register, stage_respond
from opencomplaints.cases.tests import factories as f
from opencomplaints.councils.selectors import corporate_procedure_current
from opencomplaints.councils.services import corporate_procedure_revise, local_timescales_revise
from opencomplaints.councils.tests.factories import council_with_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(complaints_manager):
    council = council_with_defaults()
    council.memberships.create(user=complaints_manager, role="complaints_manager")
    return council


def _corporate(council):
    current = corporate_procedure_current(council=council)
    assert current is not None
    return current


def _due(case, key):
    return case.deadlines.get(key=key).due_date


def _enquiry(council, user, received=date(2022, 5, 26)):
    return representation_register(
        council=council,
        acting_user=user,
        kind=c.Kind.MP_ENQUIRY,
        received_date=received,
        topic="School transport",
        enquirer=EnquirerInput(enquirer_type=c.EnquirerType.MP, name="A Member of Parliament"),
    )


def test_a_new_case_gets_the_new_stage_1_timescale_and_an_old_case_keeps_its_own_r3_9(seeded, complaints_manager):
    old = f.accepted(seeded, complaints_manager, procedure=c.Procedure.CORPORATE)
    # The Code: acknowledgement due 6 June, response 10 working days later.
    assert _due(old, "stage1_response") == date(2022, 6, 20)

    corporate_procedure_revise(procedure=_corporate(seeded), acting_user=None, changes={"stage1_days": 15})
    new = f.accepted(seeded, complaints_manager, procedure=c.Procedure.CORPORATE)

    assert old.corporate_procedure is not None
    assert new.corporate_procedure is not None
    assert (old.corporate_procedure.version, new.corporate_procedure.version) == (1, 2)
    assert _due(new, "stage1_response") == date(2022, 6, 27)
    old.refresh_from_db()
    assert _due(old, "stage1_response") == date(2022, 6, 20)


def test_recomputing_every_open_case_keeps_each_on_its_version(seeded, complaints_manager):
    old = f.accepted(seeded, complaints_manager, procedure=c.Procedure.CORPORATE)
    corporate_procedure_revise(procedure=_corporate(seeded), acting_user=None, changes={"stage1_days": 15})
    new = f.accepted(seeded, complaints_manager, procedure=c.Procedure.CORPORATE)

    deadlines_recompute_open(council=seeded)

    assert (_due(old, "stage1_response"), _due(new, "stage1_response")) == (date(2022, 6, 20), date(2022, 6, 27))


def test_a_one_stage_procedure_offers_no_stage_2(seeded, complaints_manager):
    corporate_procedure_revise(
        procedure=_corporate(seeded),
        acting_user=None,
        changes={
            "stage_count": 1,
            "stage2_acknowledge_days": None,
            "stage2_days": None,
            "stage2_extension_days": None,
            "escalation_window_days": None,
        },
    )
    case = f.accepted(seeded, complaints_manager, procedure=c.Procedure.CORPORATE)
    stage_respond(
        stage=f.stage(case, 1),
        acting_user=complaints_manager,
        response_date=date(2022, 6, 10),
        outcome=c.Outcome.UPHELD,
    )

    assert not case.deadlines.filter(key="stage2_request_window").exists()
    with pytest.raises(ProcedureError):
        f.accepted(
            seeded, complaints_manager, procedure=c.Procedure.CORPORATE, start_stage=2, stage1_skipped_reason="x"
        )


def test_a_replaced_version_cannot_be_chosen_for_a_new_complaint(seeded, complaints_manager):
    first = _corporate(seeded)
    corporate_procedure_revise(procedure=first, acting_user=None, changes={"stage1_days": 15})
    first.refresh_from_db()

    with pytest.raises(ProcedureError, match="has been replaced"):
        f.register(seeded, complaints_manager, procedure=c.Procedure.CORPORATE, corporate_procedure=first)


def test_the_enquiry_deadline_comes_from_the_councils_configuration(seeded, complaints_manager):
    old = _enquiry(seeded, complaints_manager)
    # Ten working days from Thursday 26 May 2022, over the Jubilee holidays.
    assert old.response_due_date == date(2022, 6, 13)

    local_timescales_revise(council=seeded, acting_user=None, changes={"enquiry_response_days": 5})
    new = _enquiry(seeded, complaints_manager)

    assert new.response_due_date == date(2022, 6, 6)
    assert new.deadlines.get().working_days == 5
    deadlines_recompute_open(council=seeded)
    old.refresh_from_db()
    assert old.response_due_date == date(2022, 6, 13)
    assert _due(old, "enquiry_response") == date(2022, 6, 13)


def test_an_adults_complaint_uses_the_councils_acknowledgement_and_response_period_r2_5_r2_6(
    seeded, complaints_manager
):
    before = f.accepted(seeded, complaints_manager, procedure=c.Procedure.ADULTS_STATUTORY)
    local_timescales_revise(
        council=seeded, acting_user=None, changes={"adults_acknowledge_days": 2, "adults_response_months": 3}
    )
    after = f.accepted(seeded, complaints_manager, procedure=c.Procedure.ADULTS_STATUTORY)

    assert _due(before, "adults_acknowledgement") == date(2022, 5, 31)
    assert _due(after, "adults_acknowledgement") == date(2022, 5, 30)
    assert _due(before, "adults_response_period") == date(2022, 11, 25)
    assert _due(after, "adults_response_period") == date(2022, 8, 25)


def test_the_childrens_statutory_procedure_is_the_regulations_whatever_the_council(seeded, complaints_manager):
    local_timescales_revise(council=seeded, acting_user=None, changes={"adults_acknowledge_days": 1})
    case = f.accepted(seeded, complaints_manager)
    assert _due(case, "stage1_response") == date(2022, 6, 13)  # R1.20
