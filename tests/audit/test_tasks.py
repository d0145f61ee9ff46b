"""The daily verification job (with a content-free alert to the FG) and the retention purge."""

from __future__ import annotations

import datetime

from django.core import mail
from django.core.cache import cache
from django.db import connection
from django.utils import timezone

import pytest
import time_machine

from audit import checkpoints, tasks
from audit.models import AuditAction, AuditAnchor, AuditEvent
from audit.sealing import seal_all
from audit.selectors import blocks_verify, chain_verify
from audit.services import event_record, events_purge_expired
from config.kernel import locks
from partners.models import Role
from tests.audit.test_chain import _tamper
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _some_events(count: int) -> list[AuditEvent]:
    return [
        event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref=f"K-{n}")
        for n in range(count)
    ]


def test_verify_job_records_its_result_and_alerts_the_fg_only_when_broken(
    django_capture_on_commit_callbacks,
) -> None:
    UserFactory.create(role=Role.PRIVACY_OFFICER, email="fg@gemeente.example")
    events = _some_events(3)
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.verify_chain() is True
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    assert (last.action, last.outcome) == (AuditAction.AUDIT_VERIFIED, "success")
    # The daily e-mail: the result and the signed head, nothing of the log's content.
    [daily] = mail.outbox
    assert daily.to == ["fg@gemeente.example"] and "geslaagd" in daily.subject
    [checkpoint] = checkpoints.checkpoints_latest(1)
    assert checkpoint.checkpoint is not None
    assert checkpoint.checkpoint.signature in daily.body
    assert checkpoint.checkpoint.event_hash in daily.body
    assert "K-" not in daily.body
    mail.outbox.clear()

    _tamper("UPDATE audit_auditevent SET object_ref = %s WHERE id = %s", ["K-X", events[1].pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.verify_chain() is False
    failed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VERIFIED, outcome="failure").get()
    assert failed.object_ref == str(events[1].pk)
    [message] = mail.outbox
    assert message.to == ["fg@gemeente.example"]
    assert "mislukt" in message.subject
    assert "K-" not in message.body  # numbers, hashes and a link; no references or content


def test_verify_job_does_not_run_twice_at_once() -> None:
    """While another run holds the lock, a second one is skipped. On PostgreSQL the lock is a
    session advisory lock: held here by a second database session, as another worker would."""
    before = AuditEvent.objects.count()
    if connection.vendor == "postgresql":
        other = connection.copy()
        lock = [locks.LOCK_NAMESPACE, locks._lock_key("audit.verify_chain")]
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s, %s)", lock)
            assert tasks.verify_chain() is True
        finally:
            # Released explicitly: a closed session's backend may outlive the close by a few
            # milliseconds, and its lock with it.
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", lock)
            other.close()
    else:
        cache.add("lock:audit.verify_chain", 1, timeout=60)
        assert tasks.verify_chain() is True
        cache.delete("lock:audit.verify_chain")
    assert AuditEvent.objects.count() == before  # skipped: no second verification event
    assert tasks.verify_chain() is True  # the lock was released: this run happens
    # its checkpoint and its verification
    assert AuditEvent.objects.count() == before + 2


def test_purge_removes_only_expired_events_and_the_chain_still_verifies(settings) -> None:
    settings.AUDIT_RETENTION = datetime.timedelta(days=5 * 365)
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=6 * 365), tick=False):
        old = _some_events(4)
    recent = _some_events(3)
    seal_all()
    for event in old:
        event.refresh_from_db()
    assert events_purge_expired(dry_run=True) == 4
    assert AuditEvent.objects.count() == 7  # the dry run changed nothing
    assert events_purge_expired() == 4
    remaining = list(AuditEvent.objects.order_by("id"))
    assert [e.pk for e in remaining[:3]] == [e.pk for e in recent]
    assert remaining[-1].action == AuditAction.AUDIT_PURGED
    anchor = AuditAnchor.objects.get()
    assert (anchor.purged_through_seq, anchor.last_hash, anchor.purged_count) == (
        old[-1].seq,
        old[-1].hash,
        4,
    )
    seal_all()
    result = chain_verify()
    assert result.intact and result.checked == 4
    assert blocks_verify().intact  # the purged blocks still link; the rest still hold
    assert events_purge_expired() == 0  # idempotent


@pytest.mark.postgres
def test_purge_passes_the_append_only_trigger_by_itself(settings) -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL not set: the append-only trigger exists on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SET ketenregie.audit_purge = 'off'")  # as in production
    try:
        with time_machine.travel(timezone.now() - datetime.timedelta(days=6 * 365), tick=False):
            _some_events(2)
        assert events_purge_expired() == 2
        assert chain_verify().intact
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET ketenregie.audit_purge = 'on'")
