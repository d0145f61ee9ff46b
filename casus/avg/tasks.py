"""Background job of retention: the purge, started by the schedule every hour through the job
outbox. A purge that is killed halfway leaves a lease that runs out within minutes; the next
attempt finishes it (one transaction per object, so nothing is half-purged)."""

from __future__ import annotations

from celery import shared_task

from casus.avg import retention
from config.kernel import outbox


@outbox.job("casus.purge_expired", lease_seconds=30, atomic=False)
def purge_expired_job() -> None:
    retention.purge_expired()


@shared_task(name="casus.purge_expired", ignore_result=True)
def purge_expired() -> int:
    """Hourly: queue the retention purge (one open purge at a time: the job's key)."""
    return outbox.enqueue("casus.purge_expired", key="retention:purge").pk
