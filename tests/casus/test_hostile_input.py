"""Hostile and careless input: hidden control and bidi characters are refused in free text with
a clear Dutch message, JSON nested thousands of levels deep is a clear 400 (not a 500), API
answers with case content are never cached, and views that take identifying attributes keep
them out of error reports."""

from __future__ import annotations

import json

from django.core.exceptions import ValidationError
from django.urls import reverse

import pytest

from casus.casussen import services
from casus.models import Bijdrage
from tests.casus.factories import CasusFactory, CoordinatorFactory

pytestmark = pytest.mark.django_db

HIDDEN = {
    "right-to-left override": "Gezien bij \u202eraam 12\u202c op de Weaze.",
    "left-to-right isolate": "Afspraak \u2066morgen\u2069 bevestigd.",
    "NUL": "Tekst met een\x00nul-teken.",
    "escape": "Tekst met \x1b[31m kleurcode.",
    "C1 control": "Tekst met \x85 teken.",
}


@pytest.mark.parametrize("text", HIDDEN.values(), ids=HIDDEN.keys())
def test_hidden_characters_are_refused_with_a_dutch_message(text: str) -> None:
    coordinator = CoordinatorFactory.create()
    casus = CasusFactory.create(coordinator=coordinator, partners=[coordinator.partner])
    with pytest.raises(ValidationError) as refused:
        services.bijdrage_create(
            actor=coordinator, casus=casus, categorie="zorg", zichtbaarheid="keten", tekst=text
        )
    assert "onzichtbare stuur- of richtingstekens" in refused.value.message_dict["tekst"][0]
    assert not Bijdrage.objects.exists()


def test_line_breaks_tabs_and_accents_are_ordinary_text() -> None:
    coordinator = CoordinatorFactory.create()
    casus = CasusFactory.create(coordinator=coordinator, partners=[coordinator.partner])
    text = "Eerste regel.\r\nTweede regel\tmet tab; café, Zoë en één."
    bijdrage = services.bijdrage_create(
        actor=coordinator, casus=casus, categorie="zorg", zichtbaarheid="keten", tekst=text
    )
    assert Bijdrage.objects.get(pk=bijdrage.pk).tekst == text.strip()


def test_the_page_keeps_the_text_and_says_where(mfa_client) -> None:
    coordinator = CoordinatorFactory.create(mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[coordinator.partner])
    response = mfa_client(coordinator).post(
        reverse("casussen:bijdrage_create", args=[casus.referentie]),
        {"categorie": "zorg", "zichtbaarheid": "keten", "tekst": HIDDEN["right-to-left override"]},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "onzichtbare stuur- of richtingstekens" in html
    assert "op de Weaze" in html  # the user's text is kept


def test_json_nested_thousands_of_levels_deep_is_a_clear_400(mfa_client) -> None:
    client = mfa_client(CoordinatorFactory.create(mfa=True))
    body = "[" * 5000 + "]" * 5000
    response = client.post("/api/v1/signalen/", body, content_type="application/json")
    assert response.status_code == 400
    assert "te diep genest" in response.json()["detail"]
    shallow = client.post(
        "/api/v1/signalen/", json.dumps({"omschrijving": "x"}), content_type="application/json"
    )
    assert shallow.status_code == 400  # an ordinary validation answer, per field
    assert "datum_waargenomen" in shallow.json()


def test_brackets_inside_strings_do_not_count_as_nesting(mfa_client) -> None:
    client = mfa_client(CoordinatorFactory.create(mfa=True))
    body = json.dumps({"omschrijving": "[" * 100 + '"{' * 50})
    response = client.post("/api/v1/signalen/", body, content_type="application/json")
    assert "te diep genest" not in response.content.decode()


def test_api_answers_with_case_content_are_never_cached(mfa_client) -> None:
    coordinator = CoordinatorFactory.create(mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[coordinator.partner])
    client = mfa_client(coordinator)
    for url in ("/api/v1/casussen/", f"/api/v1/casussen/{casus.referentie}/", "/api/v1/afspraken/"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url


def test_views_taking_identifying_attributes_hide_them_from_error_reports(rf) -> None:
    from django.contrib.auth.models import AnonymousUser

    from casus.avg import views as avg_views
    from casus.signalen import views as signal_views

    for view, kwargs in ((signal_views.signaal_new, {}), (avg_views.verzoek_detail, {"pk": 1})):
        request = rf.post("/", {"voornamen": "Kanaar"})
        request.user = AnonymousUser()
        view(request, **kwargs)  # refused (not signed in); the marking happens first
        hidden = set(request.sensitive_post_parameters)
        assert {"voornamen", "achternaam", "geboortedatum", "telefoon"} <= hidden, view
