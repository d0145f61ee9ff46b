"""Signed checkpoints: cutting off the newest events or recomputing the whole chain is caught.

Each attack is done as whoever owns the tables could: triggers off, rows changed or deleted, and
(for the recomputation) every hash and block rebuilt so the chain itself is consistent again.
Only the signed checkpoints, kept outside the database, still tell.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction
from django.test import Client
from django.urls import reverse

import pytest

from audit import checkpoints, tasks
from audit.chain import CHAINED_FIELDS, chain_hash
from audit.models import GENESIS_HASH, AuditAction, AuditBlock, AuditEvent
from audit.sealing import block_hash, merkle_root, seal_all
from audit.selectors import blocks_verify, chain_report, chain_verify
from audit.services import event_record
from partners.models import Role, User
from tests.audit_records import audit_record, last_event_id, records_since
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fg() -> User:
    return UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True, email="fg@gemeente.example")


@pytest.fixture
def fg_client(fg: User, mfa_client) -> Client:
    return mfa_client(fg)


def _events(count: int, prefix: str = "K") -> list[AuditEvent]:
    return [
        event_record(action=AuditAction.CASUS_READ, object_type="casus", object_ref=f"{prefix}-{n}")
        for n in range(count)
    ]


def _owner_sql(statements: list[tuple[str, list[Any]]]) -> None:
    """Statements run with every append-only trigger off, as the tables' owner could."""
    tables = ("audit_auditevent", "audit_auditblock")
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
            for (name,) in cursor.fetchall():
                if name.startswith(("audit_event", "audit_block")):
                    cursor.execute(f"DROP TRIGGER {name}")
        for sql, params in statements:
            cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            for table in tables:
                cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
        else:
            from audit.sqlite import install_triggers

            install_triggers(connection)


def _recompute_everything(change_ref_of: int) -> None:
    """Rewrite one event's reference, then rebuild every hash and every block from scratch."""
    seal_all()
    rows = list(AuditEvent.objects.order_by("seq").values_list("id", "seq", *CHAINED_FIELDS))
    statements: list[tuple[str, list[Any]]] = [
        ("UPDATE audit_auditevent SET object_ref = %s WHERE id = %s", ["K-X", change_ref_of])
    ]
    previous = GENESIS_HASH
    hashes = []
    for event_id, _seq, *values in rows:
        if event_id == change_ref_of:
            values[CHAINED_FIELDS.index("object_ref")] = "K-X"
        new_hash = chain_hash(previous, values)
        statements.append(
            (
                "UPDATE audit_auditevent SET previous_hash = %s, hash = %s WHERE id = %s",
                [previous, new_hash, event_id],
            )
        )
        hashes.append(new_hash)
        previous = new_hash
    statements.append(("DELETE FROM audit_auditblock", []))
    root = merkle_root(hashes)
    first, last = rows[0][1], rows[-1][1]
    statements.append(
        (
            "INSERT INTO audit_auditblock (first_seq, last_seq, merkle_root, previous_hash, hash,"
            " sealed_at) VALUES (%s, %s, %s, %s, %s, CURRENT_TIMESTAMP)",
            [first, last, root, GENESIS_HASH, block_hash(GENESIS_HASH, first, last, root)],
        )
    )
    _owner_sql(statements)


def test_a_checkpoint_is_signed_written_outside_the_database_and_holds(settings) -> None:
    _events(3)
    made = checkpoints.checkpoint_create()
    assert made.seq == AuditEvent.objects.count()
    [file] = Path(settings.AUDIT_CHECKPOINT_DIR).glob("checkpoint-*.json")
    stored = json.loads(file.read_text())
    assert stored["signature"] == made.signature and stored["seq"] == made.seq
    public = checkpoints.verify_key()
    assert public is not None
    public.verify(base64.b64decode(made.signature), made.payload())  # raises when wrong
    report = chain_report()
    assert report.intact and report.latest_checkpoint is not None
    assert report.latest_checkpoint.holds


def test_cutting_off_the_newest_events_is_caught() -> None:
    events = _events(5)
    made = checkpoints.checkpoint_create()
    _owner_sql(
        [
            ("DELETE FROM audit_auditevent WHERE id >= %s", [events[3].pk]),
            ("DELETE FROM audit_auditblock", []),
        ]
    )
    seal_all()
    # The chain that is left is consistent in itself: only the checkpoint tells.
    assert chain_verify().intact
    report = chain_report()
    assert not report.intact
    assert any("afgekapt" in problem and str(made.seq) in problem for problem in report.problems)
    with pytest.raises(CommandError, match="afgekapt"):
        call_command("audit_verify")


def test_recomputing_the_whole_chain_is_caught() -> None:
    events = _events(6)
    checkpoints.checkpoint_create()
    _recompute_everything(change_ref_of=events[2].pk)
    assert chain_verify().intact  # every hash was recomputed
    assert blocks_verify().intact  # and every block rebuilt
    report = chain_report()
    assert not report.intact
    assert any("herschreven" in problem for problem in report.problems), report.problems


def test_a_forged_or_foreign_checkpoint_does_not_count(settings) -> None:
    _events(2)
    made = checkpoints.checkpoint_create()
    [file] = Path(settings.AUDIT_CHECKPOINT_DIR).glob("checkpoint-*.json")
    forged = json.loads(file.read_text())
    forged["seq"] = made.seq + 10
    file.write_text(json.dumps(forged))
    [check] = checkpoints.checkpoints_verify()
    assert check.problem == "de handtekening klopt niet"

    other_key, _public = checkpoints.generate_key_pair()
    settings.AUDIT_SIGNING_KEY = other_key
    file.unlink()
    checkpoints.checkpoint_create()
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_VERIFY_KEY = checkpoints.generate_key_pair()[1]
    [check] = checkpoints.checkpoints_verify()
    assert check.problem == "ondertekend met een onbekende sleutel"


def test_a_verifier_needs_only_the_public_key(settings) -> None:
    private, public = checkpoints.generate_key_pair()
    settings.AUDIT_SIGNING_KEY = private
    _events(2)
    checkpoints.checkpoint_create()
    settings.AUDIT_SIGNING_KEY = ""
    settings.AUDIT_VERIFY_KEY = public
    assert chain_report().intact


def test_without_a_key_no_checkpoint_is_made_and_the_task_says_so(settings) -> None:
    settings.AUDIT_SIGNING_KEY = ""
    _events(1)
    assert tasks.checkpoint() is None
    with pytest.raises(CommandError, match="AUDIT_SIGNING_KEY"):
        call_command("audit_checkpoint")
    assert checkpoints.checkpoints_latest() == []


def test_the_command_makes_a_key_pair_and_a_checkpoint(capsys, settings) -> None:
    call_command("audit_checkpoint", "--new-key")
    lines = dict(line.split("=", 1) for line in capsys.readouterr().out.split())
    assert set(lines) == {"AUDIT_SIGNING_KEY", "AUDIT_VERIFY_KEY"}
    settings.AUDIT_SIGNING_KEY = lines["AUDIT_SIGNING_KEY"]
    settings.AUDIT_VERIFY_KEY = lines["AUDIT_VERIFY_KEY"]
    _events(2)
    before = last_event_id()
    call_command("audit_checkpoint")
    [latest] = checkpoints.checkpoints_latest(1)
    assert latest.checkpoint is not None
    assert records_since(before) == [
        audit_record(
            AuditAction.AUDIT_CHECKPOINTED,
            object_type="auditlog",
            object_ref=str(latest.checkpoint.seq),
        )
    ]
    assert chain_report().intact


def test_an_event_left_unsealed_for_a_minute_is_an_alert() -> None:
    import datetime

    from django.utils import timezone

    import time_machine

    with time_machine.travel(timezone.now() - datetime.timedelta(minutes=5), tick=False):
        _events(1)
    report = chain_report()
    assert report.unsealed_overdue == 1
    assert any("niet verzegeld" in problem for problem in report.problems)
    seal_all()
    assert chain_report().intact


def test_the_fg_sees_the_last_checkpoint_and_can_set_one(fg: User, fg_client: Client) -> None:
    page = fg_client.get(reverse("fg:index")).content.decode()
    assert "Nog geen controlepunt gezet." in page
    before = last_event_id()
    response = fg_client.post(reverse("fg:checkpoint"))
    assert response.status_code == 200
    [latest] = checkpoints.checkpoints_latest(1)
    assert latest.checkpoint is not None
    seq = latest.checkpoint.seq
    assert audit_record(
        AuditAction.AUDIT_CHECKPOINTED, actor=fg, object_type="auditlog", object_ref=str(seq)
    ) in records_since(before)
    page = response.content.decode()
    assert f"gebeurtenis #{seq}, gezet op" in page
    assert "de keten bevat dit punt nog ongewijzigd" in page

    first = AuditEvent.objects.exclude(seq=None).order_by("seq").first()
    assert first is not None
    _recompute_everything(change_ref_of=first.pk)
    page = fg_client.get(reverse("fg:index")).content.decode()
    assert "de keten is herschreven" in page


def test_the_fg_is_told_plainly_when_no_key_is_set(fg_client: Client, settings) -> None:
    settings.AUDIT_SIGNING_KEY = ""
    response = fg_client.post(reverse("fg:checkpoint"))
    assert response.status_code == 200
    assert "de ondertekeningssleutel (AUDIT_SIGNING_KEY) is niet ingesteld" in (
        response.content.decode()
    )
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_CHECKPOINTED).exists()


def test_the_daily_mail_of_a_broken_chain_names_no_content(
    fg: User, django_capture_on_commit_callbacks
) -> None:
    events = _events(3, prefix="K-2026")
    checkpoints.checkpoint_create()
    _recompute_everything(change_ref_of=events[0].pk)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert tasks.verify_chain() is False
    [message] = mail.outbox
    assert "mislukt" in message.subject and "herschreven" in message.body
    assert "K-2026" not in message.body


def test_blocks_are_checked_against_their_events() -> None:
    events = _events(4)
    seal_all()
    _owner_sql(
        [
            (
                "UPDATE audit_auditevent SET hash = %s WHERE id = %s",
                ["0" * 63 + "1", events[1].pk],
            )
        ]
    )
    result = blocks_verify()
    assert not result.intact and result.reason == "events do not match the block"
    block = AuditBlock.objects.get()
    assert result.broken_block == block.first_seq


def test_without_a_broker_events_are_sealed_when_their_transaction_commits(
    settings, django_capture_on_commit_callbacks
) -> None:
    """The quick start runs no beat: each commit seals what it recorded."""
    settings.AUDIT_SEAL_ON_COMMIT = True
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        event = event_record(action=AuditAction.CASUS_READ, object_type="casus", object_ref="K-1")
    event.refresh_from_db()
    assert event.seq is not None and len(event.hash) == 64
    assert chain_report().intact


def test_the_deploy_check_wants_a_valid_signing_key(settings) -> None:
    from audit.checks import signing_key_configured

    assert signing_key_configured() == []
    settings.AUDIT_SIGNING_KEY = ""
    assert [message.id for message in signing_key_configured()] == ["audit.W001"]
    settings.AUDIT_SIGNING_KEY = "dGVzdA"
    assert [message.id for message in signing_key_configured()] == ["audit.E001"]
