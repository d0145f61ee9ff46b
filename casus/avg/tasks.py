"""Background job of retention: the daily purge. Takes no arguments; one run at a time."""

from __future__ import annotations

from celery import shared_task

from casus.avg import retention
from config.kernel.locks import single_run

LOCK_SECONDS = 60 * 60


@shared_task(name="casus.purge_expired", ignore_result=True)
@single_run("casus.purge_expired", timeout=LOCK_SECONDS, skipped=0)
def purge_expired() -> int:
    """Daily: the retention purge (one transaction per casus or signal; restartable)."""
    report = retention.purge_expired()
    return len(report.casussen) + len(report.signalen)
