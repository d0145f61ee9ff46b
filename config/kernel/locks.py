"""One run at a time for periodic jobs, with a lock that a killed process cannot keep.

On PostgreSQL this is a session-level advisory lock: it belongs to the database connection, so
when the process holding it dies (even by SIGKILL) the server ends the session and the lock is
gone at once; nothing waits for a timeout. Elsewhere (SQLite, the quick start: one process, no
scheduler) a short-lived cache lock serves the same purpose.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import cache
from django.db import connection

logger = logging.getLogger(__name__)
Params = ParamSpec("Params")
Result = TypeVar("Result")
Skipped = TypeVar("Skipped")

LOCK_NAMESPACE = 7_341_100  # first key of pg_advisory_lock(int, int): the periodic jobs


def _lock_key(name: str) -> int:
    return zlib.crc32(name.encode()) & 0x7FFFFFFF


def single_run(
    name: str, *, timeout: int, skipped: Skipped
) -> Callable[[Callable[Params, Result]], Callable[Params, Result | Skipped]]:
    """While one run holds the lock ``name``, another returns ``skipped`` at once. ``timeout``
    bounds the cache lock where there are no advisory locks."""

    def decorator(body: Callable[Params, Result]) -> Callable[Params, Result | Skipped]:
        @wraps(body)
        def wrapped(*args: Params.args, **kwargs: Params.kwargs) -> Result | Skipped:
            if connection.vendor == "postgresql":
                key = _lock_key(name)
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [LOCK_NAMESPACE, key])
                    row = cursor.fetchone()
                    acquired = bool(row and row[0])
                if not acquired:
                    logger.info("task.skipped name=%s reason=already_running", name)
                    return skipped
                try:
                    return body(*args, **kwargs)
                finally:
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [LOCK_NAMESPACE, key])
            cache_key = f"lock:{name}"
            if not cache.add(cache_key, 1, timeout=timeout):
                logger.info("task.skipped name=%s reason=already_running", name)
                return skipped
            try:
                return body(*args, **kwargs)
            finally:
                cache.delete(cache_key)

        return wrapped

    return decorator
