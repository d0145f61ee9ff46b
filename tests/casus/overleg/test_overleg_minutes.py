"""Minutes (PRODUCT.md §4.4): only for a held meeting, rendered per reader as a page and a PDF
(watermarked with reader and time, anchored to the audit chain), never stored, adopted by the
chair only."""

from __future__ import annotations

import io
import re

from django.apps import apps
from django.db import models

import pytest
from pypdf import PdfReader

from audit.models import AuditAction, AuditEvent
from audit.selectors import chain_head
from casus.models import Overleg, OverlegStatus
from casus.overleg import agenda
from casus.overleg import services as overleg
from tests.casus.overleg.test_overleg_world import (
    AFSPRAAK_TEKST,
    BESLUIT_A,
    BESLUIT_B,
    BIJDRAGE_B,
    BIJDRAGE_TEKST,
    MEETING,
    HeldMeeting,
    build_world,
    held_meeting,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def held() -> HeldMeeting:
    return held_meeting(build_world(mfa=True))


def _minutes(meeting: Overleg) -> str:
    return f"/overleggen/{meeting.pk}/verslag/"


def _pdf(meeting: Overleg) -> str:
    return f"/overleggen/{meeting.pk}/verslag.pdf"


def _pdf_text(content: bytes) -> str:
    """The text of every page, with whitespace collapsed (the layout wraps lines)."""
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def test_minutes_exist_only_for_a_held_meeting(mfa_client) -> None:
    world = build_world(mfa=True)
    open_casus(world)
    meeting = plan(world, MEETING)
    client = mfa_client(world.chair)
    for step in ("gepland", "agenda_concept", "agenda_definitief"):
        meeting.refresh_from_db()
        assert meeting.status == step
        assert client.get(_minutes(meeting)).status_code == 404, step
        assert client.get(_pdf(meeting)).status_code == 404, step
        if step == "gepland":
            agenda.agenda_generate(overleg=meeting)
        elif step == "agenda_concept":
            overleg.agenda_finalise(actor=world.chair, overleg=meeting)
    overleg.overleg_held(actor=world.chair, overleg=meeting, aanwezig=world.invited)
    assert client.get(_minutes(meeting)).status_code == 200
    overleg.minutes_adopt(actor=world.chair, overleg=meeting)
    assert client.get(_minutes(meeting)).status_code == 200
    assert client.get(_pdf(meeting)).status_code == 200


def test_the_minutes_page_is_rendered_per_reader(held, mfa_client) -> None:
    pages = {
        name: mfa_client(user).get(_minutes(held.meeting))
        for name, user in (
            ("politie", held.world.medewerker["politie"]),
            ("ggd", held.world.medewerker["ggd"]),
            ("chair", held.world.chair),
        )
    }
    for response in pages.values():
        assert response.status_code == 200
        assert "no-store" in response["Cache-Control"]
    politie, ggd, chair = (pages[name].content.decode() for name in ("politie", "ggd", "chair"))
    assert BESLUIT_A in politie and AFSPRAAK_TEKST in politie
    assert held.b.referentie not in politie and BESLUIT_B not in politie
    assert "Afgeschermd agendapunt" in politie
    assert BESLUIT_B in ggd and held.b.referentie in ggd
    assert held.a.referentie not in ggd and BESLUIT_A not in ggd and AFSPRAAK_TEKST not in ggd
    # The chair: every item at agenda level, the besluiten it recorded and the afspraken made.
    for shown in (held.a.referentie, held.b.referentie, BESLUIT_A, BESLUIT_B, AFSPRAAK_TEKST):
        assert shown in chair
    assert "Afgeschermd agendapunt" not in chair
    for page in (politie, ggd, chair):
        assert BIJDRAGE_TEKST not in page and BIJDRAGE_B not in page
    assert "opgesteld voor medewerker.politie" in politie
    reads = AuditEvent.objects.filter(action=AuditAction.MINUTES_READ)
    meeting_reads = reads.filter(object_type="overleg")
    assert meeting_reads.count() == 3
    assert {e.object_ref for e in meeting_reads} == {f"O{held.meeting.pk}"}
    # And a read under each casus the reader was shown (tests/casus/overleg/test_audit_records.py
    # has the complete records): Politie A; GGD B and C; the chair all three.
    per_reader = {(e.actor_id, e.object_ref) for e in reads.filter(object_type="casus")}
    a, b, c = held.a.referentie, held.b.referentie, held.c.referentie
    politie, ggd, chair = (
        held.world.medewerker["politie"].pk,
        held.world.medewerker["ggd"].pk,
        held.world.chair.pk,
    )
    assert per_reader == {
        (politie, a),
        (ggd, b),
        (ggd, c),
        (chair, a),
        (chair, b),
        (chair, c),
    }


def test_the_pdf_shields_items_names_the_reader_and_anchors_the_audit_chain(
    held, mfa_client
) -> None:
    client = mfa_client(held.world.medewerker["ggd"])
    response = client.get(_pdf(held.meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]
    assert response["Content-Disposition"].startswith("attachment;")
    text = _pdf_text(response.content)
    # Item 2 is A (Fier, Politie): for GGD only its number and "Afgeschermd agendapunt".
    assert text.count("Afgeschermd agendapunt") == 1
    assert re.search(r"Afgeschermd agendapunt ?2\b|\b2\.? ?Afgeschermd agendapunt", text), text
    for hidden in (held.a.referentie, BESLUIT_A, AFSPRAAK_TEKST, BIJDRAGE_TEKST, BIJDRAGE_B):
        assert hidden not in text
    assert held.b.referentie in text and BESLUIT_B in text
    assert "opgesteld voor medewerker.ggd" in text
    number, head = chain_head()
    assert f"gebeurtenis {number}" in text
    assert head in text.replace(" ", "")
    exported = AuditEvent.objects.get(seq=number)  # the head is a place in the sealed chain
    assert (exported.action, exported.actor_id, exported.object_ref) == (
        AuditAction.MINUTES_EXPORTED,
        held.world.medewerker["ggd"].pk,
        f"O{held.meeting.pk}",
    )

    chair = _pdf_text(mfa_client(held.world.chair).get(_pdf(held.meeting)).content)
    for shown in (held.a.referentie, held.b.referentie, BESLUIT_A, BESLUIT_B, AFSPRAAK_TEKST):
        assert shown in chair
    assert "Afgeschermd agendapunt" not in chair and BIJDRAGE_TEKST not in chair
    assert "opgesteld voor voorzitter" in chair


def _row_counts() -> dict[str, int]:
    return {
        model._meta.label: model._default_manager.count()
        for app in ("casus", "partners", "audit")
        for model in apps.get_app_config(app).get_models()
    }


def test_minutes_are_never_stored(held, mfa_client, settings, tmp_path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    client = mfa_client(held.world.coordinator)
    before = _row_counts()

    assert client.get(_pdf(held.meeting)).status_code == 200
    assert client.get(_minutes(held.meeting)).status_code == 200

    after = _row_counts()
    changed = {
        label: after[label] - before[label] for label in after if after[label] != before[label]
    }
    # The export and the read, each on the meeting and under each of its three casussen (the
    # coordinator sees them all), sealed into the chain as one block per document (the minutes
    # name the chain head); nothing else.
    assert changed == {"audit.AuditEvent": 2 * (1 + 3), "audit.AuditBlock": 2}
    assert not (tmp_path / "media").exists()
    # No model could hold a rendered document.
    for app in ("casus", "partners", "audit"):
        for model in apps.get_app_config(app).get_models():
            for field in model._meta.get_fields():
                assert not isinstance(field, (models.FileField, models.BinaryField)), field


def test_only_the_chair_adopts_the_minutes(held, mfa_client) -> None:
    world = held.world
    url = f"/overleggen/{held.meeting.pk}/verslag/vaststellen/"
    for user in (world.coordinator, world.medewerker["gemeente"]):
        assert mfa_client(user).post(url).status_code == 404
    held.meeting.refresh_from_db()
    assert held.meeting.status == OverlegStatus.GEHOUDEN
    assert not AuditEvent.objects.filter(action=AuditAction.MINUTES_ADOPTED).exists()

    chair = mfa_client(world.chair)
    assert chair.post(url).status_code == 302
    held.meeting.refresh_from_db()
    assert held.meeting.status == OverlegStatus.VERSLAG_VASTGESTELD
    assert held.meeting.verslag_vastgesteld_op is not None
    [event] = AuditEvent.objects.filter(action=AuditAction.MINUTES_ADOPTED)
    assert (event.actor_id, event.object_ref) == (world.chair.pk, f"O{held.meeting.pk}")
    # Adopting twice is refused with a message; nothing changes.
    again = chair.post(url, follow=True)
    assert "kan een overleg niet naar" in again.content.decode()
    assert AuditEvent.objects.filter(action=AuditAction.MINUTES_ADOPTED).count() == 1
