"""Signed checkpoints of the audit chain, kept where the database cannot reach them.

A checkpoint is the sealed head — the last block's hash and its last event's sequence number and
chain hash — signed with an Ed25519 key that is not in the database (AUDIT_SIGNING_KEY, from the
environment), written as one JSON file in AUDIT_CHECKPOINT_DIR (a volume or mounted object store
the database role cannot write; operators keep it write-once) and sent to the FG in the daily
verification e-mail. Whoever can rewrite the database cannot sign: cutting off the newest events
leaves the chain shorter than a checkpoint, recomputing the chain changes the hash a checkpoint
holds. Either is reported by ``audit_verify`` and on the FG's page.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from audit.models import AuditAnchor, AuditBlock, AuditEvent
from audit.sealing import seal_all, sealed_head

CHECKED_CHECKPOINTS = 50  # the newest ones are checked on every verification


class CheckpointConfigurationError(RuntimeError):
    """No signing key, or a key that is not a base64 Ed25519 key."""


def _decode_key(value: str) -> bytes:
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except (binascii.Error, ValueError) as error:
        raise CheckpointConfigurationError("AUDIT_SIGNING_KEY is geen base64-sleutel") from error
    if len(raw) != 32:
        raise CheckpointConfigurationError("een Ed25519-sleutel is 32 bytes (base64)")
    return raw


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def generate_key_pair() -> tuple[str, str]:
    """A new (AUDIT_SIGNING_KEY, AUDIT_VERIFY_KEY): base64 of the 32-byte seed and public key."""
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return _encode(private.private_bytes_raw()), _encode(public)


def signing_key() -> Ed25519PrivateKey | None:
    value = getattr(settings, "AUDIT_SIGNING_KEY", "")
    return Ed25519PrivateKey.from_private_bytes(_decode_key(value)) if value else None


def verify_key() -> Ed25519PublicKey | None:
    """The public key: AUDIT_VERIFY_KEY where a verifier holds only that, else the signing
    key's own."""
    value = getattr(settings, "AUDIT_VERIFY_KEY", "")
    if value:
        return Ed25519PublicKey.from_public_bytes(_decode_key(value))
    private = signing_key()
    return private.public_key() if private else None


def key_id(public: Ed25519PublicKey) -> str:
    return hashlib.sha256(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).hexdigest()[:16]


def checkpoint_dir() -> Path:
    return Path(settings.AUDIT_CHECKPOINT_DIR)


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    event_hash: str
    block_hash: str
    created_at: str
    key_id: str
    signature: str = ""

    def payload(self) -> bytes:
        fields = asdict(self)
        fields.pop("signature")
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def signed_text(self) -> str:
        """One line for the FG's e-mail and for comparison by hand."""
        return (
            f"volgnummer {self.seq}, hash {self.event_hash}, blok {self.block_hash}, "
            f"sleutel {self.key_id}, handtekening {self.signature}"
        )


def checkpoint_create() -> Checkpoint:
    """Seal what is pending, sign the head and write it to the checkpoint directory."""
    private = signing_key()
    if private is None:
        raise CheckpointConfigurationError("AUDIT_SIGNING_KEY is niet ingesteld")
    seal_all()
    head = sealed_head()
    unsigned = Checkpoint(
        seq=head.seq,
        event_hash=head.hash,
        block_hash=head.block_hash,
        created_at=timezone.now().isoformat(timespec="microseconds"),
        key_id=key_id(private.public_key()),
    )
    signature = base64.b64encode(private.sign(unsigned.payload())).decode()
    checkpoint = Checkpoint(**{**asdict(unsigned), "signature": signature})
    _write(checkpoint)
    return checkpoint


def _write(checkpoint: Checkpoint) -> None:
    directory = checkpoint_dir()
    directory.mkdir(parents=True, exist_ok=True)
    stamp = checkpoint.created_at.replace(":", "").replace("-", "").replace("+", "_")
    target = directory / f"checkpoint-{checkpoint.seq:015d}-{stamp}.json"
    # Written whole or not at all: a temporary file in the same directory, then a rename.
    handle, temporary = tempfile.mkstemp(dir=directory, prefix=".checkpoint-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(asdict(checkpoint), stream, sort_keys=True)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> Checkpoint | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return Checkpoint(
            seq=int(data["seq"]),
            event_hash=str(data["event_hash"]),
            block_hash=str(data["block_hash"]),
            created_at=str(data["created_at"]),
            key_id=str(data["key_id"]),
            signature=str(data["signature"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


@dataclass(frozen=True)
class CheckpointFile:
    name: str
    checkpoint: Checkpoint | None  # None: the file cannot be read as a checkpoint


def checkpoints_latest(count: int = CHECKED_CHECKPOINTS) -> list[CheckpointFile]:
    """The newest checkpoint files, newest first (names sort by sequence number, then time)."""
    directory = checkpoint_dir()
    if not directory.is_dir():
        return []
    names = sorted(
        (path for path in directory.glob("checkpoint-*.json") if path.is_file()),
        key=lambda path: path.name,
        reverse=True,
    )[:count]
    return [CheckpointFile(path.name, _read(path)) for path in names]


@dataclass(frozen=True)
class CheckpointCheck:
    name: str
    checkpoint: Checkpoint | None
    problem: str = ""  # empty: the checkpoint is signed and the chain still holds it

    @property
    def holds(self) -> bool:
        return not self.problem


def checkpoint_check(item: CheckpointFile) -> CheckpointCheck:
    checkpoint = item.checkpoint
    if checkpoint is None:
        return CheckpointCheck(item.name, None, "het bestand is geen leesbaar controlepunt")
    public = verify_key()
    if public is None:
        return CheckpointCheck(item.name, checkpoint, "geen sleutel om te controleren")
    if key_id(public) != checkpoint.key_id:
        return CheckpointCheck(item.name, checkpoint, "ondertekend met een onbekende sleutel")
    try:
        public.verify(base64.b64decode(checkpoint.signature), checkpoint.payload())
    except (InvalidSignature, binascii.Error, ValueError):
        return CheckpointCheck(item.name, checkpoint, "de handtekening klopt niet")
    if checkpoint.seq == 0:
        return CheckpointCheck(item.name, checkpoint)
    head = sealed_head()
    if head.seq < checkpoint.seq:
        return CheckpointCheck(
            item.name,
            checkpoint,
            f"de keten is afgekapt: hij eindigt bij {head.seq}, het controlepunt noemt "
            f"{checkpoint.seq}",
        )
    purged_through = (
        AuditAnchor.objects.order_by("-purged_through_seq")
        .values_list("purged_through_seq", flat=True)
        .first()
        or 0
    )
    if checkpoint.seq > purged_through:
        stored = AuditEvent.objects.filter(seq=checkpoint.seq).values_list("hash", flat=True)
        if list(stored) != [checkpoint.event_hash]:
            return CheckpointCheck(
                item.name,
                checkpoint,
                f"de keten is herschreven: gebeurtenis {checkpoint.seq} heeft een andere hash",
            )
    if not AuditBlock.objects.filter(hash=checkpoint.block_hash, last_seq=checkpoint.seq).exists():
        return CheckpointCheck(
            item.name, checkpoint, "het blok van het controlepunt ontbreekt of is herschreven"
        )
    return CheckpointCheck(item.name, checkpoint)


def checkpoints_verify(count: int = CHECKED_CHECKPOINTS) -> list[CheckpointCheck]:
    return [checkpoint_check(item) for item in checkpoints_latest(count)]
