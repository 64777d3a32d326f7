"""corporate_procedure_create/_revise and local_timescales_create/_revise: procedures as versioned data that refuse
nonsense (R3.9, R2.5, R2.6; docs/adr/0014-procedures-as-data.md)."""

import pytest

from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.common.errors import DomainError
from opencomplaints.councils.models import CorporateProcedure, LocalTimescales
from opencomplaints.councils.selectors import (
    corporate_procedure_current,
    corporate_procedure_spec,
    local_timescales_current,
)
from opencomplaints.councils.services import (
    corporate_procedure_create,
    corporate_procedure_revise,
    local_timescales_create,
    local_timescales_revise,
)
from opencomplaints.councils.services import procedures as p
from opencomplaints.councils.tests.factories import council_with_defaults

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    return council_with_defaults()


def _corporate(council):
    current = corporate_procedure_current(council=council)
    assert current is not None
    return current


def _refused(call, message, field):
    with pytest.raises(DomainError) as raised:
        call()
    assert (raised.value.message, raised.value.field) == (message, field)


class TestRevise:
    def test_a_change_is_a_new_version_and_the_old_one_is_kept_unchanged(self, seeded, system_administrator):
        first = _corporate(seeded)

        second = corporate_procedure_revise(
            procedure=first, acting_user=system_administrator, changes={"stage1_days": 15}
        )

        first.refresh_from_db()
        assert (first.version, first.stage1_days, first.is_default, first.is_current) == (1, 10, False, False)
        assert (second.version, second.stage1_days, second.is_default, second.is_current) == (2, 15, True, True)
        assert second.supersedes == first
        assert corporate_procedure_current(council=seeded) == second

    def test_the_change_is_audited_with_before_and_after(self, seeded, system_administrator):
        first = _corporate(seeded)
        second = corporate_procedure_revise(
            procedure=first, acting_user=system_administrator, changes={"stage1_days": 15}
        )

        event = AuditEvent.objects.get(event_type=AuditEventType.PROCEDURE_VERSION_CHANGED)
        assert event.subject_id == str(second.pk)
        assert (event.before["version"], event.before["stage1_days"]) == (1, 10)
        assert (event.after["version"], event.after["stage1_days"]) == (2, 15)
        assert event.acting_user == system_administrator

    def test_a_replaced_version_cannot_be_changed(self, seeded):
        first = _corporate(seeded)
        corporate_procedure_revise(procedure=first, acting_user=None, changes={"stage1_days": 15})

        _refused(
            lambda: corporate_procedure_revise(procedure=first, acting_user=None, changes={"stage1_days": 12}),
            p.VERSION_REPLACED.format(version=1, current=2),
            None,
        )

    def test_nothing_changed_is_refused_and_saves_nothing(self, seeded):
        first = _corporate(seeded)
        _refused(
            lambda: corporate_procedure_revise(procedure=first, acting_user=None, changes={"stage1_days": 10}),
            p.NOTHING_CHANGED.format(version=1),
            None,
        )
        assert CorporateProcedure.objects.filter(council=seeded).count() == 1

    def test_a_two_stage_procedure_becomes_one_stage_and_forgets_its_stage_2(self, seeded):
        first = _corporate(seeded)
        one = corporate_procedure_revise(
            procedure=first,
            acting_user=None,
            changes={
                "stage_count": 1,
                "stage2_acknowledge_days": None,
                "stage2_days": None,
                "stage2_extension_days": None,
                "escalation_window_days": None,
            },
        )

        assert (one.stage_count, one.stage2_days, one.escalation_window_days) == (1, None, None)
        spec = corporate_procedure_spec(procedure=one)
        assert [s.number for s in spec.stages] == [1]


class TestValidation:
    @pytest.mark.parametrize(
        ("changes", "message", "field"),
        [
            (
                {"acknowledge_days": 10, "stage1_days": 5},
                p.RESPONSE_SHORTER_THAN_ACKNOWLEDGEMENT.format(number=1, response=5, acknowledge=10),
                "stage1_days",
            ),
            (
                {"stage2_acknowledge_days": 25},
                p.RESPONSE_SHORTER_THAN_ACKNOWLEDGEMENT.format(number=2, response=20, acknowledge=25),
                "stage2_days",
            ),
            (
                {"stage1_extension_days": -5},
                p.DAYS_NEGATIVE.format(label="The stage 1 extension"),
                "stage1_extension_days",
            ),
            (
                {"acknowledge_days": -1},
                p.DAYS_NEGATIVE.format(label="The stage 1 acknowledgement time"),
                "acknowledge_days",
            ),
            ({"stage1_days": 0}, p.RESPONSE_NEEDED.format(number=1), "stage1_days"),
            ({"stage2_days": None}, p.RESPONSE_NEEDED.format(number=2), "stage2_days"),
            (
                {"stage1_days": 1000},
                p.DAYS_TOO_MANY.format(label="The stage 1 response time", most=p.MAX_WORKING_DAYS),
                "stage1_days",
            ),
            ({"stage_count": 3}, p.PROCEDURE_STAGES, "stage_count"),
            ({"name": "  "}, p.PROCEDURE_NEEDS_NAME, "name"),
            ({"colour": "blue"}, p.FIELD_UNKNOWN.format(field="colour"), "colour"),
        ],
    )
    def test_nonsense_is_refused_with_a_clear_message_and_nothing_saved(self, seeded, changes, message, field):
        first = _corporate(seeded)
        _refused(lambda: corporate_procedure_revise(procedure=first, acting_user=None, changes=changes), message, field)
        first.refresh_from_db()
        assert first.is_current
        assert CorporateProcedure.objects.filter(council=seeded).count() == 1

    def test_an_escalation_window_on_a_one_stage_procedure_is_refused(self):
        # Checked on the values as given, before a one-stage procedure's stage 2 values are cleared.
        values = {"name": "One stage", "stage_count": 1, "stage1_days": 10, "escalation_window_days": 20}
        _refused(lambda: p.corporate_procedure_check(values), p.ONE_STAGE_HAS_NO_WINDOW, "escalation_window_days")

    def test_stage_2_timescales_on_a_one_stage_procedure_are_refused(self):
        values = {"name": "One stage", "stage_count": 1, "stage1_days": 10, "stage2_days": 20}
        _refused(lambda: p.corporate_procedure_check(values), p.ONE_STAGE_HAS_NO_STAGE2, "stage2_days")

    def test_a_one_stage_procedure_is_created_with_its_stage_2_blank(self, seeded):
        one = corporate_procedure_create(
            council=seeded, acting_user=None, name="Lichfield-style single stage", stage_count=1, stage1_days=20
        )
        assert (one.version, one.stage_count, one.stage2_days, one.escalation_window_days) == (1, 1, None, None)
        assert corporate_procedure_current(council=seeded) == one
        assert AuditEvent.objects.filter(event_type=AuditEventType.PROCEDURE_VERSION_CREATED).count() == 1

    @pytest.mark.parametrize(
        ("changes", "message", "field"),
        [
            ({"adults_acknowledge_days": 4}, p.ADULTS_ACKNOWLEDGE_RANGE.format(most=3), "adults_acknowledge_days"),
            ({"adults_acknowledge_days": 0}, p.ADULTS_ACKNOWLEDGE_RANGE.format(most=3), "adults_acknowledge_days"),
            ({"adults_response_months": 7}, p.ADULTS_MONTHS_RANGE.format(most=6), "adults_response_months"),
            ({"enquiry_response_days": 0}, p.ENQUIRY_DAYS_NEEDED, "enquiry_response_days"),
            (
                {"enquiry_response_days": -2},
                p.DAYS_NEGATIVE.format(label="The time to answer an enquiry"),
                "enquiry_response_days",
            ),
        ],
    )
    def test_local_timescales_outside_the_regulations_are_refused(self, seeded, changes, message, field):
        _refused(lambda: local_timescales_revise(council=seeded, acting_user=None, changes=changes), message, field)
        assert LocalTimescales.objects.filter(council=seeded).count() == 1


class TestLocalTimescales:
    def test_a_new_council_starts_at_the_regulations_values(self, seeded):
        local = local_timescales_current(council=seeded)
        assert local is not None
        assert (local.version, local.adults_acknowledge_days, local.adults_response_months) == (1, 3, 6)
        assert local.enquiry_response_days == 10

    def test_a_change_is_the_next_version(self, seeded):
        second = local_timescales_revise(council=seeded, acting_user=None, changes={"enquiry_response_days": 5})
        assert isinstance(second.supersedes, LocalTimescales)
        assert (second.version, second.enquiry_response_days, second.supersedes.enquiry_response_days) == (2, 5, 10)
        assert local_timescales_current(council=seeded) == second

    def test_a_council_without_any_gets_version_1(self, council):
        first = local_timescales_revise(council=council, acting_user=None, changes={"enquiry_response_days": 15})
        assert (first.version, first.enquiry_response_days) == (1, 15)

    def test_a_second_version_1_is_refused(self, seeded):
        _refused(
            lambda: local_timescales_create(council=seeded, acting_user=None),
            p.LOCAL_ALREADY.format(council=seeded.name),
            "council",
        )
