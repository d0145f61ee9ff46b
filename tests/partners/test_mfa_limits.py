"""The one-time-code step is limited like the password step: at most 5 wrong codes per sign-in
attempt (then the password step starts over) and 10 per account within the cool-off (then the
code step is locked, also for the right code); each wrong code and each lock is audited.
Before: 200 wrong codes in one sign-in were accepted silently and then the right one worked."""

from __future__ import annotations

import datetime

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditAction, Outcome
from tests.audit_records import audit_record, last_event_id, records_since
from tests.conftest import login_with_password, totp_code_for
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _wrong(client: Client):
    return client.post(reverse("mfa_authenticate"), {"code": "000000"})


def _failed(user):
    return audit_record(
        AuditAction.MFA_FAILED,
        actor=user,
        outcome=Outcome.FAILURE,
        object_type="user",
        object_ref=str(user.pk),
    )


def test_five_wrong_codes_end_the_sign_in_attempt(client: Client) -> None:
    user = UserFactory.create(mfa=True)
    assert login_with_password(client, user.username).status_code == 302
    before = last_event_id()
    for _ in range(4):
        assert _wrong(client).status_code == 200
    fifth = _wrong(client)
    assert "Log opnieuw in" in fifth.content.decode()
    assert records_since(before) == [_failed(user)] * 5
    # The right code no longer completes this attempt: it starts again at the password.
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(user)})
    assert right.status_code == 302
    assert right["Location"].startswith(reverse("account_login"))
    assert client.get(reverse("home")).status_code == 302  # not signed in


def test_a_right_code_after_some_wrong_ones_signs_in(client: Client) -> None:
    user = UserFactory.create(mfa=True)
    login_with_password(client, user.username)
    for _ in range(2):
        _wrong(client)
    right = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(user)})
    assert right.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_ten_wrong_codes_lock_the_code_step_of_the_account(client: Client) -> None:
    user = UserFactory.create(mfa=True)
    before = last_event_id()
    for _ in range(2):  # two sign-in attempts of five wrong codes each
        assert login_with_password(client, user.username).status_code == 302
        for _ in range(5):
            _wrong(client)
    events = records_since(before)
    assert events.count(_failed(user)) == 10
    assert events[-1] == audit_record(
        AuditAction.MFA_LOCKOUT,
        actor=user,
        outcome=Outcome.DENIED,
        object_type="user",
        object_ref=str(user.pk),
    )
    # Locked: even the right code is refused, in a new attempt too.
    assert login_with_password(client, user.username).status_code == 302
    refused = client.post(reverse("mfa_authenticate"), {"code": totp_code_for(user)})
    assert refused.status_code == 200
    assert "geblokkeerd" in refused.content.decode()
    assert client.get(reverse("home")).status_code == 302
    # After the cool-off the account signs in again.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=31)):
        fresh = Client()
        assert login_with_password(fresh, user.username).status_code == 302
        ok = fresh.post(reverse("mfa_authenticate"), {"code": totp_code_for(user)})
        assert ok.status_code == 302
        assert fresh.get(reverse("home")).status_code == 200


def test_another_account_is_not_affected(client: Client) -> None:
    victim = UserFactory.create(mfa=True)
    other = UserFactory.create(mfa=True)
    for _ in range(2):
        login_with_password(client, victim.username)
        for _ in range(5):
            _wrong(client)
    fresh = Client()
    login_with_password(fresh, other.username)
    assert (
        fresh.post(reverse("mfa_authenticate"), {"code": totp_code_for(other)}).status_code == 302
    )
