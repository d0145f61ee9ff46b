#!/usr/bin/env bash
# First start of the database container: the roles of docs/operations.md.
#   ketenregie (POSTGRES_USER) owns the schema and runs the migrations only;
#   ketenregie_app is what web, worker and beat log in as: data privileges, no ownership, so it
#     cannot switch off the audit log's append-only triggers;
#   ketenregie_audit_purger (no login) alone may delete audit events; ketenregie_purge logs in for
#     the audit retention purge worker and is its only member.
set -euo pipefail
: "${APP_DB_PASSWORD:?set APP_DB_PASSWORD}"
: "${PURGE_DB_PASSWORD:?set PURGE_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$APP_DB_PASSWORD" -v purge_password="$PURGE_DB_PASSWORD" <<'SQL'
CREATE ROLE ketenregie_app LOGIN PASSWORD :'app_password';
CREATE ROLE ketenregie_audit_purger NOLOGIN;
CREATE ROLE ketenregie_purge LOGIN PASSWORD :'purge_password' IN ROLE ketenregie_audit_purger;
GRANT CONNECT ON DATABASE ketenregie TO ketenregie_app, ketenregie_purge;
GRANT USAGE ON SCHEMA public TO ketenregie_app, ketenregie_purge;
-- Tables and sequences the migrations create later get these privileges by default.
ALTER DEFAULT PRIVILEGES FOR ROLE ketenregie IN SCHEMA public
  GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ketenregie_app, ketenregie_purge;
ALTER DEFAULT PRIVILEGES FOR ROLE ketenregie IN SCHEMA public
  GRANT USAGE, SELECT ON SEQUENCES TO ketenregie_app, ketenregie_purge;
SQL
