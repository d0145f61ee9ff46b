"""The chair's agenda edits: a casus joins the agenda only through the rules (PRODUCT.md §7), an
involved partner's request or the zorgcoördinator — never by a reference the chair types in
(that let the chair probe references and read the agenda-level data of any casus). The chair
sees agenda-level data only of the casussen on its own meeting. Moves at the edge of the list
that change nothing say so."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import NoReverseMatch, reverse

import pytest

from casus import policy
from casus.casussen import services as casus_services
from casus.models import Agendapunt
from casus.overleg import agenda
from casus.overleg import selectors as overleg_selectors
from casus.overleg import services as overleg
from tests.casus.overleg.test_overleg_world import (
    MEETING,
    build_world,
    casus_items,
    item_of,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db


def test_the_chair_cannot_put_a_casus_on_its_agenda_by_reference(mfa_client) -> None:
    world = build_world(mfa=True)
    other = open_casus(world, partners=[world.ggd])  # the chair's organisation is not involved
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    item = item_of(meeting, other)
    overleg.agendapunt_remove(actor=world.chair, agendapunt=item)
    client = mfa_client(world.chair)

    # The page's way in is gone: an existing and a missing reference answer alike.
    with pytest.raises(NoReverseMatch):
        reverse("overleg:agenda_add", args=[meeting.pk])
    url = f"/overleggen/{meeting.pk}/agenda/toevoegen/"
    existing = client.post(url, {"referentie": other.referentie})
    missing = client.post(url, {"referentie": "K-0000-0000"})
    assert existing.status_code == missing.status_code == 404
    page = client.get(reverse("overleg:detail", args=[meeting.pk])).content.decode()
    assert "agenda/toevoegen" not in page and other.referentie not in page
    assert Agendapunt.objects.get(pk=item.pk).verwijderd

    # Nor through the service: only the zorgcoördinator adds by hand.
    with pytest.raises(PermissionDenied):
        overleg.agendapunt_add(actor=world.chair, overleg=meeting, casus=other)
    with pytest.raises(PermissionDenied):
        overleg.agendapunt_add(actor=world.medewerker["ggd"], overleg=meeting, casus=other)
    assert Agendapunt.objects.get(pk=item.pk).verwijderd
    overleg.agendapunt_add(actor=world.coordinator, overleg=meeting, casus=other)
    assert not item_of(meeting, other).verwijderd


def test_an_involved_partners_request_still_puts_a_casus_on_the_agenda() -> None:
    world = build_world()
    casus = open_casus(world, partners=[world.politie])
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    overleg.agendapunt_remove(actor=world.chair, agendapunt=item_of(meeting, casus))
    later = plan(world, MEETING.replace(day=MEETING.day + 7))
    casus_services.agendering_request(
        actor=world.medewerker["politie"], casus=casus, reden="Huisvesting bespreken."
    )
    agenda.agenda_generate(overleg=later)
    assert "geagendeerd" in item_of(later, casus).redenen


def test_the_chair_sees_agenda_level_data_only_of_the_casussen_on_its_meeting() -> None:
    world = build_world()
    ggd_only = open_casus(world, partners=[world.ggd])
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    other_meeting = plan(world, MEETING.replace(day=MEETING.day + 7))
    assert policy.agenda_level_casussen(world.chair, meeting, [ggd_only.pk]) == {ggd_only.pk}
    # A casus passed in that is not on this meeting's agenda (the other meeting is still
    # ungenerated, or the item was taken off) is not agenda level for the chair.
    assert policy.agenda_level_casussen(world.chair, other_meeting, [ggd_only.pk]) == set()
    overleg.agendapunt_remove(actor=world.chair, agendapunt=item_of(meeting, ggd_only))
    assert policy.agenda_level_casussen(world.chair, meeting, [ggd_only.pk]) == set()
    regels = overleg_selectors.agenda_for(user=world.chair, overleg=meeting, record=False)
    assert ggd_only.referentie not in {r.referentie for r in regels}
    # The chair never reads the casus itself.
    assert not policy.visible_casussen(world.chair).filter(pk=ggd_only.pk).exists()


def test_edge_moves_are_refused(mfa_client) -> None:
    world = build_world(mfa=True)
    open_casus(world, partners=[world.gemeente])
    open_casus(world, partners=[world.ggd])
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    client = mfa_client(world.chair)
    first = casus_items(meeting)[0]
    before = [item.pk for item in casus_items(meeting)]
    edge = client.post(
        reverse("overleg:agenda_move", args=[meeting.pk, first.pk]),
        {"richting": "omhoog"},
        follow=True,
    )
    assert "staat al bovenaan" in edge.content.decode()
    assert [item.pk for item in casus_items(meeting)] == before
