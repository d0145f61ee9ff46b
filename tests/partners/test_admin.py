"""The Django admin at /beheer/: only a fully signed-in beheerder, and only Partner and User."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.contrib.auth.models import Group
from django.test import Client

import pytest

from partners.admin import site
from partners.models import Partner, PartnerKind, Role, RolWijzigingsverzoek, User
from tests.conftest import login_with_password
from tests.factories import PartnerFactory, UserFactory

ADMIN_PAGES = [
    "/beheer/",
    "/beheer/partners/",
    "/beheer/partners/user/",
    "/beheer/partners/partner/",
    "/beheer/partners/user/add/",
    "/beheer/partners/rolwijzigingsverzoek/",
]


def test_only_partner_user_and_the_four_eyes_requests_are_registered():
    assert set(site._registry) == {Partner, User, RolWijzigingsverzoek}


def test_the_admin_has_no_login_of_its_own(client: Client):
    assert client.get("/beheer/login/").status_code == 404


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_a_signed_in_beheerder_reaches_the_admin(mfa_client, path: str):
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))
    response = client.get(path)
    assert response.status_code == 200
    if path == "/beheer/":
        assert "Ketenregie — functioneel beheer" in response.content.decode()


@pytest.mark.parametrize(
    "role",
    [Role.ZORGCOORDINATOR, Role.MEDEWERKER, Role.VOORZITTER, Role.PRIVACY_OFFICER, Role.ANALIST],
)
@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_every_other_role_is_kept_out(mfa_client, role: Role, path: str):
    client = mfa_client(UserFactory.create(role=role, mfa=True))
    response = client.get(path)
    assert response.status_code in {302, 404}
    final = client.get(path, follow=True)
    assert final.status_code == 404
    assert all(urlsplit(hop).path.startswith("/beheer/") for hop, _ in final.redirect_chain)


def test_beheerder_with_password_only_is_kept_out(client: Client):
    beheerder = UserFactory.create(role=Role.BEHEERDER, mfa=True)
    login_with_password(client, beheerder.username)
    final = client.get("/beheer/", follow=True)
    assert final.status_code == 404


def test_beheerder_without_authenticator_is_sent_to_enrolment(client: Client):
    beheerder = UserFactory.create(role=Role.BEHEERDER)
    login_with_password(client, beheerder.username)
    response = client.get("/beheer/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"


def test_deactivated_beheerder_loses_the_admin_on_the_next_request(mfa_client):
    from partners import services

    beheerder = UserFactory.create(role=Role.BEHEERDER, mfa=True)
    client = mfa_client(beheerder)
    assert client.get("/beheer/").status_code == 200
    services.user_deactivate(user=beheerder)
    assert client.get("/beheer/", follow=True).status_code == 404


def test_a_role_change_takes_effect_on_the_next_request(mfa_client):
    from partners import services

    beheerder = UserFactory.create(role=Role.BEHEERDER, mfa=True)
    client = mfa_client(beheerder)
    assert client.get("/beheer/partners/user/").status_code == 200
    services.user_update(
        user=beheerder,
        partner=beheerder.partner,
        role=Role.MEDEWERKER,
        first_name="",
        last_name="",
        email="",
        is_active=True,
    )
    # The role change ends the session: the admin is gone, and so is the sign-in.
    response = client.get("/beheer/partners/user/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # signed out


def test_admin_creates_users_through_the_service(mfa_client):
    partner = PartnerFactory.create(name="Politie Noord-Nederland", politie=True)
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))

    response = client.post(
        "/beheer/partners/user/add/",
        {
            "username": "agent.de.boer",
            "first_name": "Sanne",
            "last_name": "de Boer",
            "email": "",
            "partner": partner.pk,
            "role": Role.MEDEWERKER,
            "password": "Een-lang-tijdelijk-wachtwoord-7",
        },
    )

    assert response.status_code == 302, (
        response.context and response.context["adminform"].form.errors
    )
    user = User.objects.get(username="agent.de.boer")
    assert user.partner == partner
    assert list(user.groups.filter(partner__isnull=False)) == [partner.group]
    assert user.check_password("Een-lang-tijdelijk-wachtwoord-7")
    assert user.is_superuser is False


def _post_weak_password(mfa_client) -> list[str]:
    partner = PartnerFactory.create()
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))
    response = client.post(
        "/beheer/partners/user/add/",
        {"username": "zwak", "partner": partner.pk, "role": Role.MEDEWERKER, "password": "kort"},
    )
    assert response.status_code == 200
    assert not User.objects.filter(username="zwak").exists()
    return list(response.context["adminform"].form.errors["password"])


def test_admin_refuses_a_weak_temporary_password(mfa_client):
    errors = _post_weak_password(mfa_client)
    assert any("12" in error for error in errors), errors


def test_admin_refuses_a_weak_temporary_password_in_dutch(mfa_client):
    errors = _post_weak_password(mfa_client)
    assert any("te kort" in error for error in errors), errors


def test_admin_moves_group_membership_when_the_partner_changes(mfa_client):
    # A role without case content moves at once (a content role waits for a second beheerder:
    # tests/partners/test_four_eyes.py).
    old, new = PartnerFactory.create(), PartnerFactory.create(gemeente=True)
    user = UserFactory.create(partner=old, role=Role.ANALIST)
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))

    response = client.post(
        f"/beheer/partners/user/{user.pk}/change/",
        {
            "first_name": "",
            "last_name": "",
            "email": "",
            "partner": new.pk,
            "role": Role.ANALIST,
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.partner == new
    assert list(user.groups.filter(partner__isnull=False)) == [new.group]


def test_admin_creates_partners_through_the_service(mfa_client):
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))
    response = client.post(
        "/beheer/partners/partner/add/",
        {"name": "Leger des Heils", "kind": PartnerKind.ZORG, "is_active": "on"},
    )
    assert response.status_code == 302
    partner = Partner.objects.get(name="Leger des Heils")
    assert partner.group == Group.objects.get(name="partner:leger-des-heils")


def test_admin_cannot_delete(mfa_client):
    user = UserFactory.create()
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))
    response = client.post(f"/beheer/partners/user/{user.pk}/delete/", {"post": "yes"})
    assert response.status_code == 404  # every refusal is a 404 (handler403)
    assert User.objects.filter(pk=user.pk).exists()


def test_admin_pages_are_dutch(mfa_client):
    client = mfa_client(UserFactory.create(role=Role.BEHEERDER, mfa=True))
    html = client.get("/beheer/partners/user/").content.decode()
    assert '<html lang="nl"' in html
    assert "Selecteer gebruiker om te wijzigen" in html
