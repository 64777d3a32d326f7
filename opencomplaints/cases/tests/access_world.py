"""One council's complaints at each point where a different role has a part in them, built through the services,
for the tests of who sees what (``test_access.py``, ``tests/test_authorisation_matrix.py``).

* ``stage1``: a complaint at stage 1, owned by the investigating manager who answers it;
* ``stage2``: at stage 2, the external investigating officer and the independent person appointed, the internal
  investigating officer named nowhere;
* ``stage3``: at stage 3 with the review panel appointed (its stage 2 investigated by the same external officer and
  independent person, and adjudicated by the adjudicator);
* ``enquiry``: an MP enquiry (not a complaint);
* ``ombudsman``: an Ombudsman case about ``stage1``;
* ``restricted``: a complaint at stage 1 restricted by a second complaints manager, naming the complaints officer;
* ``other``: a complaint of another council.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings

from opencomplaints.accounts.models import User
from opencomplaints.accounts.tests.personas import PERSONAS, member, panel, persona
from opencomplaints.cases import constants as c
from opencomplaints.cases.models import Case, CaseAccessGrant
from opencomplaints.cases.services import (
    EnquirerInput,
    case_restrict,
    learning_action_create,
    ombudsman_case_register,
    representation_register,
    stage3_panel_appoint,
)
from opencomplaints.cases.tests import factories as f
from opencomplaints.casework.models import Document
from opencomplaints.casework.services import document_upload
from opencomplaints.councils.models import Council, Role
from opencomplaints.councils.tests.factories import CouncilFactory

__all__ = ["World", "build_world", "world_fixture"]


@dataclass
class World:
    council: Council
    other_council: Council
    users: dict[str, User]
    stage1: Case
    stage2: Case
    stage3: Case
    enquiry: Case
    ombudsman: Case
    restricted: Case
    other: Case
    documents: dict[str, Document]
    grant: CaseAccessGrant
    media_root: str = ""


def _document(case: Case, user: User, number: int | None, name: str) -> Document:
    stage = case.stages.get(number=number) if number is not None else None
    upload = SimpleUploadedFile(name, b"Notes of a conversation.\n", content_type="text/plain")
    return document_upload(case=case, acting_user=user, file=upload, stage=stage)


def build_world() -> World:
    """The two councils, a user for every persona (``panel_member`` is the panel's chair; ``system_administrator`` a
    superuser holding that role in the council) and the cases."""
    council = CouncilFactory.create(name="Borough of Exampleton", slug="exampleton", reference_prefix="CSC")
    other_council = CouncilFactory.create(name="Northby District Council", slug="northby", reference_prefix="NBY")
    users = {name: persona(name, other_council if name == "other_council_officer" else council) for name in PERSONAS}
    panel_members = panel(council)
    users["panel_member"] = panel_members[0]
    users["system_administrator"] = member(
        council, "admin.sam", "Sam", "Whitlow", Role.SYSTEM_ADMINISTRATOR, is_staff=True, is_superuser=True
    )
    manager = users["complaints_manager"]
    stage1 = f.accepted(council, manager, owner=users["investigating_manager"])
    stage2 = f.at_stage2(council, manager).case
    f.investigated(
        stage2.stages.get(number=2),
        manager,
        investigating_officer=users["investigating_officer"],
        independent_person=users["independent_person"],
    )
    stage3_stage = f.at_stage3(
        council,
        manager,
        investigating_officer=users["investigating_officer"],
        independent_person=users["independent_person"],
        adjudicator=users["adjudicator"],
    )
    stage3_panel_appoint(stage=stage3_stage, acting_user=manager, chair=panel_members[0], members=panel_members[1:])
    stage3 = stage3_stage.case
    enquiry = representation_register(
        council=council,
        acting_user=manager,
        kind=c.Kind.MP_ENQUIRY,
        received_date=date(2022, 5, 26),
        enquirer=EnquirerInput(enquirer_type=c.EnquirerType.MP, name="Ann Other MP"),
    )
    ombudsman = ombudsman_case_register(
        council=council,
        acting_user=manager,
        received_date=date(2022, 9, 1),
        lgsco_reference="22 001 234",
        complaint=stage1,
    )
    restricted = f.accepted(council, manager)
    second_manager = member(council, "manager.max", "Max", "Penrose", Role.COMPLAINTS_MANAGER, job_title="Head of")
    case_restrict(
        case=restricted,
        acting_user=second_manager,
        reason="About a member of the complaints team",
        named_users=[users["complaints_officer"]],
    )
    other = f.accepted(other_council, users["other_council_officer"])
    for case in (stage1, stage2, stage3, other):
        learning_action_create(
            council=case.council,
            acting_user=manager if case != other else users["other_council_officer"],
            finding="Calls were not returned",
            action="Call back within a day",
            cases=[case],
        )
    documents = {
        "stage1": _document(stage1, manager, 1, "stage1-notes.txt"),
        "stage1_whole": _document(stage1, manager, None, "complaint-letter.txt"),
        "stage2": _document(stage2, manager, 2, "stage2-report.txt"),
        "stage2_stage1": _document(stage2, manager, 1, "stage1-response.txt"),
        "stage3": _document(stage3, manager, 3, "panel-notes.txt"),
        "stage3_stage2": _document(stage3, manager, 2, "stage2-report.txt"),
        "restricted": _document(restricted, second_manager, 1, "restricted.txt"),
        "other": _document(other, users["other_council_officer"], 1, "other.txt"),
    }
    # A named person on an unrestricted case, so removing a person has a row to act on everywhere.
    grant = CaseAccessGrant.objects.create(
        case=stage1,
        user=users["complaints_officer"],
        granted_by=manager,
        granted_at=stage1.created_at,
        reason="Named for the test",
    )
    users["second_manager"] = second_manager
    return World(
        council=council,
        other_council=other_council,
        users=users,
        stage1=stage1,
        stage2=stage2,
        stage3=stage3,
        enquiry=enquiry,
        ombudsman=ombudsman,
        restricted=restricted,
        other=other,
        documents=documents,
        grant=grant,
    )


def world_fixture(django_db_setup: None, django_db_blocker: Any, tmp_path_factory: Any) -> Iterator[World]:
    """Build the world once for a module, inside a transaction rolled back at its end; each test runs in its own
    savepoint within it (use as ``world = pytest.fixture(scope="module")(world_fixture)``)."""
    media = tmp_path_factory.mktemp("media")
    # Marked as Django's TestCase marks its class-wide transaction (setUpTestData), so that a service which must be
    # a transaction of its own (``durable``: a document upload) runs inside it, as it does inside each test's.
    world_transaction = transaction.atomic()
    world_transaction._from_testcase = True  # type: ignore[attr-defined]  # the flag TestCase._enter_atomics sets
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=str(media)), world_transaction:
        world = build_world()
        world.media_root = str(media)
        yield world
        transaction.set_rollback(True)
