"""partners.policy: what each role may do (PRODUCT.md §3), written out here by hand.

The table below does not import ROLE_PERMISSIONS: it is the independent oracle.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

import pytest

from partners import services
from partners.models import Role
from partners.policy import Permission, has_permission, permissions_of
from tests.factories import PartnerFactory, UserFactory

P = Permission

EXPECTED: dict[Role, set[Permission]] = {
    Role.ZORGCOORDINATOR: {
        P.SIGNAAL_SUBMIT,
        P.SIGNAAL_TRIAGE,
        P.CASUS_READ_CONTENT,
        P.CASUS_READ_ALL,
        P.CASUS_MANAGE,
        P.CASUS_CONTRIBUTE,
        P.CASUS_REQUEST_AGENDA,
        P.MATCH_VIEW,
        P.AFSPRAAK_UPDATE_OWN,
        P.AGENDA_PREPARE,
        P.TRENDS_VIEW,
    },
    Role.MEDEWERKER: {
        P.SIGNAAL_SUBMIT,
        P.CASUS_READ_CONTENT,
        P.CASUS_CONTRIBUTE,
        P.CASUS_REQUEST_AGENDA,
        P.AFSPRAAK_UPDATE_OWN,
    },
    Role.VOORZITTER: {P.CASUS_READ_CONTENT, P.OVERLEG_CHAIR, P.TRENDS_VIEW},
    Role.PRIVACY_OFFICER: {P.AUDIT_VIEW, P.AVG_REPORTS},
    Role.BEHEERDER: {P.USERS_ADMINISTER},
    Role.ANALIST: {P.TRENDS_VIEW},
}

# Separation of duties: the roles that may never read case content, or anything like it.
CONTENT_PERMISSIONS = {
    P.CASUS_READ_CONTENT,
    P.CASUS_READ_ALL,
    P.CASUS_MANAGE,
    P.CASUS_CONTRIBUTE,
    P.SIGNAAL_TRIAGE,
    P.MATCH_VIEW,
}


def test_every_role_has_an_expectation():
    assert set(EXPECTED) == set(Role)


@pytest.mark.parametrize("role", list(Role))
def test_role_permissions(role: Role):
    user = UserFactory.create(role=role)
    assert set(permissions_of(user)) == EXPECTED[role]
    for permission in Permission:
        assert has_permission(user, permission) is (permission in EXPECTED[role])


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.BEHEERDER, Role.ANALIST])
def test_never_case_content(role: Role):
    user = UserFactory.create(role=role)
    assert not has_permission(user, Permission.CASUS_READ_CONTENT)
    assert not (permissions_of(user) & CONTENT_PERMISSIONS)


def test_no_role_both_administers_accounts_and_reads_cases():
    for role in Role:
        granted = permissions_of(UserFactory.create(role=role))
        assert not (P.USERS_ADMINISTER in granted and P.CASUS_READ_CONTENT in granted), role


@pytest.mark.parametrize("role", list(Role))
def test_inactive_users_get_nothing(role: Role):
    assert permissions_of(UserFactory.create(role=role, inactive=True)) == frozenset()


@pytest.mark.parametrize("role", list(Role))
def test_users_of_an_inactive_partner_get_nothing(role: Role):
    user = UserFactory.create(role=role, partner=PartnerFactory.create(inactive=True))
    assert permissions_of(user) == frozenset()


def test_anonymous_gets_nothing():
    anonymous = AnonymousUser()
    assert permissions_of(anonymous) == frozenset()
    assert not any(has_permission(anonymous, permission) for permission in Permission)


def test_none_and_foreign_objects_get_nothing():
    assert permissions_of(None) == frozenset()
    assert permissions_of(object()) == frozenset()


def test_permissions_follow_a_role_change():
    user = UserFactory.create(role=Role.MEDEWERKER)
    assert has_permission(user, P.CASUS_READ_CONTENT)
    user = services.user_update(
        user=user,
        partner=user.partner,
        role=Role.ANALIST,
        first_name="",
        last_name="",
        email="",
        is_active=True,
    )
    assert set(permissions_of(user)) == {P.TRENDS_VIEW}
