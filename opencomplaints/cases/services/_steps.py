"""What the steps of stages 2 and 3 of the children's statutory procedure share (``stage2``, ``stage3``): the checks
before each step and the recommendations the investigation and the review panel make (R1.28, R1.32, R1.33)."""

from __future__ import annotations

from collections.abc import Sequence

from opencomplaints.cases import constants as c
from opencomplaints.cases import errors, rules
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Recommendation, Stage
from opencomplaints.cases.services._common import CaseState, clean, require_complaint, require_open, require_stage_open
from opencomplaints.cases.services.inputs import RecommendationInput

type RecommendationGiven = str | RecommendationInput


def step_check(state: CaseState, stage: Stage, step: str) -> rules.StepRule:
    """The checks every stage 2 and 3 step shares: the right stage of the children's procedure, still open, with
    what must come first already recorded (``rules.STEP_RULES``)."""
    rule = rules.STEP_RULES[step]
    require_complaint(state.case)
    require_open(state.case)
    if state.case.procedure != c.Procedure.CHILDREN_STATUTORY or stage.number != rule.stage:
        raise ProcedureError(errors.NOT_STAGE.format(number=rule.stage))
    require_stage_open(stage)
    for requirement in rule.requires:
        if getattr(stage, requirement.field) is None:
            raise ProcedureError(
                errors.REQUIRED_FIRST.format(missing=requirement.missing, action=rule.action, rule=rule.rule)
            )
    return rule


def recommendations_build(stage: Stage, given: Sequence[RecommendationGiven]) -> list[Recommendation]:
    """Numbered, checked recommendation rows (not saved). Not following one needs a reason (R1.33)."""
    rows: list[Recommendation] = []
    for number, item in enumerate(given, start=1):
        recommendation = RecommendationInput(text=item) if isinstance(item, str) else item
        text = recommendation.text.strip()
        if not text:
            raise ProcedureError(errors.RECOMMENDATION_EMPTY.format(number=number), field="recommendations")
        reason = recommendation.reason.strip()
        if recommendation.accepted is False and not reason:
            raise ProcedureError(
                errors.RECOMMENDATION_REJECTED_WITHOUT_REASON.format(number=number), field="recommendations"
            )
        row = Recommendation(stage=stage, number=number, text=text, accepted=recommendation.accepted, reason=reason)
        clean(row)
        rows.append(row)
    return rows


def recommendations_replace(stage: Stage, rows: Sequence[Recommendation]) -> None:
    """The stage's recommendations become ``rows`` (built by :func:`recommendations_build`)."""
    Recommendation.objects.filter(stage=stage).delete()
    if rows:
        Recommendation.objects.bulk_create(rows)
