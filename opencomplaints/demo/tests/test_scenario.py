"""The demonstration plan, without a database: deterministic for a seed, and shaped like a real council's year."""

from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from opencomplaints.cases import constants as c
from opencomplaints.cases.rules import roll_up_findings
from opencomplaints.councils.defaults import DEFAULT_ISSUE_CATEGORIES, DEFAULT_REMEDY_TYPES
from opencomplaints.deadlines import england_and_wales_calendar
from opencomplaints.demo.scenario import (
    PERSONAS,
    ComplaintPlan,
    CouncilPlan,
    DemoPlan,
    plan_demo,
    restructure_date,
    stage_due_date,
    year_windows,
)

END = date(2026, 10, 31)
CALENDAR = england_and_wales_calendar()


@pytest.fixture(scope="module")
def plan() -> DemoPlan:
    return plan_demo(seed=1, years=3, end_date=END, councils=2)


def statutory(council: CouncilPlan) -> list[ComplaintPlan]:
    return [complaint for complaint in council.complaints if complaint.procedure == c.Procedure.CHILDREN_STATUTORY]


def all_complaints(plan: DemoPlan) -> list[ComplaintPlan]:
    return [complaint for council in plan.councils for complaint in council.complaints]


class TestPlanDemoDeterminism:
    def test_the_same_seed_gives_the_same_plan(self):
        first = plan_demo(seed=7, years=2, end_date=END)
        second = plan_demo(seed=7, years=2, end_date=END)
        assert first == second

    def test_a_different_seed_gives_a_different_plan(self):
        first = plan_demo(seed=7, years=2, end_date=END)
        other = plan_demo(seed=8, years=2, end_date=END)
        assert first != other
        assert [u.last_name for u in first.users] != [u.last_name for u in other.users]
        assert first.councils[0].complaints[0].received_date != other.councils[0].complaints[0].received_date

    def test_the_first_council_is_the_same_in_a_shared_service(self):
        # Adding a second council does not change the first, so screenshots and guides stay valid.
        alone = plan_demo(seed=3, years=1, end_date=END)
        shared = plan_demo(seed=3, years=1, end_date=END, councils=2)
        assert shared.councils[0] == alone.councils[0]
        assert shared.users == alone.users

    def test_nothing_happens_after_the_end_date(self, plan):
        for complaint in all_complaints(plan):
            for stage in complaint.stages:
                dates = [
                    stage.received_date,
                    stage.response_date,
                    stage.appointed_date,
                    stage.statement_agreed_date,
                    stage.report_date,
                    stage.panel_arranged_date,
                    stage.panel_date,
                    stage.panel_report_date,
                    stage.extension.notified_date if stage.extension else None,
                    *(hold.start_date for hold in stage.holds),
                    *(hold.end_date for hold in stage.holds),
                ]
                assert all(day is None or day <= END for day in dates), complaint.reference
            for closure in complaint.closures:
                assert closure.closed_date <= END
        for council in plan.councils:
            for rep in council.representations:
                assert rep.received_date <= END
                assert rep.responded_date is None or rep.responded_date <= END
            for case in council.ombudsman_cases:
                assert case.decision is None or case.decision.decision_date <= END
            for action in council.learning_actions:
                assert action.implemented_date is None or action.implemented_date <= END

    def test_references_are_unique_and_numbered_in_order_of_receipt(self, plan):
        for council in plan.councils:
            cases = [*council.complaints, *council.representations, *council.ombudsman_cases]
            references = [case.reference for case in cases]
            assert len(set(references)) == len(references)
            assert all(ref.startswith(f"{council.reference_prefix}-") for ref in references)
            for year in {case.received_date.year for case in cases}:
                that_year = sorted(
                    (ref for ref, case in zip(references, cases, strict=True) if case.received_date.year == year)
                )
                assert that_year[0] == f"{council.reference_prefix}-{year}-0001"


class TestPlanDemoShape:
    """The volumes and shapes of the published reports (../shared/domain/reference-reports/), year by year."""

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_each_year_is_shaped_like_a_councils(self, seed):
        plan = plan_demo(seed=seed, years=3, end_date=END)
        council = plan.councils[0]
        complaints = statutory(council)
        for first, last in plan.windows:
            received = [x for x in complaints if x.start_stage == 1 and first <= x.received_date <= last]
            assert 40 <= len(received) <= 90

            completed = [
                x.stages[0]
                for x in complaints
                if x.start_stage == 1
                and x.stages[0].response_date is not None
                and first <= x.stages[0].response_date <= last
                and x.stages[0].outcome != c.Outcome.WITHDRAWN
            ]
            stage2 = [
                x for x in complaints if any(s.number == 2 and first <= s.received_date <= last for s in x.stages)
            ]
            assert 0.10 <= len(stage2) / len(completed) <= 0.25

            stage3 = [
                x for x in complaints if any(s.number == 3 and first <= s.received_date <= last for s in x.stages)
            ]
            assert 1 <= len(stage3) <= 4

            assessed = [stage for stage in completed if stage.outcome != c.Outcome.NOT_ACCEPTED]
            on_time = 0
            for stage in assessed:
                assert stage.response_date is not None
                taken = CALENDAR.working_days_between(stage.received_date, stage.response_date)
                on_time += taken <= 10 or (stage.extension is not None and taken <= 20)
            assert 0.55 <= on_time / len(assessed) <= 0.85

            kinds = Counter(rep.kind for rep in council.representations if first <= rep.received_date <= last)
            for kind in (c.Kind.POTENTIAL_COMPLAINT, c.Kind.QUERY, c.Kind.MP_ENQUIRY, c.Kind.MEMBER_ENQUIRY):
                assert kinds[kind] >= 1
            assert kinds[c.Kind.COMPLIMENT] >= 1

    def test_open_cases_on_the_end_date_are_spread_across_stages_some_overdue_some_due_soon(self, plan):
        for council in plan.councils:
            open_complaints = [x for x in statutory(council) if x.is_open and x.current_stage.is_open]
            assert {x.current_stage.number for x in open_complaints} == {1, 2, 3}
            dues: dict[str, date] = {}
            for x in open_complaints:
                due = stage_due_date(complaint=x, stage=x.current_stage, calendar=CALENDAR)
                assert due is not None
                dues[x.key] = due
            overdue = [x for x in open_complaints if dues[x.key] < END and x.current_stage.open_hold is None]
            assert overdue
            assert {x.current_stage.number for x in overdue} >= {1, 2}
            # The end date may fall at a weekend: "within 3 working days" counts from it.
            due_soon = [x for x in open_complaints if 0 < CALENDAR.working_days_between(END, dues[x.key]) <= 3]
            assert due_soon
            holds = [x.current_stage.open_hold for x in open_complaints if x.current_stage.open_hold is not None]
            assert holds
            assert holds[0].reason == c.HoldReason.COURT_PROCEEDINGS

    def test_the_procedure_is_followed(self, plan):
        for complaint in all_complaints(plan):
            for stage in complaint.stages:
                if stage.extension is not None:
                    extension = stage.extension
                    assert extension.reason
                    assert stage.received_date <= extension.notified_date
                    anchor = stage.statement_agreed_date or stage.received_date
                    limit = 20 if stage.number == 1 else 65
                    assert CALENDAR.working_days_between(anchor, extension.extended_due_date) <= limit
                for hold in stage.holds:
                    assert hold.end_date is None or stage.response_date is None or hold.end_date <= stage.response_date
                if stage.findings:
                    assert len(stage.findings) == len(complaint.points)
                    assert stage.outcome == roll_up_findings(stage.findings)
                if stage.number == 2 and stage.appointed_date:
                    assert stage.investigating_officer != stage.independent_person
                if stage.number == 3:
                    panel = {stage.panel_chair, *stage.panel_members}
                    assert len(panel) == 3
                    assert "independent" not in panel
                    # The meeting is arranged ahead, after the request, for the day the panel meets.
                    if stage.panel_meeting_at is not None:
                        assert stage.panel_arranged_date is not None
                        assert stage.received_date <= stage.panel_arranged_date <= stage.panel_meeting_at.date()
                        assert stage.panel_date in (None, stage.panel_meeting_at.date())
                for recommendation in stage.recommendations:
                    assert recommendation.accepted is not False or recommendation.reason
            for earlier, later in zip(complaint.stages, complaint.stages[1:], strict=False):
                assert earlier.response_date is not None
                assert earlier.response_date <= later.received_date
                late = CALENDAR.working_days_between(earlier.response_date, later.received_date) > 20
                assert (later.late_request_accepted is True) == late

    @pytest.mark.parametrize("seed", [1, 15, 2])
    def test_nothing_is_recorded_on_a_closed_case(self, seed):
        # The services refuse to record anything on a closed case (other than a remedy), so the plan never does.
        for complaint in all_complaints(plan_demo(seed=seed, years=3, end_date=date(2025, 9, 30), councils=2)):
            ends = [
                s.response_date for s in complaint.stages if s.outcome in (c.Outcome.WITHDRAWN, c.Outcome.NOT_ACCEPTED)
            ]
            interest = complaint.sufficient_interest
            if interest is not None:
                assert all(end is not None and interest.decided_date <= end for end in ends), complaint.reference
                if not interest.has_interest:
                    assert complaint.decline is not None
                    assert complaint.decline.reason == c.DeclineReason.INELIGIBLE
            closed = [(closure.closed_date, closure.reopened_date or date.max) for closure in complaint.closures]
            for stage in complaint.stages:
                events = [
                    stage.received_date if stage.number > complaint.start_stage else None,
                    stage.appointed_date,
                    stage.statement_agreed_date,
                    stage.report_date,
                    stage.panel_date,
                    stage.panel_report_date,
                    stage.response_date,
                    stage.extension.notified_date if stage.extension else None,
                    *(hold.start_date for hold in stage.holds),
                ]
                for day in (event for event in events if event is not None):
                    assert not any(start <= day < end for start, end in closed), (complaint.reference, day)

    def test_review_panel_meetings_are_arranged_ahead(self, plan):
        panels = [s for x in all_complaints(plan) for s in x.stages if s.number == 3 and s.panel_chair]
        assert any(s.panel_meeting_at is not None and s.panel_meeting_place for s in panels)

    def test_every_kind_of_case_and_record_is_there(self, plan):
        complaints = all_complaints(plan)
        outcomes = Counter(x.current_stage.outcome for x in complaints)
        assert outcomes[c.Outcome.WITHDRAWN]
        assert outcomes[c.Outcome.NOT_ACCEPTED]
        assert outcomes[c.Outcome.RESOLVED_INFORMALLY]
        routes = {x.decline.redirected_to for x in complaints if x.decline}
        assert {c.Route.CORPORATE, c.Route.COURT} <= routes
        assert any(x.late_acceptance and x.late_acceptance.accepted for x in complaints)
        assert any(x.declined_on_receipt for x in complaints)
        assert any(x.sufficient_interest for x in complaints)
        assert any(x.start_stage == 2 and x.stage1_skipped_reason for x in complaints)
        assert any(x.procedure == c.Procedure.CORPORATE for x in complaints)
        assert any(len(x.teams) > 1 for x in complaints)
        assert any(len(x.issues) > 1 for x in complaints)
        assert any(closure.reopened_date for x in complaints for closure in x.closures)
        holds = {hold.reason for x in complaints for stage in x.stages for hold in stage.holds}
        assert {c.HoldReason.COURT_PROCEEDINGS, c.HoldReason.AWAITING_ADVOCATE} <= holds
        assert any(x.mediation != c.Mediation.NONE for x in complaints)

    def test_young_people_are_offered_advocacy(self, plan):
        young = [
            x
            for x in all_complaints(plan)
            if x.complainants[0].complainant_type == c.ComplainantType.CHILD_YOUNG_PERSON
        ]
        assert young
        assert all(x.advocacy_offered for x in young)
        assert any(x.advocacy_provided and x.advocate_organisation for x in young)

    def test_equality_data_uses_the_two_schemes_and_allows_not_known(self, plan):
        people = [p.person for x in all_complaints(plan) for p in x.complainants]
        people += [child.person for x in all_complaints(plan) for child in x.children]
        schemes = Counter(person.ethnicity_scheme for person in people)
        assert schemes["census_2021"]
        assert schemes["dfe_csc"]
        assert schemes[""]
        codes = {person.ethnicity_code for person in people}
        assert {"not_known", "NOBT", "white_british", "WBRI"} <= codes
        assert any(person.sex == c.Sex.UNKNOWN for person in people)
        assert any(person.disability == c.YesNoUnknown.UNKNOWN for person in people)
        for x in all_complaints(plan):
            for child in x.children:
                # R6.4: sexual orientation is not asked of under-16s.
                if child.age_at_receipt is not None and child.age_at_receipt < 16:
                    assert child.person.sexual_orientation == c.SexualOrientation.UNKNOWN

    def test_remedies_and_learning(self, plan):
        remedies = [remedy for x in all_complaints(plan) for remedy in x.remedies]
        codes = {remedy.remedy_type for remedy in remedies}
        assert {"apology", "explanation", "financial"} <= codes
        assert codes <= {remedy.code for remedy in DEFAULT_REMEDY_TYPES}
        amounts = [remedy.amount for remedy in remedies if remedy.remedy_type == "financial"]
        assert all(amount is not None and Decimal(50) <= amount <= Decimal(1000) for amount in amounts)
        actions = [action for council in plan.councils for action in council.learning_actions]
        statuses = Counter(action.status for action in actions)
        assert statuses[c.LearningActionStatus.IMPLEMENTED]
        assert statuses[c.LearningActionStatus.NOT_IMPLEMENTED]
        assert all(a.evidence and a.implemented_date for a in actions if a.status == c.LearningActionStatus.IMPLEMENTED)
        assert all(a.not_implemented_reason for a in actions if a.status == c.LearningActionStatus.NOT_IMPLEMENTED)
        overdue = [a for a in actions if a.status == c.LearningActionStatus.IN_PROGRESS and a.due_date < END]
        assert overdue

    def test_ombudsman_cases_use_the_lgsco_vocabulary(self, plan):
        cases = [case for council in plan.councils for case in council.ombudsman_cases]
        keys = {x.key for x in all_complaints(plan)}
        assert any(case.complaint in keys for case in cases)
        decided = [case.decision for case in cases if case.decision is not None]
        assert {decision.decision for decision in decided} <= set(c.LgscoDecision.values) - {"in_progress"}
        assert any(decision.compliance_due_date for decision in decided)
        assert all(decision.decision_label for decision in decided)

    def test_issues_and_teams_exist_on_the_day_a_case_names_them(self, plan):
        for council in plan.councils:
            teams = {team.key: team for team in council.teams}
            for complaint in council.complaints:
                assert set(complaint.issues) <= set(DEFAULT_ISSUE_CATEGORIES)
                assert {point.issue for point in complaint.points} <= set(DEFAULT_ISSUE_CATEGORIES)
                for key in complaint.teams:
                    assert teams[key].active_on(complaint.received_date), (complaint.reference, key)

    def test_the_middle_year_has_a_restructure_that_keeps_history(self, plan):
        council = plan.councils[0]
        assert council.restructures
        changed = {r.team for r in council.restructures} | {r.successor for r in council.restructures}
        named = {key for x in council.complaints for key in x.teams}
        assert changed <= named  # cases name the old teams before it and the new ones after
        middle = plan.windows[1]
        assert all(middle[0] <= r.ended_on <= middle[1] for r in council.restructures)

    def test_the_personas(self, plan):
        assert [user.username for user in plan.users] == [persona[0] for persona in PERSONAS]
        assert {"manager", "officer", "officer2", "admin"} <= {user.username for user in plan.users}
        admin = next(user for user in plan.users if user.username == "admin")
        assert admin.is_superuser
        assert all(user.email.endswith("@demo.example") for user in plan.users)


class TestPlanDemoCorporateAndClosing:
    """Corporate complaints go on to stage 2 as councils report (R3.6), and cases close after their request window
    as the daily job closes them (R1.22, R1.29)."""

    @pytest.mark.parametrize("seed", [1, 2, 3])
    def test_about_one_in_five_corporate_complaints_go_to_stage_2(self, seed):
        plan = plan_demo(seed=seed, years=3, end_date=END, councils=2)
        for council in plan.councils:
            corporate = [x for x in council.complaints if x.procedure == c.Procedure.CORPORATE]
            answered = [x for x in corporate if x.stages[0].response_date is not None]
            escalated = [x for x in corporate if len(x.stages) == 2]
            assert 0.1 <= len(escalated) / len(answered) <= 0.4, council.slug
            for first, last in plan.windows[:-1]:
                # At least one a year (the last year's may come after the end date).
                assert any(first <= x.stages[1].received_date <= last for x in escalated), (council.slug, first)

    def test_corporate_stage_2_follows_the_code(self, plan):
        escalated = [x for x in all_complaints(plan) if x.procedure == c.Procedure.CORPORATE and len(x.stages) == 2]
        assert escalated
        assert any(x.stages[1].response_date for x in escalated)
        for complaint in escalated:
            stage1, stage2 = complaint.stages
            assert stage1.outcome in (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD, c.Outcome.NOT_UPHELD)
            if stage2.acknowledged_date is not None:
                assert 1 <= CALENDAR.working_days_between(stage2.received_date, stage2.acknowledged_date) <= 5
            if stage2.extension is not None:
                ack = stage2.acknowledged_date
                assert ack is not None
                taken = CALENDAR.working_days_between(ack, stage2.extension.extended_due_date)
                assert 20 < taken <= 40  # R3.6: 20 working days, extended by up to 20
            if stage2.response_date is not None:
                assert stage2.acknowledged_date is not None
                assert stage2.acknowledged_date <= stage2.response_date
                assert stage2.outcome in (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD, c.Outcome.NOT_UPHELD)
                # The last stage: its response closes the case, with no window after it.
                assert not complaint.is_open
                assert all(closure.closed_date < stage2.received_date for closure in complaint.closures)

    def test_cases_close_on_the_last_day_of_the_window_once_it_has_passed(self, plan):
        closed = [x for x in all_complaints(plan) if x.closures]
        assert {x.procedure for x in closed} == {c.Procedure.CHILDREN_STATUTORY, c.Procedure.CORPORATE}
        for complaint in closed:
            for closure in complaint.closures:
                answered = [s for s in complaint.stages if s.response_date and s.response_date < closure.closed_date]
                window_end = CALENDAR.add_working_days(_latest(answered).response_date, 20)
                assert closure.closed_date == window_end < END, complaint.reference
                # No request came within the window; one after it reopened the case the day it came.
                later = [s for s in complaint.stages if s.received_date > _latest(answered).response_date]
                assert all(s.received_date > window_end for s in later)
                assert closure.reopened_date == (later[0].received_date if later else None)
        # A window still running on the end date, or ending on it, leaves the case open for the next morning's run.
        awaiting = [
            x
            for x in all_complaints(plan)
            if x.is_open and not x.current_stage.is_open and x.current_stage.outcome in MERITS_OR_INFORMAL
        ]
        assert awaiting
        for complaint in awaiting:
            response = complaint.current_stage.response_date
            assert response is not None
            assert CALENDAR.add_working_days(response, 20) >= END, complaint.reference


MERITS_OR_INFORMAL = (c.Outcome.UPHELD, c.Outcome.PARTLY_UPHELD, c.Outcome.NOT_UPHELD, c.Outcome.RESOLVED_INFORMALLY)


def _latest(stages):
    return max(stages, key=lambda stage: stage.response_date)


class TestPeriods:
    def test_year_windows_end_on_the_end_date_and_do_not_overlap(self):
        windows = year_windows(end_date=date(2025, 3, 31), years=2)
        assert windows == ((date(2023, 4, 1), date(2024, 3, 31)), (date(2024, 4, 1), date(2025, 3, 31)))

    def test_the_restructure_is_on_the_1_april_nearest_the_middle(self):
        assert restructure_date(start_date=date(2023, 11, 1), end_date=date(2026, 10, 31)) == date(2025, 4, 1)
        # One year with no 1 April far enough inside it: the first of the month after the middle.
        assert restructure_date(start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)) == date(2024, 10, 1)

    def test_plan_demo_refuses_impossible_requests(self):
        with pytest.raises(ValueError, match="at least one year"):
            plan_demo(seed=1, years=0, end_date=END)
        with pytest.raises(ValueError, match="1 to 2 councils"):
            plan_demo(seed=1, years=1, end_date=END, councils=3)
