from datetime import date
from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opencomplaints.api.errors import ErrorSerializer
from opencomplaints.calendars.selectors import receipt_rule, working_day_calendar
from opencomplaints.common.errors import DomainError
from opencomplaints.deadlines import PROCEDURES, CalendarRangeError, stage_due_dates
from opencomplaints.deadlines.procedures import Stage, UnknownStageError


class UnknownEventError(DomainError):
    code = "unknown_event"


class MissingEventError(DomainError):
    code = "missing_event"


def _event_names(stage: Stage) -> list[str]:
    """The events ``stage``'s due dates run from, in timescale order (each once)."""
    names: list[str] = []
    for timescale in stage.timescales:
        for name in (timescale.anchor, timescale.fallback_anchor):
            if name is not None and name not in names:
                names.append(name)
    return names


def _checked_events(stage: Stage, events: dict[str, date]) -> None:
    """Refuse an event the stage does not run from (a misspelt name would otherwise be ignored) and a request
    naming none of its events (which would otherwise answer with no due dates at all)."""
    known = _event_names(stage)
    unknown = sorted(set(events) - set(known))
    if unknown:
        raise UnknownEventError(
            f"Stage {stage.number} has no event called {', '.join(unknown)}. Its events are: {', '.join(known)}.",
            field="events",
        )
    if not events:
        raise MissingEventError(
            f"Give the date of at least one event of stage {stage.number}: {', '.join(known)}.",
            field="events",
        )


class DeadlineCalculateApi(APIView):
    """Every due date of a stage, computed from the events it runs from, on the statutory calendar."""

    class InputSerializer(serializers.Serializer[dict[str, Any]]):
        procedure = serializers.ChoiceField(choices=sorted(PROCEDURES), default="children_statutory")
        stage = serializers.IntegerField(min_value=1, max_value=3, default=1)
        events = serializers.DictField(
            child=serializers.DateField(),
            help_text='Event dates by name, e.g. {"received": "2022-05-26"} or {"stage2_start": "2024-01-08"}.',
        )

    class OutputSerializer(serializers.Serializer[dict[str, Any]]):
        key = serializers.CharField()
        label = serializers.CharField()  # type: ignore[assignment]  # a field called label, not Field.label
        rule = serializers.CharField()
        statutory = serializers.BooleanField()
        anchor = serializers.CharField()
        anchor_on = serializers.DateField()
        due_on = serializers.DateField()
        extended_due_on = serializers.DateField(allow_null=True)

    @extend_schema(
        request=InputSerializer,
        responses={
            200: OutputSerializer(many=True),
            400: OpenApiResponse(
                ErrorSerializer,
                description="The input is not valid (code invalid, with each field's errors), names an event the "
                "stage does not run from (unknown_event) or none of its events (missing_event), or a stage the "
                "procedure lacks or a date outside the calendar.",
            ),
            403: OpenApiResponse(ErrorSerializer, description="Not signed in."),
        },
    )
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = PROCEDURES[data.validated_data["procedure"]]
        events: dict[str, date] = data.validated_data["events"]
        try:
            _checked_events(procedure.stage(data.validated_data["stage"]), events)
            due_dates = stage_due_dates(
                procedure=procedure,
                stage=data.validated_data["stage"],
                anchors=events,
                calendar=working_day_calendar(),
                receipt_rule=receipt_rule(),
            )
        except (UnknownStageError, CalendarRangeError, ValueError) as error:
            raise DomainError(str(error).strip("'\""), field="events") from error
        rows = [
            {
                "key": d.key,
                "label": d.timescale.label,
                "rule": d.rule,
                "statutory": d.timescale.statutory,
                "anchor": d.anchor,
                "anchor_on": d.anchor_on,
                "due_on": d.due_on,
                "extended_due_on": d.extended_due_on,
            }
            for d in due_dates
        ]
        return Response(self.OutputSerializer(rows, many=True).data)  # type: ignore[arg-type]  # many=True takes a list
