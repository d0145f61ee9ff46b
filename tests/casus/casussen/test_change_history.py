"""django-auditlog keeps the change history of casus models without any free-text content."""

from __future__ import annotations

import datetime

from django.utils import timezone

import pytest
from auditlog.models import LogEntry

from casus.casussen import services
from casus.history import REDACTED
from casus.models import Afspraak, Bijdrage, Casus
from tests.casus.factories import CasusFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

MARKER = "Kanarie-historie-91b2"


def test_text_changes_are_recorded_without_their_values() -> None:
    partner = PartnerFactory.create()
    casus = CasusFactory.create(partners=[partner])
    author = UserFactory.create(partner=partner)
    bijdrage = services.bijdrage_create(
        actor=author, casus=casus, categorie="zorg", zichtbaarheid="intern", tekst=f"{MARKER} tekst"
    )
    afspraak = services.afspraak_create(
        actor=casus.coordinator,
        casus=casus,
        omschrijving=f"{MARKER} afspraak",
        partner=partner,
        deadline=timezone.localdate() + datetime.timedelta(days=3),
    )
    services.afspraak_update(
        actor=casus.coordinator,
        afspraak=afspraak,
        versie=1,
        uitkomst="niet_mogelijk",
        uitkomst_toelichting=f"{MARKER} toelichting",
    )
    services.bijdrage_change_visibility(actor=author, bijdrage=bijdrage, zichtbaarheid="keten")

    entries = LogEntry.objects.all()
    assert entries.filter(object_pk=str(bijdrage.pk), content_type__model="bijdrage").count() == 2
    assert entries.filter(object_pk=str(casus.pk), content_type__model="casus").exists()
    stored = " ".join(str(e.changes) + e.object_repr for e in entries)
    assert MARKER not in stored
    created = entries.get(object_pk=str(bijdrage.pk), content_type__model="bijdrage", action=0)
    assert created.changes_dict["tekst"] == ["", REDACTED]
    update = entries.filter(content_type__model="afspraak", action=1).latest("timestamp")
    assert update.changes_dict["uitkomst"] == ["open", "niet_mogelijk"]
    assert update.changes_dict["uitkomst_toelichting"] == ["", REDACTED]
    assert Bijdrage.objects.get().tekst.startswith(MARKER)
    assert Afspraak.objects.get().omschrijving.startswith(MARKER)
    assert Casus.objects.count() == 1
