"""Casus pages and API: 404 for what a user may not see, kept input on errors, and query counts
that do not grow with the number of rows."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from casus.casussen import services
from casus.models import Bijdrage
from partners.models import PartnerKind, Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    other = PartnerFactory.create(kind=PartnerKind.GEMEENTE)
    coordinator = CoordinatorFactory.create(partner=zorg, mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[zorg, politie])
    return {
        "casus": casus,
        "coordinator": coordinator,
        "politie": UserFactory.create(partner=politie, mfa=True),
        "politie_partner": politie,
        "other": UserFactory.create(partner=other, mfa=True),
    }


def test_removing_involvement_is_a_404_on_the_very_next_request(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["politie"])
    url = reverse("casussen:detail", args=[casus.referentie])
    assert client.get(url).status_code == 200
    services.betrokkenheid_remove(
        actor=setting["coordinator"], casus=casus, partner=setting["politie_partner"]
    )
    assert client.get(url).status_code == 404
    assert casus.referentie not in client.get(reverse("casussen:list")).content.decode()
    api = client.get(f"/api/v1/casussen/{casus.referentie}/")
    assert api.status_code == 404


def test_other_partner_gets_404_and_a_denied_event_and_finds_nothing(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["other"])
    before = AuditEvent.objects.count()
    assert client.get(reverse("casussen:detail", args=[casus.referentie])).status_code == 404
    denied = AuditEvent.objects.filter(pk__gt=0).order_by("id")[before:]
    assert [(e.action, e.object_ref, e.outcome) for e in denied] == [
        (AuditAction.ACCESS_DENIED, casus.referentie, "denied")
    ]
    listing = client.get(reverse("casussen:list"), {"zoek": casus.referentie})
    assert reverse("casussen:detail", args=[casus.referentie]) not in listing.content.decode()
    assert listing.context["page"].paginator.count == 0
    assert client.get("/api/v1/casussen/", {"zoek": casus.referentie}).json()["count"] == 0
    assert client.get(f"/api/v1/casussen/{casus.referentie}/bijdragen/").status_code == 404


def test_bad_bijdrage_input_keeps_the_text_and_saves_nothing(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["politie"])
    url = reverse("casussen:bijdrage_create", args=[casus.referentie])
    long_text = "Waarneming. " * 500  # over 5000 characters
    response = client.post(
        url, {"categorie": "veiligheid", "zichtbaarheid": "regie", "tekst": long_text}
    )
    assert response.status_code == 400
    form = response.context["bijdrage_form"]
    assert "Maximaal 5000 tekens" in form.errors["tekst"][0]
    assert form["tekst"].value() == long_text
    html = response.content.decode()
    assert "Maximaal 5000 tekens" in html
    empty = client.post(url, {"categorie": "veiligheid", "zichtbaarheid": "regie", "tekst": ""})
    assert empty.context["bijdrage_form"].errors["tekst"] == ["Dit veld is verplicht."]
    assert not Bijdrage.objects.exists()


def test_forbidden_status_transition_on_the_page(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["coordinator"])
    response = client.post(
        reverse("casussen:status", args=[casus.referentie]),
        {"status": "monitoren", "toelichting": "x"},
    )
    assert response.status_code == 400
    assert "kan een casus niet naar" in response.context["status_form"].errors["status"][0]
    casus.refresh_from_db()
    assert casus.status == "nieuw"


def test_afspraak_conflict_is_shown_not_overwritten(setting, mfa_client) -> None:
    casus = setting["casus"]
    afspraak = services.afspraak_create(
        actor=setting["coordinator"],
        casus=casus,
        omschrijving="Informeren",
        partner=setting["politie_partner"],
        deadline=timezone.localdate() + datetime.timedelta(days=5),
    )
    client = mfa_client(setting["politie"])
    url = reverse("casussen:afspraak_update", args=[casus.referentie, afspraak.pk])
    services.afspraak_update(
        actor=setting["coordinator"], afspraak=afspraak, versie=1, uitkomst="vervallen"
    )
    response = client.post(
        url,
        {
            "uitkomst": "uitgevoerd",
            "uitkomst_toelichting": "Gedaan",
            "deadline": afspraak.deadline.isoformat(),
            "versie": "1",
        },
    )
    assert response.status_code == 409
    assert response.context["conflict"].uitkomst == "vervallen"
    assert response.context["form"]["uitkomst_toelichting"].value() == "Gedaan"
    afspraak.refresh_from_db()
    assert afspraak.uitkomst == "vervallen"
    # IDOR: the afspraak through another casus is a 404.
    other = CasusFactory.create(
        coordinator=setting["coordinator"], partners=[setting["politie_partner"]]
    )
    assert (
        client.get(
            reverse("casussen:afspraak_update", args=[other.referentie, afspraak.pk])
        ).status_code
        == 404
    )


def test_privacy_roles_never_reach_case_pages(mfa_client) -> None:
    for role in (Role.PRIVACY_OFFICER, Role.BEHEERDER, Role.ANALIST):
        casus = CasusFactory.create()
        user = UserFactory.create(role=role, mfa=True, partner=casus.coordinator.partner)
        client = mfa_client(user)
        assert client.get(reverse("casussen:list")).status_code == 404
        assert client.get(reverse("casussen:detail", args=[casus.referentie])).status_code == 404
        assert client.get("/api/v1/casussen/").status_code == 404
        assert client.get("/api/v1/afspraken/").status_code == 404


def _count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_and_api_query_counts_do_not_grow_with_rows(mfa_client) -> None:
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    coordinator = CoordinatorFactory.create(partner=zorg, mfa=True)
    partners = [zorg, PartnerFactory.create(), PartnerFactory.create()]
    client = mfa_client(coordinator)
    _count_queries(client, reverse("casussen:list"))  # warm up (the permission id, looked up once)
    counts = {}
    for size in (20, 200):
        while _casus_count() < size:
            CasusFactory.create(coordinator=coordinator, partners=partners)
        counts[size] = (
            _count_queries(client, reverse("casussen:list")),
            _count_queries(client, "/api/v1/casussen/"),
            _count_queries(client, "/api/v1/afspraken/"),
        )
    assert counts[20] == counts[200]
    page, api, afspraken = counts[200]
    print("query counts (list page, API casussen, API afspraken):", counts)
    assert page <= 16 and api <= 16 and afspraken <= 12, counts


def _casus_count() -> int:
    from casus.models import Casus

    return Casus.objects.count()


def test_detail_query_count_does_not_grow_with_bijdragen(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["politie"])
    url = reverse("casussen:detail", args=[casus.referentie])
    _count_queries(client, url)  # warm up (the permission id, looked up once per process)
    counts = []
    for size in (5, 50):
        while Bijdrage.objects.count() < size:
            services.bijdrage_create(
                actor=setting["politie"],
                casus=casus,
                categorie="veiligheid",
                zichtbaarheid="keten",
                tekst="x",
            )
        counts.append(_count_queries(client, url))
    assert counts[0] == counts[1], counts


def test_identifier_in_a_bijdrage_is_refused_where_it_is_and_the_text_kept(
    setting, mfa_client
) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["politie"])
    text = "Zij is bereikbaar op 06-12345678 volgens de exploitant."
    response = client.post(
        reverse("casussen:bijdrage_create", args=[casus.referentie]),
        {"categorie": "veiligheid", "zichtbaarheid": "regie", "tekst": text},
    )
    assert response.status_code == 400
    [message] = response.context["bijdrage_form"].errors["tekst"]
    assert "telefoonnummer" in message and "teken 22" in message
    assert "12345678" not in message
    assert response.context["bijdrage_form"]["tekst"].value() == text
    assert not Bijdrage.objects.exists()


def test_author_changes_visibility_on_the_page_and_bad_input_is_explained(
    setting, mfa_client
) -> None:
    casus = setting["casus"]
    author = setting["politie"]
    bijdrage = services.bijdrage_create(
        actor=author,
        casus=casus,
        categorie="veiligheid",
        zichtbaarheid="intern",
        tekst="Waarneming",
    )
    client = mfa_client(author)
    detail = client.get(reverse("casussen:detail", args=[casus.referentie])).content.decode()
    url = reverse("casussen:bijdrage_visibility", args=[casus.referentie, bijdrage.pk])
    assert url in detail  # the author gets the form
    bad = client.post(url, {"zichtbaarheid": "iedereen"})
    assert bad.status_code == 400
    assert "Kies een geldige waarde." in bad.content.decode()
    assert client.post(url, {"zichtbaarheid": "keten"}).status_code == 302
    bijdrage.refresh_from_db()
    assert bijdrage.zichtbaarheid == "keten"


def test_an_invalid_filter_never_widens_the_list(setting, mfa_client) -> None:
    client = mfa_client(setting["coordinator"])
    response = client.get(reverse("casussen:list"), {"zoek": "X" * 25, "status": "afgesloten"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 0
    assert response.context["filters"].errors["zoek"]


def test_roles_without_case_content_leave_a_denied_event(mfa_client) -> None:
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
    client = mfa_client(fg)
    before = AuditEvent.objects.count()
    assert client.get(reverse("casussen:list")).status_code == 404
    assert client.get("/api/v1/casussen/").status_code == 404
    denied = AuditEvent.objects.order_by("id")[before:]
    assert [(e.action, e.actor_id, e.outcome) for e in denied] == [
        (AuditAction.ACCESS_DENIED, fg.pk, "denied"),
        (AuditAction.ACCESS_DENIED, fg.pk, "denied"),
    ]
