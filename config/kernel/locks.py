"""One run at a time for periodic jobs: a cache lock around the body of a task."""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

from django.core.cache import cache

logger = logging.getLogger(__name__)
Params = ParamSpec("Params")
Result = TypeVar("Result")
Skipped = TypeVar("Skipped")


def single_run(
    name: str, *, timeout: int, skipped: Skipped
) -> Callable[[Callable[Params, Result]], Callable[Params, Result | Skipped]]:
    """While one run holds the lock ``lock:<name>``, another returns ``skipped`` at once. The lock
    expires after ``timeout`` seconds, so a run that was killed does not block forever."""

    def decorator(body: Callable[Params, Result]) -> Callable[Params, Result | Skipped]:
        @wraps(body)
        def wrapped(*args: Params.args, **kwargs: Params.kwargs) -> Result | Skipped:
            key = f"lock:{name}"
            if not cache.add(key, 1, timeout=timeout):
                logger.info("task.skipped name=%s reason=already_running", name)
                return skipped
            try:
                return body(*args, **kwargs)
            finally:
                cache.delete(key)

        return wrapped

    return decorator
