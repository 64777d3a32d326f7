"""The demonstration generator: a seeded plan of councils, their structures, people and every case, per year.

``plan_demo()`` decides everything (dates, stages, outcomes, extensions, holds, people, teams, issues, remedies,
learning, the Ombudsman's decisions) as frozen plans (``plans``); ``timeline`` turns each case into its events and
``player`` plays them through the domain services. Keeping the two apart lets the shape of the data be tested
without a database, and keeps every write going through the services, so the data obeys the procedure rules and
has an audit trail.

Each year draws its mix in the same steps: statutory complaints (``complainants``, ``stages``), a few corporate
ones, one straight to stage 2, then the ``showcase`` cases, the year calibrated and escalated (``escalation``),
and the other kinds of case (``other_cases``). Every draw comes from one ``draws.Draws`` in a fixed order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.deadlines import WorkingDayCalendar, england_and_wales_calendar
from opencomplaints.demo import texts as t
from opencomplaints.demo.complainants import (
    corporate_complaint,
    court_hold,
    grant_interest,
    natural_stage1,
    statutory_complaint,
    triage,
)
from opencomplaints.demo.drafts import Draft, Stage1Script
from opencomplaints.demo.draws import Draws, weighted
from opencomplaints.demo.escalation import (
    calibrate_timeliness,
    escalate_corporate,
    escalate_to_stage2,
    escalate_to_stage3,
)
from opencomplaints.demo.other_cases import plan_learning, plan_ombudsman, plan_representations
from opencomplaints.demo.people import MAX_COUNCILS, plan_users
from opencomplaints.demo.plans import (
    CLOSING_OUTCOMES,
    LAST_STAGE,
    REQUEST_WINDOW_WORKING_DAYS,
    ClosurePlan,
    ComplaintPlan,
    CouncilPlan,
    DemoPlan,
    OmbudsmanPlan,
    RepresentationPlan,
    TeamPlan,
    registration_order,
)
from opencomplaints.demo.showcase import showcase_cases
from opencomplaints.demo.stages import (
    interpret_stage1,
    interpret_stage2,
    interpret_stage3,
    natural_stage2,
    plan_remedies,
)
from opencomplaints.demo.structure import plan_structure


def plan_complaints(ctx: Draws, teams: Sequence[TeamPlan], council: t.CouncilText) -> list[Draft]:
    """A council's complaints, year by year: 46 to 74 statutory ones (each drawn on time or not, triaged, a few on
    hold, withdrawn or mediated), 3 to 6 corporate ones, one straight to stage 2 in the middle year; then the
    showcase cases; then every stage worked out, each year calibrated and escalated, and the remedies agreed."""
    rng = ctx.rng
    drafts: list[Draft] = []
    for index, (first, last) in enumerate(ctx.windows):
        is_last = index == len(ctx.windows) - 1
        count = rng.randint(46, 74)
        share_on_time = rng.uniform(0.62, 0.75)
        on_time = [i < round(count * share_on_time) for i in range(count)]
        rng.shuffle(on_time)
        for n in range(count):
            s1 = natural_stage1(ctx, on_time[n])
            received = ctx.working_day_in(first, last)
            draft = statutory_complaint(ctx, received=received, teams=teams, council=council, s1=s1)
            triage(ctx, draft)
            if draft.accepted and draft.s1.hold is None:
                roll = rng.random()
                if roll < 0.03:
                    court_hold(ctx, draft.s1)
                elif roll < 0.07:
                    # After any eligibility decision: nothing is recorded on a case once it is withdrawn.
                    earliest = 2 if draft.sufficient_interest is None else 5
                    draft.s1 = Stage1Script(response_wd=rng.randint(earliest, 12), outcome=c.Outcome.WITHDRAWN)
                elif roll < 0.09:
                    draft.mediation = weighted(rng, ((c.Mediation.RESOLVED, 60), (c.Mediation.NOT_RESOLVED, 40)))
                    if draft.mediation == c.Mediation.RESOLVED:
                        draft.s1.outcome = c.Outcome.RESOLVED_INFORMALLY
            drafts.append(draft)
        for _ in range(rng.randint(3, 6)):
            drafts.append(
                corporate_complaint(ctx, received=ctx.working_day_in(first, last), teams=teams, council=council)
            )
        if index == len(ctx.windows) // 2:
            # R1.23: one complaint goes straight to stage 2.
            received = ctx.working_day_in(first, ctx.back(last, 90) if is_last else last)
            direct = statutory_complaint(
                ctx, received=received, teams=teams, council=council, s1=Stage1Script(response_wd=None, outcome="")
            )
            direct.start_stage = 2
            direct.stage1_skipped_reason = t.STAGE1_SKIPPED_REASON
            grant_interest(ctx, direct)
            direct.s2 = natural_stage2(ctx, 0, late=False)
            drafts.append(direct)
    drafts.extend(showcase_cases(ctx, teams, council))
    drafts.sort(key=lambda draft: draft.received_date)
    for draft in drafts:
        if draft.start_stage == 2:
            draft.stages = []
            interpret_stage2(ctx, draft)
        else:
            interpret_stage1(ctx, draft)
            if draft.planted and draft.s2 is not None:
                interpret_stage2(ctx, draft)
                if draft.s3 is not None:
                    interpret_stage3(ctx, draft)
    calibrate_timeliness(ctx, drafts)
    escalate_to_stage2(ctx, drafts)
    escalate_to_stage3(ctx, drafts)
    for draft in drafts:
        plan_remedies(ctx, draft)
    escalate_corporate(ctx, drafts, council)
    return drafts


def plan_council(ctx: Draws, index: int) -> CouncilPlan:
    text = t.COUNCILS[index]
    areas, teams, restructures = plan_structure(ctx)
    drafts = plan_complaints(ctx, teams, text)
    complaints = [freeze(ctx, draft, key=f"C{n:04d}") for n, draft in enumerate(drafts, start=1)]
    representations = [
        replace(plan, key=f"R{n:04d}")
        for n, plan in enumerate(sorted(plan_representations(ctx, teams, text), key=lambda p: p.received_date), start=1)
    ]
    ombudsman = [
        replace(plan, key=f"O{n:03d}")
        for n, plan in enumerate(sorted(plan_ombudsman(ctx, complaints), key=lambda p: p.received_date), start=1)
    ]
    learning = [replace(plan, key=f"L{n:03d}") for n, plan in enumerate(plan_learning(ctx, complaints, teams), start=1)]
    numbered = references(text.reference_prefix, [*complaints, *representations, *ombudsman])
    return CouncilPlan(
        name=text.name,
        slug=text.slug,
        reference_prefix=text.reference_prefix,
        service_areas=areas,
        teams=teams,
        restructures=restructures,
        complaints=tuple(replace(plan, reference=numbered[plan.key]) for plan in complaints),
        representations=tuple(replace(plan, reference=numbered[plan.key]) for plan in representations),
        ombudsman_cases=tuple(replace(plan, reference=numbered[plan.key]) for plan in ombudsman),
        learning_actions=tuple(learning),
    )


def references(prefix: str, cases: Sequence[ComplaintPlan | RepresentationPlan | OmbudsmanPlan]) -> dict[str, str]:
    """References as the services number them, ``PREFIX-YYYY-NNNN`` per calendar year, in ``registration_order``."""
    per_year: dict[int, int] = {}
    references = {}
    for case in sorted(cases, key=registration_order):
        year = case.received_date.year
        per_year[year] = per_year.get(year, 0) + 1
        references[case.key] = f"{prefix}-{year}-{per_year[year]:04d}"
    return references


def freeze(ctx: Draws, draft: Draft, *, key: str) -> ComplaintPlan:
    return ComplaintPlan(
        key=key,
        reference="",
        procedure=draft.procedure,
        received_date=draft.received_date,
        received_via=draft.received_via,
        summary=draft.summary,
        complainants=tuple(draft.complainants),
        children=tuple(draft.children),
        teams=tuple(draft.teams),
        issues=tuple(draft.issues),
        owner=draft.owner,
        grounds_arose_date=draft.grounds_arose_date,
        late_acceptance=draft.late_acceptance,
        start_stage=draft.start_stage,
        stage1_skipped_reason=draft.stage1_skipped_reason,
        advocacy_offered=draft.advocacy_offered,
        advocacy_provided=draft.advocacy_provided,
        advocate_name=draft.advocate_name,
        advocate_organisation=draft.advocate_organisation,
        sufficient_interest=draft.sufficient_interest,
        accepted=draft.accepted,
        decline=draft.decline,
        mediation=draft.mediation,
        points=tuple(draft.points),
        stages=tuple(draft.stages),
        withdrawal_note=draft.withdrawal_note,
        remedies=tuple(draft.remedies),
        closures=closures(ctx, draft),
    )


def closures(ctx: Draws, draft: Draft) -> tuple[ClosurePlan, ...]:
    """Close the case as the daily job does (``complaints_close_after_window``): on the last day of the window
    to ask for the next stage, by a run the day after it, so only a window that ended before the end date, and
    only when no request came within it; reopen it for a late request the council accepted (R1.22, R1.29)."""
    closures = []
    for i, stage in enumerate(draft.stages):
        if stage.response_date is None or stage.outcome in CLOSING_OUTCOMES:
            continue
        if stage.number == LAST_STAGE[draft.procedure]:
            continue
        closed = ctx.add(stage.response_date, REQUEST_WINDOW_WORKING_DAYS)
        following = draft.stages[i + 1] if i + 1 < len(draft.stages) else None
        if closed >= ctx.end or (following is not None and following.received_date <= closed):
            continue
        closures.append(
            ClosurePlan(
                closed_date=closed,
                reopened_date=following.received_date if following else None,
                reopen_reason=(
                    f"A late request for stage {following.number} was accepted." if following else ""  # R1.22
                ),
            )
        )
    return tuple(closures)


def plan_councils(ctx: Draws, *, councils: int) -> DemoPlan:
    users = plan_users(ctx)
    plans = tuple(plan_council(ctx, index) for index in range(councils))
    return DemoPlan(
        seed=ctx.seed,
        years=ctx.years,
        start_date=ctx.start,
        end_date=ctx.end,
        users=users,
        councils=plans,
    )


def plan_demo(
    *, seed: int, years: int, end_date: date, councils: int = 1, calendar: WorkingDayCalendar | None = None
) -> DemoPlan:
    """Plan ``years`` years of synthetic data for ``councils`` councils, ending on ``end_date``.

    The same arguments always give an equal plan. ``calendar`` defaults to the statutory England and Wales
    calendar; pass the one with the installation's overrides so the plan's working days match the services'.
    """
    if years < 1:
        raise ValueError("Plan at least one year of demonstration data.")
    if not 1 <= councils <= MAX_COUNCILS:
        raise ValueError(f"The demonstration data has 1 to {MAX_COUNCILS} councils, not {councils}.")
    draws = Draws(
        seed=seed,
        years=years,
        end_date=end_date,
        calendar=calendar or england_and_wales_calendar(),
    )
    return plan_councils(draws, councils=councils)
