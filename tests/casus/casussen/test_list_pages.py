"""The casus list, detail and API list stay the same size of work as the data grows (issue 17):
keyset pages (``na``/``voor``) instead of numbered ones, a count that stops at COUNT_CAP, the
policy filtering on permission ids, and the detail page's signals without a subquery of every
visible casus."""

from __future__ import annotations

import datetime
import re

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

import pytest

from casus import policy
from casus.casussen import selectors
from casus.models import Casus, Signaal, Zichtbaarheid
from casus.signalen import services as intake
from partners.models import PartnerKind
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region():
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    other = PartnerFactory.create(kind=PartnerKind.GEMEENTE)
    coordinator = CoordinatorFactory.create(partner=zorg, mfa=True)
    return {
        "zorg": zorg,
        "politie": politie,
        "other": other,
        "coordinator": coordinator,
        "medewerker": UserFactory.create(partner=politie, mfa=True),
    }


def _make(region, n: int, *, partners=None, same_moment: bool = False) -> list[Casus]:
    made = [
        CasusFactory.create(
            coordinator=region["coordinator"], partners=partners or [region["politie"]]
        )
        for _ in range(n)
    ]
    if same_moment:  # ties on geopend_op: the id decides the order
        Casus.objects.filter(pk__in=[c.pk for c in made]).update(
            geopend_op=timezone.now() - datetime.timedelta(days=3)
        )
    return made


def _refs(response) -> list[str]:
    return [c.referentie for c in response.context["page"].casussen]


def _expected(user, **filters) -> list[str]:
    return list(
        selectors.casus_list_for(user=user, **filters)
        .order_by("-geopend_op", "-id")
        .values_list("referentie", flat=True)
    )


def _link(html: str, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="([^"]+)"', html)
    return found.group(1).replace("&amp;", "&") if found else None


def test_walking_the_pages_shows_every_visible_casus_once_in_order(
    region, mfa_client, monkeypatch
) -> None:
    monkeypatch.setattr("casus.casussen.views.PAGE_SIZE", 4)
    _make(region, 5)
    _make(region, 4, same_moment=True)
    _make(region, 2, partners=[region["other"]])  # not the medewerker's
    user = region["medewerker"]
    client = mfa_client(user)
    url = reverse("casussen:list")
    response = client.get(url)
    html = response.content.decode()
    assert "Volgende 4" in html and "Vorige" not in html
    seen, pages = _refs(response), [_refs(response)]
    while (next_link := _link(html, "next")) is not None:
        response = client.get(url + next_link)
        html = response.content.decode()
        pages.append(_refs(response))
        seen += pages[-1]
        assert response.context["page"].count == 9
    assert seen == _expected(user)
    assert [len(p) for p in pages] == [4, 4, 1]
    # Back again with "Vorige", page by page, to the first page.
    for page in reversed(pages[:-1]):
        previous = _link(html, "prev")
        assert previous is not None
        response = client.get(url + previous)
        html = response.content.decode()
        assert _refs(response) == page
    assert _link(html, "prev") is None and "Eerste pagina" not in html


def test_the_pages_keep_the_filters(region, mfa_client, monkeypatch) -> None:
    monkeypatch.setattr("casus.casussen.views.PAGE_SIZE", 2)
    made = _make(region, 6)
    Casus.objects.filter(pk__in=[c.pk for c in made[:5]]).update(risico="hoog")
    user = region["coordinator"]
    client = mfa_client(user)
    url = reverse("casussen:list")
    response = client.get(url, {"risico": "hoog", "status": "nieuw"})
    html = response.content.decode()
    next_link = _link(html, "next")
    assert next_link is not None and "risico=hoog" in next_link and "status=nieuw" in next_link
    seen = _refs(response)
    while next_link is not None:
        response = client.get(url + next_link)
        seen += _refs(response)
        next_link = _link(response.content.decode(), "next")
    assert seen == _expected(user, risico="hoog", status="nieuw")
    assert len(seen) == 5


def test_a_bad_cursor_or_an_old_page_number_shows_the_first_page(region, mfa_client) -> None:
    _make(region, 3)
    client = mfa_client(region["medewerker"])
    url = reverse("casussen:list")
    first = _refs(client.get(url))
    for bad in ("x", "bm9nIGVlbiB0ZWtzdA", "A" * 500, "MjAyNi0wMS0wMXwtMw"):
        assert _refs(client.get(url, {"na": bad})) == first
    assert _refs(client.get(url, {"pagina": "7"})) == first


def test_the_count_stops_at_the_cap(region, mfa_client, monkeypatch) -> None:
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    _make(region, 4)
    client = mfa_client(region["medewerker"])
    html = client.get(reverse("casussen:list")).content.decode()
    assert "Meer dan 3 casussen gevonden." in html
    data = client.get("/api/v1/casussen/").json()
    assert data["count"] is None and len(data["results"]) == 4
    filtered = client.get(reverse("casussen:list"), {"zoek": "zzz"})
    assert "0 casussen gevonden." in filtered.content.decode()


def test_api_pages_by_cursor_and_keeps_count_next_previous(region, mfa_client, monkeypatch) -> None:
    monkeypatch.setattr("casus.apibase.CasusKeysetPagination.page_size", 3)
    _make(region, 4)
    _make(region, 3, same_moment=True)
    user = region["medewerker"]
    client = mfa_client(user)
    data = client.get("/api/v1/casussen/", {"risico": "midden"}).json()
    assert set(data) == {"count", "next", "previous", "results"}
    assert data["count"] == 7 and data["previous"] is None
    seen = [item["referentie"] for item in data["results"]]
    pages = [data]
    while data["next"]:
        assert "risico=midden" in data["next"] and "na=" in data["next"]
        data = client.get(data["next"]).json()
        pages.append(data)
        seen += [item["referentie"] for item in data["results"]]
    assert seen == _expected(user)
    back = client.get(pages[-1]["previous"]).json()
    assert back["results"] == pages[-2]["results"]
    assert client.get("/api/v1/casussen/", {"pagina": "1"}).status_code == 200
    refused = client.get("/api/v1/casussen/", {"pagina": "2"})
    assert refused.status_code == 400 and "next" in refused.json()["pagina"][0]
    assert client.get("/api/v1/casussen/", {"na": "kapot"}).status_code == 400


def test_the_schema_documents_the_cursor_and_the_capped_count(region, mfa_client) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/casussen/"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {"na", "voor", "status", "risico", "zoek"} <= names and "pagina" not in names
    ref = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    page = schema["components"]["schemas"][ref.rsplit("/", 1)[1]]
    assert page["properties"]["count"]["nullable"] is True
    assert "1.000" in page["properties"]["count"]["description"]


def test_the_policy_filters_on_the_permission_id_not_its_codename(region) -> None:
    sql = str(policy.visible_casussen(region["medewerker"]).query)
    assert "auth_permission" not in sql and "codename" not in sql
    perm = policy.permission_id("casus", "view_casus")
    assert f'permission_id" = {perm}' in sql or f"permission_id = {perm}" in sql


def test_the_detail_signals_are_those_of_visible_signalen_without_the_casus_subquery(
    region,
) -> None:
    ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
    authors = [UserFactory.create(partner=p) for p in (region["politie"], region["zorg"], ggd)]
    casus = _make(region, 1, partners=[region["politie"], region["zorg"], ggd])[0]
    for author in authors:
        for zichtbaarheid in (Zichtbaarheid.KETEN, Zichtbaarheid.REGIE, Zichtbaarheid.INTERN):
            signaal = intake.signaal_submit(
                actor=author,
                datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
                bron="hulpverlening",
                sector="raam",
                omschrijving="Waarneming.",
                zichtbaarheid=zichtbaarheid,
                attributes=None,
            )
            intake.signaal_link(actor=region["coordinator"], signaal=signaal, casus=casus)
    readers = [region["coordinator"], region["medewerker"], *authors]
    for user in readers:
        expected = set(policy.visible_signalen(user).filter(casus=casus).values_list("pk"))
        with CaptureQueriesContext(connection) as captured:
            got = set(policy.visible_signalen_of_casus(user, casus).values_list("pk"))
        assert got == expected, user
        assert expected, user
        [query] = [q["sql"] for q in captured.captured_queries if "casus_signaal" in q["sql"]]
        assert "casus_casusgroupobjectpermission" not in query
    assert Signaal.objects.filter(casus=casus).count() == 9


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context.captured_queries)


def test_query_counts_of_list_deep_pages_detail_and_api_do_not_grow(region, mfa_client) -> None:
    """As medewerker and as coordinator: page 1, a page deep in the list, the detail page and
    the API list, at 30 and at 150 casussen."""
    partners = [region["politie"], region["zorg"]]
    clients = {
        "medewerker": mfa_client(region["medewerker"]),
        "coordinator": mfa_client(region["coordinator"]),
    }
    for client in clients.values():  # warm up (the permission id, looked up once per process)
        _count(client, reverse("casussen:list"))
    counts = {}
    for size in (30, 150):
        made = _make(region, size - Casus.objects.count(), partners=partners)
        newest = Casus.objects.order_by("-geopend_op", "-id")
        deep = selectors.casus_cursor(newest[size // 2])
        detail = reverse("casussen:detail", args=[made[0].referentie])
        counts[size] = {
            label: (
                _count(client, reverse("casussen:list")),
                _count(client, f"{reverse('casussen:list')}?na={deep}"),
                _count(client, f"{reverse('casussen:list')}?voor={deep}"),
                _count(client, detail),
                _count(client, "/api/v1/casussen/"),
                _count(client, f"/api/v1/casussen/?na={deep}"),
            )
            for label, client in clients.items()
        }
    print("query counts (page 1, deep, back, detail, API, API deep):", counts)
    assert counts[30] == counts[150]
    for page, deep_page, back, _detail, api, api_deep in counts[150].values():
        assert page == deep_page == back and api == api_deep
        assert page <= 16 and api <= 16
