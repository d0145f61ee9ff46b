"""The complete audit record of partner and user administration and of MFA enrolment: the
acting beheerder (or the user itself) with partner and role, and the id of what changed."""

from __future__ import annotations

from typing import Any

from django.test import Client

import pytest

from audit.models import AuditAction
from partners import services
from partners.models import PartnerKind, Role, User
from tests.audit_records import audit_record, last_event_id, records_since
from tests.conftest import sign_in_fully
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def beheerder() -> User:
    return UserFactory.create(role=Role.BEHEERDER)


def test_a_partner_created_and_changed(beheerder: User) -> None:
    before = last_event_id()
    partner = services.partner_create(
        name="GGD Testregio", kind=PartnerKind.GEZONDHEID, actor=beheerder
    )
    services.partner_update(
        partner=partner,
        name="GGD Regio Test",
        kind=PartnerKind.GEZONDHEID,
        is_active=False,
        actor=beheerder,
    )
    on: dict[str, Any] = {
        "actor": beheerder,
        "object_type": "partner",
        "object_ref": str(partner.pk),
    }
    assert records_since(before) == [
        audit_record(AuditAction.PARTNER_CREATED, **on),
        audit_record(AuditAction.PARTNER_UPDATED, **on),
    ]


def test_a_user_created_changed_and_deactivated(beheerder: User) -> None:
    partner = PartnerFactory.create()
    elsewhere = PartnerFactory.create()
    before = last_event_id()

    # A role without case content: it takes effect at once (content roles need a second
    # beheerder: tests/partners/test_four_eyes.py).
    user = services.user_create(
        username="nieuw.lid", partner=partner, role=Role.ANALIST, actor=beheerder
    )
    services.user_update(
        user=user,
        partner=elsewhere,
        role=Role.PRIVACY_OFFICER,
        first_name="Nieuw",
        last_name="Lid",
        email="",
        is_active=True,
        actor=beheerder,
    )
    services.user_deactivate(user=user, actor=beheerder)

    on: dict[str, Any] = {"actor": beheerder, "object_type": "user", "object_ref": str(user.pk)}
    assert records_since(before) == [
        audit_record(AuditAction.USER_CREATED, **on),
        audit_record(AuditAction.USER_UPDATED, **on),
        audit_record(AuditAction.USER_ROLE_CHANGED, **on),
        audit_record(AuditAction.USER_DEACTIVATED, **on),
    ]


def test_enrolling_an_authenticator_is_recorded_for_the_user_itself() -> None:
    user = UserFactory.create(role=Role.ANALIST)  # no authenticator yet
    before = last_event_id()

    sign_in_fully(Client(), user)

    # Without an authenticator the password step is the sign-in; enrolling completes it.
    assert records_since(before) == [
        audit_record(AuditAction.LOGIN, actor=user),
        audit_record(
            AuditAction.MFA_ENROLLED, actor=user, object_type="user", object_ref=str(user.pk)
        ),
    ]
