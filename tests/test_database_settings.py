"""The database connection's own settings."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_postgresql_connections_run_without_jit():
    """Compiling the tracker's queries cost about 0.1 s each on PostgreSQL (docs/performance.md), so every
    connection turns the JIT compiler off."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: CI runs the suite on it too")
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone() == ("off",)
