"""Encryption at rest with the versioned FIELD_ENCRYPTION_KEYS (newest first), separate from SECRET_KEY.

Each stored value carries the version of the key that wrote it (``k<version>$<fernet token>``),
so a re-encryption run can find what still uses an old key.
"""

from __future__ import annotations

import base64
from functools import cache

from django.conf import settings

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from config.kernel.keys import VersionedKey


class DecryptionError(Exception):
    """The value was written with a key that is no longer configured, or was altered."""


def _derive(key: VersionedKey, purpose: str) -> Fernet:
    # One derived key per purpose, so a key used for TOTP secrets never encrypts case text.
    derived = HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=None,
        info=f"ketenregie:{purpose}:v{key.version}".encode(),
    ).derive(key.secret)
    return Fernet(base64.urlsafe_b64encode(derived))


@cache
def _fernets(purpose: str, keys: tuple[VersionedKey, ...]) -> dict[int, Fernet]:
    return {key.version: _derive(key, purpose) for key in keys}


def current_version() -> int:
    return int(settings.FIELD_ENCRYPTION_KEYS[0].version)


def encrypt(plaintext: str, *, purpose: str) -> str:
    keys = settings.FIELD_ENCRYPTION_KEYS
    fernet = _fernets(purpose, keys)[keys[0].version]
    return f"k{keys[0].version}${fernet.encrypt(plaintext.encode()).decode()}"


def key_version_of(stored: str) -> int:
    prefix, _, _ = stored.partition("$")
    return int(prefix.removeprefix("k"))


def decrypt(stored: str, *, purpose: str) -> str:
    try:
        version = key_version_of(stored)
        token = stored.partition("$")[2]
        fernet = _fernets(purpose, settings.FIELD_ENCRYPTION_KEYS)[version]
        return fernet.decrypt(token.encode()).decode()
    except (KeyError, ValueError, InvalidToken) as exc:
        raise DecryptionError("stored value cannot be decrypted with the configured keys") from exc
