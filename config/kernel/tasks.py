"""The Celery side of the job outbox: run one job, and the sweep that beat starts every few
seconds. Both take ids only and are safe to receive twice."""

from __future__ import annotations

import logging

from celery import shared_task

from config.kernel import onceonly, outbox

logger = logging.getLogger(__name__)


@shared_task(name="kernel.run_job", ignore_result=True, acks_late=True)
def run_job(job_id: int) -> bool:
    return outbox.run(job_id)


@shared_task(name="kernel.sweep_jobs", ignore_result=True)
def sweep_jobs() -> dict[str, int]:
    result = outbox.sweep()
    if result["requeued"] or result["dispatched"]:
        logger.info("job.sweep requeued=%s dispatched=%s", result["requeued"], result["dispatched"])
    return result


@shared_task(name="kernel.purge_finished_jobs", ignore_result=True)
def purge_finished_jobs() -> int:
    """Daily: finished jobs after a month, once-only records after a day."""
    return outbox.purge_finished() + onceonly.purge_old()
