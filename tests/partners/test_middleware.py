"""Session rules (partners.middleware): idle timeout, absolute lifetime, mandatory MFA."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from partners import services
from tests.conftest import TEST_START
from tests.factories import UserFactory

LOGIN_URL = reverse("account_login")


def _signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == LOGIN_URL


@pytest.fixture
def signed_in(mfa_client, time_machine) -> Client:
    """A fully signed-in client; the clock stands still at TEST_START until a test moves it."""
    time_machine.move_to(TEST_START, tick=False)
    return mfa_client(UserFactory.create(mfa=True))


def test_the_configured_timeouts_are_the_product_ones():
    assert timedelta(seconds=settings.SESSION_COOKIE_AGE) == timedelta(minutes=15)
    assert timedelta(minutes=15) == settings.SESSION_IDLE_TIMEOUT
    assert timedelta(hours=12) == settings.SESSION_ABSOLUTE_LIFETIME
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


def test_idle_for_15_minutes_signs_out(signed_in: Client, time_machine):
    assert signed_in.get("/").status_code == 200

    time_machine.shift(timedelta(minutes=15))
    response = signed_in.get("/")

    assert _signed_out(response)
    assert signed_in.get("/").status_code == 302


def test_idle_just_under_15_minutes_stays_signed_in(signed_in: Client, time_machine):
    time_machine.shift(timedelta(minutes=14, seconds=59))
    assert signed_in.get("/").status_code == 200


def test_idle_timeout_right_after_sign_in(signed_in: Client, time_machine):
    # No request at all after the code step: the sign-in itself started the idle window.
    time_machine.shift(timedelta(minutes=15))
    assert _signed_out(signed_in.get("/"))


def test_activity_keeps_the_session_until_12_hours_after_sign_in(signed_in: Client, time_machine):
    # A request every 10 minutes: never idle, yet the session ends 12 hours after sign-in.
    elapsed = timedelta(0)
    while elapsed + timedelta(minutes=10) <= timedelta(hours=12):
        time_machine.shift(timedelta(minutes=10))
        elapsed += timedelta(minutes=10)
        response = signed_in.get("/")
        assert response.status_code == 200, f"signed out after {elapsed}"
    assert elapsed == timedelta(hours=12)

    time_machine.shift(timedelta(minutes=10))
    response = signed_in.get("/")

    assert _signed_out(response)
    follow = signed_in.get(response["Location"])
    assert "Uw sessie is verlopen. Log opnieuw in." in follow.content.decode()
    assert _signed_out(signed_in.get("/"))


def test_absolute_lifetime_counts_from_sign_in_not_from_the_first_page(
    signed_in: Client, time_machine
):
    # The first page after the code step comes 14 minutes later; the lifetime still counts
    # from the sign-in itself.
    time_machine.shift(timedelta(minutes=14))
    assert signed_in.get("/").status_code == 200
    elapsed = timedelta(minutes=14)
    while elapsed + timedelta(minutes=14) < timedelta(hours=12):
        time_machine.shift(timedelta(minutes=14))
        elapsed += timedelta(minutes=14)
        assert signed_in.get("/").status_code == 200, f"signed out after {elapsed}"

    time_machine.shift(timedelta(hours=12) - elapsed + timedelta(seconds=1))
    assert _signed_out(signed_in.get("/"))


def test_deactivated_user_is_anonymous_on_the_next_request(mfa_client):
    user = UserFactory.create(mfa=True)
    client = mfa_client(user)
    assert client.get("/").status_code == 200

    services.user_deactivate(user=user)
    response = client.get("/")

    assert _signed_out(response)
    page = client.get(LOGIN_URL)
    assert page.context["user"].is_anonymous


def test_user_of_a_deactivated_partner_keeps_no_permissions(mfa_client):
    user = UserFactory.create(mfa=True)
    client = mfa_client(user)
    services.partner_update(
        partner=user.partner, name=user.partner.name, kind=user.partner.kind, is_active=False
    )
    response = client.get("/")
    assert response.status_code == 200
    assert list(response.context["sections"]) == []
    assert "Voor uw functie zijn nog geen onderdelen beschikbaar." in response.content.decode()
