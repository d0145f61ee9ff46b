"""The Celery app: eager in tests and the quick start, a real worker over Redis when available."""

from __future__ import annotations

import os
from unittest import mock

from django.conf import settings
from django.core.cache import cache

import pytest

from config.celery import app, health, heartbeat
from partners.models import User


def test_app_reads_the_django_settings():
    assert app.conf.task_serializer == "json"
    assert app.conf.accept_content == ["json"]
    assert app.conf.task_acks_late is True
    assert "heartbeat" in app.conf.beat_schedule


def test_health_runs_eagerly_by_default():
    assert settings.CELERY_TASK_ALWAYS_EAGER is True
    result = health.delay()
    assert result.get(timeout=1) == "ok"
    assert result.successful()


def test_health_task_is_registered_under_its_public_name():
    assert health.name == "ketenregie.health"
    assert heartbeat.name == "ketenregie.heartbeat"
    assert {"ketenregie.health", "ketenregie.heartbeat"} <= set(app.tasks)


def test_heartbeat_records_when_it_ran():
    heartbeat.delay()
    assert cache.get("ketenregie:heartbeat", "").startswith("2026-03-02T")


@pytest.mark.redis
@pytest.mark.slow
@pytest.mark.real_clock
@pytest.mark.skipif(
    not os.environ.get("REDIS_URL"),
    reason="REDIS_URL not set: real Celery worker test needs Redis",
)
def test_health_runs_on_a_real_worker_over_redis():
    from celery.contrib.testing.worker import start_worker
    from celery.fixups.django import DjangoWorkerFixup  # type: ignore[attr-defined]

    redis_url = os.environ["REDIS_URL"]
    previous = {
        key: app.conf.get(key) for key in ("broker_url", "result_backend", "task_always_eager")
    }
    app.conf.update(broker_url=redis_url, result_backend=redis_url, task_always_eager=False)
    try:
        # Celery's Django fixup closes every database connection it finds when a worker starts:
        # right for a worker process of its own, but this worker is a thread of the test process
        # and would close the test's own (transactional) connection.
        with (
            mock.patch.object(DjangoWorkerFixup, "install", lambda self: self),
            start_worker(app, perform_ping_check=False, pool="solo", loglevel="WARNING"),
        ):
            result = health.delay()
            assert result.get(timeout=10) == "ok"
            assert result.successful()
    finally:
        app.conf.update(previous)
    assert User.objects.count() == 0  # the test's database connection still works
    print("celery: task ran on a real worker over Redis")
