"""Brute-force protection of the password step (django-axes + partners.auth.LockoutHandler),
without username enumeration (issue 12):

- per account, whatever the address: after 5 failures the account waits 1, 2, 4 ... minutes
  after each further failure (capped); a browser that signed in to the account before is not
  held up, so a third party guessing from elsewhere cannot keep the user out;
- per address: many failures across accounts lock the address.

Before: 5 failures locked username + address for 30 minutes (a colleague behind the same address
locked the user out; guessing from many addresses was never slowed down)."""

from __future__ import annotations

import datetime
import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from partners.auth import account_delay
from tests.conftest import TEST_START, login_with_password, sign_in_fully
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


def test_another_address_is_held_up_too_for_the_account_delay(client: Client, victim):
    # The account delay holds whatever the address (guessing from many addresses is slowed
    # down), but it is short: one minute after the fifth failure.
    _fail_until_locked(client, victim.username)

    response = login_with_password(
        Client(), victim.username, DEFAULT_PASSWORD, REMOTE_ADDR=OTHER_ADDRESS
    )

    assert response.status_code == 429
    assert "over 1 minuut" in response.content.decode()


def test_a_third_party_elsewhere_cannot_lock_the_user_out(victim, time_machine):
    time_machine.move_to(TEST_START, tick=True)
    browser = sign_in_fully(Client(REMOTE_ADDR=OTHER_ADDRESS), victim)  # the user's own browser
    browser.post(reverse("account_logout"))
    for number in range(40):  # guessing from many addresses, far beyond every limit
        login_with_password(Client(), victim.username, WRONG, REMOTE_ADDR=f"203.0.113.{number}")
    assert login_with_password(Client(), victim.username, DEFAULT_PASSWORD).status_code == 429

    response = login_with_password(
        browser, victim.username, DEFAULT_PASSWORD, REMOTE_ADDR=OTHER_ADDRESS
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_the_account_delay_doubles_after_each_further_failure(client: Client, victim, time_machine):
    time_machine.move_to(TEST_START, tick=False)
    _fail_until_locked(client, victim.username)
    time_machine.shift(datetime.timedelta(seconds=61))
    # The sixth failure (after the first minute) brings two minutes.
    assert login_with_password(client, victim.username, WRONG).status_code == 429
    time_machine.shift(datetime.timedelta(seconds=110))
    assert login_with_password(client, victim.username, DEFAULT_PASSWORD).status_code == 429
    time_machine.shift(datetime.timedelta(seconds=11))
    assert login_with_password(client, victim.username, DEFAULT_PASSWORD).status_code == 302


def test_the_delay_is_1_2_4_8_minutes_and_at_most_the_cap():
    minutes = [
        account_delay(failures).total_seconds() / 60
        for failures in range(settings.AXES_FAILURE_LIMIT - 1, settings.AXES_FAILURE_LIMIT + 30)
    ]
    assert minutes[:7] == [0, 1, 2, 4, 8, 15, 15]
    assert max(minutes) == settings.LOGIN_ACCOUNT_MAX_DELAY.total_seconds() / 60 == 15


def test_attempts_refused_during_the_delay_do_not_lengthen_it(client: Client, victim, time_machine):
    time_machine.move_to(TEST_START, tick=False)
    _fail_until_locked(client, victim.username)
    for _ in range(20):
        assert login_with_password(client, victim.username, WRONG).status_code == 429
    time_machine.shift(datetime.timedelta(seconds=61))

    response = login_with_password(client, victim.username, DEFAULT_PASSWORD)

    assert response.status_code == 302


def test_the_lockout_page_says_when_to_try_again(client: Client, victim, time_machine):
    time_machine.move_to(TEST_START, tick=False)  # 09:00 in Amsterdam
    html = _fail_until_locked(client, victim.username)[-1].content.decode()
    assert "U kunt het om 09:01 uur opnieuw proberen (over 1 minuut)." in html


def test_many_failures_from_one_address_across_accounts_lock_the_address(time_machine):
    time_machine.move_to(TEST_START, tick=False)
    colleague = UserFactory.create(username="collega", mfa=True)
    limit = settings.LOGIN_ADDRESS_FAILURE_LIMIT
    responses = [
        login_with_password(Client(), f"gok{number}", WRONG, REMOTE_ADDR=ATTACKER)
        for number in range(limit)
    ]
    assert [r.status_code for r in responses[:-1]] == [200] * (limit - 1)
    assert responses[-1].status_code == 429

    # Every account from that address, even with the right password; not from elsewhere.
    locked = login_with_password(
        Client(), colleague.username, DEFAULT_PASSWORD, REMOTE_ADDR=ATTACKER
    )
    assert locked.status_code == 429
    assert "over 30 minuten" in locked.content.decode()
    assert "Vanaf dit netwerkadres is te vaak verkeerd ingelogd" in locked.content.decode()
    elsewhere = login_with_password(
        Client(), colleague.username, DEFAULT_PASSWORD, REMOTE_ADDR=OTHER_ADDRESS
    )
    assert elsewhere.status_code == 302

    time_machine.shift(settings.AXES_COOLOFF_TIME + datetime.timedelta(seconds=1))
    again = login_with_password(
        Client(), colleague.username, DEFAULT_PASSWORD, REMOTE_ADDR=ATTACKER
    )
    assert again.status_code == 302


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


def test_lockout_ends_after_the_delay(client: Client, victim, time_machine):
    time_machine.move_to(TEST_START, tick=False)
    _fail_until_locked(client, victim.username)
    time_machine.shift(settings.LOGIN_ACCOUNT_FIRST_DELAY)
    time_machine.shift(1)

    response = login_with_password(client, victim.username, DEFAULT_PASSWORD, REMOTE_ADDR=ATTACKER)

    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
