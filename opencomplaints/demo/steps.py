"""What else each demonstration council is given once its cases are built: the one list to add a part to.

Each step takes the ``Built`` council (with the demonstration users and the end date) and writes through the
services of its own app. A new part of the demonstration (a feature's sample records) is a function here and a
line in ``STEPS``; steps that only the first council of a shared service needs check ``built.first``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from opencomplaints.accounts.models import User
from opencomplaints.councils.models import Council
from opencomplaints.demo.contacts import contacts_demo
from opencomplaints.demo.correspondence import correspondence_demo
from opencomplaints.demo.handling_code import handling_code_demo
from opencomplaints.demo.historic import historic_demo
from opencomplaints.demo.integrations import integrations_demo
from opencomplaints.demo.publication import publication_demo
from opencomplaints.demo.role_requests import role_requests_demo


@dataclass(frozen=True, kw_only=True)
class Built:
    council: Council
    users: Mapping[str, User]
    end_date: date
    first: bool  # the first council of the build (the one a shared service's integrations belong to)


def _handling_code(built: Built) -> None:
    handling_code_demo(council=built.council, users=built.users, end_date=built.end_date)


def _correspondence(built: Built) -> None:
    correspondence_demo(council=built.council, users=built.users, end_date=built.end_date)


def _publication(built: Built) -> None:
    publication_demo(council=built.council, users=built.users, end_date=built.end_date)


def _historic(built: Built) -> None:
    historic_demo(council=built.council)


def _integrations(built: Built) -> None:
    if built.first:
        integrations_demo(council=built.council, end_date=built.end_date)


def _contacts(built: Built) -> None:
    contacts_demo(council=built.council, users=built.users, end_date=built.end_date)


def _role_requests(built: Built) -> None:
    if built.first:
        role_requests_demo(council=built.council, users=dict(built.users))


STEPS: tuple[Callable[[Built], None], ...] = (
    _handling_code,
    _correspondence,
    _publication,
    _historic,
    _integrations,
    _role_requests,
    _contacts,
)
