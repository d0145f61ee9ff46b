"""The append-only audit tables on SQLite (the quick start), as on PostgreSQL.

SQLite has no roles, so a DELETE passes only while the purge holds the flag below, read through a
function this process registers on each connection; a connection that has not registered it (the
sqlite3 shell) cannot delete at all. The triggers are (re)created after every migrate, because
SQLite rebuilds a table to alter it, and the rebuild drops its triggers.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings

from audit.chain import CHAINED_FIELDS

_purging: contextvars.ContextVar[bool] = contextvars.ContextVar("audit_purging", default=False)

# Every recorded field of an event (the hashed ones, and the id): an UPDATE may only seal (set
# seq, previous_hash, hash of an unsealed event) and must leave all of these as they were.
RECORDED_COLUMNS = ("id", *CHAINED_FIELDS)


@contextmanager
def sqlite_purge() -> Iterator[None]:
    token = _purging.set(True)
    try:
        yield
    finally:
        _purging.reset(token)


def _may_delete() -> int:
    return int(_purging.get() or getattr(settings, "AUDIT_SQLITE_ALLOW_FLUSH", False))


def register_functions(connection: Any) -> None:
    connection.connection.create_function("ketenregie_audit_may_delete", 0, _may_delete)


def _unchanged(columns: tuple[str, ...]) -> str:
    return " AND ".join(f"NEW.{column} IS OLD.{column}" for column in columns)


TRIGGERS = (
    f"""CREATE TRIGGER IF NOT EXISTS audit_event_seal_only
        BEFORE UPDATE ON audit_auditevent
        WHEN NOT (OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash <> ''
                  AND {_unchanged(RECORDED_COLUMNS)})
        BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_event_no_delete
        BEFORE DELETE ON audit_auditevent
        WHEN NOT ketenregie_audit_may_delete()
        BEGIN SELECT RAISE(ABORT, 'audit_auditevent is append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_block_no_update
        BEFORE UPDATE ON audit_auditblock
        BEGIN SELECT RAISE(ABORT, 'audit_auditblock is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_block_no_delete
        BEFORE DELETE ON audit_auditblock
        WHEN NOT ketenregie_audit_may_delete()
        BEGIN SELECT RAISE(ABORT, 'audit_auditblock is append-only: DELETE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_anchor_no_update
        BEFORE UPDATE ON audit_auditanchor
        BEGIN SELECT RAISE(ABORT, 'audit_auditanchor is append-only: UPDATE refused'); END""",
    """CREATE TRIGGER IF NOT EXISTS audit_anchor_no_delete
        BEFORE DELETE ON audit_auditanchor
        WHEN NOT ketenregie_audit_may_delete()
        BEGIN SELECT RAISE(ABORT, 'audit_auditanchor is append-only: DELETE refused'); END""",
)


def install_triggers(connection: Any) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN "
            "('audit_auditevent', 'audit_auditblock', 'audit_auditanchor')"
        )
        if cursor.fetchone()[0] < 3:
            return  # not migrated this far yet
        for statement in TRIGGERS:
            cursor.execute(statement)
