"""Fixtures for the casework pages: the case fixtures of the case tests, and a signed-in client per persona."""

import pytest

from opencomplaints.cases.tests.conftest import (  # noqa: F401 - fixtures shared with the case tests
    apology,
    complaint,
    issue,
    payment,
    stage1,
    stage2,
    stage3,
    team,
)


@pytest.fixture
def officer_client(client, complaints_officer):
    client.force_login(complaints_officer)
    return client


@pytest.fixture
def other_client(client, other_council_officer):
    client.force_login(other_council_officer)
    return client
