"""What the case page warns about without refusing anything: rules that ask for a judgement, not a bar.

- R1.14: a complaint that re-raises matters already considered at every stage of an earlier complaint need not be
  investigated again, unless there is new and substantial information.
- R1.15: the Ombudsman normally does not take a complaint made to it more than 12 months after the complainant
  became aware of the matter. The day they became aware is taken as the council's last response on the complaint
  (its final word), or the day the grounds arose where there was none.

The words are for complaints officers: no rule numbers (they are in these comments)."""

from __future__ import annotations

from datetime import date

from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, OmbudsmanDetail, Stage
from opencomplaints.common.dates import long_date
from opencomplaints.deadlines import time_limit_last_day

__all__ = ["OMBUDSMAN_LIMIT_MONTHS", "case_warnings", "ombudsman_time_limit"]

OMBUDSMAN_LIMIT_MONTHS = 12  # R1.15, Local Government Act 1974 ss26B and 34D

PREVIOUSLY_CONSIDERED = (
    "{reference}, which this complaint follows, was considered at every stage of the procedure. The same matters "
    "need not be investigated again unless there is new and substantial information: if so, record what it is in a "
    "note; if not, consider not accepting the complaint."
)
OMBUDSMAN_LATE = (
    "The Ombudsman received this more than 12 months after the complainant became aware of the matter ({basis} "
    "{aware}, so the usual limit was {limit}). The Ombudsman may decline it unless there are good reasons."
)
_BASIS = {True: "the council's last response was on", False: "the matter arose on"}


def _considered_at_every_stage(case: Case) -> bool:
    # R1.14: all three stages of the children's procedure dealt with (the council answered the panel).
    return (
        Stage.objects.filter(case=case, number=3, response_date__isnull=False)
        .exclude(outcome__in=[c.Outcome.WITHDRAWN, c.Outcome.NOT_ACCEPTED])
        .exists()
    )


def ombudsman_time_limit(detail: OmbudsmanDetail) -> tuple[date, date, bool] | None:
    """R1.15: the day the complainant is taken to have become aware of the matter, the last day of the
    Ombudsman's usual 12 months after it, and whether that day is a response of the council's; ``None`` when the
    council's complaint (or any date on it) is not known."""
    complaint = detail.complaint
    if complaint is None:
        return None
    responses = [d for d in Stage.objects.filter(case=complaint).values_list("response_date", flat=True) if d]
    aware = max(responses) if responses else complaint.grounds_arose_date
    if aware is None:
        return None
    return aware, time_limit_last_day(aware, OMBUDSMAN_LIMIT_MONTHS), bool(responses)


def case_warnings(*, case: Case) -> list[str]:
    """The warnings the case page shows for ``case`` (one or two small queries, only where they can apply)."""
    warnings: list[str] = []
    linked = case.linked_case
    if case.kind == c.Kind.COMPLAINT and linked is not None and _considered_at_every_stage(linked):
        warnings.append(PREVIOUSLY_CONSIDERED.format(reference=linked.reference))
    detail = getattr(case, "ombudsman", None) if case.kind == c.Kind.OMBUDSMAN else None
    if detail is not None:
        limit = ombudsman_time_limit(detail)
        if limit is not None and case.received_date > limit[1]:
            aware, last, responded = limit
            basis = _BASIS[responded]
            warnings.append(OMBUDSMAN_LATE.format(basis=basis, aware=long_date(aware), limit=long_date(last)))
    return warnings
