"""Parsing of the versioned secret keys (pseudonym and field-encryption keys) from the environment."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class VersionedKey:
    version: int
    secret: bytes

    def __repr__(self) -> str:  # never print key material
        return f"VersionedKey(version={self.version})"


def parse_versioned_keys(raw: str, *, name: str, min_bytes: int = 32) -> tuple[VersionedKey, ...]:
    """Parse ``"2:<urlsafe-base64>,1:<urlsafe-base64>"`` into keys, newest (first) first.

    The first key is the one used for new data; the others stay readable for rotation.
    """
    if not raw or not raw.strip():
        raise ImproperlyConfigured(f"{name} is not set: it has no default in production.")
    keys: list[VersionedKey] = []
    for part in raw.split(","):
        version_text, sep, encoded = part.strip().partition(":")
        if not sep or not version_text.isdigit():
            raise ImproperlyConfigured(f"{name}: every key is written as VERSION:BASE64KEY.")
        try:
            secret = base64.urlsafe_b64decode(encoded.strip() + "=" * (-len(encoded.strip()) % 4))
        except (binascii.Error, ValueError) as exc:
            raise ImproperlyConfigured(
                f"{name}: key version {version_text} is not base64."
            ) from exc
        if len(secret) < min_bytes:
            raise ImproperlyConfigured(
                f"{name}: key version {version_text} must be at least {min_bytes} bytes."
            )
        keys.append(VersionedKey(version=int(version_text), secret=secret))
    versions = [key.version for key in keys]
    if len(set(versions)) != len(versions):
        raise ImproperlyConfigured(f"{name}: a key version occurs twice.")
    return tuple(keys)
