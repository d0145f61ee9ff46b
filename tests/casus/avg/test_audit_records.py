"""The complete audit record of the AVG processes: requests of data subjects, legal holds,
consent withdrawal, the retention report and the purge (which has no acting user of its own)."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditAction
from casus.avg import retention
from casus.avg import verzoeken as inzage
from casus.models import Casus, Grondslag, Inzageverzoek, Signaal, Status
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Role, User
from tests.audit_records import (
    Record,
    assert_written_by,
    audit_record,
    last_event_id,
    records_since,
)
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSON = IdentifyingAttributes(
    voornamen="Elena", achternaam="Marinescu", geboortedatum=datetime.date(1994, 5, 17)
)


@pytest.fixture
def fg() -> User:
    return UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)


@pytest.fixture
def coordinator() -> User:
    return CoordinatorFactory.create(mfa=True)


def _signal(attributes: IdentifyingAttributes | None = None) -> Signaal:
    return intake.signaal_submit(
        actor=UserFactory.create(),
        datum_waargenomen=timezone.localdate() - datetime.timedelta(days=3),
        bron="hulpverlening",
        sector="club",
        omschrijving="Waarneming.",
        zichtbaarheid="keten",
        attributes=attributes,
    )


def _verzoek(action: AuditAction, actor: User, verzoek: Inzageverzoek) -> Record:
    return audit_record(
        action,
        actor=actor,
        purpose="wettelijke_taak",
        object_type="verzoek",
        object_ref=f"V{verzoek.pk}",
    )


# --- requests of data subjects -------------------------------------------------------------------


def test_a_request_registered_compiled_unlinked_and_closed(fg, coordinator) -> None:
    signaal = _signal(PERSON)
    before = last_event_id()

    verzoek = inzage.verzoek_register(
        actor=fg, ontvangen_op=timezone.localdate(), soort="rectificatie"
    )
    inzage.verzoek_compile(actor=coordinator, verzoek=verzoek, attributes=PERSON)
    inzage.verzoek_unlink(actor=coordinator, verzoek=verzoek, signaal_id=signaal.pk)
    inzage.verzoek_close(actor=fg, verzoek=verzoek)

    assert records_since(before) == [
        _verzoek(AuditAction.REQUEST_REGISTERED, fg, verzoek),
        _verzoek(AuditAction.REQUEST_COMPILED, coordinator, verzoek),
        _verzoek(AuditAction.REQUEST_UNLINKED, coordinator, verzoek),
        _verzoek(AuditAction.REQUEST_CLOSED, fg, verzoek),
    ]


def test_erasure_purges_the_casus_and_its_signal_then_records_the_request(fg, coordinator) -> None:
    partner = PartnerFactory.create()
    casus = CasusFactory.create(coordinator=coordinator, partners=[partner])
    linked = intake.signaal_link(actor=coordinator, signaal=_signal(PERSON), casus=casus)
    alone = _signal(PERSON)
    verzoek = inzage.verzoek_register(actor=fg, ontvangen_op=timezone.localdate(), soort="wissing")
    inzage.verzoek_compile(actor=coordinator, verzoek=verzoek, attributes=PERSON)
    before = last_event_id()

    plan = inzage.erasure_plan(actor=coordinator, verzoek=verzoek)
    assert inzage.verzoek_erase(actor=coordinator, verzoek=verzoek, bevestiging=plan.digest) == []

    assert not Signaal.objects.filter(pk__in=[linked.pk, alone.pk]).exists()
    # The purges carry no actor (the same services run in the nightly purge; the request's own
    # event names the coordinator); the signal purged with its casus is named too.
    assert records_since(before) == [
        _verzoek(AuditAction.REQUEST_ERASURE_PREVIEWED, coordinator, verzoek),
        audit_record(AuditAction.CASUS_PURGED, object_type="casus", object_ref=casus.referentie),
        audit_record(AuditAction.SIGNAAL_PURGED, object_type="signaal", object_ref=f"S{linked.pk}"),
        audit_record(AuditAction.SIGNAAL_PURGED, object_type="signaal", object_ref=f"S{alone.pk}"),
        _verzoek(AuditAction.REQUEST_ERASED, coordinator, verzoek),
    ]


def test_weaker_matches_decided_by_the_coordinator(fg, coordinator) -> None:
    year_only = _signal(
        IdentifyingAttributes(voornamen="Elena", achternaam="Marinescu", geboortejaar=1994)
    )
    verzoek = inzage.verzoek_register(actor=fg, ontvangen_op=timezone.localdate(), soort="inzage")
    rapport = inzage.verzoek_compile(actor=coordinator, verzoek=verzoek, attributes=PERSON)
    assert [k.signaal.pk for k in rapport.kandidaten] == [year_only.pk]
    before = last_event_id()

    inzage.verzoek_candidates_decide(actor=coordinator, verzoek=verzoek, bevestigd=[year_only.pk])

    assert records_since(before) == [
        _verzoek(AuditAction.REQUEST_CANDIDATES_DECIDED, coordinator, verzoek)
    ]


# --- retention -----------------------------------------------------------------------------------


def test_the_nightly_purge_records_each_casus_and_signal_without_an_actor(coordinator) -> None:
    with time_machine.travel(timezone.now() - datetime.timedelta(days=3 * 365), tick=False):
        old = CasusFactory.create(coordinator=coordinator, afgesloten=True)
        closed = _signal()
        intake.signaal_close(actor=coordinator, signaal=closed, reden="Geen vervolg.")
    before = last_event_id()

    report = retention.purge_expired()

    assert (report.casussen, report.signalen) == ([old.referentie], [closed.pk])
    assert records_since(before) == [
        audit_record(AuditAction.CASUS_PURGED, object_type="casus", object_ref=old.referentie),
        audit_record(AuditAction.SIGNAAL_PURGED, object_type="signaal", object_ref=f"S{closed.pk}"),
    ]


def test_a_legal_hold_set_and_lifted_on_a_casus_and_a_signal(fg, coordinator) -> None:
    casus = CasusFactory.create(coordinator=coordinator)
    signaal = _signal()
    before = last_event_id()

    on_casus = retention.legal_hold_set(actor=fg, reden="Lopende procedure.", casus=casus)
    on_signal = retention.legal_hold_set(actor=fg, reden="Lopende procedure.", signaal=signaal)
    retention.legal_hold_lift(actor=fg, hold=on_casus)
    retention.legal_hold_lift(actor=fg, hold=on_signal)

    on: dict[str, Any] = {"object_type": "casus", "object_ref": casus.referentie}
    on_s: dict[str, Any] = {"object_type": "signaal", "object_ref": f"S{signaal.pk}"}
    assert records_since(before) == [
        audit_record(AuditAction.LEGAL_HOLD_SET, actor=fg, **on),
        audit_record(AuditAction.LEGAL_HOLD_SET, actor=fg, **on_s),
        audit_record(AuditAction.LEGAL_HOLD_LIFTED, actor=fg, **on),
        audit_record(AuditAction.LEGAL_HOLD_LIFTED, actor=fg, **on_s),
    ]


def test_withdrawing_consent_is_recorded_and_closes_the_casus(coordinator) -> None:
    casus = CasusFactory.create(coordinator=coordinator, grondslag=Grondslag.TOESTEMMING)
    before = last_event_id()

    retention.consent_withdraw(actor=coordinator, casus=casus)

    assert Casus.objects.get(pk=casus.pk).status == Status.AFGESLOTEN
    on: dict[str, Any] = {
        "actor": coordinator,
        "purpose": "toestemming",
        "object_type": "casus",
        "object_ref": casus.referentie,
    }
    assert records_since(before) == [
        audit_record(AuditAction.CONSENT_WITHDRAWN, **on),
        audit_record(AuditAction.CASUS_STATUS_CHANGED, **on),
    ]


def test_the_retention_report_on_the_page_and_from_the_command(fg, mfa_client) -> None:
    client = mfa_client(fg)
    before = last_event_id()
    response = client.get(reverse("avg:retention"))
    assert response.status_code == 200
    report: dict[str, Any] = {"object_type": "retentie", "object_ref": "dry-run"}
    assert records_since(before) == [audit_record(AuditAction.RETENTION_REPORT, actor=fg, **report)]
    assert_written_by(response, before)

    before = last_event_id()
    call_command("purge_expired", "--dry-run")
    assert records_since(before) == [audit_record(AuditAction.RETENTION_REPORT, **report)]


def test_consent_withdrawn_on_a_closed_casus_is_the_withdrawal_only(coordinator) -> None:
    casus = CasusFactory.create(
        coordinator=coordinator, grondslag=Grondslag.TOESTEMMING, afgesloten=True
    )
    before = last_event_id()
    retention.consent_withdraw(actor=coordinator, casus=casus)
    assert records_since(before) == [
        audit_record(
            AuditAction.CONSENT_WITHDRAWN,
            actor=coordinator,
            purpose="toestemming",
            object_type="casus",
            object_ref=casus.referentie,
        )
    ]


def test_reading_a_compiled_report_again_is_recorded_page_and_pdf(
    fg, coordinator, mfa_client
) -> None:
    casus = CasusFactory.create(coordinator=coordinator, partners=[PartnerFactory.create()])
    intake.signaal_link(actor=coordinator, signaal=_signal(PERSON), casus=casus)
    verzoek = inzage.verzoek_register(actor=fg, ontvangen_op=timezone.localdate(), soort="inzage")
    inzage.verzoek_compile(actor=coordinator, verzoek=verzoek, attributes=PERSON)
    client = mfa_client(coordinator)
    before = last_event_id()
    assert client.get(reverse("avg:verzoek_detail", args=[verzoek.pk])).status_code == 200
    assert client.get(reverse("avg:verzoek_pdf", args=[verzoek.pk])).status_code == 200
    assert [r for r in records_since(before) if r.action.startswith("avg.")] == [
        _verzoek(AuditAction.REQUEST_REPORT_READ, coordinator, verzoek),
        _verzoek(AuditAction.REQUEST_REPORT_EXPORTED, coordinator, verzoek),
    ]
