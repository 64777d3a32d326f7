"""Every read of case data starts here (convention 5), and every decision about who may see or do what with a case
is made here, nowhere else (docs/adr/0005-roles-and-access.md).

A user's role is held per council (``CouncilMembership.role``):

* complaints managers and complaints officers see every case of their councils;
* an investigating manager sees the cases they own and those where they are named investigating officer on a stage;
* an external investigating officer or an independent person sees a case only while the stage they are appointed
  to is open, and of it only that stage (no other stage, its documents, remedies, the Ombudsman or the timeline);
* an adjudicator (or director) sees the complaints of their councils that have reached stage 2 or 3, and any case
  naming them as adjudicator;
* a review panel member sees a case only while the stage 3 panel they sit on is open, and of it stages 2 and 3;
* report viewers and system administrators see no case at all (``is_superuser`` gives the admin site, not cases),
  so they are refused the lists of cases too (``CouncilPurpose.CASES``).

A restricted case (``Case.restricted``) is seen only by the people named on it (a current ``CaseAccessGrant``) whose
role would otherwise let them see it; a complaints manager not named on it may take time-limited emergency access
("break glass"), giving a reason that is recorded.

A case that does not exist and a case the user may not see raise the same ``NotFoundError``, so the answer never
reveals which it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from opencomplaints.accounts.models import User
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, CaseAccessGrant, PanelMember, Stage
from opencomplaints.common.errors import NotFoundError
from opencomplaints.councils.models import CONTACT_KEEPER_ROLES, Council, CouncilMembership, Role

__all__ = [
    "CASE_NOT_FOUND",
    "CASE_OWNER_ROLES",
    "MANAGER_ONLY_ACTIONS",
    "REMEDY_APPROVER_ROLES",
    "ROLES_SEEING_CASES",
    "ROLES_SEEING_NO_CASES",
    "STAGE_NOT_FOUND",
    "CasePermissions",
    "CouncilPurpose",
    "access_case_by_id",
    "access_case_for_break_glass",
    "access_stage_by_id",
    "case_permissions",
    "case_queryset_for_user",
    "councils_for_purpose",
    "users_who_may_own",
]

CASE_NOT_FOUND = "Case not found"
STAGE_NOT_FOUND = "Stage not found"

type AnyUser = User | AnonymousUser | None

COUNCIL_WIDE = frozenset({Role.COMPLAINTS_MANAGER, Role.COMPLAINTS_OFFICER})
# Every role but these sees some cases; only people in such a role can be named on a restricted case.
ROLES_SEEING_NO_CASES = frozenset({Role.REPORT_VIEWER, Role.SYSTEM_ADMINISTRATOR})
ROLES_SEEING_CASES = frozenset(Role) - ROLES_SEEING_NO_CASES
# Who may own a case (be its officer: "My cases", reminders, digests, the workload page): the complaints team, and an
# investigating manager, who sees the cases they own. Appointees, adjudicators and panel members are named on a stage
# for their part in it, never given the whole case.
CASE_OWNER_ROLES = COUNCIL_WIDE | {Role.INVESTIGATING_MANAGER}

# The actions (casework URL names, without the namespace) only a complaints manager may use: deciding who may see a
# restricted case, and seeing who has seen one; and approving a remedy (with the adjudicator, below).
MANAGER_ONLY_ACTIONS = frozenset(
    {"case-access-log", "case-restrict", "case-unrestrict", "case-access-grant", "case-access-revoke", "remedy-approve"}
)
# Who may approve a remedy (R3.7; docs/adr/0020-remedy-lifecycle.md): the complaints manager, and the adjudicator or
# director who decides the complaint at stage 2 and 3. ``cases.services.remedies`` checks the same roles.
REMEDY_APPROVER_ROLES = frozenset({Role.COMPLAINTS_MANAGER, Role.ADJUDICATOR})
# What an investigating manager does with the cases assigned to them: answer and manage the stage, add documents and
# learning. Triage, escalation, closure and stage 2 and 3 appointments stay with the complaints team.
INVESTIGATING_MANAGER_ACTIONS = frozenset(
    {
        "case-detail",
        "document-download",
        "document-upload",
        "message-detail",
        "stage-acknowledge",
        "stage-extend",
        "stage-hold",
        "stage-resume",
        "stage-respond",
        "learning-action-create",
        # The points of complaint the stage 1 response answers one by one.
        "complaint-point-add",
        "complaint-point-change",
        "complaint-point-remove",
    }
)
# People from outside the complaints team read their part of the case and add their own documents (a report, notes
# of interviews); the complaints team records every step of the procedure.
APPOINTEE_ACTIONS = frozenset({"case-detail", "document-download", "document-upload"})
# The adjudication (R1.28) and the council's response to the panel (R1.33) are the director's decisions.
ADJUDICATOR_ACTIONS = frozenset(
    {
        "case-detail",
        "document-download",
        "document-upload",
        "message-detail",
        "stage2-adjudicate",
        "stage3-respond",
        "remedy-approve",
        "recommendation-respond",
    }
)


class CouncilPurpose(StrEnum):
    """Things done across a council rather than with one case, and the roles that may do them."""

    CASES = "cases"  # the lists of a council's cases: the tracker, "My cases", search and the tracker's CSV
    OMBUDSMAN = "ombudsman"  # the list of the council's Ombudsman cases
    REGISTER = "register"  # register a new case
    REPORTS = "reports"  # aggregate reports (no personal data)
    INTERCHANGE = "interchange"  # import and export records, subject access exports
    LEARNING = "learning"  # the council's learning actions
    LETTERS = "letters"  # the council's letter templates, letterhead and signature
    ALLOCATE = "allocate"  # give cases to officers in bulk, the workload page and the manager's dashboard
    REMEDIES = "remedies"  # the council's remedies approved and not yet paid or delivered
    CONTACTS = "contacts"  # the council's contacts: external people without accounts (docs/adr/0032)

    @property
    def roles(self) -> frozenset[Role]:
        return _PURPOSE_ROLES[self]


_PURPOSE_ROLES: dict[CouncilPurpose, frozenset[Role]] = {
    # A case list is for the roles that can see a case (``case_queryset_for_user``); to the others it could only
    # ever be empty, so it is refused, as the pages of any other purpose are.
    CouncilPurpose.CASES: ROLES_SEEING_CASES,
    # An Ombudsman case is a case of its own (no stages, no appointees), seen only by the council-wide roles and the
    # investigating manager who owns it; adjudicators see complaints only.
    CouncilPurpose.OMBUDSMAN: COUNCIL_WIDE | {Role.INVESTIGATING_MANAGER},
    CouncilPurpose.REGISTER: COUNCIL_WIDE,
    CouncilPurpose.REPORTS: COUNCIL_WIDE | {Role.ADJUDICATOR, Role.REPORT_VIEWER},
    CouncilPurpose.INTERCHANGE: frozenset({Role.COMPLAINTS_MANAGER}),
    CouncilPurpose.LEARNING: COUNCIL_WIDE | {Role.ADJUDICATOR, Role.INVESTIGATING_MANAGER},
    # The words of the council's letters are configuration a complaints manager (or the system administrator)
    # keeps; officers use them.
    CouncilPurpose.LETTERS: frozenset({Role.COMPLAINTS_MANAGER, Role.SYSTEM_ADMINISTRATOR}),
    CouncilPurpose.ALLOCATE: COUNCIL_WIDE,
    # The complaints team follows approved remedies through to payment (docs/adr/0020-remedy-lifecycle.md).
    CouncilPurpose.REMEDIES: COUNCIL_WIDE,
    # The people a council appoints without accounts are kept, and attested independent, by its managers.
    CouncilPurpose.CONTACTS: CONTACT_KEEPER_ROLES,
}


def _signed_in(user: AnyUser) -> User | None:
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return user
    return None


def councils_for_purpose(*, user: AnyUser, purpose: CouncilPurpose) -> QuerySet[Council]:
    """The councils in which ``user`` holds a role that may do ``purpose``."""
    member = _signed_in(user)
    if member is None:
        return Council.objects.none()
    return Council.objects.filter(memberships__user_id=member.pk, memberships__role__in=purpose.roles)


def users_who_may_own(*, councils: Iterable[Council | int]) -> QuerySet[User]:
    """The active people who may own a case of ``councils`` (``CASE_OWNER_ROLES``), by name: the choices of every
    owner picker, and the check the services make."""
    ids = [x.pk if isinstance(x, Council) else x for x in councils]
    members = CouncilMembership.objects.filter(council_id__in=ids, role__in=CASE_OWNER_ROLES).values("user_id")
    return User.objects.filter(pk__in=members, is_active=True).order_by("last_name", "first_name", "username")


# -- which cases ---------------------------------------------------------------------------------------------------


def _current_grants(user: User, now: datetime) -> QuerySet[CaseAccessGrant]:
    return CaseAccessGrant.objects.filter(user_id=user.pk, revoked_at__isnull=True).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def _visible_q(user: User, now: datetime) -> Q:
    """The condition on ``Case`` for "``user`` may see it": one branch per role, each a subquery, so the whole
    check is part of one query however many councils and roles the user has."""

    def in_council(*roles: Role) -> Q:
        councils = CouncilMembership.objects.filter(user_id=user.pk, role__in=roles).values("council_id")
        return Q(council_id__in=councils)

    def on_open_stage(**named: int) -> Exists:
        return Exists(Stage.objects.filter(case=OuterRef("pk"), response_date__isnull=True, **named))

    assigned = Q(owner_id=user.pk) | Exists(Stage.objects.filter(case=OuterRef("pk"), investigating_officer_id=user.pk))
    reviewed = Exists(Stage.objects.filter(case=OuterRef("pk"), number__gte=2)) | Exists(
        Stage.objects.filter(case=OuterRef("pk"), adjudicator_id=user.pk)
    )
    on_panel = Exists(
        PanelMember.objects.filter(stage__case=OuterRef("pk"), stage__response_date__isnull=True, user_id=user.pk)
    )
    by_role = (
        in_council(*COUNCIL_WIDE)
        | (in_council(Role.INVESTIGATING_MANAGER) & assigned)
        | (in_council(Role.INVESTIGATING_OFFICER) & on_open_stage(investigating_officer_id=user.pk))
        | (in_council(Role.INDEPENDENT_PERSON) & on_open_stage(independent_person_id=user.pk))
        | (in_council(Role.ADJUDICATOR) & Q(kind=c.Kind.COMPLAINT) & reviewed)
        | (in_council(Role.PANEL_MEMBER) & on_panel)
    )
    named = Exists(_current_grants(user, now).filter(case=OuterRef("pk")))
    return by_role & (Q(restricted=False) | named)


def case_queryset_for_user(*, user: AnyUser, now: datetime | None = None) -> QuerySet[Case]:
    """The cases ``user`` may see (one query when evaluated: the rules are subqueries, never a list of ids)."""
    member = _signed_in(user)
    if member is None:
        return Case.objects.none()
    return Case.objects.filter(_visible_q(member, now or timezone.now()))


def _pk(value: object) -> int | None:
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return pk if pk > 0 else None


def access_case_by_id(*, user: AnyUser, case_id: int | str, now: datetime | None = None) -> Case:
    """The case ``case_id`` if ``user`` may see it; otherwise ``NotFoundError("Case not found")``, the same whether
    it does not exist or is not visible."""
    pk = _pk(case_id)
    cases = case_queryset_for_user(user=user, now=now)
    case = cases.select_related("council").filter(pk=pk).first() if pk else None
    if case is None:
        raise NotFoundError(CASE_NOT_FOUND)
    return case


def access_stage_by_id(*, user: AnyUser, stage_id: int | str, now: datetime | None = None) -> Stage:
    """The stage ``stage_id`` if ``user`` may see its case and, where their role sees only part of a case, that
    stage; otherwise ``NotFoundError("Stage not found")``."""
    pk = _pk(stage_id)
    cases = case_queryset_for_user(user=user, now=now)
    stage = Stage.objects.select_related("case", "case__council").filter(pk=pk, case__in=cases).first() if pk else None
    if stage is None or not case_permissions(user=user, case=stage.case, now=now).sees_stage(stage):
        raise NotFoundError(STAGE_NOT_FOUND)
    return stage


def access_case_for_break_glass(*, user: AnyUser, case_id: int | str, now: datetime | None = None) -> Case:
    """A restricted case that ``user``, a complaints manager of its council not named on it, may take emergency
    access to; ``NotFoundError("Case not found")`` for anyone and anything else, so nobody else learns it exists."""
    member = _signed_in(user)
    pk = _pk(case_id)
    if member is None or pk is None:
        raise NotFoundError(CASE_NOT_FOUND)
    managed = CouncilMembership.objects.filter(user_id=member.pk, role=Role.COMPLAINTS_MANAGER).values("council_id")
    named = _current_grants(member, now or timezone.now()).filter(case=OuterRef("pk"))
    case = (
        Case.objects.select_related("council")
        .filter(pk=pk, restricted=True, council_id__in=managed)
        .exclude(Exists(named))
        .first()
    )
    if case is None:
        raise NotFoundError(CASE_NOT_FOUND)
    return case


# -- what may be done with a case ------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class CasePermissions:
    """What one user may see of one case and do with it. Views refuse an action ``allows`` says no to, and templates
    offer only what it allows, so nothing is offered that would be refused."""

    role: Role | None = None
    visible: bool = False
    # Every casework action except those in ``denied`` (complaints managers and officers), or only ``actions``.
    every_action: bool = False
    actions: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()
    # The stages the user sees; ``None`` for every stage.
    stage_ids: frozenset[int] | None = None
    whole_case: bool = False  # remedies, learning, the Ombudsman, linked cases, messages and the timeline
    break_glass_until: datetime | None = None

    def allows(self, action: str) -> bool:
        """Whether the user may use ``action`` (a casework URL name such as ``"stage-extend"``) on this case."""
        if not self.visible or action in self.denied:
            return False
        return self.every_action or action in self.actions

    def sees_stage(self, stage: Stage | int | None) -> bool:
        """Whether the user sees ``stage`` (a stage, its id, or ``None`` for what belongs to no stage)."""
        if not self.visible:
            return False
        if self.stage_ids is None:
            return True
        if stage is None:
            return False
        return (stage if isinstance(stage, int) else stage.pk) in self.stage_ids

    @property
    def sees_whole_case(self) -> bool:
        return self.visible and self.whole_case

    @property
    def can_upload_documents(self) -> bool:
        return self.allows("document-upload")

    @property
    def can_record_remedies(self) -> bool:
        return self.allows("remedy-propose")

    @property
    def can_add_learning(self) -> bool:
        return self.allows("learning-action-create")

    @property
    def can_register(self) -> bool:
        return self.visible and self.role in COUNCIL_WIDE

    @property
    def manages_access(self) -> bool:
        return self.allows("case-restrict")

    @property
    def sees_access_log(self) -> bool:
        return self.allows("case-access-log")


NO_ACCESS = CasePermissions()


def _membership_role(user: User, council_id: int) -> Role | None:
    role = CouncilMembership.objects.filter(user_id=user.pk, council_id=council_id).values_list("role", flat=True)
    found = role.first()
    return Role(found) if found else None


def case_permissions(*, user: AnyUser, case: Case, now: datetime | None = None) -> CasePermissions:
    """What ``user`` may see of ``case`` and do with it (two to four small queries). Agrees with
    ``case_queryset_for_user``: ``visible`` is true exactly when the case is in that queryset."""
    member = _signed_in(user)
    if member is None:
        return NO_ACCESS
    role = _membership_role(member, case.council_id)
    if role is None or role in ROLES_SEEING_NO_CASES:
        return NO_ACCESS
    now = now or timezone.now()
    until: datetime | None = None
    if case.restricted:
        grant = _current_grants(member, now).filter(case_id=case.pk).order_by("-granted_at").first()
        if grant is None:
            return NO_ACCESS
        until = grant.expires_at if grant.break_glass else None

    def granted(**rules: Any) -> CasePermissions:
        return CasePermissions(role=role, visible=True, break_glass_until=until, **rules)

    if role == Role.COMPLAINTS_MANAGER:
        return granted(every_action=True, whole_case=True)
    if role == Role.COMPLAINTS_OFFICER:
        return granted(every_action=True, denied=MANAGER_ONLY_ACTIONS, whole_case=True)

    stages = list(
        Stage.objects.filter(case_id=case.pk).values(
            "pk", "number", "response_date", "investigating_officer_id", "independent_person_id", "adjudicator_id"
        )
    )
    if role == Role.INVESTIGATING_MANAGER:
        if case.owner_id == member.pk or any(s["investigating_officer_id"] == member.pk for s in stages):
            return granted(actions=INVESTIGATING_MANAGER_ACTIONS, whole_case=True)
        return NO_ACCESS
    if role == Role.ADJUDICATOR:
        reviewed = any(s["number"] >= 2 or s["adjudicator_id"] == member.pk for s in stages)
        if case.kind == c.Kind.COMPLAINT and reviewed:
            return granted(actions=ADJUDICATOR_ACTIONS, whole_case=True)
        return NO_ACCESS
    if role in (Role.INVESTIGATING_OFFICER, Role.INDEPENDENT_PERSON):
        external = role == Role.INVESTIGATING_OFFICER
        own = frozenset(
            s["pk"]
            for s in stages
            if s["response_date"] is None
            and (s["investigating_officer_id"] if external else s["independent_person_id"]) == member.pk
        )
        return granted(actions=APPOINTEE_ACTIONS, stage_ids=own) if own else NO_ACCESS
    if role != Role.PANEL_MEMBER:
        return NO_ACCESS
    # A review panel looks again at the stage 2 investigation and adjudication (R1.30-R1.32), so it sees stage 2.
    panels = set(
        PanelMember.objects.filter(
            stage__case_id=case.pk, stage__response_date__isnull=True, user_id=member.pk
        ).values_list("stage_id", flat=True)
    )
    if not panels:
        return NO_ACCESS
    seen = frozenset(s["pk"] for s in stages if s["pk"] in panels or s["number"] == 2)
    return granted(actions=APPOINTEE_ACTIONS, stage_ids=seen)
