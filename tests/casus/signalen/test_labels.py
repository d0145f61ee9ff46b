"""Choice fields are shown by their label, never by their stored key (issue 16, D5)."""

from __future__ import annotations

from django.utils import timezone

import pytest

from casus.signalen import services as intake
from partners.models import PartnerKind
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_signal_page_names_the_municipality(mfa_client) -> None:
    author = UserFactory.create(partner=PartnerFactory.create(kind=PartnerKind.ZORG), mfa=True)
    signaal = intake.signaal_submit(
        actor=author,
        datum_waargenomen=timezone.localdate(),
        bron="spreekuur",
        sector="raam",
        omschrijving="Waarneming op het spreekuur.",
        zichtbaarheid="keten",
        gemeente="noardeast_fryslan",
    )
    page = mfa_client(author).get(f"/signalen/{signaal.pk}/").content.decode()
    assert "Noardeast-Fryslân" in page
    assert "noardeast_fryslan" not in page
