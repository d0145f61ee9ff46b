"""Benchmark of the FG's audit pages and the retention purge (not a test; issue 17).

Fills a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL set) through
the real models: audit events via audit.services.events_record_bulk (then sealed with
audit.sealing.seal_all) and expired closed casussen, deterministically (a fixed seed). Then
times, as the signed-in FG, the event list (page 1 and a deep page), the overview (counts and
anomaly flags), and ``purge_expired --dry-run``: median milliseconds and queries.

The deep page is asked for both ways (``pagina=N`` and the keyset cursor ``voor=<id>`` of the
same depth), so the same script measures the code before and after the keyset pagination.

    DATABASE_URL=postgres://ketenregie_dev:ketenregie_dev@127.0.0.1:5432/ketenregie_bench_fg \\
        .venv/bin/python scripts/benchmark_fg_and_purge.py [--events 200000] [--casussen 5000]
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

import logging  # noqa: E402

logging.disable(logging.INFO)

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from scripts.benchlib import load, test_database  # noqa: E402

SEED = 17
DAYS = 60  # events spread over the last 60 days
LIST_PAGE = 25  # a list page records this many events at once


def fill_events(total: int, week_reads: int, rng: random.Random) -> list[Any]:
    """About ``total`` events by 30 users at 5 partners over DAYS days: mostly list rows, reads
    (a few real bursts among them), denials and wrong one-time codes."""
    import time_machine

    from audit.models import AuditAction, Outcome
    from audit.services import ObjectRef, events_record_bulk
    from tests.factories import PartnerFactory, UserFactory

    partners = [PartnerFactory.create() for _ in range(5)]
    users = [UserFactory.create(partner=partners[n % 5]) for n in range(30)]
    now = datetime.datetime.now(datetime.UTC).replace(microsecond=0)
    start = now - datetime.timedelta(days=DAYS)
    span = (now - start).total_seconds()
    reads = [AuditAction.CASUS_READ, AuditAction.SIGNAAL_READ, AuditAction.BIJDRAGE_READ]
    plans: list[tuple[float, AuditAction, Outcome, Any, list[Any]]] = []
    made = 0
    while made < total:
        moment = rng.random() * span
        user = rng.choice(users)
        draw = rng.random()
        if draw < 0.80:
            objects = [
                ObjectRef("casus", f"K-2026-{rng.randrange(10_000):04d}") for _ in range(LIST_PAGE)
            ]
            plans.append((moment, AuditAction.CASUS_LISTED, Outcome.SUCCESS, user, objects))
        elif draw < 0.985:
            objects = [ObjectRef("casus", f"K-2026-{rng.randrange(10_000):04d}")]
            plans.append((moment, rng.choice(reads), Outcome.SUCCESS, user, objects))
        elif draw < 0.995:
            objects = [ObjectRef("casus", f"K-2026-{rng.randrange(10_000):04d}")]
            plans.append((moment, AuditAction.ACCESS_DENIED, Outcome.DENIED, user, objects))
        else:
            objects = [ObjectRef("user", str(user.pk))]
            plans.append((moment, AuditAction.MFA_FAILED, Outcome.FAILURE, user, objects))
        made += len(objects)
    # Bursts in the last week: a user reading 120 casussen in 40 minutes, on three days.
    for day in (1, 3, 5):
        base = span - day * 86_400
        for n in range(120):
            objects = [ObjectRef("casus", f"K-2026-{n:04d}")]
            plans.append(
                (base + n * 20, AuditAction.CASUS_READ, Outcome.SUCCESS, users[0], objects)
            )
    # A busy last week: ``week_reads`` single reads by ten users, in office hours and outside.
    for _ in range(week_reads):
        objects = [ObjectRef("casus", f"K-2026-{rng.randrange(10_000):04d}")]
        moment = span - rng.random() * 7 * 86_400
        plans.append((moment, rng.choice(reads), Outcome.SUCCESS, rng.choice(users[:10]), objects))
    plans.sort(key=lambda plan: plan[0])  # ids in time order, as in production
    with time_machine.travel(start, tick=False) as traveller:
        for moment, action, outcome, user, objects in plans:
            traveller.move_to(start + datetime.timedelta(seconds=moment))
            events_record_bulk(action=action, actor=user, outcome=outcome, objects=objects)
    return users


def fill_casussen(total: int, rng: random.Random) -> None:
    """``total`` casussen closed 25 to 60 months ago (past the 24 months of retention), and as
    many open ones that stay."""
    from casus.models import Casus
    from tests.casus.factories import CoordinatorFactory

    coordinator = CoordinatorFactory.create()
    now = datetime.datetime.now(datetime.UTC)
    rows = []
    for n in range(2 * total):
        expired = n % 2 == 0
        opened = now - datetime.timedelta(days=rng.randint(800, 1900) if expired else 30)
        rows.append(
            Casus(
                referentie=f"B-{n:07d}",
                status="afgesloten" if expired else "in_behandeling",
                risico="midden",
                grondslag="wettelijke_taak",
                coordinator=coordinator,
                geopend_op=opened - datetime.timedelta(days=30),
                risico_gewijzigd_op=opened,
                afgesloten_op=opened if expired else None,
            )
        )
    Casus.objects.bulk_create(rows, batch_size=2000)


def measure(fn: Callable[[], Any], repeat: int) -> tuple[float, list[dict[str, str]]]:
    """Median milliseconds and the queries of the last run."""
    fn()  # warm up
    timings = []
    queries: list[dict[str, str]] = []
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            fn()
            timings.append((time.perf_counter() - started) * 1000)
        queries = list(context.captured_queries)
    return statistics.median(timings), queries


def show_slowest(queries: list[dict[str, str]], count: int) -> None:
    for query in sorted(queries, key=lambda q: -float(q["time"]))[:count]:
        print(f"{'':6}{float(query['time']) * 1000:8.1f} ms  {query['sql'][:110]}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--casussen", type=int, default=5_000)
    parser.add_argument("--week-reads", type=int, default=25_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--slowest", type=int, default=3, help="slowest queries shown per page")
    args = parser.parse_args()

    with test_database():
        from django.test import Client
        from django.urls import reverse

        from audit import anomalies
        from audit.models import AuditEvent
        from audit.sealing import seal_all
        from casus.avg import retention
        from partners.models import Role
        from tests.conftest import sign_in_fully
        from tests.factories import UserFactory

        rng = random.Random(SEED)  # noqa: S311 - test data, not secrets
        print(f"database: {connection.vendor}; {load()}")
        started = time.perf_counter()
        fill_events(args.events, args.week_reads, rng)
        fill_casussen(args.casussen, rng)
        seal_all()
        total = AuditEvent.objects.count()
        print(
            f"filled {total} events and {args.casussen} expired casussen "
            f"in {time.perf_counter() - started:.0f} s"
        )
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

        fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
        client = sign_in_fully(Client(), fg)
        events_url, index_url = reverse("fg:events"), reverse("fg:index")
        depth = min(total // 2, 100_000) // 50  # a page in the middle of the log
        cursor_id = (
            AuditEvent.objects.order_by("-id").values_list("id", flat=True)[depth * 50 - 1]
            if depth
            else 0
        )

        def get(url: str, params: dict[str, Any] | None = None) -> None:
            response = client.get(url, params or {})
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code}")

        cases: list[tuple[str, Callable[[], Any]]] = [
            ("events list, page 1", lambda: get(events_url)),
            (
                f"events list, page {depth + 1}",
                lambda: get(events_url, {"pagina": depth + 1, "voor": cursor_id}),
            ),
            (
                "events list, filtered (casus.read)",
                lambda: get(events_url, {"actie": "casus.read"}),
            ),
            ("fg overview (counts and flags)", lambda: get(index_url)),
            ("  of which: anomaly flags (7 days)", lambda: anomalies.anomaly_flags_for(user=fg)),
        ]
        print(f"{'page':42} {'median ms':>10} {'queries':>8}")
        for name, fn in cases:
            ms, queries = measure(fn, args.repeat)
            print(f"{name:42} {ms:10.1f} {len(queries):8d}")
            show_slowest(queries, args.slowest)

        def dry_run() -> None:
            report = retention.purge_expired(dry_run=True)
            if len(report.casussen) != args.casussen:
                raise RuntimeError(f"dry run found {len(report.casussen)} casussen")

        ms, queries = measure(dry_run, max(1, args.repeat // 2))
        print(f"{'purge_expired --dry-run':42} {ms:10.1f} {len(queries):8d}")
        show_slowest(queries, args.slowest)


if __name__ == "__main__":
    main()
