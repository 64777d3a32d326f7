"""One error shape for the whole API: ``{"error": {"code": ..., "message": ..., "field": ...}}``."""

from typing import Any

from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from opencomplaints.common.errors import DomainError, NotFoundError

#: Refusals that are not 400: a change's precondition (docs/api.md), ``cases.errors.StaleVersion`` is "stale" too;
#: and a download of a job's file that is not ready.
PRECONDITION_STATUS = {
    "precondition_required": status.HTTP_428_PRECONDITION_REQUIRED,
    "stale": 412,
    # A job's file asked for before the job made it (api.jobs).
    "not_ready": status.HTTP_409_CONFLICT,
}
#: The pages' message speaks of the page; a program is told what to do.
STALE = "Someone changed this case since you read it. Read it again, then make your change."


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """Turn domain errors into 400/404 responses and give DRF's own errors the same shape."""
    if isinstance(exc, NotFoundError):
        return Response(
            {"error": {"code": exc.code, "message": exc.message, "field": exc.field}},
            status=status.HTTP_404_NOT_FOUND,
        )
    if isinstance(exc, DomainError):
        code = PRECONDITION_STATUS.get(exc.code, status.HTTP_400_BAD_REQUEST)
        message = STALE if exc.code == "stale" else exc.message
        return Response({"error": {"code": exc.code, "message": message, "field": exc.field}}, status=code)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {"error": {"code": "invalid", "message": "The request is not valid.", "fields": exc.detail}}
    elif isinstance(exc, exceptions.APIException):
        response.data = {"error": {"code": exc.default_code, "message": str(exc.detail), "field": None}}
    return response


class ErrorSerializer(serializers.Serializer[dict[str, Any]]):
    """The body of every error response, for the schema."""

    class Detail(serializers.Serializer[dict[str, Any]]):
        code = serializers.CharField(help_text="A stable, machine-readable code, e.g. invalid or unknown_event.")
        message = serializers.CharField(help_text="What is wrong, in words a person can act on.")
        field = serializers.CharField(allow_null=True, required=False, help_text="The input at fault, if one is.")
        fields = serializers.DictField(  # type: ignore[assignment]  # a field called fields, not Serializer.fields
            required=False, help_text="With code invalid: the errors of each input."
        )

    error = Detail()
