"""Issue 14 at the intake: a phone that several women give is a network's phone, not a person
match; what the coordinator reads is words, not token names (D1); the matched casus can be
picked (D2); and the look-up stays at a fixed number of queries however many signals exist."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from casus.models import MatchHint
from casus.signalen import matching, pseudonym
from casus.signalen import services as intake
from partners.models import PartnerKind
from tests.casus.factories import CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

BOOKER = "+31 6 4000 1234"
IOANA = pseudonym.IdentifyingAttributes(
    voornamen="Ioana", achternaam="Radu", geboortedatum=datetime.date(1997, 5, 2)
)
BLESSING = pseudonym.IdentifyingAttributes(voornamen="Blessing", achternaam="Okafor")


def _submit(user, attributes):
    return intake.signaal_submit(
        actor=user,
        datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
        bron="spreekuur",
        sector="club",
        omschrijving="Tekenen van afhankelijkheid gezien.",
        zichtbaarheid="keten",
        attributes=attributes,
    )


def _with(attributes, **changes):
    return pseudonym.IdentifyingAttributes(**{**attributes.__dict__, **changes})


@pytest.fixture
def reporter():
    return UserFactory.create(partner=PartnerFactory.create(kind=PartnerKind.ZORG), mfa=True)


def test_two_women_on_one_phone_get_a_network_hint_not_a_person_match(reporter) -> None:
    first = _submit(reporter, _with(IOANA, telefoon=BOOKER))
    second = _submit(reporter, _with(BLESSING, telefoon="06-40001234"))
    [hint] = MatchHint.objects.filter(signaal=second)
    assert hint.ander_signaal == first
    assert (hint.sterkte, hint.soorten, hint.gedeeld) == ("gedeeld", ["telefoon"], ["telefoon"])
    assert not hint.is_person_match
    assert hint.kenmerken == ["gedeeld telefoonnummer"]


def test_the_same_woman_on_a_network_phone_is_a_match_with_the_phone_marked(reporter) -> None:
    _submit(reporter, _with(IOANA, telefoon=BOOKER))
    _submit(reporter, _with(BLESSING, telefoon=BOOKER))
    third = _submit(reporter, _with(IOANA, telefoon=BOOKER))
    by_tier = {h.sterkte: h for h in MatchHint.objects.filter(signaal=third)}
    assert set(by_tier) == {"sterk", "gedeeld"}
    assert by_tier["sterk"].gedeeld == ["telefoon"]
    assert "gedeeld telefoonnummer" in by_tier["sterk"].kenmerken
    assert "telefoon" not in by_tier["sterk"].kenmerken


def test_the_signal_page_speaks_words_and_offers_the_matched_casus(reporter, mfa_client) -> None:
    coordinator = CoordinatorFactory.create(mfa=True)
    earlier = _submit(reporter, IOANA)
    casus = intake.signaal_open_casus(
        actor=coordinator,
        signaal=earlier,
        risico="midden",
        grondslag="wettelijke_taak",
        partners=[],
        reden="Zorg afstemmen",
    )
    later = _submit(reporter, _with(IOANA, geboortedatum=datetime.date(1997, 2, 5)))
    client = mfa_client(coordinator)
    response = client.get(reverse("signalen:detail", args=[later.pk]))
    html = response.content.decode()
    box = html.split('id="matches"')[1].split("</section>")[0]
    assert "overeenkomend: naam en geboortedatum met dag en maand omgewisseld\n" in box
    for token_name in set(pseudonym.DOMAINS) - {"naam", "telefoon", "werknaam"}:
        assert token_name not in box
    assert f'name="referentie" value="{casus.referentie}"' in box
    # The link form below has the casus filled in; the coordinator still decides.
    assert response.context["link_form"]["referentie"].value() == casus.referentie

    linked = client.post(
        reverse("signalen:link", args=[later.pk]), {"referentie": casus.referentie}
    )
    assert linked.status_code == 302
    later.refresh_from_db()
    assert later.casus == casus


def test_a_network_hint_suggests_no_casus(reporter, mfa_client) -> None:
    coordinator = CoordinatorFactory.create(mfa=True)
    earlier = _submit(reporter, _with(IOANA, telefoon=BOOKER))
    intake.signaal_open_casus(
        actor=coordinator,
        signaal=earlier,
        risico="midden",
        grondslag="wettelijke_taak",
        partners=[],
        reden="Zorg afstemmen",
    )
    later = _submit(reporter, _with(BLESSING, telefoon=BOOKER))
    response = mfa_client(coordinator).get(reverse("signalen:detail", args=[later.pk]))
    box = response.content.decode().split('id="matches"')[1].split("</section>")[0]
    assert "gedeeld telefoonnummer" in box
    assert 'name="referentie"' not in box
    assert response.context["link_form"]["referentie"].value() in ("", None)


@pytest.mark.parametrize("stored", [20, 200])
def test_the_look_up_costs_two_queries_at_any_size(reporter, stored) -> None:
    """Pinned at two sizes: the tokens that coincide, then the identity tokens of the
    signals that share the phone (a booker's ring of ``stored`` women)."""
    for n in range(stored):
        _submit(
            reporter,
            pseudonym.IdentifyingAttributes(
                voornamen=f"Vrouw{chr(97 + n % 26)}{chr(97 + n // 26 % 26)}",
                achternaam="Ring",
                telefoon=BOOKER,
            ),
        )
    with CaptureQueriesContext(connection) as queries:
        found = matching.probable_matches(_with(IOANA, telefoon=BOOKER), with_shared=True)
    assert len(queries) == 2
    assert len(found) == stored
    assert {m.strength for m in found} == {"gedeeld"}
