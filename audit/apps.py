"""App configuration for audit: registers the recorder for partner administration and auth events."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from partners.models import User


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = _("Audit")

    def ready(self) -> None:
        from audit import receivers
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
