"""Domain errors: anticipated failures that the interface layer turns into a clear message."""


class DomainError(Exception):
    """A rule of the procedure or the data would be broken. ``message`` is shown to the user as it is."""

    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class NotFoundError(DomainError):
    """The record does not exist or the user may not see it; the two are never distinguished."""

    code = "not_found"
