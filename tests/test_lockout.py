"""Brute-force lockout (django-axes): per username and address, without username enumeration."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from tests.conftest import login_with_password
from tests.factories import DEFAULT_PASSWORD, UserFactory

WRONG = "helemaal-niet-juist-123"
ATTACKER = "203.0.113.7"
OTHER_ADDRESS = "198.51.100.20"
LOCKOUT_TEXT = "Er is te vaak een onjuiste combinatie van gebruikersnaam en wachtwoord ingevoerd."


def _fail_until_locked(client: Client, username: str, address: str = ATTACKER):
    responses = [
        login_with_password(client, username, WRONG, REMOTE_ADDR=address)
        for _ in range(settings.AXES_FAILURE_LIMIT)
    ]
    return responses


def _without_csrf_tokens(html: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)


@pytest.fixture
def victim():
    return UserFactory.create(username="doelwit", mfa=True)


def test_failures_below_the_limit_are_plain_errors(client: Client, victim):
    responses = _fail_until_locked(client, victim.username)
    assert [r.status_code for r in responses[:-1]] == [200] * (settings.AXES_FAILURE_LIMIT - 1)


def test_limit_reached_locks_with_a_dutch_429(client: Client, victim):
    responses = _fail_until_locked(client, victim.username)

    locked = responses[-1]
    assert locked.status_code == 429
    html = locked.content.decode()
    assert "Tijdelijk geblokkeerd" in html
    assert LOCKOUT_TEXT in html
    assert '<html lang="nl"' in html


def test_even_the_right_password_is_refused_when_locked(client: Client, victim):
    _fail_until_locked(client, victim.username)

    response = login_with_password(client, victim.username, DEFAULT_PASSWORD, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 429
    assert LOCKOUT_TEXT in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("mfa_authenticate"))["Location"] == reverse("account_login")


def test_another_address_is_not_locked(client: Client, victim):
    _fail_until_locked(client, victim.username)

    response = login_with_password(
        Client(), victim.username, DEFAULT_PASSWORD, REMOTE_ADDR=OTHER_ADDRESS
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_another_username_from_the_same_address_is_not_locked(client: Client, victim):
    colleague = UserFactory.create(username="collega", mfa=True)
    _fail_until_locked(client, victim.username)

    response = login_with_password(
        Client(), colleague.username, DEFAULT_PASSWORD, REMOTE_ADDR=ATTACKER
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_username_case_and_spaces_do_not_dodge_the_lockout(client: Client, victim):
    # partners.auth.axes_username normalises the username the attacker types.
    for variant in ["doelwit", "DOELWIT", " Doelwit ", "doelWIT", "doelwit "]:
        response = login_with_password(client, variant, WRONG, REMOTE_ADDR=ATTACKER)
    assert response.status_code == 429


def test_lockout_is_identical_for_existing_and_unknown_usernames(victim):
    existing = _fail_until_locked(Client(), victim.username)[-1]
    unknown = _fail_until_locked(Client(), "bestaat.niet")[-1]

    assert existing.status_code == unknown.status_code == 429
    assert _without_csrf_tokens(existing.content.decode()) == _without_csrf_tokens(
        unknown.content.decode()
    )
    assert victim.username not in existing.content.decode()
    assert "bestaat.niet" not in unknown.content.decode()


def test_errors_before_the_lockout_are_identical_too(victim):
    existing = _fail_until_locked(Client(), victim.username)[:-1]
    unknown = _fail_until_locked(Client(), "bestaat.niet")[:-1]
    for known_response, unknown_response in zip(existing, unknown, strict=True):
        assert known_response.status_code == unknown_response.status_code == 200
        assert list(known_response.context["form"].non_field_errors()) == list(
            unknown_response.context["form"].non_field_errors()
        )


def test_lockout_ends_after_the_cool_off(client: Client, victim, time_machine):
    from tests.conftest import TEST_START

    time_machine.move_to(TEST_START, tick=False)
    _fail_until_locked(client, victim.username)
    time_machine.shift(settings.AXES_COOLOFF_TIME)
    time_machine.shift(1)

    response = login_with_password(client, victim.username, DEFAULT_PASSWORD, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
