"""Background jobs that survive faults: a transactional outbox in the database.

- ``enqueue`` writes the job in the caller's transaction: the job exists exactly when the action
  that started it committed. After the commit it is handed to the broker; when the broker (Redis)
  is down, that fails quietly and the sweep hands it over once Redis is back.
- ``run`` claims a job with a short lease (a row lock decides who runs it, so a job handed over
  twice still runs once), runs its handler and marks it done in the transaction of its effect.
- A worker that is killed leaves a lease that runs out: the sweep puts the job back in the queue
  and it runs again (handlers are idempotent). A failing job is retried with back-off until its
  retry budget, which outlasts an outage of several minutes, is spent.

Arguments are ids (ints or short strings): never personal data or content.
"""

from __future__ import annotations

import contextvars
import datetime
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from config.kernel.models import OPEN_STATUSES, Job, JobStatus

logger = logging.getLogger(__name__)

Arg = int | str
Handler = TypeVar("Handler", bound=Callable[..., Any])

# Back-off between attempts: 5 s, 10 s, 20 s, ... capped at 5 minutes. Twelve attempts span about
# half an hour, well beyond a short Redis or database outage.
FIRST_RETRY_SECONDS = 5
MAX_RETRY_SECONDS = 300
DEFAULT_ATTEMPTS = 12
# The sweep hands a queued job to the broker again when the last hand-over is this old (the
# message was lost with Redis, or never sent).
REDISPATCH_AFTER = datetime.timedelta(seconds=30)


@dataclass(frozen=True)
class JobSpec:
    name: str
    handler: Callable[..., Any]
    lease: datetime.timedelta
    atomic: bool
    max_attempts: int
    on_give_up: Callable[..., Any] | None


_REGISTRY: dict[str, JobSpec] = {}
_current_job: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "kernel_current_job", default=None
)


def job(
    name: str,
    *,
    lease_seconds: int = 60,
    atomic: bool = True,
    max_attempts: int = DEFAULT_ATTEMPTS,
    on_give_up: Callable[..., Any] | None = None,
) -> Callable[[Handler], Handler]:
    """Register ``handler`` as the job ``name``.

    ``atomic``: the handler's effect and "done" commit together (one transaction). A handler
    that commits in steps of its own (a purge: one transaction per object) sets it to False; it
    must then be safe to run again after a kill, and should call ``heartbeat()`` between steps
    so its lease does not run out while it works. ``on_give_up`` is called with the job's
    arguments when its retries are spent (to say so where the user looks)."""

    def register(handler: Handler) -> Handler:
        _REGISTRY[name] = JobSpec(
            name=name,
            handler=handler,
            lease=datetime.timedelta(seconds=lease_seconds),
            atomic=atomic,
            max_attempts=max_attempts,
            on_give_up=on_give_up,
        )
        return handler

    return register


def _spec(name: str) -> JobSpec:
    if name not in _REGISTRY:
        # The handler's module is imported by Celery's task discovery in a worker; in a web
        # process running jobs eagerly it may not be yet.
        from celery import current_app

        current_app.loader.import_default_modules()
    return _REGISTRY[name]


def _check_args(args: tuple[Arg, ...]) -> list[Arg]:
    for value in args:
        if isinstance(value, bool) or not isinstance(value, int | str) or len(str(value)) > 64:
            raise ValueError("job arguments are ids: ints or short strings")
    return list(args)


def enqueue(name: str, *args: Arg, key: str = "") -> Job:
    """The job ``name`` with these arguments, written in the caller's transaction and handed to
    the broker after the commit. With a ``key``, an open job with that key is reused instead of
    a second one (a double click, two schedules)."""
    if name not in _REGISTRY:
        _spec(name)  # fails loudly for a name nobody registered
    values = _check_args(args)
    if key:
        existing = Job.objects.filter(key=key, status__in=OPEN_STATUSES).first()
        if existing is not None:
            return existing
    try:
        with transaction.atomic():
            created = Job.objects.create(name=name, args=values, key=key)
    except IntegrityError:
        # A concurrent enqueue with the same key won (the partial unique index).
        return Job.objects.get(key=key, status__in=OPEN_STATUSES)
    job_id = created.pk
    transaction.on_commit(lambda: dispatch(job_id))
    return created


def dispatch(job_id: int) -> bool:
    """Hand the job to the broker (or, without one, run it here). False when the broker cannot
    be reached: the job stays queued, and the sweep hands it over later."""
    if settings.CELERY_TASK_ALWAYS_EAGER:
        run(job_id)
        return True
    from config.kernel.tasks import run_job

    try:
        run_job.apply_async(args=(job_id,), retry=False)
    except Exception:
        logger.warning("job.dispatch_deferred job_id=%s", job_id)
        return False
    Job.objects.filter(pk=job_id).update(dispatched_at=timezone.now())
    return True


def was_dispatched(job_id: int) -> bool:
    """Whether the job reached the broker or has run (for the page that started it)."""
    row = Job.objects.filter(pk=job_id).values_list("dispatched_at", "status").first()
    return row is not None and (row[0] is not None or row[1] != JobStatus.QUEUED)


def waiting_for_broker(key: str) -> bool:
    """Whether the open job with this key has not reached the broker yet (Redis is down): the
    page that started it says the work begins as soon as the background service is back."""
    return Job.objects.filter(
        key=key, status=JobStatus.QUEUED, dispatched_at__isnull=True, attempts=0
    ).exists()


def _claim(job_id: int, now: datetime.datetime) -> tuple[Job, JobSpec] | None:
    with transaction.atomic():
        claimed = Job.objects.select_for_update(skip_locked=True).filter(pk=job_id).first()
        if claimed is None or claimed.status in (JobStatus.DONE, JobStatus.FAILED):
            return None
        if claimed.status == JobStatus.RUNNING and (claimed.lease_until or now) > now:
            return None  # another worker holds the lease
        if claimed.available_at > now:
            return None  # a retry that is not due yet
        spec = _spec(claimed.name)
        claimed.status = JobStatus.RUNNING
        claimed.attempts += 1
        claimed.started_at = now
        claimed.lease_until = now + spec.lease
        claimed.save(update_fields=["status", "attempts", "started_at", "lease_until"])
        return claimed, spec


def _finish(job_id: int) -> None:
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        status=JobStatus.DONE, finished_at=timezone.now(), lease_until=None
    )


def complete_current() -> None:
    """Mark the running job done inside the handler's own transaction, so that its effect and
    its completion commit together (for handlers registered with ``atomic=False``). Outside a
    job it does nothing."""
    job_id = _current_job.get()
    if job_id is not None:
        _finish(job_id)


def _failed(claimed: Job, spec: JobSpec, exc: BaseException) -> None:
    now = timezone.now()
    if claimed.attempts >= spec.max_attempts:
        status, available = JobStatus.FAILED, now
    else:
        delay = min(FIRST_RETRY_SECONDS * 2 ** (claimed.attempts - 1), MAX_RETRY_SECONDS)
        status, available = JobStatus.QUEUED, now + datetime.timedelta(seconds=delay)
    Job.objects.filter(pk=claimed.pk).update(
        status=status,
        available_at=available,
        lease_until=None,
        dispatched_at=None,
        last_error=type(exc).__name__[:100],
        finished_at=now if status == JobStatus.FAILED else None,
    )
    if status == JobStatus.FAILED and spec.on_give_up is not None:
        spec.on_give_up(*claimed.args)
    logger.warning(
        "job.failed job_id=%s name=%s attempt=%s next=%s error=%s",
        claimed.pk,
        claimed.name,
        claimed.attempts,
        status,
        type(exc).__name__,
    )


def run(job_id: int) -> bool:
    """Run the job if it is due and nobody else holds it; True when it ran to the end."""
    claim = _claim(job_id, timezone.now())
    if claim is None:
        return False
    claimed, spec = claim
    token = _current_job.set(claimed.pk)
    _running_names[claimed.pk] = claimed.name
    _renewed[claimed.pk] = time.monotonic()
    try:
        if spec.atomic:
            with transaction.atomic():
                spec.handler(*claimed.args)
                _finish(claimed.pk)
        else:
            spec.handler(*claimed.args)
            _finish(claimed.pk)
    except Exception as exc:
        _failed(claimed, spec, exc)
        return False
    finally:
        _current_job.reset(token)
        _running_names.pop(claimed.pk, None)
        _renewed.pop(claimed.pk, None)
    logger.info("job.done job_id=%s name=%s attempt=%s", claimed.pk, claimed.name, claimed.attempts)
    return True


_renewed: dict[int, float] = {}
_running_names: dict[int, str] = {}


def heartbeat() -> None:
    """Renew the lease of the job this process is running (between the steps of a long job); at
    most a few times per lease, so a loop may call it after every step."""
    job_id = _current_job.get()
    if job_id is None:
        return
    name = _running_names.get(job_id)
    if name is None:
        return
    lease = _spec(name).lease
    now = time.monotonic()
    if now - _renewed.get(job_id, 0.0) < lease.total_seconds() / 4:
        return
    _renewed[job_id] = now
    Job.objects.filter(pk=job_id, status=JobStatus.RUNNING).update(
        lease_until=timezone.now() + lease
    )


def sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Put jobs whose lease ran out (a killed worker) back in the queue, and hand every due job
    that has not reached the broker (or whose message was lost) to the broker again."""
    now = now or timezone.now()
    expired = Job.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now).update(
        status=JobStatus.QUEUED, lease_until=None, dispatched_at=None
    )
    if expired:
        logger.warning("job.lease_expired count=%s", expired)
    due = list(
        Job.objects.filter(status=JobStatus.QUEUED, available_at__lte=now)
        .filter(Q(dispatched_at__isnull=True) | Q(dispatched_at__lt=now - REDISPATCH_AFTER))
        .order_by("available_at", "id")
        .values_list("pk", flat=True)[:500]
    )
    handed = sum(1 for job_id in due if dispatch(job_id))
    return {"requeued": expired, "due": len(due), "dispatched": handed}


def purge_finished(*, older_than: datetime.timedelta = datetime.timedelta(days=30)) -> int:
    """Finished and failed jobs are kept a month for the operator, then removed."""
    deleted, _ = Job.objects.filter(
        status__in=[JobStatus.DONE, JobStatus.FAILED], finished_at__lt=timezone.now() - older_than
    ).delete()
    return deleted
