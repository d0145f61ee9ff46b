"""A password the beheerder chose (a new account, a reset) is temporary (issue 12): after signing
in, the user can do nothing but choose its own password (or log out), and the change is audited.
Before: the temporary password the beheerder typed stayed the user's password."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

import pytest

from audit.models import AuditAction
from partners import services
from partners.models import Role, User
from tests.audit_records import audit_record, last_event_id, records_since
from tests.conftest import login_with_password, sign_in_fully
from tests.factories import DEFAULT_PASSWORD, PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

TEMPORARY = "Tijdelijk-wachtwoord-van-beheer-1"
OWN = "Mijn-eigen-lange-wachtwoord-77"


@pytest.fixture
def beheer() -> User:
    return UserFactory.create(role=Role.BEHEERDER, mfa=True)


def _made_by_beheer(beheer: User) -> User:
    return services.user_create(
        username="nieuwe.analist",
        partner=PartnerFactory.create(),
        role=Role.ANALIST,
        password=TEMPORARY,
        actor=beheer,
    )


def _change(client: Client, old: str, new: str):
    return client.post(
        reverse("account_change_password"),
        {"oldpassword": old, "password1": new, "password2": new},
    )


def test_an_account_made_by_the_beheerder_must_change_its_password(beheer) -> None:
    user = _made_by_beheer(beheer)
    assert user.must_change_password is True
    client = sign_in_fully(Client(), user, TEMPORARY)

    for name in ("home", "mfa_index", "casussen:list", "fg:index"):
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == reverse("account_change_password"), name
    assert client.get("/beheer/").status_code == 302
    page = client.get(reverse("account_change_password"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Kies eerst een eigen wachtwoord" in html
    assert "Annuleren" not in html


def test_the_new_password_must_differ_from_the_temporary_one(beheer) -> None:
    user = _made_by_beheer(beheer)
    client = sign_in_fully(Client(), user, TEMPORARY)
    response = _change(client, TEMPORARY, TEMPORARY)
    assert response.status_code == 200
    assert "Kies een ander wachtwoord" in response.content.decode()
    assert User.objects.get(pk=user.pk).must_change_password is True


def test_choosing_an_own_password_opens_the_platform_and_is_audited(beheer) -> None:
    user = _made_by_beheer(beheer)
    client = sign_in_fully(Client(), user, TEMPORARY)
    before = last_event_id()
    response = _change(client, TEMPORARY, OWN)
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.must_change_password is False
    assert user.check_password(OWN)
    assert records_since(before) == [
        audit_record(
            AuditAction.PASSWORD_CHANGED, actor=user, object_type="user", object_ref=str(user.pk)
        )
    ]
    assert client.get(reverse("home")).status_code == 200  # still signed in, now free to go


def test_logout_stays_possible(beheer) -> None:
    user = _made_by_beheer(beheer)
    client = sign_in_fully(Client(), user, TEMPORARY)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"].startswith(reverse("account_login"))


def test_a_reset_by_the_beheerder_forces_a_change_and_ends_the_sessions(beheer, mfa_client) -> None:
    user = UserFactory.create(role=Role.MEDEWERKER, mfa=True)
    session = mfa_client(user)
    assert session.get(reverse("home")).status_code == 200
    client = mfa_client(beheer)
    before = last_event_id()
    response = client.post(
        f"/beheer/partners/user/{user.pk}/change/",
        {
            "first_name": "",
            "last_name": "",
            "email": "",
            "partner": user.partner_id,
            "role": Role.MEDEWERKER,
            "is_active": "on",
            "new_password": TEMPORARY,
        },
    )
    assert response.status_code == 302
    assert records_since(before) == [
        audit_record(
            AuditAction.USER_UPDATED, actor=beheer, object_type="user", object_ref=str(user.pk)
        ),
        audit_record(
            AuditAction.USER_PASSWORD_RESET,
            actor=beheer,
            object_type="user",
            object_ref=str(user.pk),
        ),
    ]
    user.refresh_from_db()
    assert user.must_change_password is True and user.check_password(TEMPORARY)
    assert session.get(reverse("home")).status_code == 302  # the old session is gone
    assert login_with_password(Client(), user.username, DEFAULT_PASSWORD).status_code == 200


def test_a_weak_temporary_password_is_a_form_error(beheer, mfa_client) -> None:
    user = UserFactory.create(role=Role.ANALIST)
    response = mfa_client(beheer).post(
        f"/beheer/partners/user/{user.pk}/change/",
        {
            "first_name": "",
            "last_name": "",
            "email": "",
            "partner": user.partner_id,
            "role": Role.ANALIST,
            "is_active": "on",
            "new_password": "kort",
        },
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["new_password"]
    assert User.objects.get(pk=user.pk).check_password(DEFAULT_PASSWORD)


def test_a_beheerder_does_not_reset_its_own_password_in_the_admin(beheer, mfa_client) -> None:
    page = mfa_client(beheer).get(f"/beheer/partners/user/{beheer.pk}/change/")
    assert 'name="new_password"' not in page.content.decode()
    with pytest.raises(Exception, match="eigen wachtwoord"):
        services.user_password_reset(user=beheer, password=TEMPORARY, actor=beheer)


def test_accounts_made_by_code_are_not_forced() -> None:
    user = UserFactory.create(mfa=True)  # like the demo users: created without a beheerder
    assert user.must_change_password is False
