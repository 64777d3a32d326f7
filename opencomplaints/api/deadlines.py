from datetime import date
from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from opencomplaints.calendars.selectors import receipt_rule, working_day_calendar
from opencomplaints.common.errors import DomainError
from opencomplaints.deadlines import PROCEDURES, CalendarRangeError, stage_due_dates
from opencomplaints.deadlines.procedures import UnknownStageError


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

    @extend_schema(request=InputSerializer, responses=OutputSerializer(many=True))
    def post(self, request: Request) -> Response:
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        procedure = PROCEDURES[data.validated_data["procedure"]]
        events: dict[str, date] = data.validated_data["events"]
        try:
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
