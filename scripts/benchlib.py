"""What the benchmark scripts share: a throw-away test database, percentiles, the load.

Import after django.setup() (the scripts set up Django first)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


@contextmanager
def test_database() -> Iterator[None]:
    """A throw-away test database (DATABASE_URL's server, name prefixed test_), dropped after."""
    from django.db import connection
    from django.test.utils import setup_test_environment

    setup_test_environment()
    old_name = connection.settings_dict["NAME"]
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        yield
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


def load() -> str:
    try:
        return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())
    except OSError:
        return "load average unknown"
