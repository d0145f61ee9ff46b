"""Which database the suite ran on, so the CI log shows that PostgreSQL was really used."""

from __future__ import annotations

from django.db import connection

import pytest


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="DATABASE_URL not set: PostgreSQL-only test"
)
def test_runs_on_postgresql():
    assert connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        (version,) = cursor.fetchone()
    assert int(version.split(".")[0]) >= 13
    print(f"postgres: server version {version}")


def test_the_database_answers():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)
