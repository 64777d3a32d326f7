"""Each year's mix made like a council's: stage 1 timeliness calibrated, and the complaints chosen that go on to stage
2, to a review panel, and to a corporate stage 2, at the rates councils report."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.demo import texts as t
from opencomplaints.demo.drafts import Draft, Stage1Script, Stage3Script
from opencomplaints.demo.draws import Draws, present, weighted
from opencomplaints.demo.plans import (
    CLOSING_OUTCOMES,
    MERITS,
    ExtensionPlan,
    StagePlan,
)
from opencomplaints.demo.stages import (
    interpret_stage1,
    interpret_stage2,
    interpret_stage3,
    natural_stage2,
    stage_remedies,
)


def stage1_on_time(ctx: Draws, draft: Draft) -> bool:
    """Within 10 working days, or within an agreed extension of up to 20 (interchange §2, R1.20)."""
    stage = present(draft.stage(1))
    taken = ctx.between(stage.received_date, present(stage.response_date))
    return taken <= 10 or (stage.extension is not None and taken <= 20)


def stage1_completed(drafts: list[Draft], first: date, last: date, *, less: Sequence[str]) -> list[Draft]:
    """The statutory complaints whose stage 1 response was sent between ``first`` and ``last``, as the report counts
    them: less those whose stage ended with an outcome in ``less``."""
    return [
        draft
        for draft in drafts
        if draft.statutory
        and (stage := draft.stage(1)) is not None
        and stage.response_date is not None
        and first <= stage.response_date <= last
        and stage.outcome not in less
    ]


def calibrate_timeliness(ctx: Draws, drafts: list[Draft]) -> None:
    """Bring each year's share of stage 1 responses on time (as the report counts it: responses sent that year,
    less withdrawn and not accepted) to within 2.5 points of a target between 62% and 75%.

    Timeliness is drawn per complaint received, but the report counts responses sent, and holds, withdrawals
    and the end date move some across; a few responses are moved earlier or later to make up the difference.
    """
    rng = ctx.rng
    for first, last in ctx.windows:
        target = rng.uniform(0.62, 0.75)
        horizon = min(last, ctx.end)
        for _ in range(100):
            completed = stage1_completed(drafts, first, last, less=CLOSING_OUTCOMES)
            if not completed:
                break
            share = sum(stage1_on_time(ctx, draft) for draft in completed) / len(completed)
            if abs(share - target) <= 0.025:
                break
            make_on_time = share < target
            longest = 10 if make_on_time else 35
            options = [
                draft
                for draft in completed
                if stage1_on_time(ctx, draft) != make_on_time
                and not draft.planted
                and draft.s1.hold is None
                and draft.received_date >= first
                and ctx.add(draft.received_date, longest) <= horizon
            ]
            if not options:
                break
            draft = rng.choice(options)
            draft.s1 = Stage1Script(
                response_wd=rng.randint(5, 10) if make_on_time else rng.randint(11, 35), outcome=draft.s1.outcome
            )
            interpret_stage1(ctx, draft)


def escalate_to_stage2(ctx: Draws, drafts: list[Draft]) -> None:
    """Choose which stage 1 complaints go on to stage 2, so that each year's escalation rate (stage 2 requests
    received ÷ stage 1 completed less withdrawn, interchange §2) is between 13% and 21%."""
    rng = ctx.rng
    for first, last in ctx.windows:
        completed = stage1_completed(drafts, first, last, less=(c.Outcome.WITHDRAWN,))
        already = [
            draft for draft in drafts if (stage := draft.stage(2)) is not None and first <= stage.received_date <= last
        ]
        wanted = round(len(completed) * rng.uniform(0.13, 0.21)) - len(already)
        horizon = min(last, ctx.end)
        weights: dict[str, float] = {c.Outcome.NOT_UPHELD: 3.0, c.Outcome.PARTLY_UPHELD: 2.0, c.Outcome.UPHELD: 1.0}
        candidates: list[tuple[Draft, date, float]] = []
        for draft in completed:
            stage1 = present(draft.stage(1))
            responded = present(stage1.response_date)
            if (
                not draft.planted
                and draft.s2 is None
                and stage1.outcome in weights
                and ctx.between(responded, horizon) >= 3
            ):
                candidates.append((draft, responded, weights[stage1.outcome]))
        chosen: list[tuple[Draft, date]] = []
        while len(chosen) < min(wanted, len(candidates)):
            options = [((d, r), w) for d, r, w in candidates if all(d is not other for other, _ in chosen)]
            chosen.append(weighted(rng, options))
        for draft, responded in chosen:
            room = ctx.between(responded, horizon)
            late = room > 24 and rng.random() < 0.08
            request_wd = rng.randint(21, min(30, room)) if late else rng.randint(3, min(20, room))
            draft.s2 = natural_stage2(ctx, request_wd, late=late)
            interpret_stage2(ctx, draft)


def escalate_to_stage3(ctx: Draws, drafts: list[Draft]) -> None:
    """A few review panels a year (R1.29-R1.33), from stage 2 complaints adjudicated that year."""
    rng = ctx.rng
    for first, last in ctx.windows:
        horizon = min(last, ctx.end)
        existing = [
            draft for draft in drafts if (stage := draft.stage(3)) is not None and first <= stage.received_date <= last
        ]
        candidates = [
            draft
            for draft in drafts
            if draft.s3 is None
            and (stage := draft.stage(2)) is not None
            and stage.response_date is not None
            and stage.outcome in MERITS
            and first <= stage.response_date <= last
            and ctx.between(stage.response_date, horizon) >= 5
        ]
        wanted = max(0, rng.randint(1, 3) - len(existing))
        for draft in rng.sample(candidates, min(wanted, len(candidates))):
            room = ctx.between(present(present(draft.stage(2)).response_date), horizon)
            panel_on_time = rng.random() < 0.6
            draft.s3 = Stage3Script(
                request_wd=rng.randint(5, min(20, room)),
                panel_wd=rng.randint(18, 30) if panel_on_time else rng.randint(31, 45),
                report_wd=rng.randint(3, 5) if rng.random() < 0.85 else rng.randint(6, 9),
                response_wd=rng.randint(8, 15) if rng.random() < 0.9 else rng.randint(16, 19),
            )
            interpret_stage3(ctx, draft)


def escalate_corporate(ctx: Draws, drafts: list[Draft], council: t.CouncilText) -> None:
    """Choose which corporate complaints go on to stage 2 (R3.6): about one in five of each year's stage 1
    responses on the merits, as councils following the Complaint Handling Code report, and at least one a year
    where one could. Stage 2 is acknowledged, then answered by a senior officer, mostly within its 20 working
    days of the acknowledgement, sometimes with an extension or late; a few requests come after the window and
    are accepted (R1.22 by analogy).

    The choices draw on their own generator, seeded from the seed and the council, and take nothing from the
    one the council's statutory complaints were planned with.
    """
    rng = random.Random(f"corporate-stage2:{ctx.seed}:{council.slug}")
    weights: dict[str, float] = {c.Outcome.NOT_UPHELD: 3.0, c.Outcome.PARTLY_UPHELD: 2.0, c.Outcome.UPHELD: 1.0}
    for first, last in ctx.windows:
        horizon = min(last, ctx.end)
        completed: list[tuple[Draft, date]] = []
        for draft in drafts:
            stage1 = draft.stage(1)
            if (
                draft.procedure == c.Procedure.CORPORATE
                and stage1 is not None
                and stage1.response_date is not None
                and first <= stage1.response_date <= last
                and stage1.outcome in weights
                and draft.stage(2) is None
            ):
                completed.append((draft, stage1.response_date))
        # Room to ask within the end date: the request comes at least 3 working days after the response.
        candidates = [i for i, (_, responded) in enumerate(completed) if ctx.between(responded, horizon) >= 3]
        if not candidates:
            continue
        wanted = min(len(candidates), max(1, round(len(completed) * rng.uniform(0.15, 0.25))))
        chosen: list[int] = []
        while len(chosen) < wanted:
            options = [(i, weights[present(completed[i][0].stage(1)).outcome]) for i in candidates]
            chosen.append(weighted(rng, [(i, w) for i, w in options if i not in chosen]))
        for i in sorted(chosen):
            draft, responded = completed[i]
            corporate_stage2(ctx, rng, draft, responded, horizon)
            draft.remedies += stage_remedies(ctx, rng, draft.stages[-1])


def corporate_stage2(ctx: Draws, rng: random.Random, draft: Draft, responded: date, horizon: date) -> None:
    room = ctx.between(responded, horizon)
    late = room > 24 and rng.random() < 0.1
    request = ctx.add(responded, rng.randint(21, min(30, room)) if late else rng.randint(3, min(20, room)))
    acknowledged = ctx.add(request, rng.randint(1, 5))
    kind = weighted(rng, (("within", 70), ("extended", 15), ("late", 15)))
    extension = None
    if kind == "within":
        response = ctx.add(acknowledged, rng.randint(8, 20))
    elif kind == "extended":
        extended_to = rng.randint(25, 40)  # the Code allows 20 more working days (R3.6)
        notified = ctx.add(acknowledged, rng.randint(10, 19))
        if ctx.happened(notified):
            extension = ExtensionPlan(
                extended_due_date=ctx.add(acknowledged, extended_to),
                reason=rng.choice(t.EXTENSION_REASONS_CORPORATE_STAGE2),
                notified_date=notified,
            )
        response = ctx.add(acknowledged, rng.randint(21, extended_to))
    else:
        response = ctx.add(acknowledged, rng.randint(21, 32))
    outcome = weighted(rng, ((c.Outcome.NOT_UPHELD, 50), (c.Outcome.PARTLY_UPHELD, 30), (c.Outcome.UPHELD, 20)))
    answered = ctx.happened(response)
    draft.stages.append(
        StagePlan(
            number=2,
            received_date=request,
            late_request_accepted=True if late else None,
            late_request_reason=rng.choice(t.LATE_REQUEST_REASONS) if late else "",
            acknowledged_date=ctx.happened(acknowledged),
            extension=extension,
            response_date=answered,
            outcome=outcome if answered else "",
        )
    )


# -- other representations, the Ombudsman and learning ---------------------------------------------------------
