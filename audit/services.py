"""Writing audit events. Every write joins the caller's transaction: no event, no change.

An event is inserted unchained and without a lock, so readers never wait for each other; the
sealer (audit.sealing) gives it its place and hash in the chain within a second of its commit.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.utils import timezone

from audit import context
from audit.models import AuditAction, AuditAnchor, AuditEvent, Outcome
from audit.sqlite import sqlite_purge
from partners.models import User

# The database role that alone may delete audit events (the retention purge); see
# audit/migrations/0005_roles.py and docs/operations.md.
PURGE_ROLE = "ketenregie_audit_purger"

# References only: short codes, never free text. Content cannot get into the log through here.
_REFERENCE = re.compile(r"^[A-Za-z0-9_.:\-]{0,64}$")


class AuditReferenceError(ValueError):
    """An object reference or purpose that is not a short code (it might carry content)."""


@dataclass(frozen=True)
class ObjectRef:
    object_type: str
    object_ref: str


def _check_reference(value: str, name: str) -> str:
    if not _REFERENCE.fullmatch(value):
        raise AuditReferenceError(f"audit {name} must be a short code")
    return value


class _ActorFields(TypedDict):
    actor: User | None
    actor_partner_id: int | None
    actor_role: str


def _seal_after_commit() -> None:
    """Where no beat runs the sealer every second (no broker: the quick start), seal once the
    caller's transaction has committed."""
    from django.conf import settings

    if getattr(settings, "AUDIT_SEAL_ON_COMMIT", False):
        from audit.sealing import seal_all

        transaction.on_commit(seal_all)


def _actor_fields(actor: User | AnonymousUser | None) -> _ActorFields:
    """Who did it, with partner and role as they are now; nobody for an anonymous request."""
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_partner_id": None, "actor_role": ""}
    return {"actor": actor, "actor_partner_id": actor.partner_id, "actor_role": actor.role}


def _build(
    *,
    action: AuditAction,
    outcome: Outcome,
    actor: User | AnonymousUser | None,
    on_behalf_of: User | None,
    purpose: str,
    object_type: str,
    object_ref: str,
    source_address: str | None,
) -> AuditEvent:
    request_context = context.current()
    if source_address is None and request_context is not None:
        source_address = request_context.source_address
    if source_address:
        source_address = str(ipaddress.ip_address(source_address))
    event = AuditEvent(
        occurred_at=timezone.now(),
        action=AuditAction(action),
        outcome=Outcome(outcome),
        on_behalf_of=on_behalf_of,
        purpose=_check_reference(purpose, "purpose"),
        object_type=_check_reference(object_type, "object type"),
        object_ref=_check_reference(object_ref, "object reference"),
        correlation_id=request_context.correlation_id if request_context else None,
        source_address=source_address or None,
        **_actor_fields(actor),
    )
    return event


@transaction.atomic
def event_record(
    *,
    action: AuditAction,
    outcome: Outcome = Outcome.SUCCESS,
    actor: User | AnonymousUser | None = None,
    on_behalf_of: User | None = None,
    purpose: str = "",
    object_type: str = "",
    object_ref: str = "",
    source_address: str | None = None,
) -> AuditEvent:
    event = _build(
        action=action,
        outcome=outcome,
        actor=actor,
        on_behalf_of=on_behalf_of,
        purpose=purpose,
        object_type=object_type,
        object_ref=object_ref,
        source_address=source_address,
    )
    event.save(force_insert=True)
    _seal_after_commit()
    return event


@transaction.atomic
def events_record_bulk(
    *,
    action: AuditAction,
    objects: Iterable[ObjectRef],
    actor: User | None = None,
    outcome: Outcome = Outcome.SUCCESS,
    purpose: str = "",
) -> list[AuditEvent]:
    """One event per object in one INSERT (for list pages and exports)."""
    events = [
        _build(
            action=action,
            outcome=outcome,
            actor=actor,
            on_behalf_of=None,
            purpose=purpose,
            object_type=ref.object_type,
            object_ref=ref.object_ref,
            source_address=None,
        )
        for ref in objects
    ]
    created = AuditEvent.objects.bulk_create(events)
    _seal_after_commit()
    return created


class PurgeNotAllowedError(RuntimeError):
    """The database role of this process may not act as the purge role."""


def _as_purge_role(cursor: Any, statement: str, params: list[Any]) -> None:
    """Run one DELETE as the purge role. On PostgreSQL only that role passes the append-only
    trigger, and only a login that is a member of it may switch to it: the application's own
    role is not (docs/operations.md), so a request can never delete an event."""
    if connection.vendor != "postgresql":
        with sqlite_purge():
            cursor.execute(statement, params)
        return
    try:
        with transaction.atomic():
            cursor.execute(f"SET LOCAL ROLE {PURGE_ROLE}")
    except DatabaseError as error:
        raise PurgeNotAllowedError(
            f"deze databaserol mag niet als {PURGE_ROLE} optreden; draai de opschoning met "
            "AUDIT_PURGE_DATABASE_URL (zie docs/operations.md)"
        ) from error
    try:
        cursor.execute(statement, params)
    finally:
        cursor.execute("RESET ROLE")


@transaction.atomic
def events_purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Remove audit events older than AUDIT_RETENTION, leaving an anchor so the rest of the chain
    still verifies. The purge is itself an event. Returns the number of events (to be) removed."""
    from django.conf import settings

    from audit.sealing import seal_all

    if not dry_run:
        seal_all()
    cutoff = (now or timezone.now()) - settings.AUDIT_RETENTION
    expired = AuditEvent.objects.filter(occurred_at__lt=cutoff, seq__isnull=False)
    last = expired.order_by("-seq").values_list("seq", "hash").first()
    if last is None:
        return 0
    # Only a prefix of the chain may go: events are sealed in (nearly) time order, so everything
    # up to the last expired sequence number is expired too, give or take the sealer's second.
    through_seq, last_hash = int(last[0] or 0), last[1]
    count = AuditEvent.objects.filter(seq__lte=through_seq).count()
    if dry_run:
        return count
    with connection.cursor() as cursor:
        _as_purge_role(cursor, "DELETE FROM audit_auditevent WHERE seq <= %s", [through_seq])
    AuditAnchor.objects.create(
        purged_through_seq=through_seq, last_hash=last_hash, purged_count=count
    )
    event_record(
        action=AuditAction.AUDIT_PURGED, object_type="auditlog", object_ref=str(through_seq)
    )
    return count


_DENIED_REFERENCE = re.compile(r"^[A-Za-z0-9\-]{1,20}$")


def record_denied(*, user: User | AnonymousUser, object_type: str, ref: str = "") -> None:
    """A denied access (a 404 from the policy) is an event for the FG. An anonymous request is
    recorded without an actor."""
    event_record(
        action=AuditAction.ACCESS_DENIED,
        outcome=Outcome.DENIED,
        actor=user,
        object_type=object_type,
        object_ref=ref if _DENIED_REFERENCE.fullmatch(ref or "") else "",
    )


def denied(user: User | AnonymousUser, object_type: str, ref: str) -> Http404:
    """Record the denied (or missing) access and return the 404 to raise."""
    record_denied(user=user, object_type=object_type, ref=ref)
    return Http404()
