"""The job outbox: a job exists exactly when its action commits, runs once however often it is
handed over, survives a broker outage and a killed worker, and is retried with back-off."""

from __future__ import annotations

import datetime
from unittest import mock

from django.db import transaction
from django.utils import timezone

import pytest
import time_machine

from config.kernel import outbox
from config.kernel.models import Job, JobStatus

pytestmark = pytest.mark.django_db

CALLS: list[tuple[str, tuple[object, ...]]] = []


@outbox.job("test.record", lease_seconds=30)
def _record(*args: object) -> None:
    CALLS.append(("record", args))


@outbox.job(
    "test.fails",
    lease_seconds=30,
    max_attempts=3,
    on_give_up=lambda *a: CALLS.append(("gave_up", a)),
)
def _fails(*args: object) -> None:
    CALLS.append(("fails", args))
    raise RuntimeError("boom")


@outbox.job("test.effect_then_fail", lease_seconds=30)
def _effect_then_fail(marker: str) -> None:
    Job.objects.create(name="test.record", args=[marker], status=JobStatus.DONE)
    raise RuntimeError("after the effect")


@pytest.fixture(autouse=True)
def _clean() -> None:
    CALLS.clear()


def test_a_job_exists_only_when_its_transaction_commits(django_capture_on_commit_callbacks) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.enqueue("test.record", 1)
        raise RuntimeError("the action fails")
    assert not Job.objects.filter(name="test.record").exists()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            created = outbox.enqueue("test.record", 7, "S1")
        assert CALLS == []  # nothing runs before the commit
    assert CALLS == [("record", (7, "S1"))]
    created.refresh_from_db()
    assert (created.status, created.attempts) == (JobStatus.DONE, 1)


def test_arguments_are_ids_only() -> None:
    for bad in ({"naam": "x"}, True, "x" * 65, 1.5):
        with pytest.raises(ValueError, match="ids"):
            outbox.enqueue("test.record", bad)  # type: ignore[arg-type]
    assert not Job.objects.exists()


def test_an_unknown_job_name_is_refused() -> None:
    with pytest.raises(KeyError):
        outbox.enqueue("test.nobody_registered_this")


def test_one_open_job_per_key() -> None:
    first = outbox.enqueue("test.record", 1, key="agenda:1")
    again = outbox.enqueue("test.record", 1, key="agenda:1")
    assert again.pk == first.pk
    assert Job.objects.filter(key="agenda:1").count() == 1
    assert outbox.run(first.pk)
    third = outbox.enqueue("test.record", 1, key="agenda:1")  # the first is done: a new one
    assert third.pk != first.pk


def test_a_job_handed_over_twice_runs_once() -> None:
    created = outbox.enqueue("test.record", 3)
    assert outbox.run(created.pk) is True
    assert outbox.run(created.pk) is False
    assert CALLS == [("record", (3,))]


def test_a_running_job_with_a_valid_lease_is_not_run_again() -> None:
    created = outbox.enqueue("test.record", 4)
    Job.objects.filter(pk=created.pk).update(
        status=JobStatus.RUNNING, lease_until=timezone.now() + datetime.timedelta(seconds=30)
    )
    assert outbox.run(created.pk) is False
    assert CALLS == []


def test_a_killed_workers_job_is_requeued_when_its_lease_runs_out_and_then_runs() -> None:
    created = outbox.enqueue("test.record", 5)
    started = timezone.now()
    # The worker claimed it and was killed: the row says "bezig" with a lease.
    Job.objects.filter(pk=created.pk).update(
        status=JobStatus.RUNNING, attempts=1, lease_until=started + datetime.timedelta(seconds=30)
    )
    with mock.patch.object(outbox, "dispatch", return_value=True) as dispatch:
        assert outbox.sweep(now=started + datetime.timedelta(seconds=10))["requeued"] == 0
        result = outbox.sweep(now=started + datetime.timedelta(seconds=31))
    assert result["requeued"] == 1
    dispatch.assert_called_once_with(created.pk)
    assert outbox.run(created.pk)
    created.refresh_from_db()
    assert (created.status, created.attempts, CALLS) == (JobStatus.DONE, 2, [("record", (5,))])


def test_with_the_broker_down_the_job_waits_and_the_sweep_hands_it_over(settings) -> None:
    settings.CELERY_TASK_ALWAYS_EAGER = False
    from config.kernel import tasks

    created = outbox.enqueue("test.record", 6)
    with mock.patch.object(tasks.run_job, "apply_async", side_effect=ConnectionError("redis")):
        assert outbox.dispatch(created.pk) is False
    assert not outbox.was_dispatched(created.pk)
    created.refresh_from_db()
    assert (created.status, created.dispatched_at) == (JobStatus.QUEUED, None)
    with mock.patch.object(tasks.run_job, "apply_async") as send:  # Redis is back
        assert outbox.sweep()["dispatched"] == 1
        send.assert_called_once_with(args=(created.pk,), retry=False)
        # Handed over once; the next sweep within half a minute does not send it again.
        assert outbox.sweep()["dispatched"] == 0
    assert outbox.was_dispatched(created.pk)


def test_a_failing_job_is_retried_with_back_off_and_given_up_after_its_budget() -> None:
    created = outbox.enqueue("test.fails", 9)
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        assert outbox.run(created.pk) is False
        created.refresh_from_db()
        assert (created.status, created.attempts, created.last_error) == (
            JobStatus.QUEUED,
            1,
            "RuntimeError",
        )
        assert created.available_at == start + datetime.timedelta(seconds=5)
        assert outbox.run(created.pk) is False  # not due yet
    with time_machine.travel(start + datetime.timedelta(seconds=6), tick=False):
        assert outbox.run(created.pk) is False
        created.refresh_from_db()
        assert created.available_at == start + datetime.timedelta(seconds=6 + 10)
    with time_machine.travel(start + datetime.timedelta(seconds=20), tick=False):
        assert outbox.run(created.pk) is False
    created.refresh_from_db()
    assert (created.status, created.attempts) == (JobStatus.FAILED, 3)
    assert CALLS == [("fails", (9,))] * 3 + [("gave_up", (9,))]


def test_the_effect_and_done_commit_together() -> None:
    created = outbox.enqueue("test.effect_then_fail", "marker-1")
    assert outbox.run(created.pk) is False
    effect = Job.objects.filter(name="test.record", args=["marker-1"])
    assert not effect.exists()  # the effect was rolled back with the failure
    created.refresh_from_db()
    assert created.status == JobStatus.QUEUED


def test_finished_jobs_are_removed_after_a_month() -> None:
    old = Job.objects.create(
        name="test.record",
        status=JobStatus.DONE,
        finished_at=timezone.now() - datetime.timedelta(days=31),
    )
    recent = Job.objects.create(
        name="test.record", status=JobStatus.DONE, finished_at=timezone.now()
    )
    assert outbox.purge_finished() == 1
    assert list(Job.objects.values_list("pk", flat=True)) == [recent.pk]
    assert old.pk not in Job.objects.values_list("pk", flat=True)
