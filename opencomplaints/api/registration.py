"""Registering a complaint through the API: the registration service (``cases.services.complaint_register``) with
the same rules as the registration page, for a council the credential may register in. The page's check for likely
duplicates (R1.14) is the caseworker's to do on the case page: a program cannot be shown them."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions, serializers
from rest_framework.request import Request

from opencomplaints.api.authentication import credential_council_ids
from opencomplaints.api.resources import request_user
from opencomplaints.cases import constants as c
from opencomplaints.cases.access import CouncilPurpose, councils_for_purpose
from opencomplaints.cases.models import Case
from opencomplaints.cases.services import complaint_register
from opencomplaints.cases.services.inputs import ComplainantInput, PersonInput

__all__ = ["CaseCreateSerializer", "case_create"]

NO_COUNCIL = "You may not register cases in that council, or there is no council with that short name."


class ComplainantSerializer(serializers.Serializer[dict[str, Any]]):
    first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    complainant_type = serializers.ChoiceField(c.ComplainantType.choices, default=c.ComplainantType.UNKNOWN)


class CaseCreateSerializer(serializers.Serializer[dict[str, Any]]):
    """A complaint to register; it waits in triage to be accepted, as one registered on the page does."""

    council = serializers.SlugField(help_text="The council's short name.")
    received_date = serializers.DateField()
    received_via = serializers.ChoiceField(c.ReceivedVia.choices, default=c.ReceivedVia.UNKNOWN)
    procedure = serializers.ChoiceField(c.Procedure.choices, default=c.Procedure.CHILDREN_STATUTORY)
    summary = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")
    complainants = ComplainantSerializer(many=True, allow_empty=False)


def case_create(request: Request) -> Case:
    """Register the complaint the request describes; 400 for what the serializer or the service refuses."""
    body = CaseCreateSerializer(data=request.data)
    body.is_valid(raise_exception=True)
    data = body.validated_data
    user = request_user(request)
    councils = councils_for_purpose(user=user, purpose=CouncilPurpose.REGISTER).filter(slug=data["council"])
    narrowed = credential_council_ids(request)
    if narrowed is not None:
        councils = councils.filter(pk__in=narrowed)
    council = councils.first()
    if council is None:
        raise exceptions.ValidationError({"council": [NO_COUNCIL]})
    people = [
        ComplainantInput(
            person=PersonInput(
                first_name=p["first_name"].strip(), last_name=p["last_name"].strip(), email=p["email"],
                phone=p["phone"].strip(),
            ),
            complainant_type=p["complainant_type"],
        )
        for p in data["complainants"]
    ]  # fmt: skip
    return complaint_register(
        council=council,
        acting_user=user,
        received_date=data["received_date"],
        received_via=data["received_via"],
        procedure=data["procedure"],
        summary=data["summary"].strip(),
        complainants=people,
    )
