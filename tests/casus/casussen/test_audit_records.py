"""The complete audit record of every casus write and read: who (user, partner, role), what
(action, outcome), on what (object type and reference) and under which grondslag."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction
from casus.casussen import services
from casus.models import Afspraak, Casus, Grondslag, Status
from partners.models import Partner, PartnerKind, User
from tests.audit_records import assert_written_by, audit_record, last_event_id, records_since
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@dataclass
class Setting:
    coordinator: User
    gemeente: Partner
    politie: Partner
    medewerker_gemeente: User
    medewerker_politie: User
    casus: Casus


@pytest.fixture
def setting() -> Setting:
    gemeente = PartnerFactory.create(gemeente=True)
    politie = PartnerFactory.create(politie=True)
    coordinator = CoordinatorFactory.create(mfa=True)
    casus = CasusFactory.create(
        coordinator=coordinator, partners=[gemeente, politie], grondslag=Grondslag.WPG
    )
    return Setting(
        coordinator=coordinator,
        gemeente=gemeente,
        politie=politie,
        medewerker_gemeente=UserFactory.create(partner=gemeente, mfa=True),
        medewerker_politie=UserFactory.create(partner=politie, mfa=True),
        casus=casus,
    )


def _afspraak(setting: Setting) -> Afspraak:
    return services.afspraak_create(
        actor=setting.coordinator,
        casus=setting.casus,
        omschrijving="Eigenaar informeren",
        partner=setting.gemeente,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )


# --- writes --------------------------------------------------------------------------------------


def test_opening_a_casus_records_the_opening_and_every_involvement() -> None:
    coordinator = CoordinatorFactory.create()
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    ggd = PartnerFactory.create(gezondheid=True)
    before = last_event_id()

    casus = services.casus_open(
        actor=coordinator,
        risico="hoog",
        grondslag=Grondslag.TOESTEMMING,
        partners=[zorg, ggd],
        reden="Signalen bij controle",
    )

    ref = casus.referentie
    common: dict[str, Any] = {"actor": coordinator, "purpose": "toestemming"}
    assert records_since(before) == [
        audit_record(AuditAction.CASUS_OPENED, object_type="casus", object_ref=ref, **common),
        audit_record(
            AuditAction.INVOLVEMENT_ADDED,
            object_type="partner",
            object_ref=f"{ref}:P{zorg.pk}",
            **common,
        ),
        audit_record(
            AuditAction.INVOLVEMENT_ADDED,
            object_type="partner",
            object_ref=f"{ref}:P{ggd.pk}",
            **common,
        ),
    ]


def test_updating_a_casus(setting: Setting) -> None:
    before = last_event_id()
    services.casus_update(
        actor=setting.coordinator,
        casus=setting.casus,
        risico="acuut",
        sector=setting.casus.sector,
        gemeente=setting.casus.gemeente,
        veilig_om_te_bellen=True,
        tolk_nodig=False,
    )
    assert records_since(before) == [
        audit_record(
            AuditAction.CASUS_UPDATED,
            actor=setting.coordinator,
            purpose="wpg",
            object_type="casus",
            object_ref=setting.casus.referentie,
        )
    ]


def test_changing_the_status(setting: Setting) -> None:
    before = last_event_id()
    services.casus_change_status(
        actor=setting.coordinator, casus=setting.casus, status=Status.IN_BEHANDELING
    )
    assert records_since(before) == [
        audit_record(
            AuditAction.CASUS_STATUS_CHANGED,
            actor=setting.coordinator,
            purpose="wpg",
            object_type="casus",
            object_ref=setting.casus.referentie,
        )
    ]


def test_adding_and_removing_an_involvement(setting: Setting) -> None:
    ggd = PartnerFactory.create(gezondheid=True)
    ref = f"{setting.casus.referentie}:P{ggd.pk}"
    before = last_event_id()

    services.betrokkenheid_add(
        actor=setting.coordinator,
        casus=setting.casus,
        partner=ggd,
        reden="Medische zorg nodig",
        grondslag=Grondslag.VITAAL_BELANG,
    )
    services.betrokkenheid_remove(actor=setting.coordinator, casus=setting.casus, partner=ggd)

    # The purpose is the legal basis given for this partner's involvement, not the casus's.
    common: dict[str, Any] = {
        "actor": setting.coordinator,
        "purpose": "vitaal_belang",
        "object_type": "partner",
    }
    assert records_since(before) == [
        audit_record(AuditAction.INVOLVEMENT_ADDED, object_ref=ref, **common),
        audit_record(AuditAction.INVOLVEMENT_REMOVED, object_ref=ref, **common),
    ]


def test_requesting_the_agenda(setting: Setting) -> None:
    before = last_event_id()
    services.agendering_request(
        actor=setting.medewerker_politie, casus=setting.casus, reden="Nieuwe informatie"
    )
    assert records_since(before) == [
        audit_record(
            AuditAction.AGENDA_REQUESTED,
            actor=setting.medewerker_politie,
            purpose="wpg",
            object_type="casus",
            object_ref=setting.casus.referentie,
        )
    ]


def test_a_bijdrage_and_its_visibility(setting: Setting) -> None:
    author = setting.medewerker_politie
    before = last_event_id()
    bijdrage = services.bijdrage_create(
        actor=author,
        casus=setting.casus,
        categorie="veiligheid",
        zichtbaarheid="intern",
        tekst="Waarneming bij de controle.",
    )
    services.bijdrage_change_visibility(actor=author, bijdrage=bijdrage, zichtbaarheid="keten")

    ref = f"{setting.casus.referentie}:B{bijdrage.pk}"
    common: dict[str, Any] = {
        "actor": author,
        "purpose": "wpg",
        "object_type": "bijdrage",
        "object_ref": ref,
    }
    assert records_since(before) == [
        audit_record(AuditAction.BIJDRAGE_CREATED, **common),
        audit_record(AuditAction.BIJDRAGE_VISIBILITY_CHANGED, **common),
    ]


def test_an_afspraak_made_and_updated(setting: Setting) -> None:
    before = last_event_id()
    afspraak = _afspraak(setting)
    services.afspraak_update(
        actor=setting.medewerker_gemeente, afspraak=afspraak, versie=1, uitkomst="uitgevoerd"
    )

    ref = f"{setting.casus.referentie}:A{afspraak.pk}"
    common: dict[str, Any] = {"purpose": "wpg", "object_type": "afspraak", "object_ref": ref}
    assert records_since(before) == [
        audit_record(AuditAction.AFSPRAAK_CREATED, actor=setting.coordinator, **common),
        audit_record(AuditAction.AFSPRAAK_UPDATED, actor=setting.medewerker_gemeente, **common),
    ]


# --- reads (through the pages) -------------------------------------------------------------------


def test_the_list_page_records_each_casus_shown(setting: Setting, mfa_client) -> None:
    second = CasusFactory.create(coordinator=setting.coordinator, partners=[setting.politie])
    client = mfa_client(setting.medewerker_politie)
    before = last_event_id()

    response = client.get(reverse("casussen:list"))

    assert response.status_code == 200
    shown = [casus.referentie for casus in response.context["page"].object_list]
    assert sorted(shown) == sorted([setting.casus.referentie, second.referentie])
    assert records_since(before) == [
        audit_record(
            AuditAction.CASUS_LISTED,
            actor=setting.medewerker_politie,
            object_type="casus",
            object_ref=ref,
        )
        for ref in shown
    ]
    assert_written_by(response, before)


def test_the_detail_page_is_one_read(setting: Setting, mfa_client) -> None:
    client = mfa_client(setting.medewerker_gemeente)
    before = last_event_id()

    response = client.get(reverse("casussen:detail", args=[setting.casus.referentie]))

    assert response.status_code == 200
    assert records_since(before) == [
        audit_record(
            AuditAction.CASUS_READ,
            actor=setting.medewerker_gemeente,
            purpose="wpg",
            object_type="casus",
            object_ref=setting.casus.referentie,
        )
    ]
    assert_written_by(response, before)


def test_the_afspraak_page_is_one_read_of_the_afspraak(setting: Setting, mfa_client) -> None:
    afspraak = _afspraak(setting)
    client = mfa_client(setting.medewerker_gemeente)
    before = last_event_id()

    response = client.get(
        reverse("casussen:afspraak_update", args=[setting.casus.referentie, afspraak.pk])
    )

    assert response.status_code == 200
    assert records_since(before) == [
        audit_record(
            AuditAction.AFSPRAAK_READ,
            actor=setting.medewerker_gemeente,
            purpose="wpg",
            object_type="afspraak",
            object_ref=f"{setting.casus.referentie}:A{afspraak.pk}",
        )
    ]
    assert_written_by(response, before)


def test_the_api_list_of_afspraken_records_each_afspraak_shown(
    setting: Setting, mfa_client
) -> None:
    """Before: GET /api/v1/afspraken/ returned afspraak text and wrote no access event."""
    afspraak = _afspraak(setting)
    client = mfa_client(setting.medewerker_gemeente)
    before = last_event_id()

    response = client.get("/api/v1/afspraken/")

    assert response.status_code == 200
    assert [row["id"] for row in response.json()["results"]] == [afspraak.pk]
    assert records_since(before) == [
        audit_record(
            AuditAction.AFSPRAAK_READ,
            actor=setting.medewerker_gemeente,
            object_type="afspraak",
            object_ref=f"{setting.casus.referentie}:A{afspraak.pk}",
        )
    ]
