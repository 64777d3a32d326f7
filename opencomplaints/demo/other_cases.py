"""The other cases of each year: potential complaints, queries, MP and councillor enquiries, compliments, the
Ombudsman's cases, and the learning actions from upheld complaints."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from opencomplaints.cases import constants as c
from opencomplaints.deadlines import add_calendar_months
from opencomplaints.demo import texts as t
from opencomplaints.demo.complainants import draw_owner
from opencomplaints.demo.draws import Draws, money, present, weighted
from opencomplaints.demo.plans import (
    MERITS,
    UPHELD_ANY,
    ComplaintPlan,
    ComplimentPlan,
    EnquirerPlan,
    LearningActionPlan,
    OmbudsmanDecisionPlan,
    OmbudsmanPlan,
    RepresentationPlan,
    StagePlan,
    TeamPlan,
)
from opencomplaints.demo.structure import pick_teams, successor_on


def plan_representations(ctx: Draws, teams: Sequence[TeamPlan], council: t.CouncilText) -> list[RepresentationPlan]:
    rng = ctx.rng
    plans: list[RepresentationPlan] = []
    # (kind, how many a year, working days to respond)
    volumes = (
        (c.Kind.POTENTIAL_COMPLAINT, (10, 22), (0, 6)),
        (c.Kind.QUERY, (25, 50), (1, 12)),
        (c.Kind.MP_ENQUIRY, (15, 30), (5, 20)),
        (c.Kind.MEMBER_ENQUIRY, (10, 22), (3, 15)),
        (c.Kind.COMPLIMENT, (15, 35), (1, 5)),
    )
    for first, last in ctx.windows:
        for kind, (low, high), (fastest, slowest) in volumes:
            for _ in range(rng.randint(low, high)):
                received = ctx.working_day_in(first, last)
                team_keys = pick_teams(ctx, teams, received, corporate=rng.random() < 0.12, count=1)
                responded = ctx.happened(ctx.add(received, rng.randint(fastest, slowest)))
                enquirer = compliment = None
                outcome = ""
                if kind == c.Kind.POTENTIAL_COMPLAINT:
                    topic = rng.choice(t.POTENTIAL_TOPICS)
                    summary = "Concern raised with the complaints team and resolved without a formal complaint."
                    outcome = c.Outcome.RESOLVED_INFORMALLY if responded else ""
                elif kind == c.Kind.QUERY:
                    topic = rng.choice(t.QUERY_TOPICS)
                    summary = "Request for information passed to the team and answered."
                elif kind == c.Kind.MP_ENQUIRY:
                    topic = rng.choice(t.MP_TOPICS)
                    summary = "Enquiry on behalf of a constituent."
                    enquirer = EnquirerPlan(
                        enquirer_type=c.EnquirerType.MP,
                        name=f"{ctx.fake.first_name()} {ctx.fake.last_name()} MP",
                        constituency_or_ward=rng.choice(council.constituencies),
                    )
                elif kind == c.Kind.MEMBER_ENQUIRY:
                    topic = rng.choice(t.MEMBER_TOPICS)
                    summary = "Enquiry from a ward councillor on behalf of a resident."
                    enquirer = EnquirerPlan(
                        enquirer_type=c.EnquirerType.COUNCILLOR,
                        name=f"Councillor {ctx.fake.first_name()} {ctx.fake.last_name()}",
                        constituency_or_ward=f"{rng.choice(council.wards)} ward",
                    )
                else:
                    quote = rng.choice(t.COMPLIMENT_QUOTES)
                    topic = "Compliment"
                    summary = quote
                    compliment = ComplimentPlan(
                        about_team=team_keys[0] if team_keys else None,
                        about_person=rng.choice(t.COMPLIMENT_ABOUT),
                        quote=quote,
                    )
                plans.append(
                    RepresentationPlan(
                        key="",
                        reference="",
                        kind=kind,
                        received_date=received,
                        topic=topic,
                        summary=summary,
                        teams=tuple(team_keys),
                        owner=draw_owner(ctx),
                        enquirer=enquirer,
                        compliment=compliment,
                        responded_date=responded,
                        outcome=outcome,
                    )
                )
    return plans


def plan_ombudsman(ctx: Draws, complaints: Sequence[ComplaintPlan]) -> list[OmbudsmanPlan]:
    """Ombudsman cases (§4), most about a complaint that has been through the procedure; decisions in the
    LGSCO's vocabulary, with the Ombudsman's own wording kept beside them (R4.1-R4.4)."""
    rng = ctx.rng
    plans: list[OmbudsmanPlan] = []
    used: set[str] = set()
    for first, last in ctx.windows:
        finished = []
        for complaint in complaints:
            final = complaint.current_stage
            if (
                complaint.procedure == c.Procedure.CHILDREN_STATUTORY
                and final.response_date is not None
                and final.outcome in (*MERITS, c.Outcome.RESOLVED_INFORMALLY)
                and first <= final.response_date <= last
                and complaint.key not in used
                and ctx.between(final.response_date, ctx.end) > 15
            ):
                finished.append(complaint)
        weights = [4.0 if complaint.current_stage.number > 1 else 1.0 for complaint in finished]
        count = min(len(finished), rng.randint(2, 5))
        chosen: list[ComplaintPlan] = []
        while len(chosen) < count:
            pick = rng.choices(finished, weights=weights, k=1)[0]
            if pick not in chosen:
                chosen.append(pick)
        sources: list[tuple[ComplaintPlan | None, date]] = [
            (complaint, present(complaint.current_stage.response_date)) for complaint in chosen
        ]
        if rng.random() < 0.5:
            # Someone who went to the Ombudsman without complaining to the council first.
            sources.append((None, ctx.working_day_in(first, last)))
        for source, after in sources:
            room = ctx.between(after, ctx.end)
            if room < 10:
                continue
            received = ctx.add(after, rng.randint(10, min(60, room)))
            if source is not None:
                used.add(source.key)
                decision = (
                    weighted(
                        rng,
                        (
                            ("closed_after_initial_enquiries", 35),
                            ("upheld_fault_injustice", 25),
                            ("not_upheld", 15),
                            ("upheld_fault_no_injustice", 8),
                            ("upheld_remedied_by_council", 10),
                            ("out_of_jurisdiction", 7),
                        ),
                    )
                    if source.current_stage.number > 1
                    else weighted(
                        rng, (("premature", 50), ("closed_after_initial_enquiries", 35), ("advice_given", 15))
                    )
                )
            else:
                decision = weighted(rng, (("premature", 70), ("advice_given", 30)))
            investigated = decision.startswith("upheld") or decision == "not_upheld"
            decided = ctx.happened(ctx.add(received, rng.randint(40, 130) if investigated else rng.randint(10, 40)))
            plan_decision = None
            if decided:
                fault = True if decision.startswith("upheld") else (False if decision == "not_upheld" else None)
                injustice = {
                    "upheld_fault_injustice": True,
                    "upheld_fault_no_injustice": False,
                    "upheld_remedied_by_council": True,
                }.get(decision)
                payment = None
                compliance_due = complied = None
                if decision in ("upheld_fault_injustice", "upheld_fault_no_injustice"):
                    if decision == "upheld_fault_injustice" and rng.random() < 0.7:
                        payment = money(rng, 150, 1000, 50)
                    compliance_due = add_calendar_months(decided, rng.randint(1, 3))
                    roll = rng.random()
                    # Most recommendations are met on time; one now and then late.
                    complied_on = (
                        compliance_due - timedelta(days=rng.randint(1, 25))
                        if roll < 0.8
                        else compliance_due + timedelta(days=rng.randint(3, 20))
                    )
                    complied = ctx.happened(max(complied_on, decided))
                plan_decision = OmbudsmanDecisionPlan(
                    decision=decision,
                    decision_label=t.LGSCO_LABELS[decision],
                    decision_date=decided,
                    fault_found=fault,
                    injustice_found=injustice,
                    recommended_payment=payment,
                    compliance_due_date=compliance_due,
                    complied_date=complied,
                )
            answered = None
            if investigated:
                # The council answers the Ombudsman's enquiries, usually before the 20 working days are up.
                answered = ctx.happened(ctx.add(received, rng.randint(10, 24)))
                if answered and decided and answered > decided:
                    answered = decided
            # Invented references in the Ombudsman's "24 011 510" style.
            lgsco_reference = f"{received.year % 100:02d} {rng.randint(0, 999):03d} {rng.randint(0, 999):03d}"
            plans.append(
                OmbudsmanPlan(
                    key="",
                    reference="",
                    received_date=received,
                    lgsco_reference=lgsco_reference,
                    complaint=source.key if source is not None else None,
                    enquiry_due_date=ctx.add(received, 20) if investigated else None,
                    enquiry_responded_date=answered,
                    summary=rng.choice(t.LGSCO_SUMMARIES),
                    owner="manager",
                    decision=plan_decision,
                )
            )
    return plans


def plan_learning(
    ctx: Draws, complaints: Sequence[ComplaintPlan], teams: Sequence[TeamPlan]
) -> list[LearningActionPlan]:
    """Learning actions from upheld complaints (R1.40 item 10): some implemented with evidence, some not
    implemented with a reason, some overdue, some not yet due."""
    rng = ctx.rng
    plans: list[LearningActionPlan] = []
    for first, last in ctx.windows:
        sources: list[tuple[ComplaintPlan, StagePlan]] = []
        for complaint in complaints:
            for stage in complaint.stages:
                if stage.outcome in UPHELD_ANY and stage.response_date and first <= stage.response_date <= last:
                    sources.append((complaint, stage))
        for complaint, stage in rng.sample(sources, min(len(sources), rng.randint(5, 9))):
            created = present(stage.response_date)
            finding, action = rng.choice(t.LEARNING)
            due = add_calendar_months(created, rng.randint(1, 4))
            related = [complaint.key]
            if rng.random() < 0.15:
                other = rng.choice(sources)[0]
                if other.key != complaint.key:
                    related.append(other.key)
            team = successor_on(ctx, teams, complaint.teams[0], created) if complaint.teams else None
            status: str
            implemented = None
            evidence = reason = ""
            if due > ctx.end:
                status = rng.choice((c.LearningActionStatus.PLANNED, c.LearningActionStatus.IN_PROGRESS))
            else:
                roll = rng.random()
                if roll < 0.65:
                    status = c.LearningActionStatus.IMPLEMENTED
                    latest = min(ctx.add(due, 15), ctx.end)
                    earliest = min(ctx.add(created, 10), latest)
                    implemented = ctx.working_day_in(earliest, latest)
                    evidence = rng.choice(t.EVIDENCE)
                elif roll < 0.8:
                    status = c.LearningActionStatus.NOT_IMPLEMENTED
                    reason = rng.choice(t.NOT_IMPLEMENTED_REASONS)
                else:
                    status = c.LearningActionStatus.IN_PROGRESS  # overdue
            plans.append(
                LearningActionPlan(
                    key="",
                    cases=tuple(related),
                    finding=finding,
                    action=action,
                    owner="manager",
                    team=team,
                    created_date=created,
                    due_date=due,
                    status=status,
                    implemented_date=implemented,
                    evidence=evidence,
                    not_implemented_reason=reason,
                )
            )
    plans.sort(key=lambda plan: (plan.created_date, plan.cases))
    return plans


# -- freezing ------------------------------------------------------------------------------------------------
