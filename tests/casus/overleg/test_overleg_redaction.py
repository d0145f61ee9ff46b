"""The agenda per reader (PRODUCT.md §5) on the meeting page and in the API: an item about a
casus the reader may not see is "Afgeschermd agendapunt" with its number only; the chair sees
the agenda-level data of every item but no contributions; meetings are a 404 for roles without
case content and for partners that are not invited."""

from __future__ import annotations

import pytest

from audit.models import AuditAction, AuditEvent
from casus.casussen import services
from casus.models import Overleg, Reden
from casus.overleg import selectors as overleg_selectors
from partners.models import Role
from tests.casus.overleg.test_overleg_world import (
    AFSPRAAK_TEKST,
    BESLUIT_A,
    BESLUIT_B,
    BIJDRAGE_B,
    BIJDRAGE_TEKST,
    HeldMeeting,
    build_world,
    held_meeting,
    last_event_id,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SHIELDED = {"nummer", "soort", "afgeschermd"}


@pytest.fixture
def held() -> HeldMeeting:
    return held_meeting(build_world(mfa=True))


def _urls(meeting: Overleg) -> dict[str, str]:
    pk = meeting.pk
    first_item = meeting.agendapunten.order_by("volgorde")[0].pk
    return {
        "page": f"/overleggen/{pk}/",
        "progress": f"/overleggen/{pk}/voortgang/",
        "minutes": f"/overleggen/{pk}/verslag/",
        "pdf": f"/overleggen/{pk}/verslag.pdf",
        "ics": f"/overleggen/{pk}/uitnodiging.ics",
        "meeting_item": f"/overleggen/{pk}/agenda/{first_item}/",
        "api": f"/api/v1/overleggen/{pk}/",
        "api_agenda": f"/api/v1/overleggen/{pk}/agenda/",
    }


def _lines(regels) -> list[tuple[int, str, bool, str]]:
    return [(r.nummer, r.soort, r.afgeschermd, r.referentie) for r in regels]


def test_a_medewerker_sees_its_own_casus_and_a_shield_for_the_others(held, mfa_client) -> None:
    client = mfa_client(held.world.medewerker["politie"])
    before = last_event_id()
    response = client.get(_urls(held.meeting)["page"])

    assert response.status_code == 200
    regels = response.context["agenda"]
    assert _lines(regels) == [
        (1, "opening", False, ""),
        (2, "casus", False, held.a.referentie),
        (3, "casus", True, ""),
        (4, "casus", True, ""),
        (5, "trends", False, ""),
        (6, "rondvraag", False, ""),
    ]
    for regel in regels[2:4]:
        assert (regel.risico, regel.redenen, regel.partners, regel.open_afspraken) == (
            "",
            [],
            [],
            [],
        )
    html = response.content.decode()
    assert "Afgeschermd agendapunt" in html
    assert held.a.referentie in html
    for hidden in (
        held.b.referentie,
        held.c.referentie,
        str(Reden.PERIODIEKE_REVIEW.label),  # B's only reason
        str(Reden.VOORSTEL_AFSLUITEN.label),  # C's only reason
        BESLUIT_B,
        BIJDRAGE_B,
    ):
        assert hidden not in html
    # Only what was shown is logged as listed.
    listed = AuditEvent.objects.filter(pk__gt=before, action=AuditAction.CASUS_LISTED)
    assert list(listed.values_list("object_ref", flat=True)) == [held.a.referentie]


def test_the_chair_sees_agenda_level_data_of_every_item_but_no_contributions(
    held, mfa_client
) -> None:
    world = held.world
    response = mfa_client(world.chair).get(_urls(held.meeting)["page"])

    assert response.status_code == 200
    regels = response.context["agenda"]
    assert _lines(regels) == [
        (1, "opening", False, ""),
        (2, "casus", False, held.a.referentie),
        (3, "casus", False, held.b.referentie),
        (4, "casus", False, held.c.referentie),
        (5, "trends", False, ""),
        (6, "rondvraag", False, ""),
    ]
    a, b, c = regels[1:4]
    assert (a.risico, a.redenen, a.partners, [x.pk for x in a.open_afspraken]) == (
        "hoog",
        [Reden.NIEUW],
        ["Fier Testregio", "Politie Testregio"],
        [held.afspraak.pk],
    )
    assert (b.redenen, b.partners, b.open_afspraken) == (
        [Reden.PERIODIEKE_REVIEW],
        ["GGD Testregio", "Gemeente Testdorp"],
        [],
    )
    assert (c.risico, c.redenen, c.partners) == (
        "laag",
        [Reden.VOORSTEL_AFSLUITEN],
        ["GGD Testregio"],
    )
    # The chair's own partner (Gemeente) is involved in B only: only B opens as a casus.
    assert [r.volledig for r in (a, b, c)] == [False, True, False]
    html = response.content.decode()
    for shown in (held.a.referentie, held.b.referentie, held.c.referentie, "Politie Testregio"):
        assert shown in html
    assert f"/casussen/{held.b.referentie}/" in html
    assert f"/casussen/{held.a.referentie}/" not in html
    assert "Afgeschermd agendapunt" not in html
    assert BIJDRAGE_TEKST not in html and BIJDRAGE_B not in html


def test_the_api_agenda_is_redacted_in_the_same_way(held, mfa_client) -> None:
    url = _urls(held.meeting)["api_agenda"]
    ggd = mfa_client(held.world.medewerker["ggd"]).get(url)
    assert ggd.status_code == 200
    lines = ggd.json()
    assert lines[1] == {"nummer": 2, "soort": "casus", "afgeschermd": True}
    assert [line["referentie"] for line in lines[2:4]] == [held.b.referentie, held.c.referentie]
    raw = ggd.content.decode()
    assert held.a.referentie not in raw and "Politie Testregio" not in raw

    chair = mfa_client(held.world.chair).get(url)
    assert chair.status_code == 200
    by_number = {line["nummer"]: line for line in chair.json()}
    assert by_number[2] == {
        "nummer": 2,
        "soort": "casus",
        "afgeschermd": False,
        "referentie": held.a.referentie,
        "risico": "hoog",
        "redenen": ["nieuw"],
        "partners": ["Fier Testregio", "Politie Testregio"],
        "open_afspraken": 1,
    }
    assert [by_number[n]["referentie"] for n in (3, 4)] == [held.b.referentie, held.c.referentie]
    assert not any(line["afgeschermd"] for line in by_number.values())
    raw = chair.content.decode()
    for content in (BIJDRAGE_TEKST, BIJDRAGE_B, BESLUIT_A, AFSPRAAK_TEKST):
        assert content not in raw


@pytest.mark.parametrize("role", [Role.PRIVACY_OFFICER, Role.BEHEERDER, Role.ANALIST])
def test_roles_without_case_content_get_404_for_meetings(held, mfa_client, role) -> None:
    user = UserFactory.create(role=role, partner=held.world.gemeente, mfa=True)
    client = mfa_client(user)
    for name, url in _urls(held.meeting).items():
        assert client.get(url).status_code == 404, name
    assert client.get("/overleggen/").status_code == 404
    assert client.get("/api/v1/overleggen/").status_code == 404


def test_a_partner_that_is_not_invited_gets_404_even_when_involved(held, mfa_client) -> None:
    world = held.world
    services.betrokkenheid_add(
        actor=world.coordinator,
        casus=held.c,
        partner=world.buiten,
        reden="Betrokken bij de opvang.",
        grondslag="wettelijke_taak",
    )
    outsiders = [
        world.medewerker["buiten"],
        UserFactory.create(role=Role.VOORZITTER, partner=world.buiten, mfa=True),
    ]
    for user in outsiders:
        client = mfa_client(user)
        for name, url in _urls(held.meeting).items():
            assert client.get(url).status_code == 404, (user.username, name)
        assert client.get("/api/v1/overleggen/").json()["count"] == 0
        listing = client.get("/overleggen/")
        assert listing.status_code == 200
        assert f"/overleggen/{held.meeting.pk}/" not in listing.content.decode()


def test_the_coordinator_sees_every_item_and_an_invited_voorzitter_only_its_own(
    held, mfa_client
) -> None:
    world = held.world
    coordinator = overleg_selectors.agenda_for(
        user=world.coordinator, overleg=held.meeting, record=False
    )
    assert [r.afgeschermd for r in coordinator] == [False] * 6
    assert all(r.volledig for r in coordinator if r.soort == "casus")
    # Another voorzitter of an invited partner is a reader, not the chair.
    other_chair = UserFactory.create(role=Role.VOORZITTER, partner=world.politie, mfa=True)
    lines = mfa_client(other_chair).get(_urls(held.meeting)["api_agenda"]).json()
    assert [line["afgeschermd"] for line in lines] == [False, False, True, True, False, False]
    assert (
        mfa_client(world.medewerker["fier"]).get(_urls(held.meeting)["meeting_item"]).status_code
        == 404
    )


def test_a_user_named_chair_without_the_chair_role_reads_like_anyone_else(held) -> None:
    world = held.world
    medewerker = world.medewerker["politie"]
    Overleg.objects.filter(pk=held.meeting.pk).update(voorzitter=medewerker)
    held.meeting.refresh_from_db()
    regels = overleg_selectors.agenda_for(user=medewerker, overleg=held.meeting, record=False)
    assert _lines(regels)[1:4] == [
        (2, "casus", False, held.a.referentie),
        (3, "casus", True, ""),
        (4, "casus", True, ""),
    ]
