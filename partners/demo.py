"""Demo data for the quick start: partners and the ten demo users of PRODUCT.md §11.

Only usable in demo mode, which settings refuse to enable with DEBUG off.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)

from partners import services
from partners.auth import MfaAdapter
from partners.models import Partner, PartnerKind, Role, User

# The one demo password, printed by seed_demo. It exists only where DEMO_MODE is on.
DEMO_PASSWORD = "Ketenregie-demo-2026"  # noqa: S105  # nosec B105  # demo-only, refused without DEMO_MODE


@dataclass(frozen=True)
class DemoUser:
    username: str
    partner: str
    role: Role


DEMO_PARTNERS: tuple[tuple[str, PartnerKind], ...] = (
    ("Fier", PartnerKind.ZORG),
    ("Leger des Heils", PartnerKind.ZORG),
    ("GGD Fryslân", PartnerKind.GEZONDHEID),
    ("Politie Noord-Nederland", PartnerKind.POLITIE),
    ("Gemeente Leeuwarden", PartnerKind.GEMEENTE),
)

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("coordinator.fier", "Fier", Role.ZORGCOORDINATOR),
    DemoUser("medewerker.fier", "Fier", Role.MEDEWERKER),
    DemoUser("medewerker.ldh", "Leger des Heils", Role.MEDEWERKER),
    DemoUser("medewerker.ggd", "GGD Fryslân", Role.MEDEWERKER),
    DemoUser("medewerker.politie", "Politie Noord-Nederland", Role.MEDEWERKER),
    DemoUser("medewerker.gemeente", "Gemeente Leeuwarden", Role.MEDEWERKER),
    DemoUser("voorzitter.gemeente", "Gemeente Leeuwarden", Role.VOORZITTER),
    DemoUser("fg.gemeente", "Gemeente Leeuwarden", Role.PRIVACY_OFFICER),
    DemoUser("beheer", "Gemeente Leeuwarden", Role.BEHEERDER),
    DemoUser("beleid.gemeente", "Gemeente Leeuwarden", Role.ANALIST),
)


def require_demo_mode() -> None:
    if not settings.DEMO_MODE:
        raise ImproperlyConfigured(
            "Demo mode is off (DEMO_MODE=false): demo users and codes are not available."
        )


@transaction.atomic
def seed_partners_and_users() -> list[User]:
    """Create what is missing; leave what exists. Running it twice changes nothing."""
    require_demo_mode()
    partners: dict[str, Partner] = {}
    for name, kind in DEMO_PARTNERS:
        existing = Partner.objects.filter(name=name).first()
        partners[name] = existing or services.partner_create(name=name, kind=kind)
    users = []
    for demo in DEMO_USERS:
        user = User.objects.filter(username=demo.username).first()
        if user is None:
            user = services.user_create(
                username=demo.username,
                partner=partners[demo.partner],
                role=demo.role,
                password=DEMO_PASSWORD,
            )
        if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(user, generate_totp_secret())
            RecoveryCodes.activate(user)
        users.append(user)
    return users


def current_code(username: str) -> str:
    """The demo user's current one-time code (what an authenticator app would show now)."""
    require_demo_mode()
    authenticator = Authenticator.objects.get(user__username=username, type=Authenticator.Type.TOTP)
    secret = MfaAdapter().decrypt(authenticator.data["secret"])
    counter = int(timezone.now().timestamp()) // mfa_settings.TOTP_PERIOD
    return str(format_hotp_value(hotp_value(secret, counter)))  # allauth is untyped
