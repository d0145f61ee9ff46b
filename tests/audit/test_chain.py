"""The audit log: complete records, the hash chain, verification and append-only storage."""

from __future__ import annotations

import uuid

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

import pytest

from audit import context
from audit.chain import verify_rows
from audit.models import GENESIS_HASH, AuditAction, AuditBlock, AuditEvent, Outcome
from audit.sealing import seal_all
from audit.selectors import blocks_verify, chain_head, chain_verify
from audit.services import AuditReferenceError, ObjectRef, event_record, events_record_bulk
from partners.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[str | int]) -> None:
    """Change a stored row behind the application's back: what the owner of the tables (or a
    superuser) can do by switching the append-only triggers off."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush pending FK checks first
            cursor.execute("ALTER TABLE audit_auditevent DISABLE TRIGGER USER")
        else:
            cursor.execute("DROP TRIGGER audit_event_seal_only")
            cursor.execute("DROP TRIGGER audit_event_no_delete")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE audit_auditevent ENABLE TRIGGER USER")
        else:
            from audit.sqlite import install_triggers

            install_triggers(connection)


def test_event_record_writes_the_complete_record() -> None:
    user = UserFactory.create(role=Role.MEDEWERKER)
    on_behalf = UserFactory.create(role=Role.PRIVACY_OFFICER)
    correlation = uuid.uuid4()
    token = context.bind(context.RequestContext(correlation, "192.0.2.7"))
    try:
        event = event_record(
            action=AuditAction.ACCESS_DENIED,
            outcome=Outcome.DENIED,
            actor=user,
            on_behalf_of=on_behalf,
            purpose="wettelijke_taak",
            object_type="casus",
            object_ref="K-2026-0001",
        )
    finally:
        context.reset(token)
    stored = AuditEvent.objects.get(pk=event.pk)
    previous = AuditEvent.objects.filter(pk__lt=event.pk).order_by("-pk").first()
    assert (stored.action, stored.outcome) == ("access.denied", "denied")
    assert stored.actor == user
    assert stored.actor_partner_id == user.partner_id
    assert stored.actor_role == "medewerker"
    assert stored.on_behalf_of == on_behalf
    assert stored.purpose == "wettelijke_taak"
    assert (stored.object_type, stored.object_ref) == ("casus", "K-2026-0001")
    assert stored.correlation_id == correlation
    assert stored.source_address == "192.0.2.7"
    # Recorded unchained; the sealer gives it its place and hash.
    assert (stored.seq, stored.hash) == (None, "")
    seal_all()
    stored.refresh_from_db()
    if previous is not None:
        previous.refresh_from_db()
    assert stored.previous_hash == (previous.hash if previous else GENESIS_HASH)
    assert len(stored.hash) == 64
    assert stored.seq == (previous.seq + 1 if previous and previous.seq else 1)


@pytest.mark.parametrize(
    "field,value",
    [
        ("object_ref", "Naam Achternaam woont op Weaze 12"),
        ("purpose", "zie e-mail van jan@example.nl"),
        ("object_type", "x" * 65),
    ],
)
def test_free_text_cannot_enter_the_log(field: str, value: str) -> None:
    before = AuditEvent.objects.count()
    references = {"purpose": "", "object_type": "", "object_ref": "", field: value}
    with pytest.raises(AuditReferenceError):
        event_record(
            action=AuditAction.ACCESS_DENIED,
            purpose=references["purpose"],
            object_type=references["object_type"],
            object_ref=references["object_ref"],
        )
    assert AuditEvent.objects.count() == before


def test_the_chain_verifies_and_the_head_is_the_last_event() -> None:
    for index in range(5):
        event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref=f"K-{index}")
    seal_all()
    result = chain_verify()
    last = AuditEvent.objects.order_by("-seq").first()
    assert last is not None and last.seq is not None
    assert result.intact
    assert result.checked == AuditEvent.objects.count()
    assert result.head == last.hash
    assert chain_head() == (last.seq, last.hash)
    assert blocks_verify().intact


def test_recording_takes_no_lock_and_reads_nothing(django_assert_num_queries) -> None:
    """A request's event is one INSERT (in a savepoint): no chain lock, no read of the head, so
    readers of all partners never queue behind each other."""
    with django_assert_num_queries(3):  # savepoint, INSERT, release
        event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-1")


def test_bulk_events_are_one_insert_and_chain_in_order(django_assert_num_queries) -> None:
    user = UserFactory.create(role=Role.ZORGCOORDINATOR)
    refs = [ObjectRef("casus", f"K-2026-{n:04d}") for n in range(50)]
    # Savepoint, one INSERT, release: the same whatever the number of rows.
    with django_assert_num_queries(3):
        events = events_record_bulk(action=AuditAction.ACCESS_DENIED, objects=refs, actor=user)
    assert len(events) == 50
    seal_all()
    assert [e.object_ref for e in AuditEvent.objects.filter(actor=user).order_by("seq")] == [
        r.object_ref for r in refs
    ]
    assert chain_verify().intact


def test_the_sealer_seals_in_blocks_that_chain_and_hold_their_events() -> None:
    for index in range(7):
        event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref=f"K-{index}")
    from audit.sealing import seal_pending

    first = seal_pending(limit=3)
    assert first is not None and first.last_seq - first.first_seq + 1 == 3
    assert seal_all() >= 4
    assert seal_pending() is None  # nothing left
    blocks = list(AuditBlock.objects.order_by("first_seq"))
    assert blocks[1].previous_hash == blocks[0].hash
    assert not AuditEvent.objects.filter(seq__isnull=True).exists()
    assert blocks_verify().intact and blocks_verify().checked == len(blocks)


def test_an_event_committed_late_is_sealed_in_the_next_block() -> None:
    """The chain's order is the seal order: an event with a lower id that commits after a
    higher one was sealed simply follows it."""
    early = event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-A")
    late = event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-B")
    # Seal only the later one first (as if the earlier transaction had not committed yet).
    with transaction.atomic():
        from audit.chain import CHAINED_FIELDS, chain_hash
        from audit.sealing import sealed_head

        head = sealed_head()
        values = AuditEvent.objects.filter(pk=late.pk).values_list(*CHAINED_FIELDS).get()
        AuditEvent.objects.filter(pk=late.pk).update(
            seq=head.seq + 1, previous_hash=head.hash, hash=chain_hash(head.hash, values)
        )
    seal_all()
    early.refresh_from_db()
    late.refresh_from_db()
    assert early.seq is not None and late.seq is not None and early.seq > late.seq
    assert chain_verify().intact


def test_a_merkle_path_proves_one_event_without_the_others() -> None:
    from audit.sealing import merkle_path, merkle_path_root, merkle_root

    leaves = [f"{n:064x}" for n in range(1, 12)]
    root = merkle_root(leaves)
    for index, leaf in enumerate(leaves):
        assert merkle_path_root(leaf, merkle_path(leaves, index)) == root
    assert merkle_path_root(f"{99:064x}", merkle_path(leaves, 3)) != root


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET object_ref = 'X'",
        "UPDATE audit_auditevent SET hash = 'f' || substr(hash, 2)",
        "UPDATE audit_auditevent SET seq = seq + 100",
        "DELETE FROM audit_auditevent",
        "UPDATE audit_auditblock SET merkle_root = 'x'",
        "DELETE FROM audit_auditblock",
    ],
)
def test_sealed_events_and_blocks_cannot_change_on_either_database(
    statement: str, settings
) -> None:
    """Append-only on PostgreSQL and on the quick start's SQLite alike."""
    settings.AUDIT_SQLITE_ALLOW_FLUSH = False
    event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-1")
    seal_all()
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("SET LOCAL ketenregie.audit_purge = 'off'")
        cursor.execute(statement)
    assert AuditEvent.objects.filter(object_ref="K-1").exclude(hash="").exists()


def test_an_unsealed_event_can_be_sealed_but_not_altered(settings) -> None:
    settings.AUDIT_SQLITE_ALLOW_FLUSH = False
    event = event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-1")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # Sealing and changing the content in one go: refused.
        cursor.execute(
            "UPDATE audit_auditevent SET seq = 1, hash = %s, object_ref = 'K-2' WHERE id = %s",
            ["a" * 64, event.pk],
        )
    seal_all()
    assert chain_verify().intact


def test_altered_row_is_named_by_audit_verify() -> None:
    events = [
        event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref=f"K-{n}")
        for n in range(4)
    ]
    call_command("audit_verify")  # intact: no error
    _tamper("UPDATE audit_auditevent SET object_ref = %s WHERE id = %s", ["K-X", events[2].pk])
    with pytest.raises(CommandError, match=rf"#{events[2].pk} "):
        call_command("audit_verify")


def test_deleted_row_breaks_the_chain_at_its_successor() -> None:
    events = [
        event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref=f"K-{n}")
        for n in range(4)
    ]
    seal_all()
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = chain_verify()
    assert not result.intact
    assert result.broken_id == events[2].pk
    assert result.reason == "a sequence number is missing"


def test_verify_rows_reports_the_first_break_only() -> None:
    assert verify_rows([]).intact
    assert verify_rows([]).head == GENESIS_HASH


def test_database_canonical_form_equals_the_python_definition() -> None:
    """Verification hashes the canonical form the database builds; insertion hashes the Python
    one. Edge cases: whole seconds, IPv6, no actor, a correlation id, empty references."""
    import datetime as dt

    import time_machine

    from audit.chain import CHAINED_FIELDS, canonical
    from audit.selectors import _canonical_rows

    user = UserFactory.create(role=Role.MEDEWERKER)
    with time_machine.travel(dt.datetime(2026, 3, 2, 8, 0, 0, tzinfo=dt.UTC), tick=False):
        event_record(action=AuditAction.LOGIN, actor=user, source_address="2001:db8::1")
    token = context.bind(context.RequestContext(uuid.uuid4(), "192.0.2.200"))
    try:
        event_record(
            action=AuditAction.CASUS_READ, actor=user, object_type="casus", object_ref="K-1"
        )
    finally:
        context.reset(token)
    event_record(action=AuditAction.LOGIN_FAILED, outcome=Outcome.FAILURE)
    seal_all()
    python_form = {
        row[0]: canonical(row[1:])
        for row in AuditEvent.objects.order_by("id").values_list("id", *CHAINED_FIELDS)
    }
    database_form = {row[0]: row[1] for row in _canonical_rows(0, 100)}
    assert database_form == python_form
    assert any(".000000Z" in text for text in python_form.values())


def test_the_triggers_protect_every_recorded_field() -> None:
    """The PostgreSQL trigger (a frozen list in its migration) and the SQLite trigger compare
    every hashed field and the id: a field added to the chain must be added to both."""
    import importlib

    from audit.chain import CHAINED_FIELDS
    from audit.sqlite import RECORDED_COLUMNS

    migration = importlib.import_module("audit.migrations.0005_roles")
    assert tuple(migration.RECORDED) == ("id", *CHAINED_FIELDS) == RECORDED_COLUMNS
