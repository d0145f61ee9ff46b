"""The chair's agenda edits at agenda level: adding a casus the chair's organisation cannot open,
and moves at the edge of the list that change nothing say so."""

from __future__ import annotations

from django.urls import reverse

import pytest

from casus.models import Agendapunt
from casus.overleg import agenda
from tests.casus.overleg.test_overleg_world import (
    MEETING,
    build_world,
    casus_items,
    item_of,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db


def test_chair_adds_a_casus_of_another_partner_and_edge_moves_are_refused(mfa_client) -> None:
    world = build_world(mfa=True)
    own = open_casus(world, partners=[world.gemeente])
    other = open_casus(world, partners=[world.ggd])  # the chair's organisation is not involved
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    client = mfa_client(world.chair)
    for casus in (own, other):
        item = Agendapunt.objects.filter(overleg=meeting, casus=casus).first()
        if item is not None:
            client.post(reverse("overleg:agenda_remove", args=[meeting.pk, item.pk]))
    response = client.post(
        reverse("overleg:agenda_add", args=[meeting.pk]), {"referentie": other.referentie}
    )
    assert response.status_code == 302
    assert not item_of(meeting, other).verwijderd
    unknown = client.post(
        reverse("overleg:agenda_add", args=[meeting.pk]), {"referentie": "K-0000-0000"}
    )
    assert unknown.status_code == 400
    assert "Er is geen casus met deze referentie." in unknown.content.decode()
    # A medewerker cannot use the chair's way in.
    assert (
        mfa_client(world.medewerker["ggd"])
        .post(reverse("overleg:agenda_add", args=[meeting.pk]), {"referentie": own.referentie})
        .status_code
        == 404
    )

    first = casus_items(meeting)[0]
    before = [item.pk for item in casus_items(meeting)]
    edge = client.post(
        reverse("overleg:agenda_move", args=[meeting.pk, first.pk]),
        {"richting": "omhoog"},
        follow=True,
    )
    assert "staat al bovenaan" in edge.content.decode()
    assert [item.pk for item in casus_items(meeting)] == before
