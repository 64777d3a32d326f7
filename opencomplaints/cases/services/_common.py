"""What every case service does the same way: lock and load the case, check councils and dates, clean and save,
and record the audit event."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar

from django.apps import apps
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Exists, OuterRef

from opencomplaints.accounts.models import User
from opencomplaints.audit.models import AuditEventType
from opencomplaints.audit.services import FreeText, audit_event_record
from opencomplaints.audit.services.events import free_text_field
from opencomplaints.cases import constants as c
from opencomplaints.cases import deadlines, errors
from opencomplaints.cases.concurrency import bump_version
from opencomplaints.cases.errors import ProcedureError
from opencomplaints.cases.models import Case, Hold, Stage
from opencomplaints.cases.stage_values import STAGE_VALUE_FIELDS, stage_values_copy
from opencomplaints.common.dates import long_date
from opencomplaints.councils.models import Contact, ContactCapacity, Council, CouncilMembership, Role

M = TypeVar("M", bound=models.Model)

# Case fields the bridge derives; an audit event shows them when a service changes them.
DERIVED_CASE_FIELDS = ("status", "current_stage", "next_due_date", "outcome", "response_due_date")


def day(value: date) -> str:
    """A date as messages show it (GOV.UK style: Monday 13 June 2022)."""
    return long_date(value)


def clean(instance: models.Model) -> None:
    """``full_clean()``, with the first problem raised as a ``ProcedureError``: the services check the rules they
    know first, with their own messages, so this is the backstop for field values (choices, lengths, blanks).

    Constraints are left to the database, which checks every one of them on each write anyway: Django validates a
    constraint in Python by running a query built from every field of the model, which made each save about ten
    times slower. A constraint the services did not check first is a programming error, and the database's
    ``IntegrityError`` rolls the whole service back. Foreign keys are left to the database for the same reason: the
    services pass the related objects themselves, and Django would query each one again to prove it exists.
    """
    relations = [f.name for f in instance._meta.concrete_fields if f.is_relation]
    try:
        instance.full_clean(exclude=relations, validate_constraints=False)
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            name, messages = next(iter(error.message_dict.items()))
            raise ProcedureError(
                errors.INVALID_RECORD.format(message=messages[0]), field=None if name == NON_FIELD_ERRORS else name
            ) from error
        raise ProcedureError(errors.INVALID_RECORD.format(message=error.messages[0])) from error


def save_changes(instance: models.Model, fields: Iterable[str]) -> None:
    """Clean and save only ``fields`` (convention 3), with ``updated_at`` where the model has it."""
    names = list(dict.fromkeys(fields))
    if not names:
        return
    if any(f.name == "updated_at" for f in instance._meta.concrete_fields):
        names.append("updated_at")
    clean(instance)
    instance.save(update_fields=names)


def snapshot(instance: models.Model, fields: Iterable[str]) -> dict[str, Any]:
    """The values of ``fields`` for an audit event, the words of each free-text field (a note, a reason, a name)
    wrapped in ``FreeText``, so the trail keeps only that it changed and its length (docs/adr/0006-retention.md)."""
    values: dict[str, Any] = {}
    for name in fields:
        value = getattr(instance, name)
        if isinstance(value, str) and free_text_field(instance._meta.get_field(name)):
            value = FreeText(value)
        values[name] = value
    return values


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The fields whose value differs, before and after."""
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def record(
    *,
    acting_user: User | None,
    event_type: AuditEventType,
    subject: models.Model,
    case: Case | int | None,
    summary: str,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> None:
    """The service's one audit event, on the case's timeline (``case`` is the case or its id). Free text in
    ``before`` and ``after`` must be ``FreeText`` (``snapshot`` wraps model fields), and ``summary`` must hold none:
    it names people and documents by record id."""
    audit_event_record(
        acting_user=acting_user,
        event_type=event_type,
        subject=subject,
        summary=summary,
        case_id=case.pk if isinstance(case, Case) else case,
        before=before,
        after=after,
    )


def require_same_council(council: Council | int, obj: models.Model | None, what: str) -> None:
    """R1.39 keeps each council's record separate: nothing of another council may be attached to a case."""
    if obj is None:
        return
    council_id = council if isinstance(council, int) else council.pk
    if getattr(obj, "council_id", None) != council_id:
        name = council.name if isinstance(council, Council) else "this council"
        raise ProcedureError(errors.OTHER_COUNCIL.format(what=what, council=name))


INDEPENDENT_ROLES = frozenset({Role.INDEPENDENT_PERSON, Role.PANEL_MEMBER})

#: Someone given a part in a case: a user, or one of the council's contacts without an account (docs/adr/0032).
type Appointee = User | Contact


def appointee_ref(person: Appointee) -> str:
    """``user:<id>`` or ``contact:<id>``: users and contacts are numbered apart, so a part is named by both."""
    return f"{'contact' if isinstance(person, Contact) else 'user'}:{person.pk}"


def require_members(council: Council, users: Iterable[Appointee | None]) -> None:
    """People given a part in a case must be able to see it: members of its council (or system administrators).
    A contact has no account and sees nothing; ``require_contact`` checks their part instead."""
    wanted = {u.pk: u for u in users if isinstance(u, User) and not u.is_superuser}
    if not wanted:
        return
    members = set(
        CouncilMembership.objects.filter(council=council, user_id__in=wanted).values_list("user_id", flat=True)
    )
    for pk, user in wanted.items():
        if pk not in members:
            raise ProcedureError(errors.NOT_A_MEMBER.format(user=user, council=council.name))


def require_contact(council: Council, person: Appointee | None, capacity: ContactCapacity, field: str | None) -> None:
    """A contact given a part must be one of this council's, still active, and recorded as able to take it."""
    if not isinstance(person, Contact):
        return
    require_same_council(council, person, str(person))
    if not person.active:
        raise ProcedureError(errors.CONTACT_INACTIVE.format(contact=person), field=field)
    if not person.may_act_as(capacity):
        label = capacity.label.lower()
        article = "an" if label[0] in "aeiou" else "a"
        raise ProcedureError(errors.CONTACT_NOT_FOR.format(contact=person, capacity=f"{article} {label}"), field=field)


def require_independent(council: Council, people: Iterable[Appointee], field: str | None = None) -> None:
    """R1.3: an independent person is neither a member nor an officer of the council: only people the council
    records as independent persons or review panel members qualify, not its staff; or a contact, still active,
    attested independent of the council (R1.3, R1.30)."""
    people = list(people)
    for contact in (p for p in people if isinstance(p, Contact)):
        if not contact.active:
            raise ProcedureError(errors.CONTACT_INACTIVE.format(contact=contact), field=field)
        if not contact.independent_of_council:
            raise ProcedureError(errors.CONTACT_NOT_INDEPENDENT.format(contact=contact), field=field)
    wanted = {u.pk: u for u in people if isinstance(u, User)}
    roles = dict(CouncilMembership.objects.filter(council=council, user_id__in=wanted).values_list("user_id", "role"))
    for pk, user in wanted.items():
        if pk in roles and roles[pk] not in INDEPENDENT_ROLES:
            message = errors.PANEL_NOT_INDEPENDENT if field == "members" else errors.IP_IS_OFFICER
            raise ProcedureError(message.format(user=user), field=field)


def require_not_before(value: date, other: date, *, what: str, other_what: str, field: str | None = None) -> None:
    if value < other:
        raise ProcedureError(
            errors.DATE_BEFORE.format(what=what, when=day(value), other=other_what, other_when=day(other)),
            field=field,
        )


def require_choice(value: str, choices: type[models.TextChoices], what: str, field: str | None = None) -> None:
    if value not in choices.values:
        raise ProcedureError(
            errors.UNKNOWN_CHOICE.format(value=value, what=what, choices=", ".join(choices.values)), field=field
        )


@dataclass
class CaseState:
    """A case locked for the service's transaction, with its stages (in order) and their holds."""

    case: Case
    stages: list[Stage]
    holds: dict[int, list[Hold]] = field(default_factory=dict)
    clock: deadlines.Clock | None = None

    @property
    def last(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    @property
    def open_stage(self) -> Stage | None:
        return next((s for s in self.stages if s.response_date is None), None)

    def get_clock(self) -> deadlines.Clock:
        if self.clock is None:
            self.clock = deadlines.current_clock()
        return self.clock

    def refresh(self) -> list[str]:
        """Recompute the deadlines and derived case fields; the names of the case fields that changed."""
        return deadlines.case_deadlines_refresh(
            case=self.case, stages=self.stages, holds=self.holds, clock=self.get_clock()
        )


def lock_case(case: Case, *, stages: bool = True) -> CaseState:
    """Lock the case row for this transaction (so two people cannot change it at once) and load it afresh into
    ``case``, with its stages and holds unless ``stages=False``."""
    # Every change to a case passes here: it is one more version of the case (cases.concurrency).
    bump_version(case)
    case.refresh_from_db(from_queryset=Case.objects.select_for_update())
    if case.kind != c.Kind.COMPLAINT or not stages:
        return CaseState(case=case, stages=[])
    # Most stages are never held, so the holds are read only when the stages' query says there are some.
    rows: list[Stage] = list(
        Stage.objects.filter(case=case)
        .annotate(has_holds=Exists(Hold.objects.filter(stage=OuterRef("pk"))))
        .order_by("number")
    )
    for row in rows:
        row.case = case
    holds: dict[int, list[Hold]] = defaultdict(list)
    if any(getattr(row, "has_holds", False) for row in rows):
        for hold in Hold.objects.filter(stage__case=case).order_by("start_date"):
            holds[hold.stage_id].append(hold)
    return CaseState(case=case, stages=rows, holds=holds)


def lock_stage(stage: Stage) -> CaseState:
    """``lock_case`` for the stage's case, with ``stage`` itself refreshed in place and kept in the state."""
    state = lock_case(stage.case)
    for i, fresh in enumerate(state.stages):
        if fresh.pk == stage.pk:
            for f in Stage._meta.concrete_fields:
                setattr(stage, f.attname, getattr(fresh, f.attname))
            stage.case = state.case
            state.stages[i] = stage
            return state
    raise ProcedureError(errors.REMEDY_STAGE_OTHER_CASE.format(reference=state.case.reference))


def require_open(case: Case) -> None:
    if case.closed_date is not None:
        raise ProcedureError(errors.CASE_CLOSED.format(reference=case.reference))


def require_complaint(case: Case) -> None:
    if case.kind != c.Kind.COMPLAINT:
        raise ProcedureError(errors.CASE_NOT_A_COMPLAINT.format(reference=case.reference))


def require_stage_open(stage: Stage) -> None:
    if stage.response_date is not None:
        raise ProcedureError(errors.STAGE_CLOSED.format(number=stage.number, reference=stage.case.reference))


def open_hold(state: CaseState, stage: Stage) -> Hold | None:
    return next((h for h in state.holds.get(stage.pk, ()) if h.end_date is None), None)


def users_named(users: Sequence[User | None]) -> list[User]:
    return [u for u in users if u is not None]


def _stage_values_from_case(stage: Stage) -> None:
    """A new stage starts from its case's current details (docs/adr/0010-per-stage-values.md)."""
    stage_values_copy(models=apps, stage_ids=[stage.pk])
    stage.refresh_from_db(fields=list(STAGE_VALUE_FIELDS))
