"""Sealing the audit log: requests append events without a lock; the sealer chains them.

A request inserts its events in its own transaction, unchained (no sequence number, no hash) and
without waiting for anyone: reading users of all partners never queue behind each other. The
sealer — one at a time, by an advisory lock only it takes — runs every second (and before every
verification, checkpoint and purge). In one short transaction it takes the unsealed events that
have committed, in id order, gives each the next sequence number and its chain hash

    hash(n) = SHA-256(hash(n-1) ␞ canonical(event n))

and records them as one block: the Merkle root of their hashes, chained to the previous block.
The signed checkpoints (audit.checkpoints) sign a block's hash. An event committed late (a long
transaction with a lower id) is simply sealed in the next block: the chain's order is the seal
order, which is why the sequence number and not the id is the place in the chain.

The append-only trigger lets an UPDATE through only when it seals an unsealed event without
changing a single recorded field; nothing else about an event can ever change.
"""

from __future__ import annotations

import datetime
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from audit.chain import CHAINED_FIELDS, chain_hash
from audit.models import GENESIS_HASH, AuditAnchor, AuditBlock, AuditEvent

SEAL_LOCK_ID = 7_341_002  # pg_advisory_xact_lock key: held by the sealer only
BLOCK_SIZE = 5_000  # events per block at most; a backlog is sealed in several blocks
UNSEALED_ALERT_AGE = datetime.timedelta(minutes=1)

_LEAF = b"\x00"
_NODE = b"\x01"


def merkle_root(leaf_hashes: Sequence[str]) -> str:
    """RFC 6962-style Merkle tree over hex hashes: leaves and inner nodes hashed with distinct
    prefixes (so a leaf can never pose as a node); an odd node is carried up unchanged."""
    if not leaf_hashes:
        return GENESIS_HASH
    level = [hashlib.sha256(_LEAF + bytes.fromhex(leaf)).digest() for leaf in leaf_hashes]
    while len(level) > 1:
        paired = [
            hashlib.sha256(_NODE + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()


def merkle_path(leaf_hashes: Sequence[str], index: int) -> list[tuple[str, str]]:
    """The proof that leaf ``index`` is in the tree: (side, sibling) pairs from leaf to root."""
    level = [hashlib.sha256(_LEAF + bytes.fromhex(leaf)).digest() for leaf in leaf_hashes]
    path: list[tuple[str, str]] = []
    while len(level) > 1:
        sibling = index ^ 1
        if sibling < len(level):
            path.append(("left" if sibling < index else "right", level[sibling].hex()))
        paired = [
            hashlib.sha256(_NODE + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
        index //= 2
    return path


def merkle_path_root(leaf_hash: str, path: Sequence[tuple[str, str]]) -> str:
    node = hashlib.sha256(_LEAF + bytes.fromhex(leaf_hash)).digest()
    for side, sibling in path:
        other = bytes.fromhex(sibling)
        pair = other + node if side == "left" else node + other
        node = hashlib.sha256(_NODE + pair).digest()
    return node.hex()


def block_hash(previous_hash: str, first_seq: int, last_seq: int, root: str) -> str:
    return hashlib.sha256(
        f"{previous_hash}\x1e{first_seq}\x1f{last_seq}\x1f{root}".encode()
    ).hexdigest()


@dataclass(frozen=True)
class Head:
    """The end of the sealed chain: the last event's sequence number and hash, and the last
    block's hash (GENESIS_HASH when there is none)."""

    seq: int
    hash: str
    block_hash: str


def sealed_head() -> Head:
    last = (
        AuditEvent.objects.filter(seq__isnull=False)
        .order_by("-seq")
        .values_list("seq", "hash")
        .first()
    )
    block = AuditBlock.objects.order_by("-last_seq").values_list("hash", flat=True).first()
    if last is None:
        # Everything sealed so far was purged: continue from the anchor the purge left.
        anchor = (
            AuditAnchor.objects.order_by("-purged_through_seq")
            .values_list("purged_through_seq", "last_hash")
            .first()
        )
        last = anchor or (0, GENESIS_HASH)
    return Head(int(last[0] or 0), str(last[1]), block or GENESIS_HASH)


def _take_lock() -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite serialises writers itself
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [SEAL_LOCK_ID])
        return bool(cursor.fetchone()[0])


_SEAL_CHUNK = 1_000


def _write_seals(sealed: list[AuditEvent]) -> None:
    """One UPDATE joined to a VALUES list per chunk on PostgreSQL (Django's bulk_update builds a
    CASE with a branch per row, which is quadratic in the chunk), one prepared UPDATE per row on
    SQLite."""
    rows = [(event.id, event.seq, event.previous_hash, event.hash) for event in sealed]
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.executemany(
                "UPDATE audit_auditevent SET seq = %s, previous_hash = %s, hash = %s WHERE id = %s",
                [(seq, previous, event_hash, pk) for pk, seq, previous, event_hash in rows],
            )
            return
        for start in range(0, len(rows), _SEAL_CHUNK):
            chunk = rows[start : start + _SEAL_CHUNK]
            placeholders = ", ".join(["(%s::bigint, %s::bigint, %s, %s)"] * len(chunk))
            # Only placeholders are joined in; every value is a parameter.
            statement = f"UPDATE audit_auditevent AS event SET seq = v.seq, previous_hash = v.previous, hash = v.hash FROM (VALUES {placeholders}) AS v (id, seq, previous, hash) WHERE event.id = v.id"  # noqa: S608  # nosec B608
            cursor.execute(statement, [value for row in chunk for value in row])


def seal_pending(*, limit: int = BLOCK_SIZE) -> AuditBlock | None:
    """Seal the committed unsealed events (at most ``limit``) as one block. Returns the block, or
    None when there was nothing to seal or another sealer is at work."""
    with transaction.atomic():
        if not _take_lock():
            return None
        rows = list(
            AuditEvent.objects.filter(seq__isnull=True)
            .order_by("id")
            .values_list("id", *CHAINED_FIELDS)[:limit]
        )
        if not rows:
            return None
        head = sealed_head()
        previous, seq = head.hash, head.seq
        sealed: list[AuditEvent] = []
        for event_id, *values in rows:
            seq += 1
            event_hash = chain_hash(previous, values)
            sealed.append(AuditEvent(id=event_id, seq=seq, previous_hash=previous, hash=event_hash))
            previous = event_hash
        _write_seals(sealed)
        first_seq = head.seq + 1
        root = merkle_root([event.hash for event in sealed])
        return AuditBlock.objects.create(
            first_seq=first_seq,
            last_seq=seq,
            merkle_root=root,
            previous_hash=head.block_hash,
            hash=block_hash(head.block_hash, first_seq, seq, root),
            sealed_at=timezone.now(),
        )


def seal_all() -> int:
    """Seal until nothing committed is left unsealed (before a verification, checkpoint or
    purge). Returns the number of events sealed."""
    total = 0
    while (block := seal_pending()) is not None:
        total += block.last_seq - block.first_seq + 1
    return total


def unsealed_overdue(*, now: datetime.datetime | None = None) -> int:
    """Committed events still unsealed after a minute: the sealer is not running (an alert)."""
    cutoff = (now or timezone.now()) - UNSEALED_ALERT_AGE
    return AuditEvent.objects.filter(seq__isnull=True, occurred_at__lt=cutoff).count()
