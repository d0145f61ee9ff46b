"""The FG's anomaly flags (audit/anomalies.py) cover what issue 12 added: bursts of wrong one-time
codes, locks of the code step, and role changes (above all approved access to case content).
Before: none of these showed up on the FG's overview."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from audit import anomalies
from audit.models import AuditAction, Outcome
from audit.services import event_record
from partners import services
from partners.models import Role, RolWijzigingsverzoek, User
from tests.conftest import TEST_START
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _flags(kind: str) -> list[anomalies.AnomalyFlag]:
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER)
    return [flag for flag in anomalies.anomaly_flags_for(user=fg) if flag.kind == kind]


def _wrong_codes(user: User, count: int) -> None:
    for _ in range(count):
        event_record(
            action=AuditAction.MFA_FAILED,
            outcome=Outcome.FAILURE,
            actor=user,
            object_type="user",
            object_ref=str(user.pk),
        )


def _update(user: User, actor: User, role: Role) -> None:
    services.user_update(
        user=user,
        partner=user.partner,
        role=role,
        first_name="",
        last_name="",
        email="",
        is_active=True,
        actor=actor,
    )


def test_a_burst_of_wrong_codes_is_flagged() -> None:
    guessed = UserFactory.create(username="geraden")
    UserFactory.create(username="typefout")
    _wrong_codes(guessed, anomalies.MFA_FAILED_THRESHOLD + 1)
    _wrong_codes(User.objects.get(username="typefout"), anomalies.MFA_FAILED_THRESHOLD)
    flags = _flags(anomalies.MFA_FAILURES)
    assert [(f.username, f.count) for f in flags] == [
        ("geraden", anomalies.MFA_FAILED_THRESHOLD + 1)
    ]


def test_wrong_codes_spread_over_hours_are_not_a_burst(time_machine) -> None:
    user = UserFactory.create()
    time_machine.move_to(TEST_START, tick=False)
    for _ in range(anomalies.MFA_FAILED_THRESHOLD + 2):
        _wrong_codes(user, 1)
        time_machine.shift(datetime.timedelta(hours=2))
    assert _flags(anomalies.MFA_FAILURES) == []


def test_a_lock_of_the_code_step_is_flagged() -> None:
    user = UserFactory.create(username="geblokkeerd")
    event_record(
        action=AuditAction.MFA_LOCKOUT,
        outcome=Outcome.DENIED,
        actor=user,
        object_type="user",
        object_ref=str(user.pk),
    )
    assert [(f.username, f.count) for f in _flags(anomalies.MFA_LOCKOUT)] == [("geblokkeerd", 1)]


def test_role_changes_are_flagged_for_the_user_whose_role_changed() -> None:
    beheer, tweede = (UserFactory.create(role=Role.BEHEERDER) for _ in range(2))
    moved = UserFactory.create(username="nu.analist", role=Role.MEDEWERKER)
    granted = UserFactory.create(username="nu.coordinator", role=Role.ANALIST)
    _update(moved, beheer, Role.ANALIST)
    _update(granted, beheer, Role.ZORGCOORDINATOR)
    assert _flags(anomalies.CONTENT_ACCESS_GRANTED) == []  # requested is not granted
    services.role_change_approve(verzoek=RolWijzigingsverzoek.objects.get(), actor=tweede)

    assert [(f.username, f.actor_id) for f in _flags(anomalies.ROLE_CHANGED)] == [
        ("nu.analist", moved.pk)
    ]
    assert [(f.username, f.actor_id) for f in _flags(anomalies.CONTENT_ACCESS_GRANTED)] == [
        ("nu.coordinator", granted.pk)
    ]


def test_the_flags_are_on_the_fg_overview(mfa_client) -> None:
    beheer, tweede = (UserFactory.create(role=Role.BEHEERDER) for _ in range(2))
    granted = UserFactory.create(username="nu.voorzitter", role=Role.ANALIST)
    _update(granted, beheer, Role.VOORZITTER)
    services.role_change_approve(verzoek=RolWijzigingsverzoek.objects.get(), actor=tweede)
    _wrong_codes(UserFactory.create(username="codegok"), anomalies.MFA_FAILED_THRESHOLD + 1)

    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
    html = mfa_client(fg).get(reverse("fg:index")).content.decode()

    assert "Toegang tot casusinhoud goedgekeurd" in html
    assert "nu.voorzitter" in html
    assert "Veel onjuiste eenmalige codes" in html
    assert "codegok" in html


def test_flags_older_than_the_period_are_left_out(time_machine) -> None:
    user = UserFactory.create()
    _wrong_codes(user, anomalies.MFA_FAILED_THRESHOLD + 1)
    time_machine.move_to(timezone.now() + anomalies.ANOMALY_PERIOD + datetime.timedelta(hours=2))
    assert _flags(anomalies.MFA_FAILURES) == []
