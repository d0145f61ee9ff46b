"""Agenda generation (PRODUCT.md §7): order, idempotency, the chair's edits, the frozen final
agenda, and two simultaneous generations on PostgreSQL."""

from __future__ import annotations

import datetime
import threading
from collections import Counter
from collections.abc import Callable
from functools import partial

from django.core.exceptions import ValidationError
from django.db import connection

import pytest

from audit.models import AuditAction, AuditEvent
from casus.casussen import services
from casus.models import Agendapunt, AgendapuntSoort, OverlegStatus, Reden, Risico
from casus.overleg import agenda, tasks
from casus.overleg import selectors as overleg_selectors
from casus.overleg import services as overleg
from tests.casus.overleg.test_overleg_world import (
    LONG_AGO,
    MEETING,
    PREVIOUS,
    World,
    build_world,
    casus_items,
    hold,
    item_of,
    make_afspraak,
    open_casus,
    plan,
    snapshot,
)

DAY = datetime.timedelta(days=1)
QUIET = PREVIOUS - datetime.timedelta(weeks=2)


@pytest.fixture
def world(db) -> World:
    world = build_world()
    hold(world, PREVIOUS, [])
    return world


@pytest.mark.django_db
def test_items_are_ordered_by_risk_then_reason_with_fixed_sections_around_them(world) -> None:
    laag_a = open_casus(world, geopend_op=PREVIOUS + DAY, risico=Risico.LAAG)
    hoog_voorstel = open_casus(world, geopend_op=QUIET, risico=Risico.HOOG)
    overleg.casus_propose_closing(actor=world.coordinator, casus=hoog_voorstel)
    midden = open_casus(world, geopend_op=QUIET, risico=Risico.MIDDEN, partners=[world.politie])
    make_afspraak(world, midden, deadline=datetime.date(2026, 3, 3), partner=world.politie)
    services.agendering_request(actor=world.medewerker["politie"], casus=midden, reden="Graag.")
    acuut_review = open_casus(world, geopend_op=LONG_AGO, risico=Risico.ACUUT)
    hoog_nieuw = open_casus(world, geopend_op=PREVIOUS + DAY, risico=Risico.HOOG)
    laag_b = open_casus(world, geopend_op=PREVIOUS + DAY, risico=Risico.LAAG)
    acuut_nieuw = open_casus(world, geopend_op=PREVIOUS + DAY, risico=Risico.ACUUT)
    meeting = plan(world, MEETING)

    result = agenda.agenda_generate(overleg=meeting, actor=world.chair)

    assert result.generated and result.items == 10
    rows = list(meeting.agendapunten.select_related("casus").order_by("volgorde"))
    assert [row.volgorde for row in rows] == list(range(1, 11))
    assert [row.casus or row.soort for row in rows] == [
        AgendapuntSoort.OPENING,
        acuut_nieuw,
        acuut_review,
        hoog_nieuw,
        hoog_voorstel,
        midden,
        laag_a,  # same risk and reason: by referentie
        laag_b,
        AgendapuntSoort.TRENDS,
        AgendapuntSoort.RONDVRAAG,
    ]
    assert rows[5].redenen == [Reden.AFSPRAAK_VERLOPEN, Reden.GEAGENDEERD]
    regels = overleg_selectors.agenda_for(user=world.coordinator, overleg=meeting, record=False)
    assert [(r.nummer, r.item.pk) for r in regels] == [(n, row.pk) for n, row in enumerate(rows, 1)]
    meeting.refresh_from_db()
    assert meeting.status == OverlegStatus.AGENDA_CONCEPT
    assert meeting.agenda_gegenereerd_op is not None


@pytest.mark.django_db
def test_generating_twice_gives_identical_items_and_is_audited(world) -> None:
    open_casus(world, geopend_op=PREVIOUS + DAY, risico=Risico.HOOG)
    open_casus(world, geopend_op=LONG_AGO)
    proposed = open_casus(world, geopend_op=QUIET, risico=Risico.LAAG)
    overleg.casus_propose_closing(actor=world.coordinator, casus=proposed)
    meeting = plan(world, MEETING)
    before = AuditEvent.objects.count()

    agenda.agenda_generate(overleg=meeting, actor=world.chair)
    first = snapshot(meeting)
    agenda.agenda_generate(overleg=meeting, actor=world.chair)
    assert tasks.generate_agenda(meeting.pk) == 6
    assert snapshot(meeting) == first
    assert len(first) == 6 and len({row[0] for row in first}) == 6

    events = list(AuditEvent.objects.order_by("id")[before:])
    assert [(e.action, e.object_type, e.object_ref) for e in events] == [
        (AuditAction.AGENDA_GENERATED, "overleg", f"O{meeting.pk}")
    ] * 3
    assert [e.actor_id for e in events] == [world.chair.pk, world.chair.pk, None]
    meeting.refresh_from_db()
    assert meeting.generatie_status == "klaar"


@pytest.mark.django_db
def test_the_chairs_edits_survive_regeneration(world) -> None:
    top = open_casus(world, geopend_op=PREVIOUS + DAY, risico=Risico.HOOG)
    removed = open_casus(world, geopend_op=PREVIOUS + DAY)
    kept = open_casus(world, geopend_op=PREVIOUS + DAY)
    lapsing = open_casus(world, geopend_op=QUIET)  # on the agenda for an overdue afspraak
    afspraak = make_afspraak(world, lapsing, deadline=datetime.date(2026, 2, 20))
    manual = open_casus(world, geopend_op=QUIET)  # no reason: only the chair puts it on
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    assert [i.casus_id for i in casus_items(meeting)] == [top.pk, removed.pk, kept.pk, lapsing.pk]

    overleg.agendapunt_remove(actor=world.chair, agendapunt=item_of(meeting, removed))
    overleg.agendapunt_add(actor=world.coordinator, overleg=meeting, casus=manual)
    overleg.agendapunt_move(
        actor=world.chair, agendapunt=item_of(meeting, manual), richting="omhoog"
    )
    assert [i.casus_id for i in casus_items(meeting)] == [top.pk, kept.pk, manual.pk, lapsing.pk]

    # Meanwhile: the afspraak is done (its reason goes) and an acute casus comes in.
    services.afspraak_update(
        actor=world.coordinator, afspraak=afspraak, versie=1, uitkomst="uitgevoerd"
    )
    newcomer = open_casus(world, risico=Risico.ACUUT)
    agenda.agenda_generate(overleg=meeting)

    # Removed stays removed, the manual item stays, the chair's order stays, new ones follow.
    assert [i.casus_id for i in casus_items(meeting)] == [top.pk, kept.pk, manual.pk, newcomer.pk]
    assert item_of(meeting, removed).verwijderd
    assert item_of(meeting, manual).handmatig_toegevoegd
    assert not Agendapunt.objects.filter(overleg=meeting, casus=lapsing).exists()
    assert [row.volgorde for row in meeting.agendapunten.filter(verwijderd=False)] == list(
        range(1, 8)
    )
    again = snapshot(meeting)
    agenda.agenda_generate(overleg=meeting)
    assert snapshot(meeting) == again
    regels = overleg_selectors.agenda_for(user=world.coordinator, overleg=meeting, record=False)
    assert removed.referentie not in {r.referentie for r in regels}


@pytest.mark.django_db
def test_a_final_agenda_is_frozen(world) -> None:
    open_casus(world, geopend_op=PREVIOUS + DAY)
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    meeting = overleg.agenda_finalise(actor=world.chair, overleg=meeting)
    frozen = snapshot(meeting)
    newcomer = open_casus(world, risico=Risico.ACUUT)

    result = agenda.agenda_generate(overleg=meeting)
    assert (result.generated, result.items) == (False, 4)
    assert tasks.generate_agenda(meeting.pk) == 4
    assert snapshot(meeting) == frozen
    assert newcomer.pk not in {row[3] for row in frozen}
    meeting.refresh_from_db()
    assert meeting.status == OverlegStatus.AGENDA_DEFINITIEF
    with pytest.raises(ValidationError, match="concept-agenda"):
        overleg.agendapunt_add(actor=world.coordinator, overleg=meeting, casus=newcomer)
    overleg.overleg_held(actor=world.chair, overleg=meeting, aanwezig=world.invited)
    assert agenda.agenda_generate(overleg=meeting).generated is False
    assert snapshot(meeting) == frozen


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="DATABASE_URL not set: PostgreSQL-only test"
)
@pytest.mark.django_db(transaction=True)
def test_simultaneous_generations_give_one_agenda_without_duplicates() -> None:
    world = build_world()
    hold(world, PREVIOUS, [])
    for n in range(12):  # all twelve are due for their periodic review, at both meetings
        open_casus(
            world,
            geopend_op=LONG_AGO + n * DAY,
            risico=[Risico.ACUUT, Risico.HOOG, Risico.MIDDEN, Risico.LAAG][n % 4],
        )
    meetings = [plan(world, MEETING), plan(world, MEETING + datetime.timedelta(weeks=4))]
    errors: list[BaseException] = []

    def in_thread(barrier: threading.Barrier, call: Callable[[], object]) -> None:
        try:
            barrier.wait(timeout=30)
            call()
        except BaseException as exc:  # reported below, in the test's own thread
            errors.append(exc)
        finally:
            connection.close()  # each thread had its own connection

    for meeting in meetings:
        calls: list[Callable[[], object]] = [
            partial(tasks.generate_agenda, meeting.pk),
            partial(tasks.generate_agenda, meeting.pk, notify=True),
            partial(agenda.agenda_generate, overleg=meeting),
            partial(agenda.agenda_generate, overleg=meeting),
        ]
        barrier = threading.Barrier(len(calls))
        threads = [threading.Thread(target=in_thread, args=(barrier, call)) for call in calls]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)

        assert errors == []
        rows = list(Agendapunt.objects.filter(overleg=meeting))
        per_casus = Counter(row.casus_id for row in rows if row.casus_id)
        per_section = Counter(row.soort for row in rows if not row.casus_id)
        assert len(per_casus) == 12 and set(per_casus.values()) == {1}
        assert per_section == {"opening": 1, "trends": 1, "rondvraag": 1}
        assert sorted(row.volgorde for row in rows) == list(range(1, 16))
        first = snapshot(meeting)
        agenda.agenda_generate(overleg=meeting)
        assert snapshot(meeting) == first
        meeting.refresh_from_db()
        assert (meeting.status, meeting.generatie_status) == (OverlegStatus.AGENDA_CONCEPT, "klaar")
    connection.close()
