"""Sign-in with mandatory MFA (PRODUCT.md §10): a password alone reaches nothing."""

from __future__ import annotations

import re

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from partners.models import Role
from tests.conftest import (
    current_totp_code,
    enrol_totp,
    login_with_password,
    totp_code_for,
)
from tests.factories import UserFactory, totp_secret_for

LOGIN_URL = reverse("account_login")
MFA_URL = reverse("mfa_authenticate")
ACTIVATE_URL = reverse("mfa_activate_totp")

# Pages a half-signed-in session must not reach (a sample across the apps and the admin).
PROTECTED_PATHS = [
    "/",
    reverse("mfa_index"),
    reverse("mfa_view_recovery_codes"),
    reverse("account_change_password"),
    "/beheer/",
    "/beheer/partners/user/",
]


def _is_redirect_to(response, url: str) -> bool:
    return response.status_code == 302 and response["Location"].split("?")[0] == url


class TestUserWithAuthenticator:
    def test_password_leads_to_the_code_step(self, client: Client):
        user = UserFactory.create(mfa=True)
        response = login_with_password(client, user.username)
        assert _is_redirect_to(response, MFA_URL)

        page = client.get(MFA_URL)
        assert page.status_code == 200
        assert page.context["user"].is_anonymous

    @pytest.mark.parametrize("path", PROTECTED_PATHS)
    def test_password_only_session_reaches_nothing(self, client: Client, path: str):
        user = UserFactory.create(mfa=True, role=Role.BEHEERDER)
        login_with_password(client, user.username)

        response = client.get(path)

        assert response.status_code in {302, 404}
        if path.startswith("/beheer/"):
            final = client.get(path, follow=True)
            assert final.status_code == 404  # not the admin: anonymous ends on admin:login (404)
        else:
            assert _is_redirect_to(response, LOGIN_URL)
        assert "_auth_user_id" not in client.session

    def test_correct_code_signs_in_and_home_is_dutch(self, client: Client):
        user = UserFactory.create(mfa=True, username="marieke")
        login_with_password(client, user.username)

        response = client.post(MFA_URL, {"code": totp_code_for(user)})

        assert _is_redirect_to(response, reverse("home"))
        home = client.get("/")
        assert home.status_code == 200
        assert home.context["user"] == user
        html = home.content.decode()
        assert '<html lang="nl"' in html
        assert "Welkom, marieke" in html
        assert "Uitloggen" in html

    def test_code_computed_from_the_factory_secret_also_works(self, client: Client):
        # The secret an authenticator app holds is the one the factory enrolled.
        user = UserFactory.create(mfa=True)
        login_with_password(client, user.username)
        code = current_totp_code(totp_secret_for(user.username))
        assert _is_redirect_to(client.post(MFA_URL, {"code": code}), reverse("home"))

    def test_wrong_code_is_refused_in_dutch(self, client: Client):
        user = UserFactory.create(mfa=True)
        login_with_password(client, user.username)
        right = totp_code_for(user)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"

        response = client.post(MFA_URL, {"code": wrong})

        assert response.status_code == 200
        assert response.context["form"].errors["code"] == ["Ongeldige code."]
        assert _is_redirect_to(client.get("/"), LOGIN_URL)

    def test_a_code_cannot_be_replayed(self, client: Client):
        user = UserFactory.create(mfa=True)
        code = totp_code_for(user)
        first = Client()
        login_with_password(first, user.username)
        assert _is_redirect_to(first.post(MFA_URL, {"code": code}), reverse("home"))

        login_with_password(client, user.username)
        response = client.post(MFA_URL, {"code": code})

        assert response.status_code == 200
        assert "code" in response.context["form"].errors
        assert _is_redirect_to(client.get("/"), LOGIN_URL)

    def test_session_without_mfa_record_is_ended_once_an_authenticator_exists(self, client):
        # A password-only session (the user had no authenticator yet) ends on the next
        # request as soon as an authenticator exists: it never passed the code step.
        user = UserFactory.create()
        login_with_password(client, user.username)
        assert _is_redirect_to(client.get("/"), ACTIVATE_URL)
        TOTP.activate(user, totp_secret_for(user.username))

        response = client.get("/")

        assert _is_redirect_to(response, LOGIN_URL)
        assert "_auth_user_id" not in client.session

    def test_demo_current_code_signs_in(self, client: Client, settings):
        settings.DEMO_MODE = True
        from partners.demo import current_code

        user = UserFactory.create(mfa=True)
        login_with_password(client, user.username)
        assert _is_redirect_to(
            client.post(MFA_URL, {"code": current_code(user.username)}), reverse("home")
        )


class TestUserWithoutAuthenticator:
    @pytest.mark.parametrize(
        "path",
        [
            "/",
            reverse("mfa_index"),
            reverse("account_change_password"),
            "/beheer/",
            reverse("mfa_view_recovery_codes"),
        ],
    )
    def test_every_page_leads_to_enrolment(self, client: Client, path: str):
        user = UserFactory.create(role=Role.BEHEERDER)
        response = login_with_password(client, user.username)
        assert response.status_code == 302

        assert _is_redirect_to(client.get(path), ACTIVATE_URL)

    def test_enrolment_and_logout_stay_reachable(self, client: Client):
        user = UserFactory.create()
        login_with_password(client, user.username)

        # The password typed moments ago counts as allauth's reauthentication: no second prompt.
        assert client.get(ACTIVATE_URL).status_code == 200

        logout = client.post(reverse("account_logout"))
        assert _is_redirect_to(logout, LOGIN_URL)
        assert _is_redirect_to(client.get("/"), LOGIN_URL)

    def test_language_switch_works_during_enrolment(self, client: Client):
        user = UserFactory.create()
        login_with_password(client, user.username)

        response = client.post(reverse("set_language"), {"language": "en", "next": ACTIVATE_URL})

        assert _is_redirect_to(response, ACTIVATE_URL)
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
        assert _is_redirect_to(client.get("/"), ACTIVATE_URL)  # still nothing else

    def test_enrolment_long_after_the_password_asks_for_it_again(self, client, time_machine):
        from tests.conftest import TEST_START

        time_machine.move_to(TEST_START, tick=False)
        user = UserFactory.create()
        login_with_password(client, user.username)
        time_machine.shift(10 * 60)  # beyond allauth's 5-minute reauthentication window

        response = client.get(ACTIVATE_URL)

        assert _is_redirect_to(response, reverse("account_reauthenticate"))

    def test_successful_enrolment_opens_the_platform(self, client: Client):
        user = UserFactory.create(username="nieuw.account")
        login_with_password(client, user.username)

        secret, response = enrol_totp(client)

        assert response.status_code == 302
        authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
        assert authenticator.data["secret"] != secret  # stored encrypted
        home = client.get("/")
        assert home.status_code == 200
        assert "Welkom, nieuw.account" in home.content.decode()

    def test_failed_enrolment_keeps_the_session_locked(self, client: Client):
        user = UserFactory.create()
        login_with_password(client, user.username)
        assert client.get(ACTIVATE_URL).status_code == 200

        response = client.post(ACTIVATE_URL, {"code": "000000"})

        assert response.status_code == 200
        assert response.context["form"].errors["code"]
        assert not Authenticator.objects.filter(user=user).exists()
        assert _is_redirect_to(client.get("/"), ACTIVATE_URL)


class TestBadLoginInput:
    def _error_messages(self, response) -> list[str]:
        return [str(error) for error in response.context["form"].non_field_errors()]

    def test_wrong_password_and_unknown_user_get_the_same_dutch_error(self, client: Client):
        UserFactory.create(username="bestaand", mfa=True)

        wrong_password = login_with_password(client, "bestaand", "niet-het-wachtwoord-1")
        unknown_user = login_with_password(client, "onbekend", "niet-het-wachtwoord-1")

        assert wrong_password.status_code == unknown_user.status_code == 200
        message = "Uw gebruikersnaam of wachtwoord is onjuist."
        assert self._error_messages(wrong_password) == [message]
        assert self._error_messages(unknown_user) == [message]
        assert message in wrong_password.content.decode()

    def test_username_is_kept_and_password_is_not_echoed(self, client: Client):
        UserFactory.create(username="bestaand", mfa=True)
        response = login_with_password(client, "bestaand", "geheim-wachtwoord-99")
        html = response.content.decode()
        login_input = re.search(r'<input[^>]*name="login"[^>]*>', html)
        assert login_input is not None
        assert 'value="bestaand"' in login_input.group(0)
        assert "geheim-wachtwoord-99" not in html

    def test_empty_fields_get_a_dutch_required_error(self, client: Client):
        response = client.post(LOGIN_URL, {"login": "", "password": ""})
        assert response.status_code == 200
        errors = response.context["form"].errors
        assert errors["login"] == ["Dit veld is vereist."]
        assert errors["password"] == ["Dit veld is vereist."]
        assert "Dit veld is vereist." in response.content.decode()

    def test_inactive_user_gets_the_same_error(self, client: Client):
        UserFactory.create(username="vertrokken", mfa=True, inactive=True)
        response = login_with_password(client, "vertrokken")
        assert response.status_code == 200
        assert self._error_messages(response) == ["Uw gebruikersnaam of wachtwoord is onjuist."]


class TestMfaClientFixture:
    def test_signs_in_a_user_with_an_authenticator(self, mfa_client):
        user = UserFactory.create(mfa=True)
        response = mfa_client(user).get("/")
        assert response.status_code == 200
        assert response.context["user"] == user

    def test_enrols_a_user_without_one(self, mfa_client):
        user = UserFactory.create()
        response = mfa_client(user).get("/")
        assert response.status_code == 200
        assert Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
