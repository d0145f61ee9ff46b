"""config.crypto: encryption at rest with versioned keys, and allauth's TOTP secrets."""

from __future__ import annotations

import base64

import pytest
from allauth.mfa.models import Authenticator

from config.kernel import crypto
from config.kernel.keys import parse_versioned_keys
from tests.factories import UserFactory, totp_secret_for

PLAINTEXT = "Signaal: raamwerker Weaze, geen eigen identiteitsbewijs"


def _key(version: int, fill: int) -> str:
    return f"{version}:{base64.urlsafe_b64encode(bytes([fill]) * 32).decode()}"


V1 = parse_versioned_keys(_key(1, 1), name="FIELD_ENCRYPTION_KEYS")
V2_V1 = parse_versioned_keys(f"{_key(2, 2)},{_key(1, 1)}", name="FIELD_ENCRYPTION_KEYS")
ONLY_V2 = parse_versioned_keys(_key(2, 2), name="FIELD_ENCRYPTION_KEYS")


@pytest.fixture
def v1_keys(settings):
    settings.FIELD_ENCRYPTION_KEYS = V1
    return settings


def test_round_trip(v1_keys):
    stored = crypto.encrypt(PLAINTEXT, purpose="test")
    assert crypto.decrypt(stored, purpose="test") == PLAINTEXT


def test_stored_value_holds_no_plaintext(v1_keys):
    stored = crypto.encrypt(PLAINTEXT, purpose="test")
    assert stored.startswith("k1$")
    for fragment in ("Weaze", "raamwerker", "identiteitsbewijs", PLAINTEXT):
        assert fragment not in stored
    assert base64.urlsafe_b64encode(PLAINTEXT.encode()).decode()[:12] not in stored


def test_each_encryption_is_different(v1_keys):
    assert crypto.encrypt(PLAINTEXT, purpose="test") != crypto.encrypt(PLAINTEXT, purpose="test")


def test_value_written_with_v1_is_readable_after_v2_is_prepended(settings):
    settings.FIELD_ENCRYPTION_KEYS = V1
    old = crypto.encrypt(PLAINTEXT, purpose="test")

    settings.FIELD_ENCRYPTION_KEYS = V2_V1
    new = crypto.encrypt(PLAINTEXT, purpose="test")

    assert crypto.decrypt(old, purpose="test") == PLAINTEXT
    assert crypto.key_version_of(old) == 1
    assert crypto.key_version_of(new) == 2
    assert crypto.current_version() == 2
    assert new.startswith("k2$")


def test_value_from_an_unknown_key_raises(settings):
    settings.FIELD_ENCRYPTION_KEYS = V1
    old = crypto.encrypt(PLAINTEXT, purpose="test")
    settings.FIELD_ENCRYPTION_KEYS = ONLY_V2

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(old, purpose="test")


def test_same_version_but_different_key_material_raises(settings):
    settings.FIELD_ENCRYPTION_KEYS = V1
    stored = crypto.encrypt(PLAINTEXT, purpose="test")
    settings.FIELD_ENCRYPTION_KEYS = parse_versioned_keys(_key(1, 9), name="K")

    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, purpose="test")


def test_a_key_for_one_purpose_does_not_open_another(v1_keys):
    stored = crypto.encrypt(PLAINTEXT, purpose="mfa-totp")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, purpose="casus-text")


@pytest.mark.parametrize("stored", ["", "garbage", "k1$", "kx$abc", "k1$bm90LWEtdG9rZW4="])
def test_malformed_values_raise_decryption_error(v1_keys, stored: str):
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored, purpose="test")


def test_tampered_value_raises(v1_keys):
    stored = crypto.encrypt(PLAINTEXT, purpose="test")
    prefix, token = stored.split("$")
    tampered = prefix + "$" + token[:-5] + ("A" if token[-5] != "A" else "B") + token[-4:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, purpose="test")


def test_totp_secrets_are_stored_encrypted():
    user = UserFactory.create(mfa=True)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    stored = authenticator.data["secret"]
    secret = totp_secret_for(user.username)

    assert stored != secret
    assert secret not in stored
    assert stored.startswith("k1$")
    assert crypto.decrypt(stored, purpose="mfa-totp") == secret


def test_recovery_code_seed_is_stored_encrypted():
    user = UserFactory.create(mfa=True)
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES)
    assert authenticator.data["seed"].startswith("k1$")
    assert crypto.decrypt(authenticator.data["seed"], purpose="mfa-totp")
