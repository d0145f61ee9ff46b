"""The agenda rules of PRODUCT.md §7: each reason appears exactly when its condition holds.

Meeting M is on Monday 16 March 2026; its predecessor P in the same series on 16 February. Each
test builds casussen on both sides of one rule and compares the complete set of reasons per
casus, so a reason that shows up where it should not fails as well as one that is missing.
"""

from __future__ import annotations

import datetime

import pytest

from casus.casussen import services
from casus.models import Agendapunt, AgendapuntSoort, MatchHint, OverlegSerie, Reden, Risico
from casus.overleg import agenda
from casus.overleg import services as overleg
from tests.casus.overleg.test_overleg_world import (
    AMSTERDAM,
    LONG_AGO,
    MEETING,
    PREVIOUS,
    World,
    build_world,
    change_risk,
    close,
    hold,
    link_signal,
    make_afspraak,
    open_casus,
    plan,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
WEEK = datetime.timedelta(weeks=1)
# Opened after the review horizon of M (12 weeks) but before P: no reason of its own.
QUIET = PREVIOUS - 2 * WEEK


@pytest.fixture
def world() -> World:
    return build_world()


def reasons(world: World, **casussen) -> dict[str, set[str]]:
    """Plan M and return, per name, the reasons the rules give that casus (empty: not on it)."""
    meeting = plan(world, MEETING)
    found = agenda.candidates(meeting)
    return {name: found.get(casus.pk, set()) for name, casus in casussen.items()}


def test_nieuw_means_opened_since_the_previous_meeting_of_the_series(world) -> None:
    hold(world, PREVIOUS, [])
    after = open_casus(world, geopend_op=PREVIOUS + DAY)
    at = open_casus(world, geopend_op=PREVIOUS)
    before = open_casus(world, geopend_op=PREVIOUS - DAY)
    closed = close(world, open_casus(world, geopend_op=PREVIOUS + 2 * DAY))
    # A meeting of another series in between is not P.
    other = OverlegSerie.objects.create(
        naam="Ander overleg", plaats="Elders", voorzitter=world.chair
    )
    plan(world, MEETING - WEEK, serie=other)

    assert reasons(world, after=after, at=at, before=before, closed=closed) == {
        "after": {Reden.NIEUW},
        "at": set(),
        "before": set(),
        "closed": set(),
    }


def test_nieuw_without_a_previous_meeting_looks_back_eight_weeks(world) -> None:
    seven = open_casus(world, geopend_op=MEETING - 7 * WEEK)
    nine = open_casus(world, geopend_op=MEETING - 9 * WEEK)
    assert reasons(world, seven=seven, nine=nine) == {"seven": {Reden.NIEUW}, "nine": set()}


def test_herhaalsignaal_is_a_new_signal_on_a_casus_discussed_within_twelve_months(world) -> None:
    recent = open_casus(world, geopend_op=LONG_AGO)  # discussed in P, new signal since
    quiet = open_casus(world, geopend_op=LONG_AGO)  # discussed in P, signal before P
    eleven = open_casus(world, geopend_op=datetime.datetime(2025, 3, 1, tzinfo=AMSTERDAM))
    stale = open_casus(world, geopend_op=datetime.datetime(2025, 1, 6, tzinfo=AMSTERDAM))
    never = open_casus(world, geopend_op=QUIET)  # never discussed, new signal since P
    hold(world, MEETING - 57 * WEEK, [stale])  # thirteen months ago
    hold(world, MEETING - 48 * WEEK, [eleven])  # eleven months ago
    hold(world, PREVIOUS, [recent, quiet])
    link_signal(world, recent, on=PREVIOUS + 3 * DAY)
    link_signal(world, quiet, on=PREVIOUS - 3 * DAY)
    link_signal(world, eleven, on=PREVIOUS + 4 * DAY)
    link_signal(world, stale, on=PREVIOUS + 5 * DAY)
    link_signal(world, never, on=PREVIOUS + 6 * DAY)
    link_signal(world, None, on=PREVIOUS + 7 * DAY)  # untriaged: belongs to no casus

    assert reasons(world, recent=recent, quiet=quiet, eleven=eleven, stale=stale, never=never) == {
        "recent": {Reden.HERHAALSIGNAAL},
        "quiet": set(),
        "eleven": {Reden.HERHAALSIGNAAL, Reden.PERIODIEKE_REVIEW},
        "stale": {Reden.PERIODIEKE_REVIEW},  # discussed thirteen months ago: no repeat signal
        "never": set(),
    }


def test_a_signal_reported_before_the_last_meeting_but_triaged_after_it_is_a_repeat(
    world,
) -> None:
    """Issue 11: herhaalsignaal counts from the moment the signal joined the casus."""
    late = open_casus(world, geopend_op=LONG_AGO)
    early = open_casus(world, geopend_op=LONG_AGO)
    hold(world, PREVIOUS, [late, early])
    link_signal(world, late, on=PREVIOUS - 3 * DAY, linked_on=PREVIOUS + 2 * DAY)
    link_signal(world, early, on=PREVIOUS - 3 * DAY, linked_on=PREVIOUS - 2 * DAY)
    assert reasons(world, late=late, early=early) == {
        "late": {Reden.HERHAALSIGNAAL},
        "early": set(),
    }


def test_afspraak_verlopen_is_an_open_afspraak_due_before_the_meeting_day(world) -> None:
    def casus_with(deadline: datetime.date, uitkomst: str = "open"):
        casus = open_casus(world, geopend_op=QUIET)
        afspraak = make_afspraak(world, casus, deadline=deadline)
        if uitkomst != "open":
            services.afspraak_update(
                actor=world.coordinator,
                afspraak=afspraak,
                versie=afspraak.versie,
                uitkomst=uitkomst,
                uitkomst_toelichting="De situatie is veranderd.",
            )
        return casus

    hold(world, PREVIOUS, [])
    assert reasons(
        world,
        overdue=casus_with(datetime.date(2026, 2, 20)),
        day_before=casus_with(datetime.date(2026, 3, 15)),  # still ahead today, not at M
        meeting_day=casus_with(datetime.date(2026, 3, 16)),
        later=casus_with(datetime.date(2026, 4, 1)),
        done=casus_with(datetime.date(2026, 2, 20), "uitgevoerd"),
        not_done=casus_with(datetime.date(2026, 2, 20), "niet_uitgevoerd"),
        impossible=casus_with(datetime.date(2026, 2, 20), "niet_mogelijk"),
        lapsed=casus_with(datetime.date(2026, 2, 20), "vervallen"),
    ) == {
        "overdue": {Reden.AFSPRAAK_VERLOPEN},
        "day_before": {Reden.AFSPRAAK_VERLOPEN},
        "meeting_day": set(),
        "later": set(),
        "done": set(),
        "not_done": set(),
        "impossible": set(),
        "lapsed": set(),
    }


def test_risico_verhoogd_compares_with_the_risk_at_the_last_discussion(world) -> None:
    raised = open_casus(world, geopend_op=QUIET, risico=Risico.MIDDEN)
    lowered = open_casus(world, geopend_op=QUIET, risico=Risico.MIDDEN)
    same = open_casus(world, geopend_op=QUIET, risico=Risico.MIDDEN)
    undiscussed = open_casus(world, geopend_op=QUIET, risico=Risico.LAAG)
    earlier = open_casus(world, geopend_op=QUIET, risico=Risico.LAAG)
    hold(world, PREVIOUS - 2 * WEEK, [earlier])  # discussed at laag
    change_risk(world, earlier, Risico.HOOG)  # raised, then discussed again at hoog in P
    hold(world, PREVIOUS, [raised, lowered, same, earlier])
    change_risk(world, raised, Risico.ACUUT)
    change_risk(world, lowered, Risico.LAAG)
    change_risk(world, undiscussed, Risico.HOOG)

    assert {
        item.casus_id: item.risico_bij_bespreking
        for item in Agendapunt.objects.filter(overleg__datum=PREVIOUS, casus__isnull=False)
        if item.besproken_op
    } == {
        raised.pk: Risico.MIDDEN,
        lowered.pk: Risico.MIDDEN,
        same.pk: Risico.MIDDEN,
        earlier.pk: Risico.HOOG,
    }
    assert reasons(
        world, raised=raised, lowered=lowered, same=same, undiscussed=undiscussed, earlier=earlier
    ) == {
        "raised": {Reden.RISICO_VERHOOGD},
        "lowered": set(),
        "same": set(),
        "undiscussed": set(),
        "earlier": set(),
    }


def test_geagendeerd_is_an_open_request_and_discussing_it_settles_it(world) -> None:
    asked = open_casus(world, geopend_op=QUIET, partners=[world.politie])
    settled = open_casus(world, geopend_op=QUIET, partners=[world.politie])
    for casus in (asked, settled):
        services.agendering_request(
            actor=world.medewerker["politie"], casus=casus, reden="Graag bespreken."
        )
    hold(world, PREVIOUS, [settled])  # discussing closes the open request
    assert reasons(world, asked=asked, settled=settled) == {
        "asked": {Reden.GEAGENDEERD},
        "settled": set(),
    }


def test_match_is_an_unresolved_hint_between_signals_of_two_casussen(world) -> None:
    a, b, same, lone, resolved_a, resolved_b = (
        open_casus(world, geopend_op=QUIET) for _ in range(6)
    )
    hold(world, PREVIOUS, [])
    on = QUIET + DAY
    link_signal(world, a, on=on, telefoon="+359 88 765 4321")
    link_signal(world, b, on=on, telefoon="+359 88 765 4321", author="gemeente")
    link_signal(world, same, on=on, telefoon="+40 712 345 678")
    link_signal(world, same, on=on, telefoon="+40 712 345 678", author="gemeente")
    link_signal(world, lone, on=on, telefoon="+234 803 123 4567")
    link_signal(world, None, on=on, telefoon="+234 803 123 4567", author="gemeente")
    link_signal(world, resolved_a, on=on, telefoon="+66 81 234 5678")
    resolved = link_signal(world, resolved_b, on=on, telefoon="+66 81 234 5678", author="ggd")
    assert MatchHint.objects.count() == 4  # every pair is a hint; only one pair counts
    MatchHint.objects.filter(signaal=resolved).update(afgehandeld_op=QUIET + 2 * DAY)

    assert reasons(
        world, a=a, b=b, same=same, lone=lone, resolved_a=resolved_a, resolved_b=resolved_b
    ) == {
        "a": {Reden.MATCH},
        "b": {Reden.MATCH},
        "same": set(),  # both signals on one casus
        "lone": set(),  # the other signal is not linked to a casus
        "resolved_a": set(),
        "resolved_b": set(),
    }


def test_periodieke_review_after_twelve_weeks_without_discussion(world) -> None:
    never_old = open_casus(world, geopend_op=MEETING - 12 * WEEK)  # exactly twelve weeks
    never_young = open_casus(world, geopend_op=MEETING - 12 * WEEK + DAY)
    discussed_long_ago = open_casus(world, geopend_op=LONG_AGO)
    discussed_lately = open_casus(world, geopend_op=LONG_AGO)
    closed = close(world, open_casus(world, geopend_op=LONG_AGO))
    hold(world, MEETING - 13 * WEEK, [discussed_long_ago])
    hold(world, MEETING - 11 * WEEK, [discussed_lately])
    hold(world, PREVIOUS, [])

    assert reasons(
        world,
        never_old=never_old,
        never_young=never_young,
        discussed_long_ago=discussed_long_ago,
        discussed_lately=discussed_lately,
        closed=closed,
    ) == {
        "never_old": {Reden.PERIODIEKE_REVIEW},
        "never_young": set(),
        "discussed_long_ago": {Reden.PERIODIEKE_REVIEW},
        "discussed_lately": set(),
        "closed": set(),
    }


def test_voorstel_afsluiten_when_the_coordinator_proposes_closing(world) -> None:
    proposed = open_casus(world, geopend_op=QUIET)
    other = open_casus(world, geopend_op=QUIET)
    overleg.casus_propose_closing(actor=world.coordinator, casus=proposed)
    hold(world, PREVIOUS, [])
    assert reasons(world, proposed=proposed, other=other) == {
        "proposed": {Reden.VOORSTEL_AFSLUITEN},
        "other": set(),
    }


def test_a_closed_casus_never_appears_whatever_applies_and_leaves_the_concept(world) -> None:
    hold(world, PREVIOUS, [])
    everything = open_casus(world, geopend_op=PREVIOUS + DAY, partners=[world.politie])
    partner_casus = open_casus(world, geopend_op=PREVIOUS + DAY)
    link_signal(world, everything, on=PREVIOUS + DAY, telefoon="+359 88 765 4321")
    link_signal(world, partner_casus, on=PREVIOUS + DAY, telefoon="+359 88 765 4321")
    make_afspraak(world, everything, deadline=datetime.date(2026, 3, 3), partner=world.politie)
    services.agendering_request(
        actor=world.medewerker["politie"], casus=everything, reden="Graag bespreken."
    )
    overleg.casus_propose_closing(actor=world.coordinator, casus=everything)
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)
    assert set(Agendapunt.objects.get(overleg=meeting, casus=everything).redenen) == {
        Reden.NIEUW,
        Reden.AFSPRAAK_VERLOPEN,
        Reden.GEAGENDEERD,
        Reden.MATCH,
        Reden.VOORSTEL_AFSLUITEN,
    }

    close(world, everything)
    assert everything.pk not in agenda.candidates(meeting)
    agenda.agenda_generate(overleg=meeting)
    assert not Agendapunt.objects.filter(overleg=meeting, casus=everything).exists()


def test_an_item_lists_every_reason_that_applies_in_priority_order(world) -> None:
    casus = open_casus(world, geopend_op=LONG_AGO, partners=[world.politie], risico=Risico.LAAG)
    other = open_casus(world, geopend_op=LONG_AGO)
    hold(world, MEETING - 14 * WEEK, [casus])
    hold(world, PREVIOUS, [])
    change_risk(world, casus, Risico.HOOG)
    link_signal(world, casus, on=PREVIOUS + DAY, telefoon="+359 88 765 4321")
    link_signal(world, other, on=PREVIOUS + DAY, telefoon="+359 88 765 4321")
    make_afspraak(world, casus, deadline=datetime.date(2026, 3, 3), partner=world.politie)
    services.agendering_request(
        actor=world.medewerker["politie"], casus=casus, reden="Graag bespreken."
    )
    overleg.casus_propose_closing(actor=world.coordinator, casus=casus)
    meeting = plan(world, MEETING)
    agenda.agenda_generate(overleg=meeting)

    item = Agendapunt.objects.get(overleg=meeting, casus=casus)
    assert item.redenen == [
        Reden.HERHAALSIGNAAL,
        Reden.AFSPRAAK_VERLOPEN,
        Reden.RISICO_VERHOOGD,
        Reden.GEAGENDEERD,
        Reden.MATCH,
        Reden.PERIODIEKE_REVIEW,
        Reden.VOORSTEL_AFSLUITEN,
    ]
    assert item.soort == AgendapuntSoort.CASUS
    assert item.risico_bij_agendering == Risico.HOOG


def test_a_network_phone_between_two_casussen_is_no_match(world) -> None:
    """Two women (other names) on one booker's phone: a 'gedeeld' hint, which the
    coordinator sees, but not the same person: no casus returns under the match rule."""
    a, b = (open_casus(world, geopend_op=QUIET) for _ in range(2))
    hold(world, PREVIOUS, [])
    on = QUIET + DAY
    link_signal(world, a, on=on, telefoon="+31 6 4000 1234", naam=("Ioana", "Radu"))
    link_signal(
        world, b, on=on, telefoon="+31 6 4000 1234", naam=("Blessing", "Okafor"), author="ggd"
    )
    assert list(MatchHint.objects.values_list("sterkte", flat=True)) == ["gedeeld"]
    assert reasons(world, a=a, b=b) == {"a": set(), "b": set()}
