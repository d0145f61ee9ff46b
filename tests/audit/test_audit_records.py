"""The complete audit record of the events the audit app writes itself: sign-in and its
failures, refused access, the FG's use of the log, the chain check and the log's own purge."""

from __future__ import annotations

import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from audit import tasks
from audit.models import AuditAction, AuditEvent, Outcome
from audit.sealing import seal_all
from audit.selectors import chain_head
from audit.services import event_record, events_purge_expired
from partners.models import Role, User
from tests.audit.test_chain import _tamper
from tests.audit_records import (
    assert_written_by,
    audit_record,
    events_since,
    last_event_id,
    records_since,
)
from tests.casus.factories import CasusFactory
from tests.conftest import login_with_password, sign_in_fully
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def fg() -> User:
    return UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)


@pytest.fixture
def fg_client(fg: User, mfa_client) -> Client:
    return mfa_client(fg)


# --- signing in ----------------------------------------------------------------------------------


def test_signing_in_and_out() -> None:
    user = UserFactory.create(mfa=True, role=Role.VOORZITTER)
    client = Client(REMOTE_ADDR="198.51.100.20")
    before = last_event_id()

    sign_in_fully(client, user)
    client.post(reverse("account_logout"))

    assert records_since(before) == [
        audit_record(AuditAction.LOGIN, actor=user),
        audit_record(AuditAction.LOGOUT, actor=user),
    ]
    assert {e.source_address for e in events_since(before)} == {"198.51.100.20"}


def test_a_failed_sign_in_names_a_known_account_only() -> None:
    user = UserFactory.create(mfa=True)
    before = last_event_id()

    login_with_password(Client(), user.username, "fout-wachtwoord-123")
    login_with_password(Client(), "niet.bestaand", "fout-wachtwoord-123")

    assert records_since(before) == [
        audit_record(AuditAction.LOGIN_FAILED, actor=user, outcome=Outcome.FAILURE),
        audit_record(AuditAction.LOGIN_FAILED, outcome=Outcome.FAILURE),
    ]


def test_the_last_failed_attempt_locks_the_account(settings) -> None:
    user = UserFactory.create(mfa=True)
    before = last_event_id()

    for _ in range(settings.AXES_FAILURE_LIMIT):
        login_with_password(Client(), user.username, "fout-wachtwoord-123")

    # django-axes signals the lockout while it handles the last failure: it is recorded first.
    failed = audit_record(AuditAction.LOGIN_FAILED, actor=user, outcome=Outcome.FAILURE)
    assert records_since(before) == [
        *[failed] * (settings.AXES_FAILURE_LIMIT - 1),
        audit_record(AuditAction.LOCKOUT, actor=user, outcome=Outcome.DENIED),
        failed,
    ]


# --- refused access ------------------------------------------------------------------------------


def test_refused_access_names_the_object_or_the_page(mfa_client) -> None:
    casus = CasusFactory.create()
    outsider = UserFactory.create(mfa=True)
    client = mfa_client(outsider)

    before = last_event_id()
    response = client.get(reverse("casussen:detail", args=[casus.referentie]))
    assert response.status_code == 404
    assert records_since(before) == [
        audit_record(
            AuditAction.ACCESS_DENIED,
            actor=outsider,
            outcome=Outcome.DENIED,
            object_type="casus",
            object_ref=casus.referentie,
        )
    ]
    assert_written_by(response, before)

    before = last_event_id()
    assert client.get(reverse("fg:index")).status_code == 404  # a page, not an object
    # What was typed into the address is no reference: it is not recorded.
    assert client.get(reverse("casussen:detail", args=["K:zoek naam"])).status_code == 404
    denied: dict[str, Any] = {"actor": outsider, "outcome": Outcome.DENIED}
    assert records_since(before) == [
        audit_record(
            AuditAction.ACCESS_DENIED, object_type="auditlog", object_ref="index", **denied
        ),
        audit_record(AuditAction.ACCESS_DENIED, object_type="casus", **denied),
    ]


# --- the FG's use of the log ---------------------------------------------------------------------


def test_every_page_of_the_log_is_a_view_of_it(fg: User, fg_client: Client) -> None:
    subject = UserFactory.create()
    pages = [
        (reverse("fg:index"), "overzicht"),
        (reverse("fg:events"), "gebeurtenissen"),
        (reverse("fg:casus", args=["K-2026-0001"]), "casus:K-2026-0001"),
        (reverse("fg:user", args=[subject.pk]), f"gebruiker:{subject.pk}"),
        (reverse("fg:denied"), "geweigerd"),
    ]
    for url, what in pages:
        before = last_event_id()
        response = fg_client.get(url)
        assert response.status_code == 200, url
        assert records_since(before) == [
            audit_record(
                AuditAction.AUDIT_VIEWED, actor=fg, object_type="auditlog", object_ref=what
            )
        ], url
        assert_written_by(response, before)


def test_the_export_is_recorded(fg: User, fg_client: Client) -> None:
    before = last_event_id()
    response: Any = fg_client.get(reverse("fg:export"))
    assert response.status_code == 200
    b"".join(response.streaming_content)  # streaming the file records nothing more
    assert records_since(before) == [
        audit_record(
            AuditAction.AUDIT_EXPORTED, actor=fg, object_type="auditlog", object_ref="export"
        )
    ]
    assert_written_by(response, before)


def test_the_chain_check_by_the_fg_and_by_the_nightly_job(fg: User, fg_client: Client) -> None:
    before = last_event_id()
    response = fg_client.post(reverse("fg:verify"))
    assert response.status_code == 200
    assert records_since(before) == [
        audit_record(AuditAction.AUDIT_VERIFIED, actor=fg, object_type="auditlog")
    ]
    assert_written_by(response, before)

    before = last_event_id()
    assert tasks.verify_chain() is True
    head = chain_head()[0]
    # The nightly job also signs a checkpoint of the intact chain.
    assert records_since(before) == [
        audit_record(AuditAction.AUDIT_CHECKPOINTED, object_type="auditlog", object_ref=str(head)),
        audit_record(AuditAction.AUDIT_VERIFIED, object_type="auditlog"),
    ]


def test_a_broken_chain_is_a_failed_check_naming_the_broken_event(fg: User, fg_client) -> None:
    tampered = event_record(action=AuditAction.CASUS_READ, object_type="casus", object_ref="K-1")
    seal_all()
    _tamper("UPDATE audit_auditevent SET object_ref = %s WHERE id = %s", ["K-2", tampered.pk])
    failed: dict[str, Any] = {
        "outcome": Outcome.FAILURE,
        "object_type": "auditlog",
        "object_ref": str(tampered.pk),
    }

    before = last_event_id()
    assert fg_client.post(reverse("fg:verify")).status_code == 200
    assert tasks.verify_chain() is False
    assert records_since(before) == [
        audit_record(AuditAction.AUDIT_VERIFIED, actor=fg, **failed),
        audit_record(AuditAction.AUDIT_VERIFIED, **failed),
    ]


def test_the_purge_of_expired_events_is_itself_an_event(settings) -> None:
    settings.AUDIT_RETENTION = datetime.timedelta(days=5 * 365)
    with time_machine.travel(timezone.now() - datetime.timedelta(days=6 * 365), tick=False):
        old = [event_record(action=AuditAction.CASUS_READ, object_type="casus") for _ in range(2)]
    seal_all()
    last_old = AuditEvent.objects.get(pk=old[-1].pk).seq
    expired = AuditEvent.objects.filter(seq__lte=last_old).count()
    before = last_event_id()

    assert events_purge_expired() == expired
    assert records_since(before) == [
        audit_record(AuditAction.AUDIT_PURGED, object_type="auditlog", object_ref=str(last_old))
    ]
