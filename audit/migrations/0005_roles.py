"""Append-only audit tables that the application's own database role cannot get around.

* An event may be UPDATEd only to seal it (seq, previous_hash and hash of an unsealed event, every
  recorded field unchanged); blocks and anchors never change.
* Only the purge role ``ketenregie_audit_purger`` may DELETE events (the retention purge switches
  to it with SET LOCAL ROLE; only a login that is a member of it can). The application's role is
  not a member, does not own the tables and so cannot disable the triggers (docs/operations.md).
* TRUNCATE and DELETE pass otherwise only for a session that could drop the trigger anyway — a
  superuser or the tables' owner — and only with ``ketenregie.audit_purge = 'on'``: the test
  database is flushed that way. In production the owner is the migration role, never the app.

The purge role is created here when this role may create roles; otherwise the operator creates
it (docs/operations.md) and the grants below are made by the next migrate.
"""

from django.db import migrations

PURGE_ROLE = "ketenregie_audit_purger"

RECORDED = (
    "id", "occurred_at", "action", "outcome", "actor_id", "actor_partner_id", "actor_role",
    "on_behalf_of_id", "purpose", "object_type", "object_ref", "correlation_id", "source_address",
)
_OLD = ", ".join(f"OLD.{column}" for column in RECORDED)
_NEW = ", ".join(f"NEW.{column}" for column in RECORDED)

FORWARD = f"""
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{PURGE_ROLE}') THEN
        BEGIN
            CREATE ROLE {PURGE_ROLE} NOLOGIN;
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE NOTICE 'role {PURGE_ROLE} not created (no CREATEROLE): see docs/operations.md';
        END;
    END IF;
END
$$;

CREATE OR REPLACE FUNCTION audit_may_flush() RETURNS boolean AS $$
    SELECT coalesce(current_setting('ketenregie.audit_purge', true), '') = 'on'
       AND (EXISTS (SELECT FROM pg_roles WHERE rolname = current_user AND rolsuper)
            OR EXISTS (SELECT FROM pg_class
                       WHERE oid = 'audit_auditevent'::regclass
                         AND pg_has_role(current_user, relowner, 'USAGE')));
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION audit_reject_change() RETURNS trigger AS $$
BEGIN
    IF TG_TABLE_NAME = 'audit_auditevent' THEN
        IF TG_OP = 'UPDATE' THEN
            IF OLD.seq IS NULL AND NEW.seq IS NOT NULL AND NEW.hash <> ''
               AND ROW({_NEW}) IS NOT DISTINCT FROM ROW({_OLD}) THEN
                RETURN NEW;
            END IF;
        ELSIF TG_OP = 'DELETE' AND current_user = '{PURGE_ROLE}' THEN
            RETURN OLD;
        END IF;
    END IF;
    IF TG_OP IN ('DELETE', 'TRUNCATE') AND audit_may_flush() THEN
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NULL;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END;
$$ LANGUAGE plpgsql;

DROP TRIGGER IF EXISTS audit_block_no_update_delete ON audit_auditblock;
CREATE TRIGGER audit_block_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditblock
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
DROP TRIGGER IF EXISTS audit_block_no_truncate ON audit_auditblock;
CREATE TRIGGER audit_block_no_truncate
    BEFORE TRUNCATE ON audit_auditblock
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
DROP TRIGGER IF EXISTS audit_anchor_no_update_delete ON audit_auditanchor;
CREATE TRIGGER audit_anchor_no_update_delete
    BEFORE UPDATE OR DELETE ON audit_auditanchor
    FOR EACH ROW EXECUTE FUNCTION audit_reject_change();
DROP TRIGGER IF EXISTS audit_anchor_no_truncate ON audit_auditanchor;
CREATE TRIGGER audit_anchor_no_truncate
    BEFORE TRUNCATE ON audit_auditanchor
    FOR EACH STATEMENT EXECUTE FUNCTION audit_reject_change();
"""

GRANTS = f"""
DO $$
BEGIN
    IF EXISTS (SELECT FROM pg_roles WHERE rolname = '{PURGE_ROLE}') THEN
        GRANT SELECT, DELETE ON audit_auditevent TO {PURGE_ROLE};
    END IF;
END
$$;
"""

BACKWARD = """
DROP TRIGGER IF EXISTS audit_anchor_no_truncate ON audit_auditanchor;
DROP TRIGGER IF EXISTS audit_anchor_no_update_delete ON audit_auditanchor;
DROP TRIGGER IF EXISTS audit_block_no_truncate ON audit_auditblock;
DROP TRIGGER IF EXISTS audit_block_no_update_delete ON audit_auditblock;
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD, params=None)
        schema_editor.execute(GRANTS, params=None)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_sealing")]

    operations = [migrations.RunPython(forward, backward)]
