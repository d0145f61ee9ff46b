"""Fault tests with real processes: worker processes killed with SIGKILL, a Redis server that goes
down and comes back, database connections cut under a running purge. Each checks that nothing is
lost or done twice, and how long recovery takes.

They need PostgreSQL and Redis (DATABASE_URL, REDIS_URL: .ci/run sets both) and start their own
Redis server on a free port (so "Redis down" is a real outage that leaves the suite's Redis
alone) and their own Celery worker processes against the test database. Marked ``faults`` and
``slow``; each run is bounded by timeouts.
"""

from __future__ import annotations

import contextlib
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from audit.sealing import seal_all
from audit.selectors import chain_verify
from casus.models import Casus, GeneratieStatus, Overleg, Status
from casus.overleg import services as overleg_services
from config.celery import app
from config.kernel import outbox
from config.kernel.models import Job, JobStatus
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.casus.overleg.test_overleg_world import build_world, open_casus, plan
from tests.faults import jobs

ROOT = Path(__file__).resolve().parents[2]
REDIS_SERVER = shutil.which("redis-server")
REPORT: list[str] = []

pytestmark = [
    pytest.mark.faults,
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.real_clock,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not (os.environ.get("DATABASE_URL") and os.environ.get("REDIS_URL") and REDIS_SERVER),
        reason="DATABASE_URL, REDIS_URL or redis-server missing: fault tests need PostgreSQL, "
        "a Redis server of their own and real worker processes",
    ),
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(condition: Callable[[], bool], *, timeout: float, what: str) -> float:
    """Poll until ``condition`` holds; the seconds it took. Fails after ``timeout``."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            pytest.fail(f"not within {timeout} s: {what}")
        time.sleep(0.1)
    return time.monotonic() - start


class RedisServer:
    """A throw-away Redis server (no persistence) that a test can stop and start again."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER or "redis-server",
                *("--port", str(self.port), "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for(self._answers, timeout=10, what="the test Redis server starts")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=10)
            self.process = None


@dataclass
class Worker:
    process: subprocess.Popen[bytes]

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once (no warm shutdown)."""
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def children(self) -> list[int]:
        children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in children.read_text().split()]


def _use_broker(url: str | None) -> None:
    """The test process switches broker: forget the pools made for the previous one (Celery
    makes new ones on next use)."""
    app.conf.update(broker_url=url, broker_write_url=url)
    app._pool = None  # type: ignore[attr-defined]  # private in the stubs, public in use
    app.amqp._producer_pool = None  # type: ignore[attr-defined]


def _database_url() -> str:
    s = connection.settings_dict
    auth = quote(s["USER"] or "")
    if s.get("PASSWORD"):
        auth += ":" + quote(s["PASSWORD"])
    return f"postgres://{auth}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    previous = app.conf.get("broker_url")
    app.conf.update(task_always_eager=False)
    _use_broker(server.url)
    try:
        yield server
    finally:
        app.conf.update(task_always_eager=True)
        _use_broker(previous)
        server.stop()


@pytest.fixture
def start_worker(
    redis_server: RedisServer, settings, tmp_path: Path
) -> Iterator[Callable[..., Worker]]:
    """Start Celery worker processes against the test database and the test Redis."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    started: list[Worker] = []
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings_test",
        "KETENREGIE_REAL_WORKER": "1",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": redis_server.url,
        "CELERY_BROKER_URL": redis_server.url,
    }

    def start(*, concurrency: int = 1) -> Worker:
        process = subprocess.Popen(  # noqa: S603
            [
                *(sys.executable, "-m", "celery", "--app", "config", "worker"),
                *("--pool", "prefork", "--concurrency", str(concurrency)),
                *("--include", "tests.faults.jobs", "--loglevel", "INFO"),
                *("--without-heartbeat", "--without-gossip", "--without-mingle"),
                *("--hostname", f"faults{len(started)}@%h"),
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,  # its own process group: killpg reaches the pool children
            stdout=subprocess.DEVNULL,
            stderr=(tmp_path / f"worker{len(started)}.log").open("wb"),
        )
        worker = Worker(process)
        started.append(worker)
        return worker

    try:
        yield start
    finally:
        for worker in started:
            worker.kill()
        for log in sorted(tmp_path.glob("worker*.log")):  # shown by pytest when a test fails
            print(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}")


CASUSSEN = 300


def _expired_casussen(count: int) -> None:
    coordinator = CoordinatorFactory.create()
    for _ in range(count):
        CasusFactory.create(coordinator=coordinator, afgesloten=True)
    Casus.objects.filter(status=Status.AFGESLOTEN).update(
        afgesloten_op=timezone.now() - datetime.timedelta(days=800)
    )


def _job(pk: int) -> Job:
    return Job.objects.get(pk=pk)


def _report(line: str) -> None:
    REPORT.append(line)
    print(f"faults: {line}")


def test_a_killed_workers_job_runs_again_exactly_once(start_worker) -> None:
    first = start_worker()
    queued = outbox.enqueue("faults.slow_effect", "killed", 4)  # autocommit: handed over now
    wait_for(
        lambda: _job(queued.pk).status == JobStatus.RUNNING,
        timeout=60,
        what="the first worker starts the job",
    )
    first.kill()
    killed_at = time.monotonic()
    assert jobs.effects("killed") == 0
    start_worker()

    # The beat sweep runs every 10 s; here it is called until the lease (5 s) has run out.
    def swept_and_done() -> bool:
        outbox.sweep()
        return _job(queued.pk).status == JobStatus.DONE

    wait_for(swept_and_done, timeout=90, what="the job runs again on the new worker")
    recovery = time.monotonic() - killed_at
    done = _job(queued.pk)
    assert (jobs.effects("killed"), done.attempts) == (1, 2)
    _report(f"worker SIGKILLed mid-job: done once after {recovery:.1f} s (lease 5 s + 4 s job)")
    assert recovery < 60


def test_redis_down_when_the_chair_asks_for_the_agenda_then_back(
    redis_server, start_worker
) -> None:
    world = build_world()
    open_casus(world)
    meeting = plan(world, timezone.now() + datetime.timedelta(days=10))
    redis_server.stop()
    clicked = time.monotonic()
    overleg_services.agenda_generation_request(actor=world.chair, overleg=meeting)
    answered = time.monotonic() - clicked
    assert outbox.waiting_for_broker(f"agenda:{meeting.pk}")
    assert Overleg.objects.get(pk=meeting.pk).generatie_status == GeneratieStatus.WACHT
    # A second click while Redis is down: the same job, not a second one.
    overleg_services.agenda_generation_request(actor=world.chair, overleg=meeting)
    assert Job.objects.filter(key=f"agenda:{meeting.pk}").count() == 1

    redis_server.start()
    back = time.monotonic()
    start_worker()

    def swept_and_generated() -> bool:
        outbox.sweep()
        return Overleg.objects.get(pk=meeting.pk).generatie_status == GeneratieStatus.KLAAR

    wait_for(swept_and_generated, timeout=90, what="the agenda is generated after Redis returns")
    recovery = time.monotonic() - back
    generated = AuditEvent.objects.filter(
        action=AuditAction.AGENDA_GENERATED, object_ref=f"O{meeting.pk}"
    ).count()
    assert generated == 1
    assert Overleg.objects.get(pk=meeting.pk).agendapunten.exists()
    seal_all()
    assert chain_verify().intact
    _report(
        f"Redis down at the chair's click: answered in {answered:.2f} s, agenda generated once "
        f"{recovery:.1f} s after Redis returned (includes starting a worker)"
    )


def test_a_purge_whose_pool_child_is_killed_is_finished_without_residue(start_worker) -> None:
    _expired_casussen(CASUSSEN)
    worker = start_worker()
    queued = outbox.enqueue("casus.purge_expired", key="retention:purge")
    wait_for(
        lambda: Casus.objects.count() < CASUSSEN,
        timeout=60,
        what="the purge starts removing casussen",
    )
    for child in worker.children():
        os.kill(child, signal.SIGKILL)  # the pool child dies; the worker starts a new one
    killed_at = time.monotonic()
    left_at_kill = Casus.objects.count()

    def swept_and_done() -> bool:
        outbox.sweep()
        return _job(queued.pk).status == JobStatus.DONE

    wait_for(swept_and_done, timeout=240, what="the purge is finished by the next attempt")
    recovery = time.monotonic() - killed_at
    assert Casus.objects.count() == 0
    seal_all()
    assert chain_verify().intact
    _report(
        f"pool child SIGKILLed during purge_expired ({left_at_kill} of {CASUSSEN} casussen left): "
        f"finished {recovery:.1f} s later, 0 left"
    )


def test_database_connections_cut_under_a_running_purge(start_worker) -> None:
    """The worker's database sessions are terminated mid-purge (what a PostgreSQL restart does
    to them): the job fails, is retried, and finishes; nothing is half-purged."""
    _expired_casussen(CASUSSEN)
    start_worker()
    queued = outbox.enqueue("casus.purge_expired", key="retention:purge")
    wait_for(
        lambda: Casus.objects.count() < CASUSSEN,
        timeout=60,
        what="the purge starts removing casussen",
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    cut_at = time.monotonic()

    def swept_and_done() -> bool:
        outbox.sweep()
        Job.objects.filter(pk=queued.pk, status=JobStatus.QUEUED).update(
            available_at=timezone.now()  # skip the back-off wait in the test
        )
        return _job(queued.pk).status == JobStatus.DONE

    wait_for(swept_and_done, timeout=240, what="the purge is finished after the cut")
    assert Casus.objects.count() == 0
    seal_all()
    assert chain_verify().intact
    _report(
        f"database sessions of the worker terminated mid-purge: finished "
        f"{time.monotonic() - cut_at:.1f} s later, 0 left"
    )


def test_redis_down_during_the_scheduled_generation_and_signing_in(
    redis_server, start_worker, client
) -> None:
    """The schedule queues the agendas while Redis is down; they are generated once Redis is
    back. Meanwhile people sign in as usual: nothing of signing in depends on Redis."""
    from casus.overleg import tasks as overleg_tasks
    from tests.conftest import sign_in_fully
    from tests.factories import UserFactory

    world = build_world()
    open_casus(world)
    due = plan(world, timezone.now() + datetime.timedelta(days=2))  # its agenda day has come
    redis_server.stop()
    down = time.monotonic()
    assert overleg_tasks.schedule_agendas() == [due.pk]
    assert outbox.waiting_for_broker(f"agenda:{due.pk}")
    user = UserFactory.create(mfa=True)
    signed_in = sign_in_fully(client, user)
    assert signed_in.get("/").status_code == 200
    time.sleep(max(0.0, 15 - (time.monotonic() - down)))  # Redis stays down for 15 s
    redis_server.start()
    back = time.monotonic()
    start_worker()

    def swept_and_generated() -> bool:
        outbox.sweep()
        return Overleg.objects.get(pk=due.pk).generatie_status == GeneratieStatus.KLAAR

    wait_for(swept_and_generated, timeout=90, what="the scheduled agenda after Redis returns")
    generated = AuditEvent.objects.filter(
        action=AuditAction.AGENDA_GENERATED, object_ref=f"O{due.pk}"
    ).count()
    assert generated == 1
    seal_all()
    assert chain_verify().intact
    _report(
        f"Redis down 15 s during the scheduled generation: sign-in worked; agenda generated once "
        f"{time.monotonic() - back:.1f} s after Redis returned (includes starting a worker)"
    )
