"""The hash chain over audit events: canonical form, hashing and verification.

hash(n) = SHA-256(hash(n-1) ␞ canonical(event n)), n the sequence number the sealer gave the
event (audit.sealing); the first event chains to GENESIS_HASH. Changing, inserting or deleting
any row breaks the chain at that row; cutting off the end or recomputing the whole chain is
caught by the signed checkpoints (audit.checkpoints).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from audit.models import GENESIS_HASH

# The fields that are hashed, in this order. Adding a field means a new chain version.
# The id is not hashed (it is assigned by the database on insert); order and completeness are
# proven by every row naming its predecessor's hash.
CHAINED_FIELDS: tuple[str, ...] = (
    "occurred_at",
    "action",
    "outcome",
    "actor_id",
    "actor_partner_id",
    "actor_role",
    "on_behalf_of_id",
    "purpose",
    "object_type",
    "object_ref",
    "correlation_id",
    "source_address",
)
_UNIT = "\x1f"
_RECORD = "\x1e"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, UUID):
        return value.hex
    return str(value)


def canonical(values: Sequence[Any]) -> str:
    return _UNIT.join(_text(value) for value in values)


def chain_hash(previous_hash: str, values: Sequence[Any]) -> str:
    return hashlib.sha256(f"{previous_hash}{_RECORD}{canonical(values)}".encode()).hexdigest()


@dataclass(frozen=True)
class VerificationResult:
    checked: int
    head: str
    broken_id: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_id is None


def verify_rows(rows: Iterable[Sequence[Any]], *, start: str = GENESIS_HASH) -> VerificationResult:
    """Rows are (id, *CHAINED_FIELDS, previous_hash, hash), in id order; ``start`` is the hash
    the first row must link to (the genesis, or a retention anchor)."""
    expected_previous = start
    checked = 0
    sha256 = hashlib.sha256
    end = len(CHAINED_FIELDS) + 1
    for row in rows:
        previous_hash, stored_hash = row[end], row[end + 1]
        if previous_hash != expected_previous:
            return VerificationResult(
                checked, expected_previous, int(row[0]), "previous_hash does not link"
            )
        recomputed = sha256(
            f"{previous_hash}{_RECORD}{_UNIT.join(map(_text, row[1:end]))}".encode()
        ).hexdigest()
        if recomputed != stored_hash:
            return VerificationResult(
                checked, expected_previous, int(row[0]), "content does not match its hash"
            )
        expected_previous = stored_hash
        checked += 1
    return VerificationResult(checked, expected_previous)


def verify_canonical_rows(
    rows: Iterable[Sequence[Any]], *, start: str = GENESIS_HASH, after: int = 0
) -> VerificationResult:
    """Like verify_rows, for rows (id, canonical, previous_hash, hash, seq) in sequence order
    whose canonical form the database already built (see audit.selectors.CANONICAL_SQL): only
    hashing remains here. ``after`` is the sequence number the first row must follow."""
    expected_previous = start
    expected_seq = after + 1
    checked = 0
    sha256 = hashlib.sha256
    record = _RECORD
    for event_id, canonical_text, previous_hash, stored_hash, seq in rows:
        if seq != expected_seq:
            return VerificationResult(
                checked, expected_previous, int(event_id), "a sequence number is missing"
            )
        if previous_hash != expected_previous:
            return VerificationResult(
                checked, expected_previous, int(event_id), "previous_hash does not link"
            )
        if sha256(f"{previous_hash}{record}{canonical_text}".encode()).hexdigest() != stored_hash:
            return VerificationResult(
                checked, expected_previous, int(event_id), "content does not match its hash"
            )
        expected_previous = stored_hash
        expected_seq = seq + 1
        checked += 1
    return VerificationResult(checked, expected_previous)
