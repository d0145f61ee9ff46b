"""Signals: pseudonymised intake (the canary), matching, hints for coordinators only, triage."""

from __future__ import annotations

import datetime
import logging

from django.db import connection
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

import pytest

from casus import policy
from casus.models import MatchHint, PseudoniemToken, Signaal
from casus.signalen import pseudonym
from casus.signalen import selectors as signaal_selectors
from casus.signalen import services as intake
from config.kernel.keys import parse_versioned_keys
from partners.models import PartnerKind, Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

CANARY = {
    "voornamen": "Kanaarvoornaam",
    "achternaam": "Kanaarachternaam",
    "werknaam": "Kanaarwerknaam",
    "telefoon": "+40 712 999 123",
    "geboortedatum": "1997-05-06",
}


def _submit(user, *, attributes=None, **overrides):
    arguments = {
        "actor": user,
        "datum_waargenomen": timezone.localdate() - datetime.timedelta(days=1),
        "bron": "spreekuur",
        "sector": "club",
        "omschrijving": "Tekenen van afhankelijkheid gezien.",
        "zichtbaarheid": "keten",
        "attributes": attributes,
        **overrides,
    }
    return intake.signaal_submit(**arguments)


def _all_text_in_database() -> str:
    """Every text-like value in every table of the database, as one string."""
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(
                str(value) for row in cursor.fetchall() for value in row if value is not None
            )
    return "\n".join(chunks)


def test_identifying_attributes_leave_no_trace(client, mfa_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    medewerker = UserFactory.create(mfa=True)
    client = mfa_client(medewerker)
    form = {
        "datum_waargenomen": (timezone.localdate() - datetime.timedelta(days=2)).isoformat(),
        "bron": "controle",
        "sector": "raam",
        "niet_pluis": "2",
        "urgentie": "normaal",
        "omschrijving": "Ingestudeerd verhaal bij de controle.",
        "zichtbaarheid": "keten",
        "indicatoren": ["geen_eigen_id"],
        **CANARY,
    }
    # A validation error first: the form comes back without the attributes and asks again.
    bad = client.post(reverse("signalen:new"), {**form, "omschrijving": ""})
    assert bad.status_code == 400
    assert bad.context["ask_again"]
    for marker in CANARY.values():
        assert marker not in bad.content.decode()
    good = client.post(reverse("signalen:new"), form, follow=True)
    assert good.status_code == 200
    signaal = Signaal.objects.get()
    assert PseudoniemToken.objects.filter(signaal=signaal).count() >= 5
    everything = _all_text_in_database()
    logs = caplog.text
    for marker in (*CANARY.values(), "kanaarvoornaam", "+40712999123", "1997-05-06"):
        assert marker.lower() not in everything.lower(), marker
        assert marker.lower() not in logs.lower(), marker
        assert marker not in good.content.decode()


def test_tokens_are_keyed_and_domain_separated(settings) -> None:
    attributes = pseudonym.IdentifyingAttributes(
        voornamen="Ioana", achternaam="Popescu", geboortedatum=datetime.date(1998, 3, 7)
    )
    first = {t.value for t in pseudonym.tokens_for(attributes)}
    settings.PSEUDONYM_KEYS = parse_versioned_keys(
        "2:b3RoZXIta2V5LW90aGVyLWtleS1vdGhlci1rZXktMzJieXRlcw", name="PSEUDONYM_KEYS"
    )
    second = {t.value for t in pseudonym.tokens_for(attributes)}
    assert first.isdisjoint(second)  # another key: other tokens (no unkeyed hash)
    import hashlib

    plain = {hashlib.sha256(v.encode()).hexdigest() for _, v in pseudonym.token_values(attributes)}
    assert first.isdisjoint(plain)


@pytest.mark.parametrize(
    "variant,expected",
    [
        (
            {
                "voornamen": "Ioana",
                "achternaam": "Popescu",
                "geboortedatum": datetime.date(1998, 3, 7),
            },
            "sterk",
        ),
        (
            {
                "voornamen": "Popescu",
                "achternaam": "Ioana",
                "geboortedatum": datetime.date(1998, 3, 7),
            },
            "sterk",
        ),
        (
            {
                "voornamen": "Ioana",
                "achternaam": "Popesku",
                "geboortedatum": datetime.date(1998, 3, 7),
            },
            "sterk",
        ),
        (
            {
                "voornamen": "Ioana",
                "achternaam": "Popescu",
                "geboortedatum": datetime.date(1998, 7, 3),
            },
            # Day and month swapped with the same full name: calibrated 'sterk' (the table).
            "sterk",
        ),
        ({"voornamen": "Ioana", "achternaam": "Popescu", "geboortejaar": 1998}, "waarschijnlijk"),
        # A working name and a phone are never the person's own: at most a review hint.
        ({"werknaam": "Roxy", "telefoon": "0031 6 1234 5678"}, "waarschijnlijk"),
    ],
)
def test_spelling_order_and_date_variants_match(variant, expected) -> None:
    partner = PartnerFactory.create()
    reporter = UserFactory.create(partner=partner)
    first = _submit(
        reporter,
        attributes=pseudonym.IdentifyingAttributes(
            voornamen="Ioana Maria",
            achternaam="Popescu",
            geboortedatum=datetime.date(1998, 3, 7),
            telefoon="06-12345678",
            werknaam="Roxy",
        ),
    )
    second = _submit(reporter, attributes=pseudonym.IdentifyingAttributes(**variant))
    hint = MatchHint.objects.get(signaal=second)
    assert hint.ander_signaal == first
    assert hint.sterkte == expected


def test_different_people_with_a_common_name_are_not_a_probable_match() -> None:
    reporter = UserFactory.create()
    _submit(
        reporter,
        attributes=pseudonym.IdentifyingAttributes(
            voornamen="Maria", achternaam="Garcia", geboortedatum=datetime.date(1990, 1, 20)
        ),
    )
    second = _submit(
        reporter,
        attributes=pseudonym.IdentifyingAttributes(
            voornamen="Maria", achternaam="Garcia", geboortedatum=datetime.date(1985, 6, 30)
        ),
    )
    hints = list(MatchHint.objects.filter(signaal=second))
    assert all(not pseudonym.is_probable_match(h.soorten) for h in hints)


def test_match_hints_are_for_coordinators_only(mfa_client) -> None:
    partner = PartnerFactory.create(kind=PartnerKind.ZORG)
    reporter = UserFactory.create(partner=partner, mfa=True)
    coordinator = CoordinatorFactory.create(partner=partner, mfa=True)
    person = pseudonym.IdentifyingAttributes(
        voornamen="Ana", achternaam="Dumitru", geboortedatum=datetime.date(1999, 4, 12)
    )
    _submit(reporter, attributes=person)
    second = _submit(reporter, attributes=person)
    assert signaal_selectors.match_hints_for(user=reporter, signaal=second) == []
    assert len(signaal_selectors.match_hints_for(user=coordinator, signaal=second)) == 1
    url = reverse("signalen:detail", args=[second.pk])
    reporter_page = mfa_client(reporter).get(url)
    assert reporter_page.status_code == 200
    assert "Mogelijke matches" not in reporter_page.content.decode()
    assert reporter_page.context["hints"] == []
    coordinator_page = mfa_client(coordinator).get(url)
    assert "Mogelijke matches" in coordinator_page.content.decode()


def test_triage_open_casus_involves_the_reporter_and_a_casus_elsewhere_hides_the_state(
    mfa_client,
) -> None:
    ldh = PartnerFactory.create(kind=PartnerKind.ZORG)
    ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
    reporter = UserFactory.create(partner=ldh)
    coordinator = CoordinatorFactory.create()
    signaal = _submit(reporter)
    casus = intake.signaal_open_casus(
        actor=coordinator,
        signaal=signaal,
        risico="midden",
        grondslag="wettelijke_taak",
        partners=[ggd],
        reden="Zorg afstemmen",
    )
    signaal.refresh_from_db()
    assert (signaal.status, signaal.casus) == ("gekoppeld", casus)
    assert policy.partner_is_involved(partner=ldh, casus=casus)
    assert signaal_selectors.signaal_get_for(user=reporter, pk=signaal.pk).casus_id == casus.pk
    # A signal linked to a casus the reporter's partner is not involved in stays the
    # reporter's own, but in the neutral state and without its casus: the reporter does not
    # learn that the person is known in a casus (tests/casus/signalen/test_reporter_state.py).
    other = CasusFactory.create(coordinator=coordinator, partners=[ggd])
    second = _submit(reporter)
    intake.signaal_link(actor=coordinator, signaal=second, casus=other)
    second.refresh_from_db()
    assert second.casus_id == other.pk
    shown = signaal_selectors.signaal_get_for(user=reporter, pk=second.pk)
    [regel] = signaal_selectors.signaal_regels(user=reporter, signalen=[shown])
    assert (regel.status, regel.casus_zichtbaar) == (policy.SIGNAAL_IN_BEHANDELING, False)
    assert second.pk in {s.pk for s in signaal_selectors.signaal_list_for(user=reporter)}
    outsider = UserFactory.create(partner=PartnerFactory.create(kind=PartnerKind.POLITIE))
    with pytest.raises(Http404):
        signaal_selectors.signaal_get_for(user=outsider, pk=second.pk)
    ggd_user = UserFactory.create(partner=ggd)
    assert signaal_selectors.signaal_casus_visible(user=ggd_user, signaal=second)


def test_untriaged_signal_is_for_the_reporting_partner_and_coordinators_only() -> None:
    reporter = UserFactory.create()
    colleague = UserFactory.create(partner=reporter.partner)
    outsider = UserFactory.create()
    coordinator = CoordinatorFactory.create()
    signaal = _submit(reporter)
    for user, visible in (
        (reporter, True),
        (colleague, True),
        (coordinator, True),
        (outsider, False),
    ):
        assert policy.visible_signalen(user).filter(pk=signaal.pk).exists() is visible
    for role in (Role.PRIVACY_OFFICER, Role.BEHEERDER, Role.ANALIST):
        user = UserFactory.create(role=role, partner=reporter.partner)
        assert not policy.visible_signalen(user).exists()


def test_close_without_follow_up_needs_a_reason_and_only_once() -> None:
    from django.core.exceptions import ValidationError

    coordinator = CoordinatorFactory.create()
    signaal = _submit(UserFactory.create())
    with pytest.raises(ValidationError):
        intake.signaal_close(actor=coordinator, signaal=signaal, reden=" ")
    intake.signaal_close(
        actor=coordinator, signaal=signaal, reden="Geen aanwijzingen voor uitbuiting"
    )
    with pytest.raises(ValidationError):
        intake.signaal_close(actor=coordinator, signaal=signaal, reden="Nogmaals")


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"datum_waargenomen": None}, "datum_waargenomen"),
        ({"bron": "onbekend"}, "bron"),
        ({"niet_pluis": 4}, "niet_pluis"),
        ({"indicatoren": ["bestaat_niet"]}, "indicatoren"),
        ({"omschrijving": ""}, "omschrijving"),
    ],
)
def test_bad_signal_input_names_the_field_and_saves_nothing(overrides, field) -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _submit(UserFactory.create(), **overrides)
    assert field in error.value.message_dict
    assert not Signaal.objects.exists()


def test_future_observation_date_is_refused() -> None:
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        _submit(
            UserFactory.create(),
            datum_waargenomen=timezone.localdate() + datetime.timedelta(days=1),
        )
    assert "toekomst" in error.value.message_dict["datum_waargenomen"][0]


def test_api_intake_never_returns_attributes_and_hints_are_for_coordinators_only(
    mfa_client,
) -> None:
    partner = PartnerFactory.create(kind=PartnerKind.ZORG)
    reporter = UserFactory.create(partner=partner, mfa=True)
    coordinator = CoordinatorFactory.create(partner=partner, mfa=True)
    client = mfa_client(reporter)
    payload = {
        "datum_waargenomen": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
        "bron": "hulpverlening",
        "sector": "thuiswerk",
        "omschrijving": "Vraagt om hulp bij schulden.",
        "zichtbaarheid": "keten",
        "indicatoren": ["verdiensten_afdragen"],
        "voornamen": "Kanaarvoornaam",
        "achternaam": "Kanaarachternaam",
        "geboortedatum": "1997-05-06",
    }
    first = client.post("/api/v1/signalen/", payload, content_type="application/json")
    assert first.status_code == 201, first.content
    assert "Kanaar" not in first.content.decode() and "1997-05-06" not in first.content.decode()
    second = client.post("/api/v1/signalen/", payload, content_type="application/json")
    signaal_id = second.json()["id"].removeprefix("S")
    own_view = client.get(f"/api/v1/signalen/{signaal_id}/").json()
    assert "match_hints" not in own_view
    coordinator_view = mfa_client(coordinator).get(f"/api/v1/signalen/{signaal_id}/").json()
    assert coordinator_view["match_hints"][0]["sterkte"] == "sterk"
    bad = client.post(
        "/api/v1/signalen/",
        {**payload, "omschrijving": "Bel 06-12345678"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "telefoonnummer" in bad.json()["omschrijving"][0]
    assert "Kanaar" not in bad.content.decode()
