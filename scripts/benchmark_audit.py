"""Benchmark of the audit log (not a test): the cost of auditing a write and verification speed.

Prints p50/p95 of creating a bijdrage with full auditing (access event in the hash chain +
django-auditlog change history) and without any, their ratio, and how many events per second
``chain_verify`` checks. Runs against a throw-away test database: SQLite by default, PostgreSQL
with DATABASE_URL set.

    .venv/bin/python scripts/benchmark_audit.py [--writes 300] [--events 200000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402

from auditlog.context import disable_auditlog  # noqa: E402

from scripts.benchlib import percentile, test_database  # noqa: E402


def time_writes(count: int, *, audited: bool) -> list[float]:
    from casus.casussen import services
    from tests.casus.factories import CasusFactory
    from tests.factories import PartnerFactory, UserFactory

    partner = PartnerFactory.create()
    author = UserFactory.create(partner=partner)
    casus = CasusFactory.create(partners=[partner])
    timings = []
    for n in range(count):
        started = time.perf_counter()
        if audited:
            services.bijdrage_create(
                actor=author,
                casus=casus,
                categorie="zorg",
                zichtbaarheid="keten",
                tekst=f"Bijdrage {n}",
            )
        else:
            with disable_auditlog(), mock.patch("casus.casussen.services.event_record"):
                services.bijdrage_create(
                    actor=author,
                    casus=casus,
                    categorie="zorg",
                    zichtbaarheid="keten",
                    tekst=f"Bijdrage {n}",
                )
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def fill_events(total: int) -> None:
    from audit.models import AuditAction
    from audit.services import ObjectRef, events_record_bulk

    batch = 5000
    for start in range(0, total, batch):
        refs = [
            ObjectRef("casus", f"K-2026-{(start + i) % 10000:04d}")
            for i in range(min(batch, total - start))
        ]
        events_record_bulk(action=AuditAction.CASUS_LISTED, objects=refs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--writes", type=int, default=300)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()

    with test_database():
        print(f"database: {connection.vendor}")
        # Warm up both paths (imports, caches, first queries), then alternate measurements.
        time_writes(20, audited=True)
        time_writes(20, audited=False)
        with_audit = time_writes(args.writes, audited=True)
        without_audit = time_writes(args.writes, audited=False)
        p50_with, p95_with = statistics.median(with_audit), percentile(with_audit, 0.95)
        p50_without, p95_without = statistics.median(without_audit), percentile(without_audit, 0.95)
        print(f"bijdrage_create, {args.writes} writes each")
        print(f"  with auditing:    p50 {p50_with:7.3f} ms   p95 {p95_with:7.3f} ms")
        print(f"  without auditing: p50 {p50_without:7.3f} ms   p95 {p95_without:7.3f} ms")
        print(
            f"  ratio:            p50 {p50_with / p50_without:7.3f} x   p95 {p95_with / p95_without:7.3f} x"
        )

        from audit.models import AuditEvent
        from audit.selectors import chain_verify

        started = time.perf_counter()
        fill_events(args.events)
        print(
            f"filled {AuditEvent.objects.count()} events in {time.perf_counter() - started:.1f} s"
        )
        from audit.sealing import seal_all

        started = time.perf_counter()
        sealed = seal_all()
        seal_seconds = time.perf_counter() - started
        print(
            f"seal_all: {sealed} events in {seal_seconds:.3f} s = {sealed / seal_seconds:,.0f} events/s"
        )
        started = time.perf_counter()
        result = chain_verify()
        seconds = time.perf_counter() - started
        if not result.intact:
            raise SystemExit(f"chain broken: {result}")
        print(
            f"chain_verify: {result.checked} events in {seconds:.3f} s = "
            f"{result.checked / seconds:,.0f} events/s"
        )


if __name__ == "__main__":
    main()
