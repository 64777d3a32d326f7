"""Each stage of a complaint worked out from its script, as far as it has got by the end date: dates, holds,
extensions, points and findings, recommendations and the remedies agreed with the response.

Working days come from the statutory engine (``opencomplaints.deadlines``), so a response planned "within 10 working
days" really is on time when the report counts it."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, datetime, time
from decimal import Decimal

from opencomplaints.cases import constants as c
from opencomplaints.cases.rules import roll_up_findings
from opencomplaints.common.dates import LONDON
from opencomplaints.demo import texts as t
from opencomplaints.demo.drafts import Draft, Stage2Script
from opencomplaints.demo.draws import Draws, money, present, weighted
from opencomplaints.demo.plans import (
    STAGE2_MAXIMUM_WORKING_DAYS,
    UPHELD_ANY,
    ExtensionPlan,
    HoldPlan,
    PointPlan,
    RecommendationPlan,
    RemedyPlan,
    StagePlan,
)


def interpret_stage1(ctx: Draws, draft: Draft) -> None:
    received = draft.received_date
    s1 = draft.s1
    interest = draft.sufficient_interest
    if interest is not None and not ctx.happened(interest.notified_date):
        # R1.9: eligibility is still being decided on the end date, so the complaint is still in triage.
        draft.sufficient_interest = None
        draft.decline = None
        draft.accepted = False
        draft.stages = [StagePlan(number=1, received_date=received)]
        return
    if draft.decline is not None:
        decided = ctx.happened(draft.decline.decided_date)
        if decided is None:
            # The triage decision comes after the end date: still awaiting triage.
            draft.decline = None
            draft.accepted = False
            draft.stages = [StagePlan(number=1, received_date=received)]
            return
        draft.stages = [
            StagePlan(number=1, received_date=received, response_date=decided, outcome=c.Outcome.NOT_ACCEPTED)
        ]
        return
    holds: list[HoldPlan] = []
    if s1.hold is not None:
        reason, start_wd, length = s1.hold
        start = ctx.add(received, start_wd)
        end = ctx.add(start, length) if length is not None else None
        if ctx.happened(start):
            holds.append(
                HoldPlan(start_date=start, end_date=ctx.happened(end), reason=reason, note=t.HOLD_NOTES.get(reason, ""))
            )
    extension = None
    if s1.extension is not None:
        notified = ctx.add(received, s1.extension[0])
        if ctx.happened(notified):
            extension = ExtensionPlan(
                extended_due_date=ctx.add(received, s1.extension[1]),
                reason=ctx.rng.choice(t.EXTENSION_REASONS_STAGE1),
                notified_date=notified,
            )
    response = ctx.happened(ctx.add(received, s1.response_wd)) if s1.response_wd is not None else None
    if any(hold.end_date is None for hold in holds):
        response = None
    outcome = s1.outcome if response else ""
    if outcome == c.Outcome.WITHDRAWN:
        draft.withdrawal_note = ctx.rng.choice(t.WITHDRAWAL_NOTES)
    acknowledged = None
    if draft.acknowledge_wd is not None:
        acknowledged = ctx.happened(ctx.add(received, draft.acknowledge_wd))
        if response is not None and acknowledged is not None:
            acknowledged = min(acknowledged, response)
    findings, said = stage1_points(ctx, draft, outcome)
    draft.stages = [
        StagePlan(
            number=1,
            received_date=received,
            acknowledged_date=acknowledged,
            holds=tuple(holds),
            extension=extension,
            response_date=response,
            outcome=outcome,
            findings=findings,
            point_responses=said,
            response_sent_via=c.ResponseSentVia.EMAIL if findings else "",
        )
    ]


def stage1_points(ctx: Draws, draft: Draft, outcome: str) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Most stage 1 responses of the children's and adults' procedures answer the complaint point by point
    (issue 15, item 4): two to four points, with findings that give the stage's outcome and a sentence on each.
    Drawn from a generator of their own, so the rest of the scenario is what it was."""
    if draft.procedure == c.Procedure.CORPORATE or outcome not in c.MERITS_OUTCOMES or draft.points:
        return (), ()
    rng = random.Random(f"stage1-points:{ctx.seed}:{draft.received_date.isoformat()}:{','.join(draft.issues)}")
    if rng.random() < 0.3:
        return (), ()
    make_points(ctx, draft, rng=rng, most=4)
    count = len(draft.points)
    if outcome == c.Outcome.UPHELD:
        findings = [c.Finding.UPHELD] * count
    elif outcome == c.Outcome.NOT_UPHELD:
        findings = [c.Finding.NOT_UPHELD] * count
    else:
        findings = [c.Finding.PARTLY_UPHELD] + [
            rng.choice((c.Finding.UPHELD, c.Finding.NOT_UPHELD)) for _ in range(count - 1)
        ]
        rng.shuffle(findings)
    said = tuple(rng.choice(t.POINT_RESPONSES[finding]) for finding in findings)
    return tuple(findings), said


def make_points(ctx: Draws, draft: Draft, *, rng: random.Random | None = None, most: int = 6) -> None:
    rng = rng or ctx.rng
    bank = {issue.name: issue for issue in (*t.ISSUES, *t.CORPORATE_ISSUES)}
    count = rng.randint(2, most)
    points: list[PointPlan] = []
    used: set[str] = set()
    for n in range(count):
        issue = bank[draft.issues[n % len(draft.issues)]]
        options = [text for text in issue.points if text not in used] or list(issue.points)
        description = rng.choice(options)
        used.add(description)
        points.append(PointPlan(description=description, issue=issue.name))
    draft.points = points


def natural_stage2(ctx: Draws, request_wd: int, late: bool) -> Stage2Script:
    rng = ctx.rng
    script = Stage2Script(
        request_wd=request_wd,
        appoint_wd=rng.randint(3, 10),
        statement_wd=rng.randint(5, 20),
        response_wd=None,
        report_before_wd=rng.randint(5, 15),
        late_request=late,
    )
    if rng.random() < 0.08:
        script.withdrawn_wd = rng.randint(3, 20)
        return script
    kind = weighted(rng, (("within", 25), ("extended", 45), ("late", 30)))
    if kind == "within":
        script.response_wd = rng.randint(18, 25)
    elif kind == "extended":
        extended_to = rng.randint(40, 65)
        script.extension = (rng.randint(15, 24), extended_to)
        script.response_wd = rng.randint(26, extended_to)
    elif rng.random() < 0.5:
        script.extension = (rng.randint(15, 24), 65)
        script.response_wd = rng.randint(66, 95)
    else:
        script.response_wd = rng.randint(26, 55)
    script.report_before_wd = min(script.report_before_wd, script.response_wd - 5)
    return script


def draw_findings(ctx: Draws, count: int) -> tuple[str, ...]:
    return tuple(
        weighted(
            ctx.rng,
            (
                (c.Finding.UPHELD, 30),
                (c.Finding.PARTLY_UPHELD, 28),
                (c.Finding.NOT_UPHELD, 37),
                (c.Finding.NO_FINDING, 5),
            ),
        )
        for _ in range(count)
    )


def interpret_stage2(ctx: Draws, draft: Draft) -> None:
    script = present(draft.s2)
    if draft.start_stage == 2:
        request = draft.received_date
    else:
        request = ctx.add(present(present(draft.stage(1)).response_date), script.request_wd)
    if not ctx.happened(request):
        draft.s2 = None
        return
    rng = ctx.rng
    appointed = ctx.happened(ctx.add(request, script.appoint_wd))
    statement = None
    if appointed and script.statement_wd is not None:
        statement = ctx.happened(ctx.add(appointed, script.statement_wd))
    if statement and not draft.points:
        make_points(ctx, draft)
    start = statement or request
    extension = None
    if statement and script.extension is not None:
        notified = ctx.happened(ctx.add(statement, script.extension[0]))
        if notified:
            extension = ExtensionPlan(
                extended_due_date=ctx.add(statement, script.extension[1]),
                reason=rng.choice(t.EXTENSION_REASONS_STAGE2),
                notified_date=notified,
            )
    response = report = None
    outcome = ""
    findings: tuple[str, ...] = ()
    recommendations: tuple[RecommendationPlan, ...] = ()
    if script.withdrawn_wd is not None:
        response = ctx.happened(ctx.add(start, script.withdrawn_wd))
        outcome = c.Outcome.WITHDRAWN if response else ""
        if response:
            draft.withdrawal_note = rng.choice(t.WITHDRAWAL_NOTES)
    elif statement and script.response_wd is not None:
        adjudication = ctx.add(statement, script.response_wd)
        # The report arrives by the statutory maximum even when the adjudication is late: the deadline bridge
        # cannot yet store an adjudication target for a report received after it (see the builder's notes).
        latest_report = ctx.add(statement, STAGE2_MAXIMUM_WORKING_DAYS)
        report = ctx.happened(min(ctx.back(adjudication, script.report_before_wd), latest_report))
        response = ctx.happened(adjudication)
        if response:
            findings = draw_findings(ctx, len(draft.points))
            outcome = roll_up_findings(findings)
            if outcome in UPHELD_ANY:
                # The adjudicator decides on each of the investigation's recommendations (R1.28).
                texts = rng.sample(t.RECOMMENDATIONS, rng.randint(1, 3))
                recommendations = tuple(decide(ctx, RecommendationPlan(text=text)) for text in texts)
    draft.stages.append(
        StagePlan(
            number=2,
            received_date=request,
            late_request_accepted=True if script.late_request else None,
            late_request_reason=rng.choice(t.LATE_REQUEST_REASONS) if script.late_request else "",
            appointed_date=appointed,
            investigating_officer="investigator" if appointed else "",
            independent_person="independent" if appointed else "",
            statement_agreed_date=statement,
            extension=extension,
            report_date=report,
            adjudicator="adjudicator" if response and outcome != c.Outcome.WITHDRAWN else "",
            recommendations=recommendations,
            response_date=response,
            outcome=outcome,
            findings=findings,
        )
    )


def interpret_stage3(ctx: Draws, draft: Draft) -> None:
    script = present(draft.s3)
    stage2 = present(draft.stage(2))
    request = ctx.happened(ctx.add(present(stage2.response_date), script.request_wd))
    if request is None:
        draft.s3 = None
        return
    rng = ctx.rng
    planned = ctx.add(request, script.panel_wd) if script.panel_wd is not None else None
    panel = ctx.happened(planned)
    # The meeting is arranged ahead, for the day the panel meets: at 10am, at County Hall (no random draw, so
    # the rest of the plan is as it was). One planned after the end date is arranged and still to come.
    arranged = ctx.happened(min(ctx.add(request, 2), planned)) if planned is not None else None
    meeting = datetime.combine(planned, time(10), tzinfo=LONDON) if arranged and planned else None
    report = None
    if panel and script.report_wd is not None:
        report = ctx.happened(ctx.add(panel, script.report_wd))
    response = None
    if report and script.response_wd is not None:
        response = ctx.happened(ctx.add(report, script.response_wd))
    recommendations: tuple[RecommendationPlan, ...] = ()
    findings: tuple[str, ...] = ()
    outcome = ""
    if report:
        texts = rng.sample(t.RECOMMENDATIONS, rng.randint(1, 3))
        recommendations = tuple(RecommendationPlan(text=text) for text in texts)
    if response:
        # The panel reviews the stage 2 findings and changes one now and then.
        changed = list(stage2.findings)
        if changed and rng.random() < 0.4:
            i = rng.randrange(len(changed))
            changed[i] = c.Finding.PARTLY_UPHELD if changed[i] == c.Finding.NOT_UPHELD else c.Finding.UPHELD
        findings = tuple(changed)
        outcome = roll_up_findings(findings)
        recommendations = tuple(decide(ctx, recommendation) for recommendation in recommendations)
    draft.stages.append(
        StagePlan(
            number=3,
            received_date=request,
            panel_chair="panel1",
            panel_members=("panel2", "panel3"),
            panel_arranged_date=arranged if meeting else None,
            panel_meeting_at=meeting,
            panel_meeting_place="County Hall, Committee Room 2" if meeting else "",
            panel_date=panel,
            panel_report_date=report,
            recommendations=recommendations,
            response_date=response,
            outcome=outcome,
            findings=findings,
        )
    )


def decide(ctx: Draws, recommendation: RecommendationPlan) -> RecommendationPlan:
    """The council's decision on a recommendation: not following one needs a reason (R1.33)."""
    if ctx.rng.random() < 0.85:
        return replace(recommendation, accepted=True)
    return replace(recommendation, accepted=False, reason=ctx.rng.choice(t.RECOMMENDATION_REJECTION_REASONS))


def plan_remedies(ctx: Draws, draft: Draft) -> None:
    remedies: list[RemedyPlan] = []
    for stage in draft.stages:
        remedies += stage_remedies(ctx, ctx.rng, stage)
    draft.remedies = remedies


def stage_remedies(ctx: Draws, rng: random.Random, stage: StagePlan) -> list[RemedyPlan]:
    """What the council agreed to put right when it answered ``stage`` (R3.7, R4.5)."""
    remedies: list[RemedyPlan] = []
    if stage.response_date is not None and stage.outcome in (*UPHELD_ANY, c.Outcome.RESOLVED_INFORMALLY):
        agreed = stage.response_date

        def agree(
            remedy_type: str, description: str, amount: Decimal | None = None, paid_date: date | None = None
        ) -> None:
            remedies.append(
                RemedyPlan(
                    remedy_type=remedy_type,
                    stage=stage.number,
                    description=description,
                    amount=amount,
                    agreed_date=agreed,
                    paid_date=paid_date,
                )
            )

        upheld = stage.outcome in UPHELD_ANY
        if upheld and rng.random() < 0.85:
            agree("apology", "Written apology from the service manager.")
        if rng.random() < 0.5:
            agree("explanation", "Explanation of the decision and of what happens next.")
        financial_chance = {1: 0.07, 2: 0.35, 3: 0.45}[stage.number]
        if upheld and rng.random() < financial_chance:
            amount = money(rng, 50, 500, 25) if stage.number == 1 else money(rng, 100, 1000, 50)
            paid = ctx.happened(ctx.add(agreed, rng.randint(5, 25)))
            agree("financial", "Payment in recognition of the time and trouble caused.", amount=amount, paid_date=paid)
        if upheld and rng.random() < (0.15 if stage.number == 1 else 0.3):
            code = rng.choice(("service_provided", "procedure_change", "training"))
            description = {
                "service_provided": "The assessment will be completed by a different social worker.",
                "procedure_change": "The team's procedure for updating families has been revised.",
                "training": "Refresher training on recording for the team.",
            }[code]
            agree(code, description)
    return remedies
