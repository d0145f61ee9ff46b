"""The meeting page and the API agenda in a fixed number of queries (PRODUCT.md §12): the same
count with 5 and with 50 agenda items, for the chair and for a partner's medewerker."""

from __future__ import annotations

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

import pytest

from casus.overleg import agenda
from tests.casus.overleg.test_overleg_world import (
    MEETING,
    PREVIOUS,
    build_world,
    casus_items,
    hold,
    make_afspraak,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db


def _count(client, url: str) -> int:
    client.get(url)  # warm up: session and per-process caches
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def test_meeting_page_and_api_agenda_queries_do_not_grow_with_items(
    mfa_client, django_assert_max_num_queries
) -> None:
    world = build_world(mfa=True)
    hold(world, PREVIOUS, [])
    meeting = plan(world, MEETING)
    readers = {
        "chair": mfa_client(world.chair),
        "politie": mfa_client(world.medewerker["politie"]),
        "coordinator": mfa_client(world.coordinator),
    }
    urls = {"page": f"/overleggen/{meeting.pk}/", "api": f"/api/v1/overleggen/{meeting.pk}/agenda/"}
    counts: dict[int, dict[str, int]] = {}
    opened = 0
    for size in (5, 50):
        while opened < size:
            # Alternately visible to Politie or shielded; each with partners and an afspraak.
            partners = [world.fier, world.politie] if opened % 2 else [world.ggd, world.gemeente]
            casus = open_casus(world, partners=partners)
            make_afspraak(world, casus, deadline=datetime.date(2026, 4, 1), partner=partners[1])
            opened += 1
        agenda.agenda_generate(overleg=meeting)
        assert len(casus_items(meeting)) == size
        counts[size] = {
            f"{reader}:{kind}": _count(client, url)
            for reader, client in readers.items()
            for kind, url in urls.items()
        }

    print("query counts (5 vs 50 agenda items):", counts)
    assert counts[5] == counts[50]
    with django_assert_max_num_queries(max(counts[50].values())):
        readers["chair"].get(urls["page"])
    assert max(counts[50].values()) <= 25, counts
