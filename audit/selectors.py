"""Reads of the audit log: chain verification and the chain head (the external anchor)."""

from __future__ import annotations

from audit.chain import CHAINED_FIELDS, VerificationResult, verify_rows
from audit.models import GENESIS_HASH, AuditAnchor, AuditEvent


def chain_verify(*, chunk_size: int = 20_000) -> VerificationResult:
    """Verify from the genesis, or from the anchor of the last retention purge."""
    anchor = AuditAnchor.objects.order_by("-purged_through_id").first()
    events = AuditEvent.objects.order_by("id")
    start = GENESIS_HASH
    if anchor is not None:
        events = events.filter(id__gt=anchor.purged_through_id)
        start = anchor.last_hash
    rows = events.values_list("id", *CHAINED_FIELDS, "previous_hash", "hash").iterator(
        chunk_size=chunk_size
    )
    return verify_rows(rows, start=start)


def chain_head() -> tuple[int, str]:
    """(number of the last event, its hash): printed in minutes and shown to the FG as an anchor."""
    last = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS_HASH)
