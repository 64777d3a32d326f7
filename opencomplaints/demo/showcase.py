"""The showcase cases: placed so that the tracker looks alive on the end date."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from opencomplaints.cases import constants as c
from opencomplaints.demo import texts as t
from opencomplaints.demo.complainants import grant_interest, statutory_complaint
from opencomplaints.demo.drafts import Draft, Stage1Script, Stage2Script, Stage3Script
from opencomplaints.demo.draws import Draws
from opencomplaints.demo.plans import (
    TeamPlan,
)


def showcase_cases(ctx: Draws, teams: Sequence[TeamPlan], council: t.CouncilText) -> list[Draft]:
    """Cases placed so that the tracker looks alive on the end date: open at each stage, some overdue, some due
    within three working days, one on hold."""
    rng = ctx.rng
    end = ctx.end
    drafts: list[Draft] = []

    def planted_case(received_wd_before: int, s1: Stage1Script) -> Draft:
        received = ctx.back(end, received_wd_before)
        # The forced timeline stands for itself: the random part may not add a hold or refuse eligibility.
        draft = statutory_complaint(ctx, received=received, teams=teams, council=council, s1=replace(s1))
        draft.s1 = s1
        grant_interest(ctx, draft)
        draft.planted = True
        drafts.append(draft)
        return draft

    # Due within 1-3 working days, not yet answered.
    due_in = rng.randint(1, 3)
    planted_case(10 - due_in, Stage1Script(response_wd=None, outcome=""))
    # Overdue at stage 1: no extension, response not sent.
    planted_case(10 + rng.randint(3, 8), Stage1Script(response_wd=None, outcome=""))
    # Overdue even with the extension to 20 working days.
    planted_case(23, Stage1Script(response_wd=None, outcome="", extension=(8, 20)))
    # On hold for care proceedings (R1.13).
    planted_case(25, Stage1Script(response_wd=None, outcome="", hold=(c.HoldReason.COURT_PROCEEDINGS, 4, None)))
    # Stage 2 past its 25 working days with no extension agreed.
    overdue2 = planted_case(75, Stage1Script(response_wd=9, outcome=c.Outcome.NOT_UPHELD))
    overdue2.s2 = Stage2Script(request_wd=6, appoint_wd=4, statement_wd=8, response_wd=None)
    # Stage 2 with investigators appointed, statement of complaint not yet agreed.
    early2 = planted_case(40, Stage1Script(response_wd=10, outcome=c.Outcome.PARTLY_UPHELD))
    early2.s2 = Stage2Script(request_wd=18, appoint_wd=6, statement_wd=None, response_wd=None)
    # Stage 3 waiting for the panel to meet.
    stage3 = planted_case(120, Stage1Script(response_wd=10, outcome=c.Outcome.NOT_UPHELD))
    stage3.s2 = Stage2Script(
        request_wd=10, appoint_wd=5, statement_wd=10, response_wd=55, extension=(20, 65), report_before_wd=10
    )
    stage3.s3 = Stage3Script(request_wd=15, panel_wd=None, report_wd=None, response_wd=None)
    return drafts
