"""Separation of duties: nobody changes their own role, partner or active state (the beheerder
who set its own role to zorgcoördinator and read DEMO-002 in the same session), and a role or
partner change ends the user's session at its next request."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from partners import services
from partners.models import PartnerKind, Role, User
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _update(user: User, actor: User, **changes) -> User:
    values = {
        "partner": user.partner,
        "role": user.role,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "is_active": user.is_active,
        **changes,
    }
    return services.user_update(user=user, actor=actor, **values)


@pytest.mark.parametrize(
    "changes",
    [
        {"role": Role.ZORGCOORDINATOR},
        {"is_active": False},
        {"partner": "other"},
    ],
    ids=["role", "active", "partner"],
)
def test_nobody_changes_their_own_role_partner_or_active_state(changes) -> None:
    beheer = UserFactory.create(role=Role.BEHEERDER)
    if changes.get("partner") == "other":
        changes = {"partner": PartnerFactory.create()}
    with pytest.raises(ValidationError) as refused:
        _update(beheer, beheer, **changes)
    field = next(iter(changes))
    assert "andere functioneel beheerder" in " ".join(refused.value.message_dict[field])
    beheer.refresh_from_db()
    assert (beheer.role, beheer.is_active) == (Role.BEHEERDER, True)


def test_a_beheerder_may_change_its_own_name_and_another_users_role() -> None:
    beheer = UserFactory.create(role=Role.BEHEERDER)
    colleague = UserFactory.create(role=Role.ANALIST)
    _update(beheer, beheer, first_name="Anna")
    # A role without case content takes effect at once (a content role needs four eyes).
    _update(colleague, beheer, role=Role.PRIVACY_OFFICER)
    assert User.objects.get(pk=colleague.pk).role == Role.PRIVACY_OFFICER


def test_the_admin_shows_the_own_role_read_only_and_a_post_cannot_change_it(mfa_client) -> None:
    beheer = UserFactory.create(role=Role.BEHEERDER, mfa=True)
    client = mfa_client(beheer)
    url = reverse("admin:partners_user_change", args=[beheer.pk])
    page = client.get(url).content.decode()
    assert 'name="role"' not in page and 'name="partner"' not in page
    client.post(
        url,
        {
            "first_name": "Anna",
            "last_name": "",
            "email": "",
            "role": Role.ZORGCOORDINATOR,
            "partner": beheer.partner_id,
            "is_active": "on",
        },
    )
    beheer.refresh_from_db()
    assert beheer.role == Role.BEHEERDER


def test_a_role_change_ends_the_session_at_the_next_request(mfa_client) -> None:
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    user = UserFactory.create(partner=zorg, role=Role.MEDEWERKER, mfa=True)
    beheer = UserFactory.create(role=Role.BEHEERDER)
    client = mfa_client(user)
    assert client.get(reverse("home")).status_code == 200
    _update(User.objects.get(pk=user.pk), beheer, role=Role.ANALIST)
    response = client.get(reverse("casussen:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("home")).status_code == 302  # signed out
