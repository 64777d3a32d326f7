from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models

from opencomplaints.common.errors import DomainError


def full_clean_or_domain_error(instance: models.Model) -> None:
    """``full_clean()``, raising its first message as a :class:`DomainError` so every interface (admin, command
    line, API) shows a clear message rather than failing on a model ``ValidationError``.

    The services check the rules they know about first, with their own messages; this is the backstop for the
    model's field and constraint checks.
    """
    try:
        instance.full_clean()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            field, messages = next(iter(error.message_dict.items()))
            raise DomainError(messages[0], field=None if field == NON_FIELD_ERRORS else field) from error
        raise DomainError(error.messages[0]) from error
