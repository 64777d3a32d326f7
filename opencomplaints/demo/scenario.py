"""The demonstration data's public face: plan it (``plan_demo``), read a plan, and the published personas.

The data is declared in parts, each a module of its own:

- ``people``: the personas, their roles and the synthetic people; ``texts``: the words and the councils.
- ``generator`` (with ``draws``, ``structure``, ``complainants``, ``stages``, ``escalation``, ``other_cases`` and
  the ``showcase`` cases): a seeded, deterministic plan of each year's mix of cases (``plans``).
- ``timeline``: each planned case as the sequence of events that happened to it (``events``).
- ``player``: one generic player that applies each event through the domain services.
- ``builder``: the build in one transaction, and ``steps``: what else each council is given (letters, reports,
  integrations…), the one place to add a new part of the demonstration.
"""

from __future__ import annotations

from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.deadlines import CHILDREN_STATUTORY, WorkingDayCalendar, stage_due_dates
from opencomplaints.demo.draws import restructure_date, year_windows
from opencomplaints.demo.generator import plan_demo
from opencomplaints.demo.people import DEMO_PASSWORD, DEMO_SLUGS, MAX_COUNCILS, PERSONAS
from opencomplaints.demo.plans import ComplaintPlan, CouncilPlan, DemoPlan, StagePlan, registration_order

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_SLUGS",
    "MAX_COUNCILS",
    "PERSONAS",
    "ComplaintPlan",
    "CouncilPlan",
    "DemoPlan",
    "plan_demo",
    "registration_order",
    "restructure_date",
    "stage_due_date",
    "year_windows",
]


def stage_due_date(*, complaint: ComplaintPlan, stage: StagePlan, calendar: WorkingDayCalendar) -> date | None:
    """The date the next step of an open statutory stage is due, from the deadline engine (R1.20, R1.26, R1.31-R1.33):
    the response at stages 1 and 2 (the agreed extended date where there is one), and at stage 3 whichever of the
    panel, its report and the council's response comes next. None for other procedures."""
    if complaint.procedure != c.Procedure.CHILDREN_STATUTORY:
        return None
    if stage.number == 1:
        anchors = {"received": stage.received_date}
        agreed = {"stage1_response": stage.extension.extended_due_date} if stage.extension else None
        key = "stage1_response"
    elif stage.number == 2:
        anchors = {"stage2_request_received": stage.received_date}
        if stage.statement_agreed_date is not None:
            anchors["stage2_start"] = stage.statement_agreed_date
        agreed = {"stage2_response": stage.extension.extended_due_date} if stage.extension else None
        key = "stage2_response"
    else:
        anchors = {"stage3_request_received": stage.received_date}
        key = "stage3_panel"
        if stage.panel_date is not None:
            anchors["panel_held"] = stage.panel_date
            key = "stage3_panel_report"
        if stage.panel_report_date is not None:
            anchors["panel_report_received"] = stage.panel_report_date
            key = "stage3_response"
        agreed = None
    dues = stage_due_dates(
        procedure=CHILDREN_STATUTORY, stage=stage.number, anchors=anchors, calendar=calendar, agreed=agreed
    )
    return next(due.applicable_due_on for due in dues if due.key == key)
