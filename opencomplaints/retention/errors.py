"""Records retention's errors and their messages (constants, so tests assert the exact text)."""

from opencomplaints.common.errors import DomainError


class RetentionError(DomainError):
    code = "retention"


HOLD_ALREADY_PLACED = "{reference} is already on legal hold."
HOLD_NOT_PLACED = "{reference} is not on legal hold."
HOLD_REASON_REQUIRED = "Enter why the personal data of {reference} must be kept"
ALREADY_ANONYMISED = "The personal data of {reference} was removed on {on}: there is nothing left to hold."
