"""Access to the records the casework pages act on, always through a case the user may see
(``opencomplaints.cases.access``): a record of a case the user may not see is "not found", as the case is."""

from django.contrib.auth.models import AnonymousUser

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
    pk = _pk(document_id)
    document = case.documents.select_related("case").filter(pk=pk).first() if pk else None
    if document is None:
        raise NotFoundError(DOCUMENT_NOT_FOUND)
    return document


def access_complainant_for_case(*, case: Case, complainant_id: int | str) -> CaseComplainant:
    pk = _pk(complainant_id)
    complainant = case.complainants.select_related("person").filter(pk=pk).first() if pk else None
    if complainant is None:
        raise NotFoundError(COMPLAINANT_NOT_FOUND)
    complainant.case = case
    return complainant


def access_learning_action_for_case(*, case: Case, action_id: int | str) -> LearningAction:
    """A learning action linked to ``case``; an action of the council not linked to it is not reachable here."""
    pk = _pk(action_id)
    action = case.learning_actions.filter(pk=pk).first() if pk else None
    if action is None:
        raise NotFoundError(LEARNING_ACTION_NOT_FOUND)
    return action


def access_message_for_case(*, case: Case, message_id: int | str) -> Message:
    """Message ``message_id`` about ``case``; a message about another case, or about none, is not found here."""
    pk = _pk(message_id)
    message = message_list_for_case(case=case).filter(pk=pk).first() if pk else None
    if message is None:
        raise NotFoundError(MESSAGE_NOT_FOUND)
    message.case = case
    return message
