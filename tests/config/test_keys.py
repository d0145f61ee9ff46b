"""config.keys: versioned keys from the environment, newest first."""

from __future__ import annotations

import base64

from django.core.exceptions import ImproperlyConfigured

import pytest

from config.kernel.keys import VersionedKey, parse_versioned_keys


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


KEY_A = bytes(range(32))
KEY_B = bytes(range(100, 132))


def test_newest_first_list_is_kept_in_order():
    keys = parse_versioned_keys(f"3:{_b64(KEY_B)},1:{_b64(KEY_A)}", name="FIELD_ENCRYPTION_KEYS")
    assert keys == (VersionedKey(version=3, secret=KEY_B), VersionedKey(version=1, secret=KEY_A))


def test_spaces_and_padding_are_tolerated():
    padded = base64.urlsafe_b64encode(KEY_A).decode()
    keys = parse_versioned_keys(f" 1 : {padded} ".replace("1 :", "1:"), name="K")
    assert keys == (VersionedKey(version=1, secret=KEY_A),)


def test_longer_keys_are_accepted():
    assert parse_versioned_keys(f"1:{_b64(bytes(64))}", name="K")[0].secret == bytes(64)


@pytest.mark.parametrize("raw", ["", "   "])
def test_empty_is_refused(raw: str):
    with pytest.raises(ImproperlyConfigured, match="PSEUDONYM_KEYS is not set"):
        parse_versioned_keys(raw, name="PSEUDONYM_KEYS")


def test_short_key_is_refused():
    with pytest.raises(ImproperlyConfigured, match="at least 32 bytes"):
        parse_versioned_keys(f"1:{_b64(bytes(31))}", name="K")


@pytest.mark.parametrize("encoded", ["niet*base64!", "a", "%%%%%%%%"])
def test_non_base64_is_refused(encoded: str):
    with pytest.raises(ImproperlyConfigured, match="K: key version 1"):
        parse_versioned_keys(f"1:{encoded}", name="K")


def test_duplicate_versions_are_refused():
    with pytest.raises(ImproperlyConfigured, match="occurs twice"):
        parse_versioned_keys(f"2:{_b64(KEY_A)},2:{_b64(KEY_B)}", name="K")


@pytest.mark.parametrize("raw", [_b64(KEY_A), f"v1:{_b64(KEY_A)}", f"-1:{_b64(KEY_A)}"])
def test_a_key_without_a_numeric_version_is_refused(raw: str):
    with pytest.raises(ImproperlyConfigured, match="VERSION:BASE64KEY"):
        parse_versioned_keys(raw, name="K")


def test_error_messages_and_repr_never_show_key_material():
    secret = _b64(KEY_A)
    assert secret not in repr(parse_versioned_keys(f"1:{secret}", name="K"))
    with pytest.raises(ImproperlyConfigured) as excinfo:
        parse_versioned_keys(f"1:{secret[:20]}", name="K")
    assert secret[:20] not in str(excinfo.value)
