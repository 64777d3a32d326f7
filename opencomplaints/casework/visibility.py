"""The case page and its actions as one user may see them: ``cases.access.case_permissions`` decides, this only
applies the decision to what the page shows and offers, so nothing is shown or offered that the user may not have."""

from __future__ import annotations

from dataclasses import replace

from opencomplaints.cases.access import CasePermissions
from opencomplaints.casework.actions import ActionLink, CaseActions
from opencomplaints.casework.selectors import CasePage

__all__ = ["visible_actions", "visible_page"]


def visible_page(page: CasePage, permissions: CasePermissions) -> CasePage:
    """``page`` without the stages, deadlines, documents and whole-case sections ``permissions`` keeps from the
    user (an external investigating officer, say, sees stage 2 and nothing of the Ombudsman or remedies)."""
    if permissions.stage_ids is None and permissions.sees_whole_case:
        return page
    stages = [view for view in page.stages if permissions.sees_stage(view.stage)]
    shown = {view.stage.pk for view in stages}
    for point in page.points:
        point.findings = {number: finding for number, finding in point.findings.items() if finding.stage_id in shown}
    whole = permissions.sees_whole_case
    return replace(
        page,
        stages=stages,
        deadlines=[row for row in page.deadlines if permissions.sees_stage(row.deadline.stage_id)],
        documents=[document for document in page.documents if permissions.sees_stage(document.stage_id)],
        remedies=page.remedies if whole else [],
        learning_actions=page.learning_actions if whole else [],
        timeline=page.timeline if whole else [],
        messages=page.messages if whole else [],
        linked_from=page.linked_from if whole else [],
        ombudsman_cases=page.ombudsman_cases if whole else [],
    )


def _allowed(links: list[ActionLink], permissions: CasePermissions) -> list[ActionLink]:
    return [link for link in links if permissions.allows(link.name)]


def visible_actions(actions: CaseActions, permissions: CasePermissions) -> CaseActions:
    """Only the actions ``permissions`` allows: a button the user could not use is never shown."""
    return CaseActions(
        next_steps=_allowed(actions.next_steps, permissions),
        case=_allowed(actions.case, permissions),
        complainants={k: v for k, v in ((k, _allowed(v, permissions)) for k, v in actions.complainants.items()) if v},
        learning={k: v for k, v in ((k, _allowed(v, permissions)) for k, v in actions.learning.items()) if v},
        changes={name: url for name, url in actions.changes.items() if permissions.allows(name)},
        points={k: v for k, v in ((k, _allowed(v, permissions)) for k, v in actions.points.items()) if v},
        recommendations={
            k: v for k, v in ((k, _allowed(v, permissions)) for k, v in actions.recommendations.items()) if v
        },
        remedies={k: v for k, v in ((k, _allowed(v, permissions)) for k, v in actions.remedies.items()) if v},
    )
