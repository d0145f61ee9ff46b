"""Demo data (PRODUCT.md §11) and the demo commands: seed_demo and demo_totp."""

from __future__ import annotations

import re
from io import StringIO

from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from partners.demo import DEMO_PASSWORD
from partners.models import Partner, User

# PRODUCT.md §11, written out by hand.
EXPECTED_PARTNERS = {
    "Fier": "zorg",
    "Leger des Heils": "zorg",
    "GGD Fryslân": "gezondheid",
    "Politie Noord-Nederland": "politie",
    "Gemeente Leeuwarden": "gemeente",
}
EXPECTED_USERS = {
    "coordinator.fier": ("zorgcoordinator", "Fier"),
    "medewerker.fier": ("medewerker", "Fier"),
    "medewerker.ldh": ("medewerker", "Leger des Heils"),
    "medewerker.ggd": ("medewerker", "GGD Fryslân"),
    "medewerker.politie": ("medewerker", "Politie Noord-Nederland"),
    "medewerker.gemeente": ("medewerker", "Gemeente Leeuwarden"),
    "voorzitter.gemeente": ("voorzitter", "Gemeente Leeuwarden"),
    "fg.gemeente": ("privacy_officer", "Gemeente Leeuwarden"),
    "beheer": ("beheerder", "Gemeente Leeuwarden"),
    "beleid.gemeente": ("analist", "Gemeente Leeuwarden"),
}


@pytest.fixture
def demo_mode(settings):
    settings.DEMO_MODE = True
    return settings


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _demo_totp(username: str) -> str:
    out = StringIO()
    call_command("demo_totp", username, stdout=out)
    return out.getvalue().strip()


def test_seed_demo_creates_exactly_the_demo_data(demo_mode):
    output = _seed()

    assert {p.name: p.kind for p in Partner.objects.all()} == EXPECTED_PARTNERS
    assert {
        u.username: (u.role, u.partner.name) for u in User.objects.select_related("partner")
    } == EXPECTED_USERS
    for user in User.objects.all():
        assert list(user.groups.filter(partner__isnull=False)) == [user.partner.group]
        assert user.check_password(DEMO_PASSWORD)
        assert user.is_superuser is False
        types = sorted(Authenticator.objects.filter(user=user).values_list("type", flat=True))
        assert types == sorted([Authenticator.Type.TOTP, Authenticator.Type.RECOVERY_CODES])
    assert "Demodata geladen." in output
    assert DEMO_PASSWORD in output
    for username in EXPECTED_USERS:
        assert username in output


def test_seed_demo_is_idempotent(demo_mode):
    _seed()
    secrets_before = dict(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", "data")
    )

    _seed()

    assert Partner.objects.count() == 5
    assert Group.objects.filter(partner__isnull=False).count() == 5
    assert User.objects.count() == 10
    assert Authenticator.objects.filter(type=Authenticator.Type.TOTP).count() == 10
    assert Authenticator.objects.filter(type=Authenticator.Type.RECOVERY_CODES).count() == 10
    secrets_after = dict(
        Authenticator.objects.filter(type=Authenticator.Type.TOTP).values_list("user_id", "data")
    )
    assert secrets_after == secrets_before  # a second run does not replace anyone's authenticator


def test_seed_demo_refuses_without_demo_mode(settings):
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="DEMO_MODE=false"):
        _seed()
    assert not User.objects.exists()


def test_demo_totp_prints_a_valid_six_digit_code(demo_mode):
    _seed()

    code = _demo_totp("medewerker.ggd")

    assert re.fullmatch(r"\d{6}", code)
    authenticator = Authenticator.objects.get(
        user__username="medewerker.ggd", type=Authenticator.Type.TOTP
    )
    assert TOTP(authenticator).validate_code(code) is True


def test_demo_user_signs_in_with_the_printed_code(demo_mode, client: Client):
    _seed()
    response = client.post(
        reverse("account_login"), {"login": "coordinator.fier", "password": DEMO_PASSWORD}
    )
    assert response["Location"] == reverse("mfa_authenticate")

    response = client.post(reverse("mfa_authenticate"), {"code": _demo_totp("coordinator.fier")})

    assert response["Location"] == reverse("home")
    home = client.get("/")
    assert home.status_code == 200
    html = home.content.decode()
    assert "U werkt als Zorgcoördinator mensenhandel bij Fier." in html
    assert "Inbox signalen" in html


def test_demo_totp_refuses_when_demo_mode_is_off(settings, demo_mode):
    _seed()
    settings.DEMO_MODE = False
    with pytest.raises(CommandError, match="Demo mode is off"):
        _demo_totp("beheer")


def test_demo_totp_refuses_non_demo_users(demo_mode):
    _seed()
    with pytest.raises(CommandError, match="geen demogebruiker"):
        _demo_totp("iemand.anders")


def test_demo_totp_before_seeding_says_what_to_do(demo_mode):
    with pytest.raises(CommandError, match="seed_demo"):
        _demo_totp("beheer")
