"""Closing complaints whose window to ask for the next stage has passed (R1.22, R1.29; R3.9 for corporate
procedures), by the daily job ``opencomplaints.cases.tasks.complaints_close_after_window``.

Until the window ends the complainant may still ask for the next stage, so the case stays open; after it nothing is
left to do, and a case left open would sit in the tracker (and the weekly digest) as overdue on a date that is only
the complainant's. A request that comes later still can be accepted: reopen the case without reopening the stage
(``complaint_reopen(..., reopen_stage=False)``), then open the next stage with the late request decision.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, rules
from opencomplaints.cases.models import Case, Deadline, Hold, Stage
from opencomplaints.cases.services._common import lock_case, open_hold
from opencomplaints.cases.services.complaints import complaint_close
from opencomplaints.councils.models import Council

__all__ = [
    "AUTO_CLOSE_INVALID",
    "AUTO_CLOSE_UNKNOWN_COUNCILS",
    "auto_close_council_slugs",
    "complaints_close_after_window",
]

logger = logging.getLogger(__name__)

AUTO_CLOSE_INVALID = (
    'OPENCOMPLAINTS_AUTO_CLOSE_AFTER_WINDOW must be "true", "false" or council slugs separated by commas, not {value}'
)
AUTO_CLOSE_UNKNOWN_COUNCILS = (
    "OPENCOMPLAINTS_AUTO_CLOSE_AFTER_WINDOW names councils that do not exist: {slugs}. Use the slugs of existing "
    'councils separated by commas, "true" for every council or "false" for none'
)
_TRUE = frozenset({"true", "yes", "on", "1", "all"})
_FALSE = frozenset({"false", "no", "off", "0", "none", ""})


def auto_close_council_slugs(value: object) -> frozenset[str] | bool:
    """Read ``OPENCOMPLAINTS["AUTO_CLOSE_AFTER_WINDOW"]``: ``True`` for every council, ``False`` for none, or the
    slugs of the councils that close complaints this way (a comma-separated string, or a list)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        value = value.split(",")
    if isinstance(value, Iterable):
        return frozenset(slug for slug in (str(v).strip() for v in value) if slug)
    raise ImproperlyConfigured(AUTO_CLOSE_INVALID.format(value=repr(value)))


def _councils(council: Council | None) -> QuerySet[Council]:
    scope = auto_close_council_slugs(settings.OPENCOMPLAINTS.get("AUTO_CLOSE_AFTER_WINDOW", True))
    councils = Council.objects.all()
    if council is not None:
        councils = councils.filter(pk=council.pk)
    if scope is False:
        return councils.none()
    if scope is True:
        return councils
    unknown = scope - set(Council.objects.filter(slug__in=scope).values_list("slug", flat=True))
    if unknown:
        raise ImproperlyConfigured(AUTO_CLOSE_UNKNOWN_COUNCILS.format(slugs=", ".join(sorted(unknown))))
    return councils.filter(slug__in=scope)


def _candidates(*, today: date, councils: QuerySet[Council]) -> list[int]:
    """Open, accepted complaints with no stage open, no hold open, and a stored window for the next stage whose
    last day is before ``today``. The stored windows follow the calendar (``deadlines_recompute_open``); each
    case is checked again, with the window worked out afresh, once it is locked."""
    window_passed = Deadline.objects.filter(
        case=OuterRef("pk"), kind=c.DeadlineKind.REQUEST_WINDOW, met_date__isnull=True, due_date__lt=today
    )
    stage_open = Stage.objects.filter(case=OuterRef("pk"), response_date__isnull=True)
    hold_open = Hold.objects.filter(stage__case=OuterRef("pk"), end_date__isnull=True)
    return list(
        Case.objects.filter(
            council__in=councils,
            kind=c.Kind.COMPLAINT,
            closed_date__isnull=True,
            acceptance=c.Acceptance.ACCEPTED,
        )
        .filter(Exists(window_passed), ~Exists(stage_open), ~Exists(hold_open))
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _reopened_on(case_ids: list[int]) -> dict[int, date]:
    """The latest date each case was reopened on, from the audit trail (the reopening is recorded nowhere else)."""
    latest: dict[int, date] = {}
    events = AuditEvent.objects.filter(case_id__in=case_ids, event_type=AuditEventType.CASE_REOPENED)
    for case_id, after in events.values_list("case_id", "after"):
        reopened = after.get("reopened_date") if isinstance(after, dict) else None
        if case_id is None or not reopened:
            continue
        on = date.fromisoformat(reopened)
        if case_id not in latest or on > latest[case_id]:
            latest[case_id] = on
    return latest


@transaction.atomic
def _close_one(
    case_id: int, *, today: date, reopened_on: date | None, clock: deadlines.Clock, acting_user: User | None
) -> bool:
    case = Case.objects.select_for_update().get(pk=case_id)
    state = lock_case(case)
    last = state.last
    # Checked again under the lock: a person may have recorded something since the list was read.
    if (
        case.closed_date is not None
        or case.kind != c.Kind.COMPLAINT
        or case.acceptance != c.Acceptance.ACCEPTED
        or last is None
        or last.response_date is None
        or last.outcome not in rules.ESCALATABLE_OUTCOMES
        or state.open_stage is not None
        or any(open_hold(state, stage) is not None for stage in state.stages)
    ):
        return False
    window = deadlines.request_window(
        procedure=deadlines.procedure_for_case(case),
        number=last.number + 1,
        previous_response_date=deadlines.response_received(last),
        clock=clock,
    )
    if window is None or window.due_on >= today:
        return False
    if reopened_on is not None and reopened_on >= window.due_on:
        # Reopened by a person after the window ended, to take a late request (R1.22, R1.29): theirs to close.
        return False
    complaint_close(case=case, acting_user=acting_user, closed_date=window.due_on)
    return True


def complaints_close_after_window(
    *, today: date, acting_user: User | None = None, council: Council | None = None
) -> int:
    """Close every open complaint (of ``council``, or of every council the setting allows) whose last stage was
    answered and whose window to ask for the next stage ended before ``today``; returns how many were closed.

    Each is closed through ``complaint_close``, so each has its one "Case closed" audit event, with ``acting_user``
    ``None``: the system did it. The closing date is **the window's last day**, not the day the job ran:

    - it is the day the complaint really ended: until then the complainant could still ask for the next stage, so
      the case was rightly open in any period that ends inside the window;
    - it does not depend on when the job runs: a run missed for days, or the first run after installing this
      (which closes every earlier case whose window has passed), gives every case the date a run on the morning
      after its window would have, and running again gives the same answer;
    - the annual report counts each stage by the dates it was received and answered, never by the closing date,
      so closing moves none of its figures; a council that also counts by date closed (R1.41) sees a window
      ending on 31 March close its case in that reporting year, not in the next one because the job ran on
      1 April. The retention period runs from the same day (docs/adr/0006-retention.md);
    - it is never before the last response (the window runs from it), so ``complaint_close`` accepts it.

    Not closed: a complaint with a stage or a hold still open (the council's clock is running or stopped, not
    finished); one withdrawn or not accepted (already closed by ``complaint_withdraw`` and ``complaint_decline``);
    one answered at the procedure's last stage (closed by its response); a corporate procedure with no escalation
    window (closed by a person); and one a person reopened on or after its window's last day (to take a late
    request), which stays open until they open the stage or close it. Restricted cases are closed like any other:
    the restriction limits who sees a case, not its procedure, and stays as it was. The result is a count only,
    so nothing of a case reaches the job's record.

    Running it again changes nothing. Each case is closed in its own transaction, so one that fails leaves the
    others closed; the run then fails (naming the cases by id only) so the scheduler tries again.
    """
    councils = _councils(council)
    case_ids = _candidates(today=today, councils=councils)
    if not case_ids:
        return 0
    reopened = _reopened_on(case_ids)
    clock = deadlines.current_clock()
    closed, failed = 0, []
    for case_id in case_ids:
        try:
            if _close_one(
                case_id, today=today, reopened_on=reopened.get(case_id), clock=clock, acting_user=acting_user
            ):
                closed += 1
        except Exception:  # one case's failure must not keep the others open
            logger.exception("Could not close case #%s after its request window", case_id)
            failed.append(case_id)
    if failed:
        raise RuntimeError(f"Closed {closed} complaints; could not close cases {failed}")
    return closed
