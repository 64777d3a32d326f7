import pytest

from opencomplaints.cases.tests.conftest import complaint  # noqa: F401 - the case fixture, shared with the case tests
from opencomplaints.notifications.tests.fake_notify import FakeNotify

EMAIL_TEMPLATE = "11111111-0000-4000-8000-000000000001"
LETTER_TEMPLATE = "22222222-0000-4000-8000-000000000002"


@pytest.fixture
def fake_notify(settings):
    """The fake Notify server, with the settings that make the service send through it."""
    with FakeNotify() as notify:
        settings.NOTIFY_API_KEY = notify.api_key
        settings.NOTIFY_BASE_URL = notify.url
        settings.NOTIFY_EMAIL_TEMPLATE_ID = EMAIL_TEMPLATE
        settings.NOTIFY_LETTER_TEMPLATE_ID = LETTER_TEMPLATE
        yield notify
