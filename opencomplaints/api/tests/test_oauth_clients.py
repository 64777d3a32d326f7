"""OAuth 2.0 client credentials for system integrations: a client registered by the command gets an access token
for its id and secret, reads its councils' cases and no others, writes only with the write scope, is audited at
every use, and stops at once when revoked."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from rest_framework.test import APIClient

from opencomplaints.api.models import ApiClient
from opencomplaints.api.services import api_client_create, api_client_revoke
from opencomplaints.audit.models import AuditEvent, AuditEventType
from opencomplaints.cases.tests import factories as f

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/oauth/token/"


@pytest.fixture
def case(council, complaints_manager):
    return f.accepted(council, complaints_manager)


@pytest.fixture
def other_case(other_council, other_council_officer):
    return f.accepted(other_council, other_council_officer)


def access_token(client_id: str, secret: str, scope: str = "") -> APIClient:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    if scope:
        data["scope"] = scope
    response = APIClient().post(TOKEN_URL, data)
    assert response.status_code == 200, response.content
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['access_token']}")
    return api


def test_the_command_prints_an_id_and_secret_that_get_a_token_reading_the_council_s_cases(council, case, other_case):
    out, err = io.StringIO(), io.StringIO()
    call_command("api-client", "create", "--council", council.slug, "--scope", "read", "--name", "Data warehouse",
                 stdout=out, stderr=err)  # fmt: skip
    values = dict(line.split("=", 1) for line in out.getvalue().split())
    assert "shown only now" in err.getvalue()
    client = ApiClient.objects.get()
    assert values["client_secret"] not in client.application.client_secret  # stored hashed
    api = access_token(values["client_id"], values["client_secret"])
    listed = api.get("/api/v1/cases/")
    assert listed.status_code == 200
    assert [c["reference"] for c in listed.json()["results"]] == [case.reference]
    assert api.get(f"/api/v1/cases/{other_case.pk}/").status_code == 404
    used = AuditEvent.objects.filter(event_type=AuditEventType.API_CLIENT_USED, subject_id=str(client.pk))
    assert used.count() == 2
    assert AuditEvent.objects.filter(event_type=AuditEventType.API_CLIENT_CREATED).count() == 1
    with pytest.raises(CommandError, match="No council"):
        call_command("api-client", "create", "--council", "nowhere", stdout=io.StringIO(), stderr=io.StringIO())


def test_a_read_client_cannot_write_or_ask_for_the_write_scope(council, case):
    _client, client_id, secret = api_client_create(name="CRM", scope="read", councils=[council], acting_user=None)
    refused = APIClient().post(
        TOKEN_URL,
        {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret, "scope": "write"},
    )
    assert refused.status_code in (400, 401)
    api = access_token(client_id, secret)
    etag = api.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    changed = api.patch(f"/api/v1/cases/{case.pk}/", {"owner": None, "reason": "x"}, format="json",
                        HTTP_IF_MATCH=etag)  # fmt: skip
    assert changed.status_code == 403


def test_a_write_client_changes_a_case_with_if_match(council, case, complaints_officer):
    _client, client_id, secret = api_client_create(name="CRM", scope="write", councils=[council], acting_user=None)
    api = access_token(client_id, secret)
    etag = api.get(f"/api/v1/cases/{case.pk}/")["ETag"]
    body = {"owner": complaints_officer.username, "reason": "Allocated by the CRM"}
    changed = api.patch(f"/api/v1/cases/{case.pk}/", body, format="json", HTTP_IF_MATCH=etag)
    assert changed.status_code == 200, changed.json()
    stale = api.patch(f"/api/v1/cases/{case.pk}/", {"owner": None, "reason": "Again"}, format="json",
                      HTTP_IF_MATCH=etag)  # fmt: skip
    assert stale.status_code == 412


def test_a_wrong_secret_gets_no_token_and_a_revoked_client_stops_at_once(council, case):
    client, client_id, secret = api_client_create(name="CRM", scope="read", councils=[council], acting_user=None)
    wrong = APIClient().post(
        TOKEN_URL, {"grant_type": "client_credentials", "client_id": client_id, "client_secret": "guess"}
    )
    assert wrong.status_code == 401
    api = access_token(client_id, secret)
    assert api.get("/api/v1/cases/").status_code == 200
    api_client_revoke(client=client, acting_user=None)
    assert api.get("/api/v1/cases/").status_code == 401
    again = APIClient().post(TOKEN_URL, {"grant_type": "client_credentials", "client_id": client_id,
                                          "client_secret": secret})  # fmt: skip
    assert again.status_code != 200


def test_an_unknown_bearer_token_is_refused_with_one_message(case):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    response = api.get("/api/v1/cases/")
    assert response.status_code == 401
    assert "results" not in response.json()


def test_a_client_needs_a_council_and_a_scope(council):
    from opencomplaints.api.services import TokenError

    with pytest.raises(TokenError, match="at least one council"):
        api_client_create(name="CRM", scope="read", councils=[], acting_user=None)
    with pytest.raises(TokenError, match="read or write"):
        api_client_create(name="CRM", scope="admin", councils=[council], acting_user=None)
