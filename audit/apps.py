"""App configuration for audit: registers the recorder for partner administration and auth events,
and the append-only triggers of the quick start's SQLite database."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from partners.models import User


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from audit import checks, receivers
        from audit.models import AuditAction, Outcome
        from audit.services import event_record
        from partners import events

        def record_administration(
            *,
            action: str,
            actor: User | None,
            object_type: str,
            object_ref: str,
            outcome: str = "success",
        ) -> None:
            event_record(
                action=AuditAction(action),
                outcome=Outcome(outcome),
                actor=actor,
                object_type=object_type,
                object_ref=object_ref,
            )

        events.register_recorder(record_administration)
        receivers.connect()
        checks.register_all()
        connection_created.connect(_sqlite_functions, dispatch_uid="audit_sqlite_functions")
        post_migrate.connect(_sqlite_triggers, sender=self, dispatch_uid="audit_sqlite_triggers")


def _sqlite_functions(sender: object, connection: BaseDatabaseWrapper, **kwargs: object) -> None:
    if connection.vendor == "sqlite":
        from audit.sqlite import register_functions

        register_functions(connection)


def _sqlite_triggers(sender: object, using: str = "default", **kwargs: object) -> None:
    from django.db import connections

    connection = connections[using]
    if connection.vendor == "sqlite":
        from audit.sqlite import install_triggers

        install_triggers(connection)
