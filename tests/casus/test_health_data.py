"""Health data of a gezondheid partner (GGD) reaches police, gemeente and others only with the
person's consent (PRODUCT.md §5, "GGD gaat niet met politie mee"), for signals and bijdragen
alike, and checked when read: a later change of the legal basis takes effect at once."""

from __future__ import annotations

from django.utils import timezone

import pytest

from casus import policy
from casus.casussen import services
from casus.models import Casus, Grondslag
from casus.signalen import services as intake
from partners.models import PartnerKind
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain():
    ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    coordinator = CoordinatorFactory.create()
    return {
        "ggd": UserFactory.create(partner=ggd),
        "politie": UserFactory.create(partner=politie),
        "coordinator": coordinator,
        "partners": [ggd, politie],
    }


def _ggd_signal_on(chain, casus: Casus):
    signaal = intake.signaal_submit(
        actor=chain["ggd"],
        datum_waargenomen=timezone.localdate(),
        bron="spreekuur",
        sector="raam",
        omschrijving="Gezondheidszorgen besproken op het spreekuur.",
        zichtbaarheid="keten",
        attributes=None,
    )
    intake.signaal_link(actor=chain["coordinator"], signaal=signaal, casus=casus)
    return signaal


def test_a_linked_ggd_signal_marked_keten_stays_within_regie_without_consent(chain) -> None:
    casus = CasusFactory.create(
        coordinator=chain["coordinator"], partners=chain["partners"], grondslag="wettelijke_taak"
    )
    signaal = _ggd_signal_on(chain, casus)
    assert not policy.visible_signalen(chain["politie"]).filter(pk=signaal.pk).exists()
    assert policy.visible_signalen(chain["ggd"]).filter(pk=signaal.pk).exists()
    assert policy.visible_signalen(chain["coordinator"]).filter(pk=signaal.pk).exists()


def test_with_consent_the_ggd_signal_reaches_the_chain(chain) -> None:
    casus = CasusFactory.create(
        coordinator=chain["coordinator"], partners=chain["partners"], toestemming=True
    )
    signaal = _ggd_signal_on(chain, casus)
    assert policy.visible_signalen(chain["politie"]).filter(pk=signaal.pk).exists()


def test_when_the_legal_basis_changes_a_ggd_bijdrage_is_withdrawn_from_the_chain(chain) -> None:
    casus = CasusFactory.create(
        coordinator=chain["coordinator"], partners=chain["partners"], toestemming=True
    )
    bijdrage = services.bijdrage_create(
        actor=chain["ggd"],
        casus=casus,
        categorie="gezondheid",
        zichtbaarheid="keten",
        tekst="Zorg.",
    )
    assert policy.visible_bijdragen(chain["politie"], casus).filter(pk=bijdrage.pk).exists()
    Casus.objects.filter(pk=casus.pk).update(grondslag=Grondslag.WETTELIJKE_TAAK)
    casus.refresh_from_db()
    assert not policy.visible_bijdragen(chain["politie"], casus).filter(pk=bijdrage.pk).exists()
    assert policy.visible_bijdragen(chain["coordinator"], casus).filter(pk=bijdrage.pk).exists()
