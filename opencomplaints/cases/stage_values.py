"""A case's current details copied to its stages (docs/adr/0010-per-stage-values.md).

Each stage keeps the details as they stood for it (how it was received, teams, issues, service area, who
complained, the child's support category, mediation, advocacy). :func:`stage_values_copy` gives stages the current
values of their cases: migration ``cases.0006`` calls it for every stage recorded before stages had their own, and
the services that open a stage call it for the new one. Set-based: a few queries a chunk of stages, whatever their
number.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["STAGE_VALUE_FIELDS", "stage_values_copy"]

_CHUNK = 2000
#: The stage's own columns this module fills (its teams and issues aside).
STAGE_VALUE_FIELDS = (
    "received_via",
    "service_area",
    "mediation",
    "advocacy_provided",
    "complainant_type",
    "support_category",
)


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for start in range(0, len(ids), _CHUNK):
        yield ids[start : start + _CHUNK]


def stage_values_copy(*, models: Any, stage_ids: Sequence[int]) -> None:
    """Give the stages ``stage_ids`` their case's current values, replacing any teams and issues they had.

    ``models`` gives ``get_model(app, name)``: the app registry, or a migration's historical ``apps``.
    """
    stage_model = models.get_model("cases", "Stage")
    stage_team = models.get_model("cases", "StageTeam")
    stage_issue = models.get_model("cases", "StageIssue")
    case_team = models.get_model("cases", "CaseTeam")
    case_issue = models.get_model("cases", "CaseIssue")
    complainant = models.get_model("cases", "CaseComplainant")
    child = models.get_model("cases", "CaseChild")
    case_model = models.get_model("cases", "Case")
    for chunk in _chunks(sorted(stage_ids)):
        stages = list(stage_model.objects.filter(pk__in=chunk).order_by().only("id", "case_id"))
        case_ids = sorted({s.case_id for s in stages})
        cases = {
            row["id"]: row
            for row in case_model.objects.filter(pk__in=case_ids)
            .order_by()
            .values("id", "received_via", "service_area_id", "mediation", "advocacy_provided")
        }
        teams: dict[int, list[tuple[int, int]]] = defaultdict(list)
        for case_id, _position, _id, team_id, area_id in sorted(
            case_team.objects.filter(case_id__in=case_ids).values_list(
                "case_id", "position", "id", "team_id", "service_area_id"
            )
        ):
            teams[case_id].append((team_id, area_id))
        issues: dict[int, list[int]] = defaultdict(list)
        for case_id, _position, _id, category_id in sorted(
            case_issue.objects.filter(case_id__in=case_ids).values_list("case_id", "position", "id", "category_id")
        ):
            issues[case_id].append(category_id)
        complainant_type: dict[int, str] = {}
        for case_id, _not_primary, _id, kind in sorted(
            (case_id, not primary, pk, kind)
            for case_id, primary, pk, kind in complainant.objects.filter(case_id__in=case_ids).values_list(
                "case_id", "is_primary", "id", "complainant_type"
            )
        ):
            complainant_type.setdefault(case_id, kind)
        support: dict[int, str] = {}
        for case_id, _id, category in sorted(
            child.objects.filter(case_id__in=case_ids).values_list("case_id", "id", "support_category")
        ):
            support.setdefault(case_id, category)

        new_teams, new_issues = [], []
        for stage in stages:
            case = cases[stage.case_id]
            links = teams.get(stage.case_id, [])
            stage.received_via = case["received_via"]
            stage.service_area_id = links[0][1] if links else case["service_area_id"]
            stage.mediation = case["mediation"]
            stage.advocacy_provided = case["advocacy_provided"]
            stage.complainant_type = complainant_type.get(stage.case_id, "")
            stage.support_category = support.get(stage.case_id, "")
            new_teams += [
                stage_team(stage_id=stage.pk, team_id=team_id, position=position)
                for position, (team_id, _area) in enumerate(links)
            ]
            new_issues += [
                stage_issue(stage_id=stage.pk, category_id=category_id, position=position)
                for position, category_id in enumerate(issues.get(stage.case_id, []))
            ]
        stage_model.objects.bulk_update(
            stages,
            list(STAGE_VALUE_FIELDS),
            batch_size=500,
        )
        stage_team.objects.filter(stage_id__in=chunk).delete()
        stage_issue.objects.filter(stage_id__in=chunk).delete()
        stage_team.objects.bulk_create(new_teams, batch_size=500)
        stage_issue.objects.bulk_create(new_issues, batch_size=500)
