"""A complaint as it is received and triaged: who complains about which child, the teams and issues, how stage 1 is
meant to go, and the time limit, eligibility and scope decisions (R1.7-R1.14)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta

from opencomplaints.cases import constants as c
from opencomplaints.cases.services.inputs import LateAcceptance
from opencomplaints.demo import texts as t
from opencomplaints.demo.drafts import Draft, Stage1Script
from opencomplaints.demo.draws import Draws, weighted
from opencomplaints.demo.people import CHILD_AGES, draw_person
from opencomplaints.demo.plans import (
    ChildPlan,
    ComplainantPlan,
    DeclinePlan,
    SufficientInterestPlan,
    TeamPlan,
)
from opencomplaints.demo.structure import pick_teams, team_texts


def draw_received_via(ctx: Draws) -> str:
    return weighted(
        ctx.rng,
        (
            (c.ReceivedVia.EMAIL, 55),
            (c.ReceivedVia.ONLINE, 25),
            (c.ReceivedVia.PHONE, 8),
            (c.ReceivedVia.LETTER, 5),
            (c.ReceivedVia.IN_PERSON, 2),
            (c.ReceivedVia.UNKNOWN, 5),
        ),
    )


def draw_issues(ctx: Draws, bank: Sequence[t.IssueText]) -> list[t.IssueText]:
    count = weighted(ctx.rng, ((1, 45), (2, 35), (3, 20)))
    chosen: list[t.IssueText] = []
    while len(chosen) < min(count, len(bank)):
        chosen.append(weighted(ctx.rng, [(issue, float(issue.weight)) for issue in bank if issue not in chosen]))
    return chosen


def draw_owner(ctx: Draws) -> str:
    return weighted(ctx.rng, (("officer", 45), ("officer2", 45), ("manager", 10)))


def statutory_complaint(
    ctx: Draws, *, received: date, teams: Sequence[TeamPlan], council: t.CouncilText, s1: Stage1Script
) -> Draft:
    rng = ctx.rng
    town = council.name.replace("Borough of ", "").replace(" District Council", "")
    team_count = weighted(rng, ((1, 68), (2, 27), (3, 5)))
    team_keys = pick_teams(ctx, teams, received, corporate=False, count=team_count)
    support = rng.choice(team_texts(ctx)[team_keys[0]].support)
    low, high = CHILD_AGES.get(support, (2, 16))
    age = rng.randint(low, high)
    issues = draw_issues(ctx, t.ISSUES)
    draft = Draft(
        # Every stage's acknowledgement is recorded (§4): children's stage 1 within 1 to 3 working days. Not drawn
        # from the generator, so the rest of the scenario stays as it was.
        acknowledge_wd=1 + received.toordinal() % 3,
        received_date=received,
        procedure=c.Procedure.CHILDREN_STATUTORY,
        received_via=draw_received_via(ctx),
        summary=rng.choice(issues[0].summaries),
        complainants=[],
        children=[],
        teams=team_keys,
        issues=[issue.name for issue in issues],
        owner=draw_owner(ctx),
        s1=s1,
        grounds_arose_date=received - timedelta(days=rng.randint(7, 300)),
    )
    # Who complains (R1.8), by the kind of support the child receives.
    if support == c.SupportCategory.CARE_LEAVER:
        kind = weighted(rng, (("young_person", 75), ("parent", 25)))
    elif support == c.SupportCategory.CLA:
        kind = weighted(
            rng,
            (
                ("parent", 55),
                ("young_person", 15 if age >= 12 else 0),
                ("foster_carer", 15),
                ("advocate", 6),
                ("solicitor", 9),
            ),
        )
    else:
        kind = weighted(
            rng,
            (
                ("parent", 78),
                ("young_person", 5 if age >= 12 else 0),
                ("special_guardian", 4),
                ("grandparent", 6),
                ("solicitor", 4),
                ("pr_holder", 3),
            ),
        )
    child_sex = weighted(rng, ((c.Sex.FEMALE, 47), (c.Sex.MALE, 51), (c.Sex.UNKNOWN, 2)))
    family_name = ctx.fake.last_name()
    child = draw_person(ctx, age=age, on=received, town=town, sex=child_sex, last_name=family_name, child=True)
    if kind == "young_person":
        complainant = ComplainantPlan(
            person=child,
            complainant_type=c.ComplainantType.CHILD_YOUNG_PERSON,
            eligibility_basis=(
                c.EligibilityBasis.CARE_LEAVER if support == c.SupportCategory.CARE_LEAVER else c.EligibilityBasis.CHILD
            ),
            is_the_child=True,
        )
        # R1.17: advocacy is offered to every young person who complains; most take it up.
        draft.advocacy_offered = True
        draft.advocacy_provided = rng.random() < 0.7
        if draft.advocacy_provided:
            draft.advocate_name = ctx.fake.name()
            draft.advocate_organisation = t.ADVOCACY_ORGANISATION
            if s1.hold is None and rng.random() < 0.35 and s1.response_wd is not None:
                # R1.19: stage 1 waits for the advocate; the response comes after work resumes.
                length = rng.randint(3, 8)
                s1.hold = (c.HoldReason.AWAITING_ADVOCATE, 1, length)
                s1.response_wd = max(s1.response_wd, 1 + length + rng.randint(3, 8))
    else:
        adult_age = rng.randint(24, 58) if rng.random() < 0.9 else None
        if kind in ("parent", "pr_holder"):
            sex = weighted(rng, ((c.Sex.FEMALE, 66), (c.Sex.MALE, 32), (c.Sex.UNKNOWN, 2)))
            same_name = rng.random() < 0.75
            person = draw_person(
                ctx,
                age=adult_age,
                on=received,
                town=town,
                sex=sex,
                last_name=family_name if same_name else None,
                child=False,
            )
            complainant = ComplainantPlan(
                person=person,
                complainant_type=c.ComplainantType.PARENT_RELATIVE,
                eligibility_basis=c.EligibilityBasis.PARENT if kind == "parent" else c.EligibilityBasis.PR_HOLDER,
            )
        elif kind == "grandparent":
            person = draw_person(ctx, age=rng.randint(50, 75), on=received, town=town, child=False)
            complainant = ComplainantPlan(
                person=person,
                complainant_type=c.ComplainantType.PARENT_RELATIVE,
                eligibility_basis=c.EligibilityBasis.SUFFICIENT_INTEREST,
                on_behalf_of_child=True,
                child_consent=c.ChildConsent.GIVEN if age >= 8 else c.ChildConsent.UNABLE,
            )
            # Decided before any response is due, so the complaint is accepted before it is answered.
            decided = ctx.add(received, rng.randint(2, 3))
            draft.sufficient_interest = SufficientInterestPlan(
                has_interest=rng.random() < 0.85,
                decided_date=decided,
                child_consulted=age >= 8,
                notified_date=ctx.add(decided, 1),
            )
        elif kind == "foster_carer":
            complainant = ComplainantPlan(
                person=draw_person(ctx, age=adult_age, on=received, town=town, child=False),
                complainant_type=c.ComplainantType.FOSTER_CARER,
                eligibility_basis=c.EligibilityBasis.LA_FOSTER_CARER,
            )
        elif kind == "special_guardian":
            complainant = ComplainantPlan(
                person=draw_person(ctx, age=rng.randint(40, 70), on=received, town=town, child=False),
                complainant_type=c.ComplainantType.SPECIAL_GUARDIAN,
                eligibility_basis=c.EligibilityBasis.SPECIAL_GUARDIAN,
            )
        elif kind == "advocate":
            advocate = draw_person(ctx, age=adult_age, on=received, town=town, child=False)
            complainant = ComplainantPlan(
                person=advocate,
                complainant_type=c.ComplainantType.ADVOCATE,
                eligibility_basis=c.EligibilityBasis.CHILD,
                on_behalf_of_child=True,
                child_consent=c.ChildConsent.GIVEN,
            )
            draft.advocacy_offered = True
            draft.advocacy_provided = True
            draft.advocate_name = f"{advocate.first_name} {advocate.last_name}"
            draft.advocate_organisation = t.ADVOCACY_ORGANISATION
        else:  # solicitor
            complainant = ComplainantPlan(
                person=draw_person(ctx, age=adult_age, on=received, town=town, child=False),
                complainant_type=c.ComplainantType.SOLICITOR,
                eligibility_basis=c.EligibilityBasis.PARENT,
                on_behalf_of_child=False,
            )
        if age < 18 and rng.random() < 0.15:
            draft.advocacy_offered = rng.random() < 0.7
            draft.advocacy_provided = False
    draft.complainants.append(complainant)
    draft.children.append(ChildPlan(person=child, age_at_receipt=age, support_category=support))
    if kind != "young_person" and rng.random() < 0.15:
        sibling_age = max(0, min(17, age + rng.choice((-4, -3, -2, 2, 3))))
        sibling = draw_person(ctx, age=sibling_age, on=received, town=town, last_name=family_name, child=True)
        draft.children.append(ChildPlan(person=sibling, age_at_receipt=sibling_age, support_category=support))
    return draft


def corporate_complaint(ctx: Draws, *, received: date, teams: Sequence[TeamPlan], council: t.CouncilText) -> Draft:
    rng = ctx.rng
    town = council.name.replace("Borough of ", "").replace(" District Council", "")
    issues = draw_issues(ctx, t.CORPORATE_ISSUES)
    team_keys = pick_teams(ctx, teams, received, corporate=True, count=1)
    late = rng.random() < 0.3
    s1 = Stage1Script(
        response_wd=rng.randint(16, 28) if late else rng.randint(6, 15),
        outcome=weighted(rng, ((c.Outcome.NOT_UPHELD, 45), (c.Outcome.PARTLY_UPHELD, 35), (c.Outcome.UPHELD, 20))),
    )
    parent = draw_person(ctx, age=rng.randint(28, 55), on=received, town=town, child=False)
    child_age = rng.randint(5, 16)
    child = draw_person(ctx, age=child_age, on=received, town=town, last_name=parent.last_name, child=True)
    return Draft(
        acknowledge_wd=rng.randint(1, 5),
        received_date=received,
        procedure=c.Procedure.CORPORATE,
        received_via=draw_received_via(ctx),
        summary=rng.choice(issues[0].summaries),
        complainants=[ComplainantPlan(person=parent, complainant_type=c.ComplainantType.PARENT_RELATIVE)],
        children=[ChildPlan(person=child, age_at_receipt=child_age, support_category=c.SupportCategory.OTHER)],
        teams=team_keys,
        issues=[issue.name for issue in issues],
        owner=draw_owner(ctx),
        s1=s1,
        grounds_arose_date=received - timedelta(days=rng.randint(7, 200)),
    )


def natural_stage1(ctx: Draws, on_time: bool) -> Stage1Script:
    """A stage 1 that is (or is not) within its timescale: 10 working days, or up to 20 with an extension
    agreed and notified before the 10th day (R1.20)."""
    rng = ctx.rng
    outcome = weighted(
        rng,
        (
            (c.Outcome.NOT_UPHELD, 42),
            (c.Outcome.PARTLY_UPHELD, 30),
            (c.Outcome.UPHELD, 16),
            (c.Outcome.RESOLVED_INFORMALLY, 12),
        ),
    )
    if on_time:
        if rng.random() < 0.2:
            extended_to = rng.randint(14, 20)
            return Stage1Script(
                response_wd=rng.randint(11, extended_to),
                outcome=outcome,
                extension=(rng.randint(5, 9), extended_to),
            )
        return Stage1Script(response_wd=rng.choice((4, 5, 6, 7, 8, 8, 9, 9, 10, 10, 10)), outcome=outcome)
    if rng.random() < 0.4:
        return Stage1Script(response_wd=rng.randint(21, 38), outcome=outcome, extension=(rng.randint(6, 10), 20))
    return Stage1Script(response_wd=rng.randint(11, 35), outcome=outcome)


def triage(ctx: Draws, draft: Draft) -> None:
    """Time limit, eligibility and scope (R1.7-R1.14): most complaints are accepted; a few are out of time
    (most of those accepted late), out of scope or about matters with their own route."""
    rng = ctx.rng
    received = draft.received_date
    roll = rng.random()
    if roll < 0.04:
        draft.grounds_arose_date = received - timedelta(days=rng.randint(400, 900))
        accepted = rng.random() < 0.7
        if accepted:
            draft.late_acceptance = LateAcceptance(
                accepted=True,
                not_reasonable_to_expect_reason=t.LATE_ACCEPTANCE[0],
                still_possible_reason=t.LATE_ACCEPTANCE[1],
            )
        else:
            draft.late_acceptance = LateAcceptance(
                accepted=False,
                not_reasonable_to_expect_reason="The complainant could reasonably have complained within the year.",
                still_possible_reason="The staff involved have left and the records are incomplete.",
            )
            draft.decline = DeclinePlan(
                reason=c.DeclineReason.OUT_OF_TIME, redirected_to=c.Route.NONE, note="", decided_date=received
            )
            draft.accepted = False
    elif roll < 0.09:
        route = weighted(
            rng,
            (
                (c.Route.CORPORATE, 40),
                (c.Route.CONFERENCE_COMPLAINTS, 20),
                (c.Route.COURT, 20),
                (c.Route.FOSTERING_OR_ADOPTION_PANEL, 10),
                (c.Route.NONE, 10),
            ),
        )
        reason = c.DeclineReason.PREVIOUSLY_CONSIDERED if route == c.Route.NONE else c.DeclineReason.OUT_OF_SCOPE
        draft.decline = DeclinePlan(
            reason=reason,
            redirected_to=route,
            note=t.DECLINE_NOTES[route],
            decided_date=ctx.add(received, rng.randint(2, 6)),
        )
        draft.accepted = False
    if draft.decline is None and draft.sufficient_interest is not None and not draft.sufficient_interest.has_interest:
        # R1.9, R1.11: found not to have sufficient interest, so declined as ineligible.
        decided = draft.sufficient_interest.decided_date
        draft.decline = DeclinePlan(
            reason=c.DeclineReason.INELIGIBLE,
            redirected_to=c.Route.NONE,
            note="The council decided the complainant does not have sufficient interest in the child's welfare.",
            decided_date=decided,
        )
        draft.accepted = False
    interest = draft.sufficient_interest
    if interest is not None and draft.decline is not None:
        if draft.late_acceptance is not None and not draft.late_acceptance.accepted:
            # Refused on receipt (R1.12): the case closes at once, so eligibility is never decided.
            draft.sufficient_interest = None
        elif draft.decline.decided_date < interest.decided_date:
            # Nothing can be recorded on a declined (closed) case, so eligibility is decided first.
            draft.decline = replace(draft.decline, decided_date=interest.decided_date)


def grant_interest(ctx: Draws, draft: Draft) -> None:
    if draft.sufficient_interest is not None:
        draft.sufficient_interest = replace(draft.sufficient_interest, has_interest=True)


def court_hold(ctx: Draws, s1: Stage1Script) -> None:
    # R1.13: care proceedings on the same matters defer the complaint; it resumes when they end.
    length = ctx.rng.randint(25, 80)
    start = ctx.rng.randint(2, 6)
    s1.hold = (c.HoldReason.COURT_PROCEEDINGS, start, length)
    s1.response_wd = start + length + ctx.rng.randint(4, 9)
    s1.extension = None


# -- stages from scripts -------------------------------------------------------------------------------------
