"""System checks of the audit log's protection (`manage.py check --deploy`, and with
`--database default` the database role).

* audit.W001: no AUDIT_SIGNING_KEY, so no signed checkpoints: cutting off or recomputing the
  chain would go unnoticed.
* audit.E001: AUDIT_SIGNING_KEY is not a base64 Ed25519 key.
* audit.W002: the application logs in as a superuser or as the owner of the audit table, and so
  could switch off the append-only trigger (docs/operations.md).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register


def register_all() -> None:
    register(signing_key_configured, Tags.security, deploy=True)
    register(application_role_cannot_disable_triggers, Tags.database)


def signing_key_configured(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    from audit.checkpoints import CheckpointConfigurationError, signing_key

    if not getattr(settings, "AUDIT_SIGNING_KEY", ""):
        return [
            Warning(
                "AUDIT_SIGNING_KEY is niet ingesteld: er worden geen ondertekende controlepunten "
                "van de auditketen gezet.",
                hint="Maak een sleutel met `manage.py audit_checkpoint --new-key`.",
                id="audit.W001",
            )
        ]
    try:
        signing_key()
    except CheckpointConfigurationError as error:
        return [Error(f"AUDIT_SIGNING_KEY: {error}", id="audit.E001")]
    return []


def application_role_cannot_disable_triggers(
    app_configs: Any = None, databases: Any = None, **kwargs: Any
) -> list[CheckMessage]:
    from django.db import connections

    messages: list[CheckMessage] = []
    for alias in databases or []:
        connection = connections[alias]
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT r.rolsuper OR pg_has_role(current_user, c.relowner, 'USAGE') "
                "FROM pg_roles r, pg_class c "
                "WHERE r.rolname = current_user AND c.oid = to_regclass('audit_auditevent')"
            )
            row = cursor.fetchone()
        if row and row[0]:
            messages.append(
                Warning(
                    f"Database {alias!r}: de applicatie logt in als superuser of eigenaar van het "
                    "auditlog en kan de append-only-trigger dus uitschakelen.",
                    hint="Laat de applicatie inloggen met een rol zonder eigendom "
                    "(docs/operations.md); alleen migrate draait als eigenaar.",
                    id="audit.W002",
                )
            )
    return messages
