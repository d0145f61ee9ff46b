"""Key rotation: the raw column holds no plaintext, and reencrypt moves everything to the new key."""

from __future__ import annotations

import io

from django.core.management import call_command
from django.db import connection

import pytest
from allauth.mfa.models import Authenticator

from casus.casussen import services
from casus.models import Bijdrage
from config.kernel import crypto
from config.kernel.keys import parse_versioned_keys
from tests.casus.factories import CasusFactory
from tests.conftest import stored_totp_secret
from tests.factories import PartnerFactory, UserFactory, totp_secret_for

pytestmark = pytest.mark.django_db

NEW_KEY = "2:bmlldXdlLXNsZXV0ZWwtdm9vci1yb3RhdGllLXRlc3QtMzJi"


def _raw_texts() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tekst FROM casus_bijdrage ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def test_reencrypt_after_rotation(settings) -> None:
    partner = PartnerFactory.create()
    author = UserFactory.create(partner=partner, mfa=True)
    casus = CasusFactory.create(partners=[partner])
    for n in range(3):
        services.bijdrage_create(
            actor=author,
            casus=casus,
            categorie="zorg",
            zichtbaarheid="keten",
            tekst=f"Rotatietekst {n}",
        )
    assert all(value.startswith("k1$") and "Rotatietekst" not in value for value in _raw_texts())

    old_keys = settings.FIELD_ENCRYPTION_KEYS
    settings.FIELD_ENCRYPTION_KEYS = (*parse_versioned_keys(NEW_KEY, name="test"), *old_keys)
    first = Bijdrage.objects.order_by("id").first()
    assert first is not None and first.tekst == "Rotatietekst 0"  # the old key still reads

    dry = io.StringIO()
    call_command("reencrypt", "--dry-run", stdout=dry)
    assert "casus.Bijdrage: 3" in dry.getvalue()
    assert all(value.startswith("k1$") for value in _raw_texts())  # dry run changed nothing

    call_command("reencrypt", stdout=io.StringIO())
    assert all(value.startswith("k2$") for value in _raw_texts())
    assert (
        Authenticator.objects.get(user=author, type=Authenticator.Type.TOTP)
        .data["secret"]
        .startswith("k2$")
    )

    settings.FIELD_ENCRYPTION_KEYS = parse_versioned_keys(NEW_KEY, name="test")  # old key gone
    assert [b.tekst for b in Bijdrage.objects.order_by("id")] == [
        f"Rotatietekst {n}" for n in range(3)
    ]
    assert stored_totp_secret(author) == totp_secret_for(author.username)
    again = io.StringIO()
    call_command("reencrypt", stdout=again)
    assert "0 rijen herversleuteld" in again.getvalue()
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt("k1$gAAAAABbogus", purpose="field")
