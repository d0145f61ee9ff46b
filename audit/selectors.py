"""Reads of the audit log: chain verification and the chain head (the external anchor)."""

from __future__ import annotations

from audit.chain import CHAINED_FIELDS, VerificationResult, verify_rows
from audit.models import GENESIS_HASH, AuditEvent


def chain_verify(*, chunk_size: int = 20_000) -> VerificationResult:
    rows = (
        AuditEvent.objects.order_by("id")
        .values_list("id", *CHAINED_FIELDS, "previous_hash", "hash")
        .iterator(chunk_size=chunk_size)
    )
    return verify_rows(rows)


def chain_head() -> tuple[int, str]:
    """(number of the last event, its hash): printed in minutes and shown to the FG as an anchor."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
