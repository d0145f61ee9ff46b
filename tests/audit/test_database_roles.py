"""The application's database role cannot rewrite the audit log (PostgreSQL).

Production runs the application as a role that owns nothing and is not a member of the purge
role (docs/operations.md). This test gives such a role — ``ketenregie_app_probe``, created by
.ci/run as the DBA would — every table privilege the application has, including DELETE on the
audit table, and then tries, over its own connection, every way around the append-only rule.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import connection

import psycopg
import pytest

from audit.models import AuditAction, AuditEvent
from audit.sealing import seal_all
from audit.selectors import chain_verify
from audit.services import PURGE_ROLE, event_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

APP_ROLE = "ketenregie_app_probe"


@pytest.fixture
def app_connection() -> Iterator[psycopg.Connection]:
    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL not set: database roles exist on PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        if cursor.fetchone() is None:
            pytest.fail(f"role {APP_ROLE} missing: .ci/run creates it (CREATE ROLE ... LOGIN)")
        cursor.execute(f"GRANT USAGE ON SCHEMA public TO {APP_ROLE}")
        cursor.execute(
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE}"
        )
        cursor.execute(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE}")
    settings = connection.settings_dict
    probe = psycopg.connect(
        host=settings["HOST"],
        port=settings["PORT"] or 5432,
        dbname=settings["NAME"],
        user=APP_ROLE,
        password=APP_ROLE,
    )
    try:
        yield probe
    finally:
        probe.close()
        with connection.cursor() as cursor:
            cursor.execute(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {APP_ROLE}")
            cursor.execute(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {APP_ROLE}")
            cursor.execute(f"REVOKE USAGE ON SCHEMA public FROM {APP_ROLE}")


ATTEMPTS = [
    # The old escape hatch: a session setting. It works only for a superuser or the owner.
    "SET LOCAL ketenregie.audit_purge = 'on'; DELETE FROM audit_auditevent",
    "SET LOCAL ketenregie.audit_purge = 'on'; TRUNCATE audit_auditevent CASCADE",
    f"SET LOCAL ROLE {PURGE_ROLE}",
    "UPDATE audit_auditevent SET object_ref = 'X'",
    "UPDATE audit_auditevent SET hash = repeat('0', 64)",
    "UPDATE audit_auditevent SET seq = NULL",
    "DELETE FROM audit_auditblock",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER USER",
    "ALTER TABLE audit_auditevent DISABLE TRIGGER audit_event_no_update_delete",
    "DROP TRIGGER audit_event_no_update_delete ON audit_auditevent",
    "CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger AS $$ BEGIN RETURN OLD; "
    "END; $$ LANGUAGE plpgsql",
    "ALTER TABLE audit_auditevent RENAME TO audit_old",
]


@pytest.mark.parametrize("statement", ATTEMPTS)
def test_the_application_role_cannot_get_around_the_append_only_rule(
    app_connection: psycopg.Connection, statement: str
) -> None:
    event_record(action=AuditAction.ACCESS_DENIED, object_type="casus", object_ref="K-1")
    seal_all()
    with pytest.raises(psycopg.errors.InsufficientPrivilege), app_connection.transaction():
        for part in statement.split("; ") if statement.startswith("SET LOCAL k") else [statement]:
            app_connection.execute(part)
    assert AuditEvent.objects.filter(object_ref="K-1").exclude(hash="").count() == 1
    assert chain_verify().intact


def test_the_application_role_records_and_seals_events(app_connection: psycopg.Connection) -> None:
    """What it may do: append an event, and seal it (set its place and hash, nothing else)."""
    with app_connection.transaction():
        app_connection.execute(
            "INSERT INTO audit_auditevent (occurred_at, action, outcome, actor_role, purpose,"
            " object_type, object_ref, previous_hash, hash) VALUES (now(), 'access.denied',"
            " 'denied', '', '', 'casus', 'K-APP', '', '')"
        )
    seal_all()
    event = AuditEvent.objects.get(object_ref="K-APP")
    assert event.seq is not None and len(event.hash) == 64
    assert chain_verify().intact


def test_the_deploy_check_names_an_application_that_owns_the_audit_table() -> None:
    """The test role owns the tables (it ran the migrations): exactly what production must not
    do for the application, and what `check --database default` reports."""
    from audit.checks import application_role_cannot_disable_triggers

    if connection.vendor != "postgresql":
        pytest.skip("DATABASE_URL not set: database roles exist on PostgreSQL only")
    [warning] = application_role_cannot_disable_triggers(databases=["default"])
    assert warning.id == "audit.W002"
