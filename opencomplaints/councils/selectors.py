from datetime import date

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.common.errors import DomainError, NotFoundError
from opencomplaints.councils.models import (
    Contact,
    ContactCapacity,
    CorporateProcedure,
    Council,
    LocalTimescales,
    ServiceArea,
    Team,
)
from opencomplaints.deadlines import CorporateStageSpec, Procedure, ResponseFrom, corporate_procedure

NO_COUNCILS = (
    "There are no councils yet. Create one first: opencomplaints council create --name NAME --slug SLUG --prefix PREFIX"
)
COUNCIL_NOT_FOUND = "There is no council with the slug {slug}. The councils are: {councils}."
SEVERAL_COUNCILS = (
    "This installation has several councils; say which with --council SLUG. The councils are: {councils}."
)

# The Complaint Handling Code's values (R3.5, R3.6). A stage that keeps them cites the Code; one the council has
# changed cites R3.9 (its own procedure), so a deadline never claims the Code for a timescale it does not set.
_CODE_STAGE1 = (5, 10, 10)
_CODE_STAGE2 = (5, 20, 20)


def councils_for_user(*, user: User | AnonymousUser) -> QuerySet[Council]:
    """The councils whose records ``user`` may see: those they are a member of; every council for a superuser."""
    if not user.is_authenticated or not user.is_active:
        return Council.objects.none()
    if user.is_superuser:
        return Council.objects.all()
    return Council.objects.filter(memberships__user=user)


def _listing(councils: QuerySet[Council]) -> str:
    return ", ".join(f"{slug} ({name})" for slug, name in councils.order_by("slug").values_list("slug", "name"))


def council_for_command(*, slug: str | None) -> Council:
    """The council a command-line ``--council`` option names. Without one, the only council there is.

    Raises :class:`DomainError` with a message that says what to do: create a council when there is none, or
    choose one of those listed.
    """
    councils = Council.objects.all()
    if slug:
        council = councils.filter(slug=slug.strip()).first()
        if council is not None:
            return council
        if not councils.exists():
            raise DomainError(NO_COUNCILS, field="council")
        raise DomainError(COUNCIL_NOT_FOUND.format(slug=slug, councils=_listing(councils)), field="council")
    found = list(councils[:2])
    if not found:
        raise DomainError(NO_COUNCILS, field="council")
    if len(found) > 1:
        raise DomainError(SEVERAL_COUNCILS.format(councils=_listing(councils)), field="council")
    return found[0]


def _active_on(on_date: date) -> Q:
    return (Q(active_from__isnull=True) | Q(active_from__lte=on_date)) & (
        Q(active_until__isnull=True) | Q(active_until__gte=on_date)
    )


def service_areas_active_on(*, council: Council, on_date: date) -> QuerySet[ServiceArea]:
    """The council's service areas that existed on ``on_date``."""
    return council.service_areas.filter(_active_on(on_date))


def teams_active_on(*, council: Council, on_date: date) -> QuerySet[Team]:
    """The council's teams that existed on ``on_date``, e.g. to offer for a case received that day."""
    return council.teams.filter(_active_on(on_date)).select_related("service_area")


def corporate_procedure_spec(*, procedure: CorporateProcedure, key: str = "corporate") -> Procedure:
    """The deadline engine's form of one version of a council's corporate procedure (R3.9): one or two stages.

    Both stages respond from acknowledgement, as the Code has it (R3.5, R3.6). A number of days left at 0 (or
    blank) means the council does not use that timescale: no acknowledgement target, no extension or no
    escalation window. A one-stage procedure has no stage 2 and no window to ask for one.
    """
    stage1 = (procedure.acknowledge_days, procedure.stage1_days, procedure.stage1_extension_days)
    stage2 = (procedure.stage2_acknowledge_days, procedure.stage2_days, procedure.stage2_extension_days)
    stages = [
        CorporateStageSpec(
            name="Stage 1",
            acknowledge_days=procedure.acknowledge_days or None,
            response_days=procedure.stage1_days,
            extension_days=procedure.stage1_extension_days or None,
            response_from=ResponseFrom.ACKNOWLEDGEMENT,
            rule="R3.5" if stage1 == _CODE_STAGE1 else "R3.9",
        )
    ]
    if procedure.stage_count >= 2:
        stages.append(
            CorporateStageSpec(
                name="Stage 2",
                acknowledge_days=procedure.stage2_acknowledge_days or None,
                response_days=procedure.stage2_days or 0,
                extension_days=procedure.stage2_extension_days or None,
                response_from=ResponseFrom.ACKNOWLEDGEMENT,
                rule="R3.6" if stage2 == _CODE_STAGE2 else "R3.9",
            )
        )
    return corporate_procedure(
        key=key,
        name=procedure.name,
        stages=stages,
        escalation_window_days=(procedure.escalation_window_days or None) if procedure.stage_count >= 2 else None,
        rule="R3.9",
    )


def corporate_procedure_current(*, council: Council) -> CorporateProcedure | None:
    """The current version of the council's default corporate procedure: the one a new corporate complaint uses."""
    return CorporateProcedure.objects.filter(council=council, is_default=True, superseded_at__isnull=True).first()


def local_timescales_current(*, council: Council) -> LocalTimescales | None:
    """The current version of the council's local timescales (adults' procedure, enquiries), if it has any."""
    return LocalTimescales.objects.filter(council=council, superseded_at__isnull=True).first()


def contact_list(*, council: Council, include_inactive: bool = False) -> QuerySet[Contact]:
    """``council``'s contacts by name: the active ones, or all of them for the manager's list."""
    contacts = Contact.objects.filter(council=council)
    if not include_inactive:
        contacts = contacts.filter(active=True)
    return contacts.order_by("-active", "name", "id")


def contacts_for_capacity(*, council: Council | int, capacity: ContactCapacity) -> QuerySet[Contact]:
    """The active contacts of ``council`` who may take ``capacity``, by name: the contacts a people picker offers.
    For a capacity that needs independence only contacts attested independent qualify (R1.3, R1.30)."""
    contacts = Contact.objects.filter(council=council, active=True, **{Contact.CAPACITY_FIELDS[capacity]: True})
    if capacity in Contact.INDEPENDENT_CAPACITIES:
        contacts = contacts.filter(independent_of_council=True)
    return contacts.order_by("name", "id")


def contact_get(*, council: Council, contact_id: int) -> Contact:
    """One of ``council``'s contacts; ``DomainError`` for any other id, so another council's are not revealed."""
    contact = Contact.objects.filter(council=council, pk=contact_id).first()
    if contact is None:
        raise NotFoundError("There is no such contact.")
    return contact
