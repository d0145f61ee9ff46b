"""The audit log: complete records, the hash chain, verification and append-only storage."""

from __future__ import annotations

import uuid

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

import pytest

from audit import context
from audit.chain import verify_rows
from audit.models import GENESIS_HASH, AuditAction, AuditEvent, Outcome
from audit.selectors import chain_head, chain_verify
from audit.services import AuditReferenceError, ObjectRef, event_record, events_record_bulk
from partners.models import Role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _tamper(sql: str, params: list[str | int]) -> None:
    """Change a stored row behind the application's back (what an attacker with DB access does)."""
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # flush pending FK checks first
            cursor.execute(
                "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete"
            )
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute(
                "ALTER TABLE audit_auditevent ENABLE TRIGGER audit_event_no_update_delete"
            )


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
    assert stored.previous_hash == (previous.hash if previous else GENESIS_HASH)
    assert len(stored.hash) == 64


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
    result = chain_verify()
    last = AuditEvent.objects.order_by("-id").first()
    assert last is not None
    assert result.intact
    assert result.checked == AuditEvent.objects.count()
    assert result.head == last.hash
    assert chain_head() == (last.id, last.hash)


def test_bulk_events_are_one_insert_and_chain_in_order(django_assert_num_queries) -> None:
    user = UserFactory.create(role=Role.ZORGCOORDINATOR)
    refs = [ObjectRef("casus", f"K-2026-{n:04d}") for n in range(50)]
    # Savepoint, chain-head read (+ advisory lock on PostgreSQL), one INSERT, release:
    # the same whatever the number of rows.
    expected = 5 if connection.vendor == "postgresql" else 4
    with django_assert_num_queries(expected):
        events = events_record_bulk(action=AuditAction.ACCESS_DENIED, objects=refs, actor=user)
    assert len(events) == 50
    assert [e.object_ref for e in AuditEvent.objects.filter(actor=user)] == [
        r.object_ref for r in refs
    ]
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
    _tamper("DELETE FROM audit_auditevent WHERE id = %s", [events[1].pk])
    result = chain_verify()
    assert not result.intact
    assert result.broken_id == events[2].pk
    assert result.reason == "previous_hash does not link"


def test_verify_rows_reports_the_first_break_only() -> None:
    assert verify_rows([]).intact
    assert verify_rows([]).head == GENESIS_HASH


@pytest.mark.postgres
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditevent SET object_ref = 'X'",
        "DELETE FROM audit_auditevent",
        "TRUNCATE audit_auditevent",
    ],
)
def test_postgres_rejects_update_delete_and_truncate(statement: str) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL not set: the append-only trigger exists on PostgreSQL only")
    event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-1")
    with (
        pytest.raises(DatabaseError, match="append-only"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET LOCAL ketenregie.audit_purge = 'off'")
        cursor.execute(statement)
    assert AuditEvent.objects.filter(object_ref="K-1").exists()


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
    python_form = {
        row[0]: canonical(row[1:])
        for row in AuditEvent.objects.order_by("id").values_list("id", *CHAINED_FIELDS)
    }
    database_form = {row[0]: row[1] for row in _canonical_rows(0, 100)}
    assert database_form == python_form
    assert any(".000000Z" in text for text in python_form.values())
