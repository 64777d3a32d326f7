"""Personal API tokens and the cases API: the token acts as its user and no further, every use is audited, and a
change needs the case's current ETag (a stale one gets 412, nothing changed)."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from opencomplaints.api.models import ApiToken
from opencomplaints.api.services import TokenError, api_token_create, api_token_revoke
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.models import Case
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db

LIST = reverse("api:v1:case-list")


def detail(case: Case) -> str:
    return reverse("api:v1:case-detail", args=[case.pk])


def client_with(token: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client


@pytest.fixture
def case(council, complaints_manager):
    return f.accepted(council, complaints_manager)


@pytest.fixture
def other_case(other_council, other_council_officer):
    return f.accepted(other_council, other_council_officer)


def make_token(user, scope="write", **kwargs) -> str:
    return api_token_create(user=user, acting_user=user, name="Tests", scope=scope, **kwargs)[1]


def test_the_token_is_stored_only_as_a_digest(complaints_officer):
    row, token = api_token_create(user=complaints_officer, acting_user=None, name="Warehouse", scope="read")
    assert token.startswith(f"oc_{row.prefix}_")
    assert token not in (row.digest, row.prefix)
    assert len(row.digest) == 64
    assert AuditEvent.objects.filter(event_type=AuditEventType.API_TOKEN_CREATED, subject_id=str(row.pk)).exists()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"name": " "}, "Enter what the token is for"),
        ({"scope": "admin"}, "Choose read or write"),
        ({"expires_in_days": 0}, "A token lasts from 1 to 366 days"),
        ({"expires_in_days": 400}, "A token lasts from 1 to 366 days"),
    ],
)
def test_a_token_that_cannot_be_made_is_refused_clearly(complaints_officer, kwargs, message):
    arguments = {"user": complaints_officer, "acting_user": None, "name": "x", "scope": "read", **kwargs}
    with pytest.raises(TokenError, match=message):
        api_token_create(**arguments)
    assert not ApiToken.objects.exists()


def test_a_token_cannot_reach_a_council_its_user_is_not_in(complaints_officer, other_council):
    with pytest.raises(TokenError, match="not a member"):
        api_token_create(user=complaints_officer, acting_user=None, name="x", scope="read", councils=[other_council])


def test_the_list_shows_only_the_cases_the_user_may_see(complaints_officer, case, other_case):
    response = client_with(make_token(complaints_officer, "read")).get(LIST)
    assert response.status_code == 200
    assert [row["reference"] for row in response.json()["results"]] == [case.reference]
    assert AuditEvent.objects.filter(event_type=AuditEventType.API_TOKEN_USED).count() == 1
    assert AuditEvent.objects.filter(event_type=AuditEventType.SEARCH_PERFORMED).exists()


def test_a_case_of_another_council_is_not_found(complaints_officer, other_case):
    response = client_with(make_token(complaints_officer, "read")).get(detail(other_case))
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Case not found"


@pytest.mark.parametrize("header", ["", "Bearer nonsense", "Bearer oc_abc_def", "Token oc_x_y"])
def test_no_token_or_a_bad_one_reads_nothing(case, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = client.get(LIST)
    assert response.status_code in (401, 403)
    assert "results" not in response.json()


def test_a_revoked_or_expired_token_stops_working(complaints_officer, case):
    row, token = api_token_create(user=complaints_officer, acting_user=None, name="x", scope="read")
    assert client_with(token).get(LIST).status_code == 200
    api_token_revoke(token=row, acting_user=complaints_officer)
    assert client_with(token).get(LIST).status_code == 401
    _expired, old = api_token_create(
        user=complaints_officer, acting_user=None, name="y", scope="read", now=timezone.now() - timedelta(days=2),
        expires_in_days=1,
    )  # fmt: skip
    assert client_with(old).get(LIST).status_code == 401


def test_reading_gives_an_etag_and_a_change_needs_it(complaints_manager, complaints_officer, case):
    client = client_with(make_token(complaints_manager))
    read = client.get(detail(case))
    assert read.status_code == 200
    etag = read["ETag"]
    body = {"owner": complaints_officer.username, "reason": "Allocated for the week"}

    missing = client.patch(detail(case), body, format="json")
    assert missing.status_code == 428

    changed = client.patch(detail(case), body, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.json()
    assert changed.json()["owner"] == complaints_officer.username
    assert changed["ETag"] != etag
    assert AuditEvent.objects.filter(event_type=AuditEventType.CASE_OWNER_CHANGED, case=case).count() == 1

    # A second writer with the first reading's ETag is refused and changes nothing.
    stale = client.patch(detail(case), {"owner": None, "reason": "Unallocated"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "Someone changed this case" in stale.json()["error"]["message"]
    case.refresh_from_db()
    assert case.owner == complaints_officer


def test_a_read_only_token_cannot_change_anything(complaints_manager, complaints_officer, case):
    client = client_with(make_token(complaints_manager, "read"))
    etag = client.get(detail(case))["ETag"]
    response = client.patch(
        detail(case), {"owner": complaints_officer.username, "reason": "x"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 403
    case.refresh_from_db()
    assert case.owner != complaints_officer


def test_the_service_s_own_rules_answer_400(complaints_manager, case):
    client = client_with(make_token(complaints_manager))
    etag = client.get(detail(case))["ETag"]
    response = client.patch(detail(case), {"owner": "nobody-here", "reason": "x"}, format="json", HTTP_IF_MATCH=etag)
    assert response.status_code == 400
    assert "nobody-here is not a member" in str(response.json())


def test_a_token_narrowed_to_one_council_sees_only_it(complaints_officer, case, council, other_council):
    from opencomplaints.councils.models import CouncilMembership

    CouncilMembership.objects.create(council=other_council, user=complaints_officer, role="complaints_officer")
    elsewhere = f.accepted(other_council, complaints_officer)
    wide = client_with(make_token(complaints_officer, "read")).get(LIST).json()["results"]
    narrow = client_with(make_token(complaints_officer, "read", councils=[council])).get(LIST).json()["results"]
    assert {r["reference"] for r in wide} == {case.reference, elsewhere.reference}
    assert [r["reference"] for r in narrow] == [case.reference]


def test_the_command_prints_a_token_once_that_reads_and_changes_an_owner(complaints_manager, complaints_officer, case):
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "api-token", "create", "--user", complaints_manager.username, "--scope", "write", stdout=out, stderr=err
    )
    token = out.getvalue().strip()
    assert "shown only now" in err.getvalue()
    client = client_with(token)
    etag = client.get(detail(case))["ETag"]
    response = client.patch(
        detail(case), {"owner": complaints_officer.username, "reason": "API"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    with pytest.raises(CommandError, match="No user is called"):
        call_command("api-token", "create", "--user", "ghost", stdout=io.StringIO())


def test_invalid_filters_are_400_not_500(complaints_officer, case):
    response = client_with(make_token(complaints_officer, "read")).get(LIST, {"status": "sideways"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


TOKENS = reverse("api:tokens")


def test_the_token_page_creates_a_token_shown_once_and_revokes_it(client, complaints_officer, case):
    client.force_login(complaints_officer)
    assert client.get(TOKENS).status_code == 200
    response = client.post(TOKENS, {"name": "Warehouse load", "scope": "read", "expires": "30"})
    assert response.status_code == 200
    token = response.context["created"]
    assert token in response.content.decode()
    assert client_with(token).get(LIST).status_code == 200
    again = client.get(TOKENS).content.decode()
    assert token not in again
    assert "Warehouse load" in again
    row = ApiToken.objects.get()
    assert client.post(TOKENS, {"revoke": row.pk}).status_code == 302
    assert client_with(token).get(LIST).status_code == 401


def test_the_token_page_refuses_bad_input_with_a_clear_message(client, complaints_officer):
    client.force_login(complaints_officer)
    response = client.post(TOKENS, {"name": "", "scope": "read", "expires": "999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Enter what the token is for" in page
    assert "A token lasts from 1 to 366 days" in page
    assert not ApiToken.objects.exists()


def test_no_one_revokes_another_person_s_token(client, complaints_officer, complaints_manager):
    row, _token = api_token_create(user=complaints_manager, acting_user=None, name="x", scope="read")
    client.force_login(complaints_officer)
    client.post(TOKENS, {"revoke": row.pk})
    row.refresh_from_db()
    assert row.revoked_at is None
