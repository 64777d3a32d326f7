"""Historic figures in the demonstration: six reporting years before the case data begins, by service area, as a
council brings them in from its published reports (``import-historic``), so the report's trend tables by service
area run for nine years: stage 1 and 2 complaints received, stage 1 completed, upheld and withdrawn, each area's
figures a little lower the further back they go, from the area's own first year of case data."""

from __future__ import annotations

from collections import Counter

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Stage
from opencomplaints.councils.models import Council
from opencomplaints.reporting.periods import reporting_year, reporting_year_of
from opencomplaints.reporting.services import BreakdownFigure, historic_breakdowns_set

__all__ = ["HISTORIC_YEARS", "historic_demo"]

HISTORIC_YEARS = 6
# Each year back, the figures as a share of the first year of case data (some years busier than the next).
_SCALE = (0.94, 0.9, 0.93, 0.85, 0.8, 0.76)


def historic_demo(*, council: Council) -> int:
    """Write the demonstration council's historic figures by service area; returns how many."""
    first = Stage.objects.filter(case__council=council).order_by("received_date").values_list("received_date")[:1]
    if not first:
        return 0
    first_year = reporting_year_of(first[0][0])
    period = reporting_year(first_year)
    stages = Stage.objects.filter(
        case__council=council, case__procedure=c.Procedure.CHILDREN_STATUTORY, number__in=(1, 2)
    ).exclude(service_area=None)
    received = Counter(
        stages.filter(received_date__range=(period.start, period.end)).values_list("number", "service_area__name")
    )
    areas = sorted({area for number, area in received if number == 1})
    figures: list[BreakdownFigure] = []
    for back, scale in enumerate(_SCALE, start=1):
        year = first_year - back
        for position, area in enumerate(areas):
            stage1 = max(3, round(received[(1, area)] * scale))
            completed = max(1, stage1 - (back + position) % 3)
            upheld = round(completed * (0.18 + 0.03 * ((back + position) % 4)))
            withdrawn = (back + position) % 2
            stage2 = max(0, round(received[(2, area)] * scale) + (position + back) % 2 - 1)
            for stage, measure, value in (
                (1, "received", stage1),
                (1, "completed", completed),
                (1, "upheld", upheld),
                (1, "withdrawn", withdrawn),
                (2, "received", stage2),
            ):
                figures.append(BreakdownFigure(year, stage, measure, "service_area", area, value))
    historic_breakdowns_set(council=council, figures=figures, acting_user=None)
    return len(figures)
