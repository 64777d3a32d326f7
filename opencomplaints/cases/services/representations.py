"""Representations that are not complaints (R1.5): potential complaints, queries, MP and councillor enquiries and
compliments. Each has one response, not stages."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, errors
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.kinds import kind_of, representation_kinds
from opencomplaints.cases.models import Case, CaseTeam, ComplimentDetail, EnquiryDetail
from opencomplaints.cases.services._common import (
    changes,
    clean,
    day,
    lock_case,
    record,
    require_choice,
    require_not_before,
    require_open,
    require_same_council,
    save_changes,
    snapshot,
)
from opencomplaints.cases.services.allocation import require_may_own
from opencomplaints.cases.services.inputs import ComplimentInput, EnquirerInput
from opencomplaints.cases.services.references import reference_for
from opencomplaints.councils.models import Council, Team
from opencomplaints.councils.selectors import local_timescales_current

__all__ = ["representation_register", "representation_respond"]


def _check_received(received_date: date, received_at: datetime | None) -> None:
    if received_at is not None and timezone.localtime(received_at).date() != received_date:
        raise ProcedureError(
            errors.RECEIVED_AT_MISMATCH.format(
                received_date=day(received_date), received_at=f"{timezone.localtime(received_at):%d/%m/%Y %H:%M}"
            ),
            field="received_date",
        )


@transaction.atomic
def representation_register(
    *,
    council: Council,
    acting_user: User | None,
    kind: str,
    received_date: date,
    topic: str = "",
    summary: str = "",
    teams: Sequence[Team] = (),
    enquirer: EnquirerInput | None = None,
    compliment: ComplimentInput | None = None,
    received_at: datetime | None = None,
    received_via: str = c.ReceivedVia.UNKNOWN,
    owner: User | None = None,
    reference: str | None = None,
    linked_case: Case | None = None,
) -> Case:
    """Register a potential complaint, query, MP or councillor enquiry (with its ``enquirer``) or compliment (with
    what it praises). An enquiry's response is due in the council's working days for an enquiry (its local timescales
    in force, kept by the case)."""
    if kind not in representation_kinds():
        raise ProcedureError(errors.REPRESENTATION_KIND_INVALID.format(kind=kind), field="kind")
    _check_received(received_date, received_at)
    expected = kind_of(kind).enquirer_type
    if expected:
        if enquirer is None or not enquirer.name.strip():
            raise ProcedureError(errors.ENQUIRY_NEEDS_ENQUIRER, field="enquirer")
        if enquirer.enquirer_type != expected:
            raise ProcedureError(
                errors.ENQUIRER_TYPE_MISMATCH.format(
                    kind=kind_of(kind).label, expected=f"a {c.EnquirerType(expected).label.lower()}"
                ),
                field="enquirer",
            )
    elif enquirer is not None:
        raise ProcedureError(
            errors.DETAIL_FOR_OTHER_KIND.format(detail="Enquirer", kind="MP and councillor enquiry"), field="enquirer"
        )
    if compliment is not None and kind != c.Kind.COMPLIMENT:
        raise ProcedureError(
            errors.DETAIL_FOR_OTHER_KIND.format(detail="Compliment", kind="compliment"), field="compliment"
        )
    for team in teams:
        require_same_council(council, team, f"The team {team}")
    if compliment is not None:
        require_same_council(council, compliment.about_team, f"The team {compliment.about_team}")
    require_same_council(council, linked_case, "The linked case")
    require_may_own(council, owner)
    require_choice(received_via, c.ReceivedVia, "way of receiving", field="received_via")

    case = Case(
        council=council,
        local_timescales=local_timescales_current(council=council),
        reference=reference_for(council=council, reference=reference, received_date=received_date),
        kind=kind,
        procedure="",
        received_at=received_at,
        received_date=received_date,
        received_via=received_via,
        topic=topic.strip(),
        summary=summary.strip(),
        owner=owner,
        linked_case=linked_case,
    )
    rows, summary_fields = deadlines.case_deadlines_plan(case=case)
    deadlines.case_summary_apply(case, summary_fields)
    clean(case)
    case.save()
    unique_teams = list({t.pk: t for t in teams}.values())
    if unique_teams:
        CaseTeam.objects.bulk_create(
            CaseTeam(case=case, team=team, service_area_id=team.service_area_id, position=i)
            for i, team in enumerate(unique_teams)
        )
    detail: dict[str, object] = {}
    if enquirer is not None:
        enquiry = EnquiryDetail(
            case=case,
            enquirer_type=enquirer.enquirer_type,
            enquirer_name=enquirer.name.strip(),
            constituency_or_ward=enquirer.constituency_or_ward.strip(),
        )
        clean(enquiry)
        enquiry.save()
        detail = {"enquirer_type": enquiry.enquirer_type, "enquirer_name": FreeText(enquiry.enquirer_name)}
    if kind == c.Kind.COMPLIMENT:
        given = compliment or ComplimentInput()
        praise = ComplimentDetail(
            case=case, about_team=given.about_team, about_person=given.about_person.strip(), quote=given.quote.strip()
        )
        clean(praise)
        praise.save()
        detail = {"about_team": praise.about_team_id, "about_person": FreeText(praise.about_person)}
    deadlines.case_deadlines_store(case=case, rows=rows, existing=())
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REPRESENTATION_REGISTERED,
        subject=case,
        case=case,
        summary=f"{kind_of(kind).label} {case.reference} registered",
        after={
            "reference": case.reference,
            "kind": kind,
            "received_date": received_date,
            "received_via": received_via,
            "topic": FreeText(case.topic),
            "teams": [t.pk for t in unique_teams],
            "owner": case.owner_id,
            "status": case.status,
            "response_due_date": case.response_due_date,
            **detail,
        },
    )
    return case


@transaction.atomic
def representation_respond(*, case: Case, acting_user: User | None, responded_date: date, outcome: str = "") -> Case:
    """Record the response to a representation that is not a complaint; it closes the case."""
    lock_case(case)
    if case.kind not in representation_kinds():
        raise ProcedureError(
            errors.WRONG_KIND.format(
                reference=case.reference, kind=case.get_kind_display().lower(), expected="a representation"
            )
        )
    require_open(case)
    require_not_before(responded_date, case.received_date, what="The response", other_what="the date received")
    outcome = outcome or ""
    allowed = dict(kind_of(case.kind).outcomes)
    if outcome not in allowed:
        # A compliment has no outcome and an enquiry is answered, not upheld (issue 15, item 8).
        raise ProcedureError(
            errors.REPRESENTATION_OUTCOME_INVALID.format(
                kind=case.get_kind_display().lower(), choices=", ".join(str(v) for v in allowed.values())
            ),
            field="outcome",
        )
    fields = ("responded_date", "outcome", "closed_date", "status", "next_due_date")
    before = snapshot(case, fields)
    case.responded_date = responded_date
    case.outcome = outcome
    case.closed_date = responded_date
    derived = deadlines.case_deadlines_refresh(case=case)
    save_changes(case, ["responded_date", "outcome", "closed_date", *derived])
    old, new = changes(before, snapshot(case, fields))
    record(
        acting_user=acting_user,
        event_type=AuditEventType.REPRESENTATION_RESPONDED,
        subject=case,
        case=case,
        summary=f"{case.get_kind_display()} {case.reference} responded to",
        before=old,
        after=new,
    )
    return case
