"""The complete audit record of every signal write and read: the reporter's or coordinator's
user, partner and role, the signal reference, and the grondslag once a casus is involved."""

from __future__ import annotations

import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction
from casus.models import Grondslag, Signaal
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import PartnerKind, User
from tests.audit_records import assert_written_by, audit_record, last_event_id, records_since
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSON = IdentifyingAttributes(
    voornamen="Elena", achternaam="Marinescu", geboortedatum=datetime.date(1994, 5, 17)
)


def _submit(actor: User, attributes: IdentifyingAttributes | None = None) -> Signaal:
    return intake.signaal_submit(
        actor=actor,
        datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
        bron="controle",
        sector="raam",
        omschrijving="Waarneming bij een controle.",
        zichtbaarheid="keten",
        attributes=attributes,
    )


def _signaal(pk: int, action: AuditAction, actor: User, purpose: str = ""):
    return audit_record(
        action, actor=actor, purpose=purpose, object_type="signaal", object_ref=f"S{pk}"
    )


@pytest.fixture
def reporter() -> User:
    return UserFactory.create(partner=PartnerFactory.create(politie=True), mfa=True)


@pytest.fixture
def coordinator() -> User:
    return CoordinatorFactory.create(mfa=True)


# --- writes --------------------------------------------------------------------------------------


def test_submitting_a_signal_and_a_match(reporter: User) -> None:
    before = last_event_id()
    first = _submit(reporter, PERSON)
    assert records_since(before) == [_signaal(first.pk, AuditAction.SIGNAAL_SUBMITTED, reporter)]

    other = UserFactory.create(partner=PartnerFactory.create(kind=PartnerKind.ZORG))
    before = last_event_id()
    second = _submit(other, PERSON)
    # The match is recorded on the new signal, in the name of its reporter.
    assert records_since(before) == [
        _signaal(second.pk, AuditAction.SIGNAAL_SUBMITTED, other),
        _signaal(second.pk, AuditAction.MATCH_FOUND, other),
    ]


def test_linking_a_signal_to_a_casus_records_the_grondslag(reporter, coordinator) -> None:
    casus = CasusFactory.create(coordinator=coordinator, grondslag=Grondslag.VITAAL_BELANG)
    signaal = _submit(reporter)
    before = last_event_id()
    intake.signaal_link(actor=coordinator, signaal=signaal, casus=casus)
    assert records_since(before) == [
        _signaal(signaal.pk, AuditAction.SIGNAAL_LINKED, coordinator, purpose="vitaal_belang")
    ]


def test_opening_a_casus_from_a_signal(reporter, coordinator) -> None:
    signaal = _submit(reporter)
    gemeente = PartnerFactory.create(gemeente=True)
    before = last_event_id()

    casus = intake.signaal_open_casus(
        actor=coordinator,
        signaal=signaal,
        risico="hoog",
        grondslag=Grondslag.WETTELIJKE_TAAK,
        partners=[gemeente],
        reden="Signaal van de politie",
    )

    ref = casus.referentie
    common: dict[str, Any] = {"actor": coordinator, "purpose": "wettelijke_taak"}
    assert records_since(before) == [
        audit_record(AuditAction.CASUS_OPENED, object_type="casus", object_ref=ref, **common),
        audit_record(
            AuditAction.INVOLVEMENT_ADDED,
            object_type="partner",
            object_ref=f"{ref}:P{reporter.partner_id}",
            **common,
        ),
        audit_record(
            AuditAction.INVOLVEMENT_ADDED,
            object_type="partner",
            object_ref=f"{ref}:P{gemeente.pk}",
            **common,
        ),
        _signaal(signaal.pk, AuditAction.SIGNAAL_LINKED, coordinator, purpose="wettelijke_taak"),
    ]


def test_closing_a_signal_without_follow_up(reporter, coordinator) -> None:
    signaal = _submit(reporter)
    before = last_event_id()
    intake.signaal_close(actor=coordinator, signaal=signaal, reden="Geen aanwijzingen.")
    assert records_since(before) == [_signaal(signaal.pk, AuditAction.SIGNAAL_CLOSED, coordinator)]


def test_changing_the_visibility_of_a_linked_signal(reporter, coordinator) -> None:
    casus = CasusFactory.create(coordinator=coordinator, partners=[reporter.partner])
    signaal = intake.signaal_link(actor=coordinator, signaal=_submit(reporter), casus=casus)
    before = last_event_id()
    intake.signaal_change_visibility(actor=reporter, signaal=signaal, zichtbaarheid="regie")
    assert records_since(before) == [
        _signaal(signaal.pk, AuditAction.SIGNAAL_VISIBILITY_CHANGED, reporter)
    ]


# --- reads (through the pages) -------------------------------------------------------------------


def test_the_own_list_records_each_signal_shown(reporter, mfa_client) -> None:
    signalen = [_submit(reporter), _submit(reporter)]
    client = mfa_client(reporter)
    before = last_event_id()

    response = client.get(reverse("signalen:list"))

    assert response.status_code == 200
    shown = [signaal.pk for signaal in response.context["page"].object_list]
    assert sorted(shown) == sorted(signaal.pk for signaal in signalen)
    assert records_since(before) == [
        _signaal(pk, AuditAction.SIGNAAL_LISTED, reporter) for pk in shown
    ]
    assert_written_by(response, before)


def test_the_inbox_records_each_signal_shown(reporter, coordinator, mfa_client) -> None:
    signaal = _submit(reporter)
    client = mfa_client(coordinator)
    before = last_event_id()

    response = client.get(reverse("signalen:inbox"))

    assert response.status_code == 200
    assert records_since(before) == [_signaal(signaal.pk, AuditAction.SIGNAAL_LISTED, coordinator)]
    assert_written_by(response, before)


def test_the_detail_page_is_a_read_and_for_the_coordinator_a_view_of_the_hints(
    reporter, coordinator, mfa_client
) -> None:
    _submit(UserFactory.create(), PERSON)
    signaal = _submit(reporter, PERSON)

    client = mfa_client(reporter)
    before = last_event_id()
    response = client.get(reverse("signalen:detail", args=[signaal.pk]))
    assert response.status_code == 200
    assert records_since(before) == [_signaal(signaal.pk, AuditAction.SIGNAAL_READ, reporter)]
    assert_written_by(response, before)

    client = mfa_client(coordinator)
    before = last_event_id()
    response = client.get(reverse("signalen:detail", args=[signaal.pk]))
    assert response.status_code == 200
    assert len(response.context["hints"]) == 1
    assert records_since(before) == [
        _signaal(signaal.pk, AuditAction.SIGNAAL_READ, coordinator),
        _signaal(signaal.pk, AuditAction.MATCH_VIEWED, coordinator),
    ]
    assert_written_by(response, before)
