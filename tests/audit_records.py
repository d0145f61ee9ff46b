"""Complete audit records for tests (a helper module: it holds no tests itself).

A test of an audited action compares the whole record of every new event at once: action,
outcome, actor, the actor's partner and role, on whose behalf, purpose, object type and object
reference. ``audit_record(...)`` builds the expected record; tests/test_audit_coverage.py counts
an action as asserted only where a test passes it to ``audit_record``.
"""

from __future__ import annotations

import uuid
from typing import Any, NamedTuple

from audit.models import AuditAction, AuditEvent, Outcome


class Record(NamedTuple):
    action: str
    outcome: str
    actor_id: int | None
    actor_partner_id: int | None
    actor_role: str
    on_behalf_of_id: int | None
    purpose: str
    object_type: str
    object_ref: str


def audit_record(
    action: AuditAction | str,
    *,
    actor: Any = None,
    outcome: Outcome | str = Outcome.SUCCESS,
    purpose: str = "",
    object_type: str = "",
    object_ref: str = "",
    on_behalf_of: Any = None,
) -> Record:
    """The record an event must have. The partner and role are the actor's as they are now
    (the event keeps them as they were when it happened)."""
    return Record(
        action=AuditAction(action).value,
        outcome=Outcome(outcome).value,
        actor_id=actor.pk if actor is not None else None,
        actor_partner_id=actor.partner_id if actor is not None else None,
        actor_role=str(actor.role) if actor is not None else "",
        on_behalf_of_id=on_behalf_of.pk if on_behalf_of is not None else None,
        purpose=purpose,
        object_type=object_type,
        object_ref=object_ref,
    )


def record_of(event: AuditEvent) -> Record:
    return Record(
        action=event.action,
        outcome=event.outcome,
        actor_id=event.actor_id,
        actor_partner_id=event.actor_partner_id,
        actor_role=event.actor_role,
        on_behalf_of_id=event.on_behalf_of_id,
        purpose=event.purpose,
        object_type=event.object_type,
        object_ref=event.object_ref,
    )


def last_event_id() -> int:
    """The newest event's id: a bookmark (ids are not reused; counting rows is no bookmark)."""
    return AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0


def events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(id__gt=before).order_by("id"))


def records_since(before: int) -> list[Record]:
    """The complete records of every event after ``before``, oldest first."""
    return [record_of(event) for event in events_since(before)]


def assert_written_by(response: Any, before: int, source_address: str = "127.0.0.1") -> None:
    """Every event after ``before`` carries the request's correlation id (its X-Request-ID
    header) and the client's address."""
    correlation_id = uuid.UUID(response["X-Request-ID"])
    assert {(e.correlation_id, e.source_address) for e in events_since(before)} == {
        (correlation_id, source_address)
    }
