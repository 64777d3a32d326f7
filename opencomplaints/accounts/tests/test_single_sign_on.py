"""Single sign-on (OpenID Connect): the provider's answers are mocked, nothing leaves the machine."""

import json
import time
from typing import Any
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import override_settings
from django.urls import reverse

from opencomplaints.accounts.models import User
from opencomplaints.accounts.views import SSO_NOT_LINKED
from opencomplaints.audit.models import AuditEvent, AuditEventType

pytestmark = pytest.mark.django_db

PROVIDER = "https://login.example.gov.uk"
KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
JWK = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(KEY.public_key())) | {"kid": "k1", "alg": "RS256"}

OIDC = {
    "OIDC_RP_CLIENT_ID": "opencomplaints",
    "OIDC_RP_CLIENT_SECRET": "not-a-real-secret",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": f"{PROVIDER}/authorize",
    "OIDC_OP_TOKEN_ENDPOINT": f"{PROVIDER}/token",
    "OIDC_OP_USER_ENDPOINT": f"{PROVIDER}/userinfo",
    "OIDC_OP_JWKS_ENDPOINT": f"{PROVIDER}/jwks",
    "AUTHENTICATION_BACKENDS": [
        "axes.backends.AxesStandaloneBackend",
        "django.contrib.auth.backends.ModelBackend",
        "opencomplaints.accounts.oidc.StaffOIDCBackend",
    ],
}


class FakeResponse:
    def __init__(self, payload, status=200):
        self.payload, self.status_code = payload, status
        self.headers = {"content-type": "application/json"}
        self.url, self.text = "", json.dumps(payload)

    def json(self):
        return self.payload

    def raise_for_status(self):
        assert self.status_code == 200


@pytest.fixture
def provider(monkeypatch):
    """The identity provider: ``provider["email"]`` is who it says signed in."""
    state: dict[str, Any] = {"email": "", "nonce": "", "calls": []}

    def post(url, data=None, **kwargs):
        state["calls"].append(url)
        assert url == f"{PROVIDER}/token"
        assert data["code"] == "the-code"
        claims: dict[str, Any] = {"iss": PROVIDER, "sub": "abc", "aud": "opencomplaints", "nonce": state["nonce"]}
        claims |= {"exp": int(time.time()) + 300, "iat": int(time.time())}
        id_token = jwt.encode(claims, KEY, algorithm="RS256", headers={"kid": "k1"})
        return FakeResponse({"id_token": id_token, "access_token": "access", "token_type": "Bearer"})

    def get(url, headers=None, **kwargs):
        state["calls"].append(url)
        if url.endswith("/jwks"):
            return FakeResponse({"keys": [JWK]})
        assert url == f"{PROVIDER}/userinfo"
        assert headers["Authorization"] == "Bearer access"
        return FakeResponse({"sub": "abc", "email": state["email"], "email_verified": True})

    monkeypatch.setattr("mozilla_django_oidc.auth.requests.post", post)
    monkeypatch.setattr("mozilla_django_oidc.auth.requests.get", get)
    return state


def sign_in_through_provider(client, provider, email):
    start = client.get(reverse("accounts:oidc-start"), {"next": "/search/"})
    assert start.status_code == 302
    assert start["Location"].startswith(f"{PROVIDER}/authorize?")
    query = parse_qs(urlparse(start["Location"]).query)
    assert query["client_id"] == ["opencomplaints"]
    assert "code_challenge" in query
    provider["email"], provider["nonce"] = email, query["nonce"][0]
    return client.get(reverse("accounts:oidc-callback"), {"code": "the-code", "state": query["state"][0]})


@override_settings(**OIDC)
def test_a_known_email_address_signs_in_then_needs_the_code(client, provider, complaints_officer):
    response = sign_in_through_provider(client, provider, complaints_officer.email.upper())
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('accounts:two-factor-enrol')}?next=%2Fsearch%2F"
    assert client.session["_auth_user_id"] == str(complaints_officer.pk)
    assert provider["calls"] == [f"{PROVIDER}/token", f"{PROVIDER}/jwks", f"{PROVIDER}/userinfo"]


@override_settings(**OIDC)
def test_with_two_factor_off_it_signs_in_at_once(client, provider, complaints_officer, settings):
    settings.OPENCOMPLAINTS = settings.OPENCOMPLAINTS | {"REQUIRE_TWO_FACTOR": False}
    response = sign_in_through_provider(client, provider, complaints_officer.email)
    assert response["Location"] == "/search/"
    event = AuditEvent.objects.get(event_type=AuditEventType.SIGN_IN)
    assert event.after == {"method": "single sign-on", "two_factor": False}


@override_settings(**OIDC)
def test_an_unknown_address_creates_no_account(client, provider, complaints_officer):
    users = User.objects.count()
    response = sign_in_through_provider(client, provider, "stranger@example.org")
    assert response["Location"] == reverse("accounts:login")
    assert SSO_NOT_LINKED in client.get(response["Location"]).text
    assert User.objects.count() == users
    assert "_auth_user_id" not in client.session


@override_settings(**OIDC)
def test_a_deactivated_account_cannot_sign_in(client, provider, complaints_officer):
    complaints_officer.is_active = False
    complaints_officer.save()
    response = sign_in_through_provider(client, provider, complaints_officer.email)
    assert response["Location"] == reverse("accounts:login")


@override_settings(**OIDC)
def test_the_sign_in_page_offers_it(client):
    assert "Sign in with your council account" in client.get(reverse("accounts:login")).text


def test_without_configuration_there_is_no_single_sign_on(client):
    assert "Sign in with your council account" not in client.get(reverse("accounts:login")).text
    assert client.get(reverse("accounts:oidc-start")).status_code == 404
    assert client.get(reverse("accounts:oidc-callback")).status_code == 404
