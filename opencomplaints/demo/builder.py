"""Apply a demonstration plan (``scenario.plan_demo``) through the domain services.

Every write of case data goes through ``opencomplaints.cases.services`` and every council, team and membership
through ``opencomplaints.councils.services``, so the demonstration data obeys the same procedure rules as real
data and carries the same audit trail. The builder reads back only what the services create and the plan cannot
name in advance (the stage rows, the points of complaint and the recommendations they hold).

A case's events are applied in the order they happened (by date, then by their place in the procedure), one
case after another in the order the council received them, so references are numbered as the plan expects.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.hashers import make_password
from django.db import models, transaction

from opencomplaints.accounts.models import User
from opencomplaints.audit.append_only import audit_trail_unlocked
from opencomplaints.audit.models import AuditEvent
from opencomplaints.cases import constants as c
from opencomplaints.cases import services as case_services
from opencomplaints.cases.models import (
    Case,
    CaseAccessGrant,
    CaseComplainant,
    ComplaintPoint,
    LearningAction,
    Person,
    Recommendation,
    Stage,
)
from opencomplaints.cases.services.inputs import (
    ChildInput,
    ComplainantInput,
    ComplimentInput,
    EnquirerInput,
    LateAcceptance,
    PersonInput,
    PointInput,
    RecommendationInput,
    RecommendationResponse,
)
from opencomplaints.common.errors import DomainError
from opencomplaints.correspondence.models import InboundEmail, Letter
from opencomplaints.councils import services as council_services
from opencomplaints.councils.models import (
    CorporateProcedure,
    Council,
    CouncilMembership,
    IssueCategory,
    LocalTimescales,
    RemedyType,
    Role,
    ServiceArea,
    Team,
)
from opencomplaints.councils.selectors import corporate_procedure_current
from opencomplaints.demo.correspondence import correspondence_demo
from opencomplaints.demo.handling_code import handling_code_demo
from opencomplaints.demo.historic import historic_demo
from opencomplaints.demo.integrations import integrations_demo, integrations_demo_delete
from opencomplaints.demo.people import DEMO_PASSWORD, DEMO_SLUGS
from opencomplaints.demo.plans import (
    ComplaintPlan,
    CouncilPlan,
    DemoPlan,
    HoldPlan,
    LearningActionPlan,
    OmbudsmanDecisionPlan,
    OmbudsmanPlan,
    PersonPlan,
    RemedyPlan,
    RepresentationPlan,
    StagePlan,
    UserPlan,
    registration_order,
)
from opencomplaints.demo.publication import publication_demo, publication_demo_delete, publication_demo_subjects
from opencomplaints.demo.role_requests import role_requests_demo, role_requests_demo_delete
from opencomplaints.notifications.models import Message
from opencomplaints.tracker.models import SavedView
from opencomplaints.tracker.services import saved_view_create

__all__ = [
    "DEMO_EMAIL_DOMAIN",
    "DEMO_ROLES",
    "REPLACE_REFUSED",
    "BuildError",
    "apply_plan",
    "demo_councils",
    "demo_data_delete",
]

# Demo users' addresses are in a reserved domain (RFC 2606), which is also how a later run recognises them.
DEMO_EMAIL_DOMAIN = "@demo.example"

USER_NOT_DEMO = (
    "A user called {username} already exists and is not one of the demonstration users, so the demonstration "
    "data was not built. Rename that user, or build the demonstration data in an empty installation."
)
STEP_FAILED = "Could not build {what}: {message}"
REFERENCE_DRIFT = "The services numbered {what} {actual}, but the plan expected {expected}."


REPLACE_REFUSED = (
    "This database holds councils that are not demonstration councils ({councils}), so --replace was refused: "
    "their records, audit trail included, must be kept. Build the demonstration data in its own database."
)

# Remedies delivered some weeks after the response rather than with it (R3.7: say by when).
LATER_REMEDIES = frozenset({"service_provided", "procedure_change", "training"})
NOT_PAID_REASON = "The family moved away and could not be contacted to take the payment."
NOT_DONE_REASON = "The team was restructured before it could be done; the complainant was told what happens instead."


def _add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


# Each demonstration user's role in every demonstration council (docs/adr/0005-roles-and-access.md).
DEMO_ROLES = {
    "manager": Role.COMPLAINTS_MANAGER,
    "officer": Role.COMPLAINTS_OFFICER,
    "officer2": Role.COMPLAINTS_OFFICER,
    "investigator": Role.INVESTIGATING_OFFICER,
    "independent": Role.INDEPENDENT_PERSON,
    "adjudicator": Role.ADJUDICATOR,
    "panel1": Role.PANEL_MEMBER,
    "panel2": Role.PANEL_MEMBER,
    "panel3": Role.PANEL_MEMBER,
    "viewer": Role.REPORT_VIEWER,
    "admin": Role.SYSTEM_ADMINISTRATOR,
    "admin2": Role.SYSTEM_ADMINISTRATOR,
}


class BuildError(Exception):
    """The plan could not be applied; the message says which record and why."""


def demo_councils() -> list[Council]:
    """The demonstration councils already in the database."""
    return list(Council.objects.filter(slug__in=DEMO_SLUGS).order_by("slug"))


# -- removing earlier demonstration data ------------------------------------------------------------------------


def _subject_ids(model: type[models.Model], ids: Iterable[int]) -> tuple[str, list[str]]:
    return model._meta.label_lower, [str(pk) for pk in ids]


@transaction.atomic
def demo_data_delete() -> int:
    """Delete the demonstration councils and everything recorded for them; returns how many councils went.

    There is no service for deleting a council: real councils are never deleted, because their records must be
    kept. Demonstration data is the one exception, so the rows are removed here, in the order their protected
    links need, together with the audit events about them (which would otherwise keep pointing at nothing). The
    audit trail is append-only, so this refuses to run (``BuildError``) on a database holding any other council,
    and removes the demonstration audit events with the triggers lifted inside this one transaction.
    """
    councils = demo_councils()
    if not councils:
        return 0
    others = Council.objects.exclude(pk__in=[council.pk for council in councils]).order_by("name")
    if others.exists():
        raise BuildError(REPLACE_REFUSED.format(councils=", ".join(others.values_list("name", flat=True))))
    with audit_trail_unlocked():
        role_requests_demo_delete(councils)
        integrations_demo_delete(councils)
        _demo_rows_delete(councils)
    return len(councils)


def _demo_rows_delete(councils: list[Council]) -> None:
    case_ids = list(Case.objects.filter(council__in=councils).values_list("pk", flat=True))
    subjects = [
        _subject_ids(Council, (council.pk for council in councils)),
        _subject_ids(
            CouncilMembership, CouncilMembership.objects.filter(council__in=councils).values_list("pk", flat=True)
        ),
        _subject_ids(ServiceArea, ServiceArea.objects.filter(council__in=councils).values_list("pk", flat=True)),
        _subject_ids(Team, Team.objects.filter(council__in=councils).values_list("pk", flat=True)),
        _subject_ids(LearningAction, LearningAction.objects.filter(council__in=councils).values_list("pk", flat=True)),
        _subject_ids(InboundEmail, InboundEmail.objects.filter(council__in=councils).values_list("pk", flat=True)),
        *publication_demo_subjects(councils),
        _subject_ids(
            CorporateProcedure, CorporateProcedure.objects.filter(council__in=councils).values_list("pk", flat=True)
        ),
        _subject_ids(
            LocalTimescales, LocalTimescales.objects.filter(council__in=councils).values_list("pk", flat=True)
        ),
    ]
    AuditEvent.objects.filter(case_id__in=case_ids).delete()
    for label, ids in subjects:
        AuditEvent.objects.filter(subject_type=label, subject_id__in=ids).delete()
    CaseAccessGrant.objects.filter(case_id__in=case_ids).delete()
    # Letters and messages protect their cases; emails received and letter templates their councils.
    Letter.objects.filter(case_id__in=case_ids).delete()
    Message.objects.filter(case_id__in=case_ids).delete()
    InboundEmail.objects.filter(council__in=councils).delete()
    LearningAction.objects.filter(council__in=councils).delete()
    # Cases first (their stages, points, remedies and details go with them), then what they pointed at.
    Case.objects.filter(pk__in=case_ids).delete()
    Person.objects.filter(council__in=councils).delete()
    # Successor teams protect their predecessors; unlink them first, as databases order NULL start dates differently.
    Team.objects.filter(council__in=councils).update(predecessor=None)
    Team.objects.filter(council__in=councils).delete()
    ServiceArea.objects.filter(council__in=councils).delete()
    IssueCategory.objects.filter(council__in=councils).delete()
    RemedyType.objects.filter(council__in=councils).delete()
    # Each version protects the one it replaced; unlink them first, as for teams.
    CorporateProcedure.objects.filter(council__in=councils).update(supersedes=None)
    CorporateProcedure.objects.filter(council__in=councils).delete()
    publication_demo_delete(councils)
    LocalTimescales.objects.filter(council__in=councils).update(supersedes=None)
    LocalTimescales.objects.filter(council__in=councils).delete()
    for council in councils:
        council.delete()


#: A demonstration council that changed its two-stage corporate procedure part-way through the years shown: from
#: the first of the month of its middle corporate complaint, stage 1 is answered within 15 working days of the
#: acknowledgement rather than the Code's 10 (R3.9). Its earlier complaints keep version 1 and their due dates.
#: The plan's corporate stage 1 responses have no extensions, so a longer timescale refuses nothing.
PROCEDURE_CHANGES: dict[str, Mapping[str, object]] = {
    "exampleton": {"name": "Corporate complaints (stage 1 within 15 working days)", "stage1_days": 15},
}


def _procedure_change_date(plan: CouncilPlan) -> date | None:
    corporate = sorted(x.received_date for x in plan.complaints if x.procedure == c.Procedure.CORPORATE)
    if len(corporate) < 2:
        return None
    return corporate[len(corporate) // 2].replace(day=1)


# -- building ---------------------------------------------------------------------------------------------------


@dataclass
class BuildSummary:
    councils: list[str] = field(default_factory=list)
    users: list[str] = field(default_factory=list)


def _users(plans: Iterable[UserPlan]) -> dict[str, User]:
    """The demonstration users, created or brought back to the plan (accounts have no domain services; users are
    not case data). A same-named user who is not a demonstration user is never touched."""
    # One hash for every user: hashing is deliberately slow, and the password is the same published one.
    password = make_password(DEMO_PASSWORD)
    users: dict[str, User] = {}
    for plan in plans:
        user = User.objects.filter(username=plan.username).first()
        if user is not None and not user.email.endswith(DEMO_EMAIL_DOMAIN):
            raise BuildError(USER_NOT_DEMO.format(username=plan.username))
        if user is None:
            user = User(username=plan.username)
        user.first_name = plan.first_name
        user.last_name = plan.last_name
        user.email = plan.email
        user.job_title = plan.job_title
        user.is_staff = plan.is_staff
        user.is_superuser = plan.is_superuser
        user.is_active = True
        user.password = password
        user.full_clean()
        user.save()
        users[plan.username] = user
    return users


def _person(plan: PersonPlan) -> PersonInput:
    return PersonInput(
        first_name=plan.first_name,
        last_name=plan.last_name,
        date_of_birth=plan.date_of_birth,
        email=plan.email,
        phone=plan.phone,
        address=plan.address,
        postcode=plan.postcode,
        sex=plan.sex,
        ethnicity_scheme=plan.ethnicity_scheme,
        ethnicity_code=plan.ethnicity_code,
        disability=plan.disability,
        sexual_orientation=plan.sexual_orientation,
        religion=plan.religion,
    )


# Where an event comes within a day and a stage: a hold starts before an extension is agreed, the response comes
# after both, then what follows from it.
_ORDER = {
    "register": 0,
    "reopen": 0,
    "escalate": 1,
    "appoint": 2,
    "decide interest": 2,
    "accept": 3,
    "acknowledge": 3,
    "hold": 4,
    "arrange": 4,
    "statement": 5,
    "resume": 6,
    "extend": 7,
    "panel": 8,
    "report": 9,
    "respond": 10,
    "decline": 10,
    "remedy": 11,
    "close": 12,
}


@dataclass(order=True)
class _Event:
    day: date
    stage: int
    order: int
    action: Callable[[], object] = field(compare=False)
    what: str = field(compare=False)


class _CouncilBuilder:
    def __init__(self, plan: CouncilPlan, users: Mapping[str, User], *, end_date: date) -> None:
        self.plan = plan
        self.end_date = end_date  # the demonstration's "today": nothing after it has happened
        self.users = users
        self.admin = users["admin"]
        self.council: Council
        self.areas: dict[str, ServiceArea] = {}
        self.teams: dict[str, Team] = {}
        self.issues: dict[str, IssueCategory] = {}
        self.remedy_types: dict[str, RemedyType] = {}
        self.cases: dict[str, Case] = {}

    def user(self, username: str) -> User:
        return self.users[username]

    # -- the council and its structure --------------------------------------------------------------------------

    def structure(self) -> None:
        plan = self.plan
        self.council = council_services.council_create(
            name=plan.name, slug=plan.slug, reference_prefix=plan.reference_prefix, acting_user=self.admin
        )
        for user in self.users.values():
            role = DEMO_ROLES.get(user.username, Role.COMPLAINTS_OFFICER)
            council_services.council_member_add(council=self.council, user=user, role=role, acting_user=self.admin)
        for area in plan.service_areas:
            self.areas[area.key] = council_services.service_area_create(
                council=self.council, name=area.name, acting_user=self.admin, active_from=area.active_from
            )
        for team in plan.teams:
            if team.predecessor is None:
                self.teams[team.key] = council_services.team_create(
                    service_area=self.areas[team.service_area],
                    name=team.name,
                    acting_user=self.admin,
                    active_from=team.active_from,
                )
        for restructure in plan.restructures:
            successor = plan.team(restructure.successor)
            self.teams[successor.key] = council_services.team_restructure(
                team=self.teams[restructure.team],
                acting_user=self.admin,
                ended_on=restructure.ended_on,
                new_name=successor.name,
                new_service_area=self.areas[successor.service_area],
            )
        self.issues = {issue.name: issue for issue in IssueCategory.objects.filter(council=self.council)}
        self.remedy_types = {remedy.code: remedy for remedy in RemedyType.objects.filter(council=self.council)}

    # -- cases ----------------------------------------------------------------------------------------------------

    def cases_in_order(self) -> None:
        """Every case of the council, in the order it was received, each with all its events."""
        plan = self.plan
        cases: list[ComplaintPlan | RepresentationPlan | OmbudsmanPlan] = [
            *plan.complaints,
            *plan.representations,
            *plan.ombudsman_cases,
        ]
        change = PROCEDURE_CHANGES.get(plan.slug)
        change_on = _procedure_change_date(plan) if change else None
        for case in sorted(cases, key=registration_order):
            if change and change_on is not None and case.received_date >= change_on:
                self.procedure_change(change)
                change = None
            if isinstance(case, ComplaintPlan):
                self.run(self.complaint_events(case), what=f"complaint {case.reference}")
            elif isinstance(case, RepresentationPlan):
                self.run(self.representation_events(case), what=f"{case.kind} {case.reference}")
            else:
                self.run(self.ombudsman_events(case), what=f"Ombudsman case {case.reference}")
        for action in plan.learning_actions:
            self.run(self.learning_events(action), what=f"learning action {action.key}")

    def procedure_change(self, changes: Mapping[str, object]) -> None:
        """The council changes its corporate procedure (a new version, docs/adr/0014-procedures-as-data.md):
        complaints registered from now on use it, earlier ones keep version 1."""
        current = corporate_procedure_current(council=self.council)
        if current is not None:
            council_services.corporate_procedure_revise(procedure=current, acting_user=self.admin, changes=changes)

    def run(self, events: list[_Event], *, what: str) -> None:
        for event in sorted(events):
            try:
                event.action()
            except DomainError as error:
                raise BuildError(
                    STEP_FAILED.format(what=f"{what} ({event.what} on {event.day:%d/%m/%Y})", message=error.message)
                ) from error

    def stage(self, case_key: str, number: int) -> Stage:
        return Stage.objects.get(case=self.cases[case_key], number=number)

    def complaint_events(self, plan: ComplaintPlan) -> list[_Event]:
        events: list[_Event] = []
        owner = self.user(plan.owner)

        def add(day: date, stage: int, step: str, action: Callable[[], object]) -> None:
            events.append(_Event(day=day, stage=stage, order=_ORDER[step], action=action, what=step))

        add(plan.received_date, 0, "register", lambda: self.register(plan))
        interest = plan.sufficient_interest
        if interest is not None:

            def decide() -> None:
                complainant = CaseComplainant.objects.get(case=self.cases[plan.key], is_primary=True)
                case_services.complainant_sufficient_interest_decide(
                    complainant=complainant,
                    acting_user=owner,
                    has_interest=interest.has_interest,
                    decided_date=interest.decided_date,
                    child_consulted=interest.child_consulted,
                    notified_date=interest.notified_date,
                )

            add(interest.decided_date, 0, "decide interest", decide)
        decline = plan.decline
        if decline is not None and not plan.declined_on_receipt:
            add(
                decline.decided_date,
                0,
                "decline",
                lambda: case_services.complaint_decline(
                    case=self.cases[plan.key],
                    acting_user=owner,
                    reason=decline.reason,
                    decided_date=decline.decided_date,
                    redirected_to=decline.redirected_to,
                    note=decline.note,
                ),
            )
        elif plan.accepted:
            # Triage has no date of its own: the complaint is accepted as soon as it can be.
            accepted_on = interest.decided_date if interest is not None else plan.received_date
            add(
                accepted_on,
                0,
                "accept",
                lambda: case_services.complaint_accept(case=self.cases[plan.key], acting_user=owner),
            )
        for stage in plan.stages:
            events.extend(self.stage_events(plan, stage, owner))
        for remedy in plan.remedies:
            add(remedy.agreed_date or plan.received_date, remedy.stage or 0, "remedy", self.remedy(plan, remedy, owner))
        for closure in plan.closures:
            add(closure.closed_date, 9, "close", self.closer(plan.key, closure.closed_date))
            if closure.reopened_date is not None:
                # Before the late request it makes room for (stage 0 sorts first on the same day).
                add(
                    closure.reopened_date,
                    0,
                    "reopen",
                    self.reopener(plan.key, owner, closure.reopened_date, closure.reopen_reason),
                )
        return events

    def remedy(self, plan: ComplaintPlan, remedy: RemedyPlan, owner: User) -> Callable[[], object]:
        """The remedy through its lifecycle (docs/adr/0020-remedy-lifecycle.md), as far as it has got by the end
        date: proposed by the owner, approved when the stage was answered, then an apology or explanation
        delivered with the response, a payment made on its date with its reference; a few payments wait for
        approval, a few are overdue, and a few could not be made."""
        end = self.end_date
        # Which remedies are the exceptions: fixed by the case and the remedy, the same on every build.
        pick = zlib.crc32(f"{plan.key}:{remedy.remedy_type}:{remedy.stage}".encode()) % 20

        def run() -> object:
            case = self.cases[plan.key]
            made = case_services.remedy_propose(
                case=case, acting_user=owner, remedy_type=self.remedy_types[remedy.remedy_type],
                stage=self.stage(plan.key, remedy.stage) if remedy.stage is not None else None,
                description=remedy.description, amount=remedy.amount,
            )  # fmt: skip
            agreed = remedy.agreed_date
            recent = agreed is not None and agreed > end - timedelta(days=14)
            if agreed is None or (recent and pick < 8):
                return made  # still waiting for approval
            financial = remedy.amount is not None
            later = remedy.remedy_type in LATER_REMEDIES
            due = _add_days(agreed, 14 if financial else 28 if later else 0)
            approver = self.approver(owner)
            case_services.remedy_approve(remedy=made, acting_user=approver, approved_date=agreed, due_date=due)
            if (financial and pick == 19) or (later and pick == 18):
                return case_services.remedy_mark_not_delivered(
                    remedy=made, acting_user=owner, not_delivered_date=min(due, end),
                    reason=NOT_PAID_REASON if financial else NOT_DONE_REASON,
                )  # fmt: skip
            delivered = remedy.paid_date if financial else due
            if delivered is None or delivered > end or (later and pick < 3):
                return made  # approved, still to be paid or delivered (overdue once its date has passed)
            reference = f"BACS {zlib.crc32(plan.key.encode()) % 1_000_000:06d}" if financial else ""
            return case_services.remedy_pay(
                remedy=made, acting_user=owner, paid_date=delivered, payment_reference=reference
            )

        return run

    def approver(self, proposer: User) -> User:
        """Someone other than the proposer approves a payment: the complaints manager, or the director when the
        manager proposed it."""
        return self.user("adjudicator" if proposer.username == "manager" else "manager")

    def ombudsman_remedy(self, plan: OmbudsmanPlan, decision: OmbudsmanDecisionPlan) -> Callable[[], object]:
        """The payment the Ombudsman recommended, due by its compliance date: approved the day of the decision
        and paid when compliance was recorded (or still outstanding)."""
        owner = self.user(plan.owner)

        def run() -> object:
            case = self.cases[plan.key]
            made = case_services.remedy_propose(
                case=case, acting_user=owner, remedy_type=self.remedy_types["financial"],
                description="Payment the Ombudsman recommended for the distress caused.",
                amount=decision.recommended_payment,
            )  # fmt: skip
            approved = decision.decision_date
            case_services.remedy_approve(remedy=made, acting_user=self.approver(owner), approved_date=approved)
            if decision.complied_date is None:
                return made
            return case_services.remedy_pay(
                remedy=made, acting_user=owner, paid_date=max(decision.complied_date, approved),
                payment_reference=f"BACS {zlib.crc32(plan.key.encode()) % 1_000_000:06d}",
            )  # fmt: skip

        return run

    def closer(self, key: str, closed: date) -> Callable[[], object]:
        # As the daily job closes it (``complaints_close_after_window``): by the system, on the window's last day.
        return lambda: case_services.complaint_close(case=self.cases[key], acting_user=None, closed_date=closed)

    def reopener(self, key: str, owner: User, reopened: date, reason: str) -> Callable[[], object]:
        return lambda: case_services.complaint_reopen(
            case=self.cases[key], acting_user=owner, reason=reason, reopened_date=reopened, reopen_stage=False
        )

    def register(self, plan: ComplaintPlan) -> None:
        late = plan.late_acceptance
        case = case_services.complaint_register(
            council=self.council,
            acting_user=self.user(plan.owner),
            received_date=plan.received_date,
            received_via=plan.received_via,
            procedure=plan.procedure,
            summary=plan.summary,
            complainants=[
                ComplainantInput(
                    person=_person(complainant.person),
                    complainant_type=complainant.complainant_type,
                    eligibility_basis=complainant.eligibility_basis,
                    on_behalf_of_child=complainant.on_behalf_of_child,
                    child_consent=complainant.child_consent,
                )
                for complainant in plan.complainants
            ],
            children=[
                ChildInput(
                    person=_person(child.person),
                    age_at_receipt=child.age_at_receipt,
                    support_category=child.support_category,
                )
                for child in plan.children
            ],
            teams=[self.teams[key] for key in plan.teams],
            issues=[self.issues[name] for name in plan.issues],
            grounds_arose_date=plan.grounds_arose_date,
            late_acceptance=(
                LateAcceptance(
                    accepted=late.accepted,
                    not_reasonable_to_expect_reason=late.not_reasonable_to_expect_reason,
                    still_possible_reason=late.still_possible_reason,
                )
                if late is not None
                else None
            ),
            start_stage=plan.start_stage,
            stage1_skipped_reason=plan.stage1_skipped_reason,
            owner=self.user(plan.owner),
            advocacy_offered=plan.advocacy_offered,
            advocacy_provided=plan.advocacy_provided,
            advocate_name=plan.advocate_name,
            advocate_organisation=plan.advocate_organisation,
        )
        self.check_reference(plan.key, case, plan.reference)
        self.cases[plan.key] = case
        if plan.mediation != c.Mediation.NONE:
            case_services.case_support_record(
                case=case,
                acting_user=self.user(plan.owner),
                mediation=plan.mediation,
                advocacy_offered=plan.advocacy_offered,
                advocacy_provided=plan.advocacy_provided,
                advocate_name=plan.advocate_name,
                advocate_organisation=plan.advocate_organisation,
            )

    def stage_events(self, plan: ComplaintPlan, stage: StagePlan, owner: User) -> list[_Event]:
        events: list[_Event] = []
        n = stage.number
        key = plan.key

        def add(day: date, step: str, action: Callable[[], object]) -> None:
            events.append(_Event(day=day, stage=n, order=_ORDER[step], action=action, what=f"stage {n} {step}"))

        def this() -> Stage:
            return self.stage(key, n)

        if n > plan.start_stage:
            add(
                stage.received_date,
                "escalate",
                lambda: case_services.complaint_escalate(
                    case=self.cases[key],
                    acting_user=owner,
                    request_received_date=stage.received_date,
                    late_request_accepted=stage.late_request_accepted,
                    late_request_reason=stage.late_request_reason,
                ),
            )
        if stage.acknowledged_date is not None:
            acknowledged = stage.acknowledged_date
            add(
                acknowledged,
                "acknowledge",
                lambda: case_services.stage_acknowledge(
                    stage=this(), acting_user=owner, acknowledged_date=acknowledged
                ),
            )
        for hold in stage.holds:
            add(hold.start_date, "hold", self.holder(this, owner, hold))
            if hold.end_date is not None:
                add(hold.end_date, "resume", self.resumer(this, owner, hold.end_date))
        extension = stage.extension
        if extension is not None:
            add(
                extension.notified_date,
                "extend",
                lambda: case_services.stage_extend(
                    stage=this(),
                    acting_user=owner,
                    extended_due_date=extension.extended_due_date,
                    reason=extension.reason,
                    notified_date=extension.notified_date,
                ),
            )
        if stage.appointed_date is not None:
            appointed = stage.appointed_date
            add(
                appointed,
                "appoint",
                lambda: case_services.stage2_appoint(
                    stage=this(),
                    acting_user=owner,
                    appointed_date=appointed,
                    investigating_officer=self.user(stage.investigating_officer),
                    independent_person=self.user(stage.independent_person),
                ),
            )
        if stage.statement_agreed_date is not None:
            agreed = stage.statement_agreed_date
            add(
                agreed,
                "statement",
                lambda: case_services.stage2_statement_agree(
                    stage=this(),
                    acting_user=owner,
                    agreed_date=agreed,
                    points=[PointInput(description=p.description, issue=self.issues[p.issue]) for p in plan.points],
                ),
            )
        if stage.report_date is not None:
            reported = stage.report_date
            add(
                reported,
                "report",
                lambda: case_services.stage2_report_receive(stage=this(), acting_user=owner, report_date=reported),
            )
        if stage.panel_chair:
            # The panel is appointed when the request arrives; the service records no date for it.
            add(
                stage.received_date,
                "appoint",
                lambda: case_services.stage3_panel_appoint(
                    stage=this(),
                    acting_user=owner,
                    chair=self.user(stage.panel_chair),
                    members=[self.user(member) for member in stage.panel_members],
                ),
            )
        if stage.panel_meeting_at is not None and stage.panel_arranged_date is not None:
            meeting_at, place = stage.panel_meeting_at, stage.panel_meeting_place
            add(
                stage.panel_arranged_date,
                "arrange",
                lambda: case_services.stage3_panel_schedule(
                    stage=this(), acting_user=owner, meeting_at=meeting_at, place=place
                ),
            )
        if stage.panel_date is not None:
            met = stage.panel_date
            add(
                met, "panel", lambda: case_services.stage3_panel_record(stage=this(), acting_user=owner, panel_date=met)
            )
        if stage.panel_report_date is not None:
            reported3 = stage.panel_report_date
            add(
                reported3,
                "report",
                lambda: case_services.stage3_report_record(
                    stage=this(),
                    acting_user=owner,
                    report_date=reported3,
                    recommendations=[r.text for r in stage.recommendations],
                ),
            )
        if stage.response_date is not None:
            responded = stage.response_date
            add(responded, "respond", lambda: self.respond(plan, stage, owner, responded))
        return events

    @staticmethod
    def holder(this: Callable[[], Stage], owner: User, hold: HoldPlan) -> Callable[[], object]:
        return lambda: case_services.stage_hold(
            stage=this(), acting_user=owner, start_date=hold.start_date, reason=hold.reason, note=hold.note
        )

    @staticmethod
    def resumer(this: Callable[[], Stage], owner: User, ended: date) -> Callable[[], object]:
        return lambda: case_services.stage_resume(stage=this(), acting_user=owner, end_date=ended)

    def findings(self, plan: ComplaintPlan, stage: StagePlan) -> dict[ComplaintPoint, str]:
        points = list(ComplaintPoint.objects.filter(case=self.cases[plan.key]).order_by("number"))
        return dict(zip(points, stage.findings, strict=True))

    def respond(self, plan: ComplaintPlan, stage: StagePlan, owner: User, responded: date) -> None:
        case = self.cases[plan.key]
        if stage.outcome == c.Outcome.WITHDRAWN:
            case_services.complaint_withdraw(
                case=case, acting_user=owner, withdrawn_date=responded, note=plan.withdrawal_note
            )
        elif stage.outcome == c.Outcome.NOT_ACCEPTED:
            # A decline (or a refused late complaint) ends the stage; it has its own event.
            return
        elif plan.procedure == c.Procedure.CHILDREN_STATUTORY and stage.number == 2:
            case_services.stage2_adjudicate(
                stage=self.stage(plan.key, 2),
                acting_user=self.user(stage.adjudicator),
                adjudicator=self.user(stage.adjudicator),
                adjudication_date=responded,
                findings=self.findings(plan, stage),
                recommendations=[
                    RecommendationInput(text=r.text, accepted=r.accepted, reason=r.reason)
                    for r in stage.recommendations
                ],
            )
        elif plan.procedure == c.Procedure.CHILDREN_STATUTORY and stage.number == 3:
            stage3 = self.stage(plan.key, 3)
            decisions = {r.text: r for r in stage.recommendations}
            responses = {
                recommendation: RecommendationResponse(
                    accepted=bool(decisions[recommendation.text].accepted),
                    reason=decisions[recommendation.text].reason,
                )
                for recommendation in Recommendation.objects.filter(stage=stage3)
            }
            case_services.stage3_respond(
                stage=stage3,
                acting_user=self.user("adjudicator"),
                response_date=responded,
                findings=self.findings(plan, stage),
                recommendation_responses=responses,
            )
        elif stage.findings:
            # Point by point (issue 15, item 4): the points recorded, then a finding and a sentence on each.
            if not ComplaintPoint.objects.filter(case=case).exists():
                for point in plan.points:
                    case_services.complaint_point_add(
                        case=case, acting_user=owner, description=point.description, issue=self.issues[point.issue]
                    )
            findings = self.findings(plan, stage)
            case_services.stage_respond(
                stage=self.stage(plan.key, stage.number),
                acting_user=owner,
                response_date=responded,
                findings=findings,
                responses=dict(zip(findings, stage.point_responses, strict=True)),
                response_sent_via=stage.response_sent_via,
            )
        else:
            case_services.stage_respond(
                stage=self.stage(plan.key, stage.number),
                acting_user=owner,
                response_date=responded,
                outcome=stage.outcome,
            )

    # -- other representations, the Ombudsman and learning ------------------------------------------------------

    def representation_events(self, plan: RepresentationPlan) -> list[_Event]:
        owner = self.user(plan.owner)
        enquirer = plan.enquirer
        compliment = plan.compliment

        def register() -> None:
            case = case_services.representation_register(
                council=self.council,
                acting_user=owner,
                kind=plan.kind,
                received_date=plan.received_date,
                topic=plan.topic,
                summary=plan.summary,
                teams=[self.teams[key] for key in plan.teams],
                enquirer=(
                    EnquirerInput(
                        enquirer_type=enquirer.enquirer_type,
                        name=enquirer.name,
                        constituency_or_ward=enquirer.constituency_or_ward,
                    )
                    if enquirer is not None
                    else None
                ),
                compliment=(
                    ComplimentInput(
                        about_team=self.teams[compliment.about_team] if compliment.about_team else None,
                        about_person=compliment.about_person,
                        quote=compliment.quote,
                    )
                    if compliment is not None
                    else None
                ),
                owner=owner,
            )
            self.check_reference(plan.key, case, plan.reference)
            self.cases[plan.key] = case

        events = [_Event(day=plan.received_date, stage=0, order=0, action=register, what="registration")]
        responded = plan.responded_date
        if responded is not None:
            events.append(
                _Event(
                    day=responded,
                    stage=0,
                    order=1,
                    action=lambda: case_services.representation_respond(
                        case=self.cases[plan.key], acting_user=owner, responded_date=responded, outcome=plan.outcome
                    ),
                    what="response",
                )
            )
        return events

    def ombudsman_events(self, plan: OmbudsmanPlan) -> list[_Event]:
        owner = self.user(plan.owner)

        def register() -> None:
            case = case_services.ombudsman_case_register(
                council=self.council,
                acting_user=owner,
                received_date=plan.received_date,
                lgsco_reference=plan.lgsco_reference,
                complaint=self.cases[plan.complaint] if plan.complaint else None,
                enquiry_due_date=plan.enquiry_due_date,
                summary=plan.summary,
            )
            self.check_reference(plan.key, case, plan.reference)
            self.cases[plan.key] = case

        events = [_Event(day=plan.received_date, stage=0, order=0, action=register, what="registration")]
        answered = plan.enquiry_responded_date
        if answered is not None:
            events.append(
                _Event(
                    day=answered,
                    stage=0,
                    order=1,
                    action=lambda: case_services.ombudsman_enquiry_respond(
                        case=self.cases[plan.key], acting_user=owner, responded_date=answered
                    ),
                    what="reply to the Ombudsman's enquiries",
                )
            )
        decision = plan.decision
        if decision is not None:
            events.append(
                _Event(
                    day=decision.decision_date,
                    stage=0,
                    order=2,
                    action=lambda: case_services.ombudsman_decision_record(
                        case=self.cases[plan.key],
                        acting_user=owner,
                        decision=decision.decision,
                        decision_date=decision.decision_date,
                        decision_label=decision.decision_label,
                        fault_found=decision.fault_found,
                        injustice_found=decision.injustice_found,
                        recommended_payment=decision.recommended_payment,
                        compliance_due_date=decision.compliance_due_date,
                    ),
                    what="decision",
                )
            )
            if decision.recommended_payment and decision.compliance_due_date is not None:
                events.append(
                    _Event(
                        day=decision.decision_date,
                        stage=0,
                        order=3,
                        action=self.ombudsman_remedy(plan, decision),
                        what="the Ombudsman's remedy",
                    )
                )
            complied = decision.complied_date
            if complied is not None:
                events.append(
                    _Event(
                        day=complied,
                        stage=0,
                        order=4,
                        action=lambda: case_services.ombudsman_compliance_record(
                            case=self.cases[plan.key], acting_user=owner, complied_date=complied
                        ),
                        what="compliance",
                    )
                )
        return events

    def learning_events(self, plan: LearningActionPlan) -> list[_Event]:
        owner = self.user(plan.owner)
        made: list[LearningAction] = []

        def create() -> None:
            made.append(
                case_services.learning_action_create(
                    council=self.council,
                    acting_user=owner,
                    finding=plan.finding,
                    action=plan.action,
                    cases=[self.cases[key] for key in plan.cases],
                    owner=owner,
                    team=self.teams[plan.team] if plan.team else None,
                    due_date=plan.due_date,
                )
            )

        events = [_Event(day=plan.created_date, stage=0, order=0, action=create, what="creation")]
        if plan.status != c.LearningActionStatus.PLANNED:
            # Work starts on it before it is finished one way or the other (or it is still going).
            events.append(
                _Event(
                    day=plan.created_date,
                    stage=0,
                    order=1,
                    action=lambda: case_services.learning_action_update(
                        action=made[0], acting_user=owner, status=c.LearningActionStatus.IN_PROGRESS
                    ),
                    what="start",
                )
            )
        if plan.status == c.LearningActionStatus.IMPLEMENTED and plan.implemented_date is not None:
            implemented = plan.implemented_date
            events.append(
                _Event(
                    day=implemented,
                    stage=0,
                    order=2,
                    action=lambda: case_services.learning_action_complete(
                        action=made[0], acting_user=owner, implemented_date=implemented, evidence=plan.evidence
                    ),
                    what="implementation",
                )
            )
        if plan.status == c.LearningActionStatus.NOT_IMPLEMENTED:
            events.append(
                _Event(
                    day=plan.due_date,
                    stage=0,
                    order=2,
                    action=lambda: case_services.learning_action_not_implemented(
                        action=made[0], acting_user=owner, reason=plan.not_implemented_reason
                    ),
                    what="decision not to implement",
                )
            )
        return events

    def check_reference(self, key: str, case: Case, expected: str) -> None:
        # The plan numbers references the way the services do; a difference means the two have drifted apart.
        if case.reference != expected:
            raise BuildError(REFERENCE_DRIFT.format(what=key, actual=case.reference, expected=expected))

    def build(self) -> Council:
        self.structure()
        self.cases_in_order()
        return self.council


@transaction.atomic
def apply_plan(plan: DemoPlan, *, replace: bool = False) -> BuildSummary:
    """Write ``plan`` through the services in one transaction: either all of it is built or none of it.

    With ``replace`` the existing demonstration councils are deleted first, in the same transaction, so a failed
    rebuild leaves the earlier data as it was.
    """
    if replace:
        demo_data_delete()
    summary = BuildSummary()
    users = _users(plan.users)
    summary.users = list(users)
    for council_plan in plan.councils:
        try:
            council = _CouncilBuilder(council_plan, users, end_date=plan.end_date).build()
        except DomainError as error:
            raise BuildError(STEP_FAILED.format(what=council_plan.name, message=error.message)) from error
        handling_code_demo(council=council, users=users, end_date=plan.end_date)
        correspondence_demo(council=council, users=users, end_date=plan.end_date)
        publication_demo(council=council, users=users, end_date=plan.end_date)
        historic_demo(council=council)
        if council_plan is plan.councils[0]:
            integrations_demo(council=council, end_date=plan.end_date)
            role_requests_demo(council=council, users=users)
        summary.councils.append(council.name)
    _saved_views(users)
    return summary


# The demonstration manager's saved views of the tracker (the alloc strand): the views a manager opens each morning.
DEMO_SAVED_VIEWS = (
    ("Overdue, not on hold", "overdue=on&leave_out_on_hold=on"),
    ("Due this week", "due_this_week=on"),
    ("Not yet assigned", "owner=none"),
)


def _saved_views(users: Mapping[str, User]) -> None:
    manager = users.get("manager")
    if manager is None:
        return
    have = set(SavedView.objects.filter(user=manager).values_list("name", flat=True))
    for name, query in DEMO_SAVED_VIEWS:
        if name not in have:
            saved_view_create(acting_user=manager, name=name, query=query)
