"""Jobs for the fault tests (a helper module, imported by the test and by the worker processes
it starts with ``--include tests.faults.jobs``): slow enough to be killed halfway, and leaving a
countable effect, so "run exactly once" can be checked."""

from __future__ import annotations

import time

from config.kernel import outbox
from config.kernel.models import Job, JobStatus

EFFECT = "faults.effect"


@outbox.job("faults.slow_effect", lease_seconds=5)
def slow_effect(marker: str, seconds: int) -> None:
    """Wait, then write one effect row; the effect and "done" commit together."""
    time.sleep(seconds)
    Job.objects.create(name=EFFECT, args=[marker], status=JobStatus.DONE)


def effects(marker: str) -> int:
    return Job.objects.filter(name=EFFECT, args=[marker]).count()
