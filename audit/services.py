"""Writing audit events. Every write joins the caller's transaction: no event, no change.

On PostgreSQL an advisory transaction lock serialises appends to the chain, so each event links
to the one committed before it; the lock is released when the caller's transaction ends.
"""

from __future__ import annotations

import datetime
import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypedDict

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import Http404
from django.utils import timezone

from audit import context
from audit.chain import CHAINED_FIELDS, chain_hash
from audit.models import GENESIS_HASH, AuditAction, AuditAnchor, AuditEvent, Outcome
from partners.models import User

CHAIN_LOCK_ID = 7_341_001  # pg_advisory_xact_lock key of the audit chain

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


def _lock_chain() -> str:
    """Take the chain lock and return the hash of the last committed event."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_ID])
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    if last is None:
        # Everything so far was purged: continue from the anchor the purge left.
        last = (
            AuditAnchor.objects.order_by("-purged_through_id")
            .values_list("last_hash", flat=True)
            .first()
        )
    return last or GENESIS_HASH


class _ActorFields(TypedDict):
    actor: User | None
    actor_partner_id: int | None
    actor_role: str


def _actor_fields(actor: User | AnonymousUser | None) -> _ActorFields:
    """Who did it, with partner and role as they are now; nobody for an anonymous request."""
    if actor is None or not actor.is_authenticated:
        return {"actor": None, "actor_partner_id": None, "actor_role": ""}
    return {"actor": actor, "actor_partner_id": actor.partner_id, "actor_role": actor.role}


def _build(
    *,
    previous_hash: str,
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
        previous_hash=previous_hash,
        **_actor_fields(actor),
    )
    event.hash = chain_hash(previous_hash, [getattr(event, field) for field in CHAINED_FIELDS])
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
    previous_hash = _lock_chain()
    event = _build(
        previous_hash=previous_hash,
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
    previous_hash = _lock_chain()
    events = []
    for ref in objects:
        event = _build(
            previous_hash=previous_hash,
            action=action,
            outcome=outcome,
            actor=actor,
            on_behalf_of=None,
            purpose=purpose,
            object_type=ref.object_type,
            object_ref=ref.object_ref,
            source_address=None,
        )
        events.append(event)
        previous_hash = event.hash
    return AuditEvent.objects.bulk_create(events)


@transaction.atomic
def events_purge_expired(*, now: datetime.datetime | None = None, dry_run: bool = False) -> int:
    """Remove audit events older than AUDIT_RETENTION, leaving an anchor so the rest of the chain
    still verifies. The purge is itself an event. Returns the number of events (to be) removed."""
    from django.conf import settings

    cutoff = (now or timezone.now()) - settings.AUDIT_RETENTION
    expired = AuditEvent.objects.filter(occurred_at__lt=cutoff)
    last = expired.order_by("-id").values_list("id", "hash").first()
    if last is None:
        return 0
    # Only a prefix of the chain may go: events are appended in time order, so everything up
    # to the last expired id is expired too (a later-numbered older event cannot exist).
    through_id, last_hash = last
    count = AuditEvent.objects.filter(id__lte=through_id).count()
    if dry_run:
        return count
    _lock_chain()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL ketenregie.audit_purge = 'on'")
        cursor.execute("DELETE FROM audit_auditevent WHERE id <= %s", [through_id])
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL ketenregie.audit_purge = 'off'")
    AuditAnchor.objects.create(
        purged_through_id=through_id, last_hash=last_hash, purged_count=count
    )
    event_record(
        action=AuditAction.AUDIT_PURGED, object_type="auditlog", object_ref=str(through_id)
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
