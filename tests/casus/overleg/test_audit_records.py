"""The complete audit record of every ketenoverleg write and read: the chair's (or reader's)
user, partner and role, the meeting reference, and the casus reference where one is meant."""

from __future__ import annotations

import datetime

from django.urls import reverse

import pytest

from audit.models import AuditAction
from casus.models import Agendapunt, AgendapuntSoort, Casus, Overleg, Risico
from casus.overleg import agenda
from casus.overleg import services as overleg
from partners.models import Role, User
from tests.audit_records import (
    Record,
    assert_written_by,
    audit_record,
    last_event_id,
    records_since,
)
from tests.casus.overleg.test_overleg_world import (
    LONG_AGO,
    MEETING,
    PREVIOUS,
    HeldMeeting,
    World,
    build_world,
    casus_items,
    held_meeting,
    hold,
    item_of,
    make_afspraak,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db


def _meeting(action: AuditAction, actor: User | None, meeting: Overleg, ref: str = "") -> Record:
    return audit_record(
        action, actor=actor, object_type="overleg", object_ref=ref or f"O{meeting.pk}"
    )


@pytest.fixture
def world() -> World:
    world = build_world(mfa=True)
    hold(world, PREVIOUS, [])
    return world


# --- writes --------------------------------------------------------------------------------------


def test_planning_and_generating_the_agenda(world: World) -> None:
    open_casus(world, risico=Risico.HOOG)
    before = last_event_id()
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting, actor=world.chair)
    assert records_since(before) == [
        _meeting(AuditAction.OVERLEG_PLANNED, world.chair, meeting),
        _meeting(AuditAction.AGENDA_GENERATED, world.chair, meeting),
    ]


def test_cancelling_a_meeting_is_one_event_without_the_reason(world: World) -> None:
    meeting = plan(world, MEETING)
    before = last_event_id()
    overleg.overleg_cancel(actor=world.chair, overleg=meeting, reden="Voorzitter ziek.")
    assert records_since(before) == [
        _meeting(AuditAction.OVERLEG_CANCELLED, world.chair, meeting),
    ]


def test_each_edit_of_the_chair_and_fixing_the_agenda(world: World) -> None:
    hoog = open_casus(world, risico=Risico.HOOG)
    review = open_casus(world, geopend_op=LONG_AGO)
    extra = open_casus(world, geopend_op=PREVIOUS - datetime.timedelta(weeks=2))
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting, actor=world.chair)
    on_agenda = {item.casus_id for item in casus_items(meeting)}
    assert {hoog.pk, review.pk} <= on_agenda and extra.pk not in on_agenda
    chair = world.chair
    before = last_event_id()

    overleg.agendapunt_remove(actor=chair, agendapunt=item_of(meeting, hoog))
    # Only the zorgcoördinator adds by hand (the chair never: PRODUCT.md §7).
    added = overleg.agendapunt_add(actor=world.coordinator, overleg=meeting, casus=extra)
    overleg.agendapunt_move(actor=chair, agendapunt=added, richting="omhoog")
    overleg.agenda_finalise(actor=chair, overleg=meeting)

    assert records_since(before) == [
        _meeting(AuditAction.AGENDA_CHANGED, chair, meeting),
        _meeting(AuditAction.AGENDA_CHANGED, world.coordinator, meeting),
        _meeting(AuditAction.AGENDA_CHANGED, chair, meeting),
        _meeting(AuditAction.AGENDA_FINALISED, chair, meeting),
    ]


def test_the_meeting_itself_and_its_minutes() -> None:
    """A besluit names the item it is about; afspraken made or settled in the meeting are
    afspraak events with the casus's grondslag."""
    held = held_meeting(build_world(), held=False)
    world, meeting, chair = held.world, held.meeting, held.world.chair
    opening = Agendapunt.objects.get(overleg=meeting, soort=AgendapuntSoort.OPENING)
    carried = make_afspraak(
        world, held.b, deadline=datetime.date(2026, 3, 20), partner=world.gemeente
    )
    before = last_event_id()

    overleg.agendapunt_record(actor=chair, agendapunt=item_of(meeting, held.a), besluit="Door.")
    overleg.agendapunt_record(actor=chair, agendapunt=opening, besluit="", besproken=False)
    made = overleg.meeting_afspraak_create(
        actor=chair,
        agendapunt=item_of(meeting, held.a),
        omschrijving="Huisbezoek plannen.",
        partner=world.politie,
        deadline=datetime.date(2026, 4, 1),
    )
    overleg.meeting_afspraak_outcome(
        actor=chair,
        agendapunt=item_of(meeting, held.b),
        afspraak=carried,
        versie=carried.versie,
        uitkomst="uitgevoerd",
    )
    overleg.overleg_held(actor=chair, overleg=meeting, aanwezig=world.invited)
    overleg.minutes_adopt(actor=chair, overleg=meeting)

    o = f"O{meeting.pk}"
    assert records_since(before) == [
        _meeting(AuditAction.BESLUIT_RECORDED, chair, meeting, f"{o}:{held.a.referentie}"),
        _meeting(AuditAction.BESLUIT_RECORDED, chair, meeting, f"{o}:opening"),
        audit_record(
            AuditAction.AFSPRAAK_CREATED,
            actor=chair,
            purpose="wettelijke_taak",
            object_type="afspraak",
            object_ref=f"{held.a.referentie}:A{made.pk}",
        ),
        audit_record(
            AuditAction.AFSPRAAK_UPDATED,
            actor=chair,
            purpose="wettelijke_taak",
            object_type="afspraak",
            object_ref=f"{held.b.referentie}:A{carried.pk}",
        ),
        _meeting(AuditAction.OVERLEG_HELD, chair, meeting),
        _meeting(AuditAction.MINUTES_ADOPTED, chair, meeting),
    ]


def test_proposing_to_close_a_casus_is_an_update_of_the_casus(world: World) -> None:
    casus = open_casus(world)
    before = last_event_id()
    overleg.casus_propose_closing(actor=world.coordinator, casus=casus)
    assert records_since(before) == [
        audit_record(
            AuditAction.CASUS_UPDATED,
            actor=world.coordinator,
            purpose="wettelijke_taak",
            object_type="casus",
            object_ref=casus.referentie,
        )
    ]


# --- reads (through the pages) -------------------------------------------------------------------


@pytest.fixture
def held() -> HeldMeeting:
    return held_meeting(build_world(mfa=True))


def test_the_agenda_page_records_the_agenda_and_each_casus_shown(held, mfa_client) -> None:
    reader = held.world.medewerker["politie"]  # involved in A only
    client = mfa_client(reader)
    before = last_event_id()

    response = client.get(reverse("overleg:detail", args=[held.meeting.pk]))

    assert response.status_code == 200
    assert records_since(before) == [
        _meeting(AuditAction.AGENDA_READ, reader, held.meeting),
        audit_record(
            AuditAction.CASUS_LISTED,
            actor=reader,
            object_type="casus",
            object_ref=held.a.referentie,
        ),
    ]
    assert_written_by(response, before)


@pytest.mark.parametrize("via", ["page", "api"])
def test_the_chairs_agenda_read_is_listed_under_each_casus_on_it(held, mfa_client, via) -> None:
    """The chair sees every casus on its meeting at agenda level: each is listed under the
    casus, on the page and in the API alike."""
    chair = held.world.chair
    client = mfa_client(chair)
    url = (
        reverse("overleg:detail", args=[held.meeting.pk])
        if via == "page"
        else f"/api/v1/overleggen/{held.meeting.pk}/agenda/"
    )
    before = last_event_id()

    response = client.get(url)

    assert response.status_code == 200
    casussen = _on_agenda(held.meeting, {held.a.pk, held.b.pk, held.c.pk})
    assert len(casussen) == 3
    assert records_since(before) == [
        _meeting(AuditAction.AGENDA_READ, chair, held.meeting),
        *(
            audit_record(
                AuditAction.CASUS_LISTED,
                actor=chair,
                object_type="casus",
                object_ref=casus.referentie,
            )
            for casus in casussen
        ),
    ]
    assert_written_by(response, before)


def test_the_meeting_mode_page_is_a_read_of_the_agenda(held, mfa_client) -> None:
    chair = held.world.chair
    client = mfa_client(chair)
    before = last_event_id()

    response = client.get(
        reverse("overleg:agendapunt", args=[held.meeting.pk, item_of(held.meeting, held.a).pk])
    )

    assert response.status_code == 200
    # The item shows the casus at agenda level: a read under the casus too (the FG's view per
    # casus lists it).
    assert records_since(before) == [
        _meeting(AuditAction.AGENDA_READ, chair, held.meeting),
        _casus(AuditAction.AGENDA_READ, chair, held.a),
    ]
    assert_written_by(response, before)


def _casus(action: AuditAction, actor: User, casus: Casus) -> Record:
    return audit_record(
        action,
        actor=actor,
        purpose=casus.grondslag,
        object_type="casus",
        object_ref=casus.referentie,
    )


def _on_agenda(meeting: Overleg, casussen: set[int]) -> list[Casus]:
    """These casussen in agenda order."""
    return [
        item.casus
        for item in casus_items(meeting)
        if item.casus is not None and item.casus_id in casussen
    ]


@pytest.mark.parametrize("reader_key", ["ggd", "chair"])
def test_reading_and_exporting_the_minutes_is_a_read_of_each_casus_shown(
    held, mfa_client, reader_key
) -> None:
    """GGD is involved in B and C (not A): a read under each of those. The chair sees every
    casus on its meeting at agenda level: a read under each. Then the event on the meeting."""
    world = held.world
    reader = world.chair if reader_key == "chair" else world.medewerker["ggd"]
    shown = {held.b.pk, held.c.pk} | ({held.a.pk} if reader_key == "chair" else set())
    casussen = _on_agenda(held.meeting, shown)
    assert len(casussen) == len(shown)
    client = mfa_client(reader)

    _assert_document_read(
        client,
        reverse("overleg:minutes", args=[held.meeting.pk]),
        AuditAction.MINUTES_READ,
        reader,
        casussen,
        held.meeting,
    )
    _assert_document_read(
        client,
        reverse("overleg:minutes_pdf", args=[held.meeting.pk]),
        AuditAction.MINUTES_EXPORTED,
        reader,
        casussen,
        held.meeting,
    )


def _assert_document_read(
    client, url: str, action: AuditAction, reader: User, casussen: list[Casus], meeting: Overleg
) -> None:
    before = last_event_id()
    response = client.get(url)
    assert response.status_code == 200
    assert records_since(before) == [
        *(_casus(action, reader, casus) for casus in casussen),
        _meeting(action, reader, meeting),
    ]
    assert_written_by(response, before)


def test_the_fg_finds_minutes_reads_under_the_casus(held, mfa_client) -> None:
    """The FG's page per casus (audit) lists who read the minutes in which the casus was."""
    from audit.selectors import casus_access_for
    from tests.factories import UserFactory

    reader = held.world.medewerker["ggd"]
    client = mfa_client(reader)
    client.get(reverse("overleg:minutes", args=[held.meeting.pk]))
    client.get(reverse("overleg:minutes_pdf", args=[held.meeting.pk]))
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)

    [summary] = [
        s
        for s in casus_access_for(user=fg, referentie=held.b.referentie)
        if s.actor_id == reader.pk
    ]
    actions = {a.action: a.count for a in summary.actions}
    assert actions[AuditAction.MINUTES_READ] == 1
    assert actions[AuditAction.MINUTES_EXPORTED] == 1
    assert not any(
        s.actor_id == reader.pk for s in casus_access_for(user=fg, referentie=held.a.referentie)
    )
    page = mfa_client(fg).get(reverse("fg:casus", args=[held.b.referentie]))
    assert page.status_code == 200
    assert "Verslag ingezien" in page.content.decode()
