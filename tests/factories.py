"""Deterministic factory_boy factories that go through partners.services (group membership)."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

import factory
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP

from partners import services
from partners.models import Partner, PartnerKind, Role, User

# One password for every factory user: long enough for the validators, never a demo password.
DEFAULT_PASSWORD = "Testwachtwoord-lang-genoeg-42"


def totp_secret_for(username: str) -> str:
    """A deterministic base32 TOTP secret per username (what the user's authenticator app holds)."""
    return base64.b32encode(hashlib.sha256(f"totp:{username}".encode()).digest()[:20]).decode()


class PartnerFactory(factory.django.DjangoModelFactory[Partner]):
    """``PartnerFactory.create()``; traits: ``gezondheid``, ``politie``, ``gemeente``, ``inactive``.

    Tests call ``.create()`` (typed: it returns a Partner) rather than ``PartnerFactory()``.
    """

    class Meta:
        model = Partner
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Ketenpartner {n:03d}")
    kind = PartnerKind.ZORG
    is_active = True

    class Params:
        gezondheid = factory.Trait(kind=PartnerKind.GEZONDHEID)
        politie = factory.Trait(kind=PartnerKind.POLITIE)
        gemeente = factory.Trait(kind=PartnerKind.GEMEENTE)
        inactive = factory.Trait(is_active=False)

    @classmethod
    def _create(cls, model_class: type[Partner], *args: Any, **kwargs: Any) -> Partner:
        is_active = kwargs.pop("is_active", True)
        partner = services.partner_create(name=kwargs["name"], kind=kwargs["kind"])
        if not is_active:
            partner = services.partner_update(
                partner=partner, name=partner.name, kind=partner.kind, is_active=False
            )
        return partner


class UserFactory(factory.django.DjangoModelFactory[User]):
    """``UserFactory.create(role=Role.BEHEERDER)``; traits: ``mfa`` (TOTP + recovery codes),
    ``inactive``.

    The password is DEFAULT_PASSWORD; with ``mfa=True`` the TOTP secret is
    ``totp_secret_for(username)``.
    """

    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"gebruiker{n:03d}")
    partner = factory.SubFactory(PartnerFactory)
    role = Role.MEDEWERKER
    password = DEFAULT_PASSWORD
    is_active = True
    totp = False  # True: a TOTP authenticator (secret totp_secret_for(username)) + recovery codes

    class Params:
        mfa = factory.Trait(totp=True)
        inactive = factory.Trait(is_active=False)

    @classmethod
    def _create(cls, model_class: type[User], *args: Any, **kwargs: Any) -> User:
        is_active = kwargs.pop("is_active", True)
        user = services.user_create(
            username=kwargs["username"],
            partner=kwargs["partner"],
            role=kwargs["role"],
            password=kwargs.get("password"),
            first_name=kwargs.get("first_name", ""),
            last_name=kwargs.get("last_name", ""),
            email=kwargs.get("email", ""),
        )
        if kwargs.get("totp"):
            TOTP.activate(user, totp_secret_for(user.username))
            RecoveryCodes.activate(user)
        if not is_active:
            user = services.user_deactivate(user=user)
        return user
