"""The minutes list the outcomes the chair recorded in the meeting (issue 16, D13): a
carried-over afspraak's outcome and explanation appear under its casus, web and PDF."""

from __future__ import annotations

import datetime
import io
import re

import pytest
from pypdf import PdfReader

from casus.casussen import services
from casus.models import Afspraak
from casus.overleg import services as overleg
from tests.casus.overleg.test_overleg_world import (
    MEETING,
    build_world,
    finalised,
    item_of,
    make_afspraak,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db

TOELICHTING = "Eigenaar nog niet bereikt; nieuwe afspraak gemaakt."


def test_an_outcome_recorded_in_the_meeting_is_in_its_minutes(mfa_client) -> None:
    world = build_world(mfa=True)
    casus = open_casus(world)
    afspraak = make_afspraak(world, casus, deadline=datetime.date(2026, 3, 1))
    meeting = finalised(world, plan(world, MEETING), add=[casus])
    overleg.meeting_afspraak_outcome(
        actor=world.chair,
        agendapunt=item_of(meeting, casus),
        afspraak=afspraak,
        versie=afspraak.versie,
        uitkomst="niet_uitgevoerd",
        uitkomst_toelichting=TOELICHTING,
    )
    afspraak.refresh_from_db()
    assert afspraak.uitkomst_overleg_id == meeting.pk
    assert afspraak.uitkomst_op is not None
    overleg.overleg_held(actor=world.chair, overleg=meeting, aanwezig=world.invited)
    client = mfa_client(world.chair)
    page = client.get(f"/overleggen/{meeting.pk}/verslag/").content.decode()
    assert "Uitkomsten van eerdere afspraken" in page
    assert "Niet uitgevoerd" in page and TOELICHTING in page
    pdf = client.get(f"/overleggen/{meeting.pk}/verslag.pdf")
    text = re.sub(
        r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    )
    assert "Niet uitgevoerd" in text and "Eigenaar nog niet bereikt" in text
    # A reader who may not see the casus does not get the outcome either.
    ggd = mfa_client(world.medewerker["ggd"]).get(f"/overleggen/{meeting.pk}/verslag/")
    assert ggd.status_code == 200
    assert "Afgeschermd agendapunt" in ggd.content.decode()
    assert TOELICHTING not in ggd.content.decode()


def test_an_outcome_recorded_outside_a_meeting_is_in_no_minutes() -> None:
    world = build_world()
    casus = open_casus(world)
    afspraak = make_afspraak(world, casus, deadline=datetime.date(2026, 3, 1))
    services.afspraak_update(
        actor=world.coordinator,
        afspraak=afspraak,
        versie=afspraak.versie,
        uitkomst="uitgevoerd",
    )
    assert Afspraak.objects.get(pk=afspraak.pk).uitkomst_overleg_id is None
