"""teams_active_on, service_areas_active_on and corporate_procedure_spec."""

from datetime import date

import pytest

from opencomplaints.councils.models import CorporateProcedure
from opencomplaints.councils.selectors import corporate_procedure_spec, service_areas_active_on, teams_active_on
from opencomplaints.councils.tests.factories import (
    CorporateProcedureFactory,
    ServiceAreaFactory,
    TeamFactory,
    council_with_defaults,
)
from opencomplaints.deadlines import (
    LGSCO_COMPLAINT_HANDLING_CODE,
    TimescaleKind,
    england_and_wales_calendar,
    stage_due_dates,
)


@pytest.mark.django_db
class TestTeamsActiveOn:
    @pytest.fixture
    def teams(self, council, other_council):
        area = ServiceAreaFactory.create(council=council, name="Localities")
        return {
            "always": TeamFactory.create(service_area=area, name="Always"),
            "from": TeamFactory.create(service_area=area, name="From April 2024", active_from=date(2024, 4, 1)),
            "until": TeamFactory.create(service_area=area, name="Until March 2024", active_until=date(2024, 3, 31)),
            "elsewhere": TeamFactory.create(service_area__council=other_council, name="Other council's team"),
        }

    def names(self, council, on):
        return [t.name for t in teams_active_on(council=council, on_date=on)]

    def test_first_and_last_days_are_inclusive(self, council, teams):
        assert self.names(council, date(2024, 3, 31)) == ["Always", "Until March 2024"]
        assert self.names(council, date(2024, 4, 1)) == ["Always", "From April 2024"]

    def test_other_councils_teams_are_never_included(self, council, teams):
        assert "Other council's team" not in self.names(council, date(2024, 4, 1))

    def test_service_areas_use_the_same_rule(self, council):
        ServiceAreaFactory.create(council=council, name="Early Help", active_until=date(2024, 3, 31))
        ServiceAreaFactory.create(council=council, name="Front Door", active_from=date(2024, 4, 1))
        names = [a.name for a in service_areas_active_on(council=council, on_date=date(2024, 4, 1))]
        assert names == ["Front Door"]


@pytest.mark.django_db
class TestCorporateProcedureSpec:
    def test_the_seeded_default_is_the_complaint_handling_code(self):
        procedure = CorporateProcedure.objects.get(council=council_with_defaults())

        spec = corporate_procedure_spec(procedure=procedure)

        assert spec.stages == LGSCO_COMPLAINT_HANDLING_CODE.stages
        assert (spec.key, spec.rule, spec.statutory) == ("corporate", "R3.9", False)
        assert spec.name == procedure.name

    def test_stages_respond_from_acknowledgement_and_cite_the_code(self):
        spec = corporate_procedure_spec(procedure=CorporateProcedureFactory.create())

        stage1, stage2 = (spec.stage(n).timescale(f"stage{n}_response") for n in (1, 2))
        assert stage1.anchor == "acknowledged"
        assert stage2.anchor == "stage2_acknowledged"
        assert (stage1.rule, stage2.rule) == ("R3.5", "R3.6")
        assert (stage1.working_days, stage1.extended_working_days) == (10, 20)
        assert (stage2.working_days, stage2.extended_working_days) == (20, 40)
        window = spec.stage(2).timescale("stage2_request_window")
        assert (window.kind, window.working_days, window.rule) == (TimescaleKind.REQUEST_WINDOW, 20, "R3.9")

    def test_a_councils_own_timescales_cite_r3_9_not_the_code(self):
        # East Devon (R3.9): stage 1 in 20 working days of acknowledgement.
        spec = corporate_procedure_spec(procedure=CorporateProcedureFactory.create(stage1_days=20))

        assert spec.stage(1).timescale("stage1_response").rule == "R3.9"
        assert spec.stage(1).timescale("stage1_response").working_days == 20
        assert spec.stage(2).timescale("stage2_response").rule == "R3.6"

    def test_zero_days_mean_the_timescale_is_not_used(self):
        spec = corporate_procedure_spec(
            procedure=CorporateProcedureFactory.create(
                acknowledge_days=0, stage1_extension_days=0, escalation_window_days=None
            )
        )

        assert [t.key for t in spec.stage(1).timescales] == ["stage1_response"]
        assert not spec.stage(1).timescale("stage1_response").extendable
        assert [t.key for t in spec.stage(2).timescales] == ["stage2_acknowledgement", "stage2_response"]

    def test_the_engine_computes_due_dates_from_it(self):
        spec = corporate_procedure_spec(procedure=CorporateProcedureFactory.create())

        due = stage_due_dates(
            procedure=spec,
            stage=1,
            anchors={"received": date(2026, 6, 1), "acknowledged": date(2026, 6, 3)},
            calendar=england_and_wales_calendar(),
        )

        by_key = {d.key: d for d in due}
        assert by_key["stage1_acknowledgement"].due_on == date(2026, 6, 8)
        assert by_key["stage1_response"].due_on == date(2026, 6, 17)
        assert by_key["stage1_response"].extended_due_on == date(2026, 7, 1)
