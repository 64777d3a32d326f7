"""Shared test set-up: British fake data and the named role personas."""

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
