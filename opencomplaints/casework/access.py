"""Access to the records the casework pages act on, always through a case the user may see
(``opencomplaints.cases.access``): a record of a case the user may not see is "not found", as the case is."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet

from opencomplaints.accounts.models import User
from opencomplaints.cases.access import access_case_by_id, access_stage_by_id
from opencomplaints.cases.models import Case, CaseComplainant, LearningAction, Stage
from opencomplaints.casework.models import Document
from opencomplaints.common.errors import NotFoundError
from opencomplaints.notifications.models import Message
from opencomplaints.notifications.selectors import message_list_for_case

__all__ = [
    "access_case_stage",
    "access_complainant_for_case",
    "access_document_for_case",
    "access_learning_action_for_case",
    "access_message_for_case",
    "record_of_case",
]

DOCUMENT_NOT_FOUND = "Document not found"
COMPLAINANT_NOT_FOUND = "Complainant not found"
LEARNING_ACTION_NOT_FOUND = "Learning action not found"
MESSAGE_NOT_FOUND = "Message not found"


def _pk(value: object) -> int | None:
    try:
        pk = int(str(value))
    except (TypeError, ValueError):
        return None
    return pk if pk > 0 else None


def record_of_case[M: Model](records: QuerySet[M], record_id: object, message: str, *, case: Case | None = None) -> M:
    """Record ``record_id`` among ``records`` (those of one case the user may see), or ``NotFoundError(message)``,
    also for an id that is not a number. With ``case``, the record's case is that one rather than read again."""
    pk = _pk(record_id)
    record = records.filter(pk=pk).first() if pk else None
    if record is None:
        raise NotFoundError(message)
    if case is not None:
        setattr(record, "case", case)  # noqa: B010 - any record with a case
    return record


def access_case_stage(*, user: User | AnonymousUser | None, case_id: int | str, stage_id: int | str) -> Stage:
    """Stage ``stage_id`` of case ``case_id``, if the user may see the case; a stage of another case is not found."""
    case = access_case_by_id(user=user, case_id=case_id)
    stage = access_stage_by_id(user=user, stage_id=stage_id)
    if stage.case_id != case.pk:
        raise NotFoundError("Stage not found")
    stage.case = case
    return stage


def access_document_for_case(*, case: Case, document_id: int | str) -> Document:
    """Document ``document_id`` of ``case`` (a case obtained through the access functions)."""
    return record_of_case(case.documents.select_related("case"), document_id, DOCUMENT_NOT_FOUND)


def access_complainant_for_case(*, case: Case, complainant_id: int | str) -> CaseComplainant:
    return record_of_case(case.complainants.select_related("person"), complainant_id, COMPLAINANT_NOT_FOUND, case=case)


def access_learning_action_for_case(*, case: Case, action_id: int | str) -> LearningAction:
    """A learning action linked to ``case``; an action of the council not linked to it is not reachable here."""
    return record_of_case(case.learning_actions.all(), action_id, LEARNING_ACTION_NOT_FOUND)


def access_message_for_case(*, case: Case, message_id: int | str) -> Message:
    """Message ``message_id`` about ``case``; a message about another case, or about none, is not found here."""
    return record_of_case(message_list_for_case(case=case), message_id, MESSAGE_NOT_FOUND, case=case)
