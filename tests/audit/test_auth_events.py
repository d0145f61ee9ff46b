"""Sign-in, sign-out, failures, lockouts, MFA enrolment and user administration are audited."""

from __future__ import annotations

from django.conf import settings
from django.test import Client
from django.urls import reverse

import pytest

from audit.models import AuditAction, AuditEvent
from audit.selectors import chain_verify
from partners import services
from partners.models import Role
from tests.conftest import login_with_password, sign_in_fully
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _actions() -> list[str]:
    return list(AuditEvent.objects.order_by("id").values_list("action", flat=True))


def test_full_sign_in_and_out_are_events_with_actor_partner_role_and_address() -> None:
    user = UserFactory.create(mfa=True, role=Role.MEDEWERKER)
    client = Client(REMOTE_ADDR="198.51.100.20")
    before = AuditEvent.objects.count()
    sign_in_fully(client, user)
    client.post(reverse("account_logout"))
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == [AuditAction.LOGIN, AuditAction.LOGOUT]
    for event in events:
        assert event.actor == user
        assert event.actor_partner_id == user.partner_id
        assert event.actor_role == "medewerker"
        assert event.outcome == "success"
        assert event.source_address == "198.51.100.20"
        assert event.correlation_id is not None
    assert events[0].correlation_id != events[1].correlation_id
    assert chain_verify().intact


def test_password_step_alone_is_not_a_login_event() -> None:
    user = UserFactory.create(mfa=True)
    before = AuditEvent.objects.count()
    login_with_password(Client(), user.username)
    assert AuditAction.LOGIN not in _actions()[before:]


def test_failed_login_names_the_targeted_account_but_never_the_typed_text() -> None:
    user = UserFactory.create(mfa=True)
    before = AuditEvent.objects.count()
    login_with_password(Client(), user.username, "fout-wachtwoord-123")
    login_with_password(Client(), "Geheim-wachtwoord-in-gebruikersnaamveld", "x")
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [e.action for e in events] == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN_FAILED]
    assert events[0].actor == user and events[0].outcome == "failure"
    assert events[1].actor is None
    stored = " ".join(str(v) for v in AuditEvent.objects.values_list())
    assert "Geheim-wachtwoord" not in stored


def test_lockout_is_an_event() -> None:
    user = UserFactory.create(mfa=True)
    before = AuditEvent.objects.count()
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_with_password(Client(), user.username, "fout-wachtwoord-123")
    actions = _actions()[before:]
    assert actions.count(AuditAction.LOGIN_FAILED) == settings.AXES_FAILURE_LIMIT
    assert actions.count(AuditAction.LOCKOUT) == 1
    lockout = AuditEvent.objects.get(action=AuditAction.LOCKOUT)
    assert lockout.actor == user and lockout.outcome == "denied"


def test_mfa_enrolment_is_an_event() -> None:
    user = UserFactory.create()  # no authenticator yet
    before = AuditEvent.objects.count()
    sign_in_fully(Client(), user)
    enrolled = AuditEvent.objects.filter(pk__gt=0, action=AuditAction.MFA_ENROLLED).get()
    assert enrolled.actor == user
    assert (enrolled.object_type, enrolled.object_ref) == ("user", str(user.pk))
    assert enrolled.id > before


def test_user_administration_is_audited_with_the_acting_beheerder() -> None:
    beheerder = UserFactory.create(role=Role.BEHEERDER)
    partner = PartnerFactory.create()
    before = AuditEvent.objects.count()
    # A role without case content (a content role waits for a second beheerder).
    created = services.user_create(
        username="nieuw.lid", partner=partner, role=Role.ANALIST, actor=beheerder
    )
    services.user_deactivate(user=created, actor=beheerder)
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.object_ref) for e in events] == [
        (AuditAction.USER_CREATED, "user", str(created.pk)),
        (AuditAction.USER_DEACTIVATED, "user", str(created.pk)),
    ]
    assert all(e.actor == beheerder and e.actor_role == "beheerder" for e in events)
