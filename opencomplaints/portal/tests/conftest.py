import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # The rate limits count in the cache; one test's requests must not count against the next.
    cache.clear()
    yield
    cache.clear()


def answer(client, url, data, follow=False):
    return client.post(url, data, follow=follow)
