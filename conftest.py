"""Shared test set-up: British fake data, the named role personas, and signed-in test clients that have passed
two-factor sign-in."""

from collections.abc import Iterator

import factory
import pytest

pytest_plugins = ["opencomplaints.accounts.tests.personas"]


@pytest.fixture(scope="session", autouse=True)
def _faker_locale() -> Iterator[None]:
    with factory.Faker.override_default_locale("en_GB"):
        yield


@pytest.fixture(autouse=True)
def _media_root(settings: pytest.FixtureRequest, tmp_path: object) -> None:
    # Uploaded files from one test never leak into another.
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def _force_login_verifies_two_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    # Staff pages need a session verified with a code from an authenticator app. A test client signed in with
    # force_login gets one through the same functions as the code page (accounts/tests/two_factor.py).
    from django.test import Client

    from opencomplaints.accounts.tests.two_factor import client_session_verify

    original = Client.force_login

    def force_login(self: Client, user: object, backend: str | None = None) -> None:
        original(self, user, backend)  # type: ignore[arg-type]  # a User, as Django's signature says
        client_session_verify(self, user)  # type: ignore[arg-type]  # the same User

    monkeypatch.setattr(Client, "force_login", force_login)


# Reference data the migrations seed (ethnicity categories; message templates and groups), and the model whose
# rows show it is present.
_SEEDS = (
    ("opencomplaints.councils.migrations.0003_seed_ethnicity_categories", "councils", "EthnicityCategory"),
    ("opencomplaints.notifications.migrations.0002_seed_templates_and_groups", "notifications", "MessageTemplate"),
)


@pytest.fixture(autouse=True)
def _reference_data(request: pytest.FixtureRequest) -> None:
    # A transactional test (browser, worker, database triggers) ends by emptying every table, the migrations'
    # reference data included; put it back before the next test that uses the database.
    if request.node.get_closest_marker("django_db") is None and "db" not in request.fixturenames:
        return
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    request.getfixturevalue("_django_db_helper")
    for module, app_label, model_name in _SEEDS:
        if not apps.get_model(app_label, model_name).objects.exists():
            # The seed functions read only the connection's alias from the schema editor.
            importlib.import_module(module).seed(apps, SimpleNamespace(connection=connection))
