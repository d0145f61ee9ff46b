"""Meeting mode (PRODUCT.md §4.4): the chair records besluiten (guarded free text), afspraken for
involved partners and outcomes of carried-over afspraken; only the chair may; a discussed item
settles its agenda requests; open afspraken carry over to the next agenda."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

import pytest

from audit.models import AuditAction, AuditEvent
from casus.casussen import services
from casus.models import Afspraak, Agendapunt, Agendering, Reden, Risico, Uitkomst
from casus.overleg import agenda
from casus.overleg import selectors as overleg_selectors
from casus.overleg import services as overleg
from partners.models import Role
from tests.casus.overleg.test_overleg_world import (
    AFSPRAAK_TEKST,
    MEETING,
    HeldMeeting,
    build_world,
    held_meeting,
    item_of,
    last_event_id,
    make_afspraak,
    plan,
)
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

IDENTIFIER_BESLUIT = "Zij is bereikbaar op 06-12345678, volgens de exploitant."


@pytest.fixture
def meeting() -> HeldMeeting:
    """M with a final agenda (meeting mode), not yet held."""
    return held_meeting(build_world(mfa=True), held=False)


def _item_url(meeting: HeldMeeting, casus) -> str:
    return reverse(
        "overleg:agendapunt", args=[meeting.meeting.pk, item_of(meeting.meeting, casus).pk]
    )


def test_a_besluit_with_an_identifier_is_refused_in_dutch_and_the_text_kept(
    meeting, mfa_client
) -> None:
    client = mfa_client(meeting.world.chair)
    before = AuditEvent.objects.filter(action=AuditAction.BESLUIT_RECORDED).count()
    response = client.post(
        _item_url(meeting, meeting.c),
        {"formulier": "besluit", "besluit": IDENTIFIER_BESLUIT, "besproken": "on"},
    )

    assert response.status_code == 400
    form = response.context["besluit_form"]
    [message] = form.errors["besluit"]
    assert "telefoonnummer" in message and "12345678" not in message
    assert form["besluit"].value() == IDENTIFIER_BESLUIT
    assert "telefoonnummer" in response.content.decode()
    item = item_of(meeting.meeting, meeting.c)
    assert (item.besluit, item.besproken_op) == ("", None)
    assert AuditEvent.objects.filter(action=AuditAction.BESLUIT_RECORDED).count() == before
    with pytest.raises(ValidationError) as error:
        overleg.agendapunt_record(
            actor=meeting.world.chair, agendapunt=item, besluit=IDENTIFIER_BESLUIT
        )
    assert list(error.value.message_dict) == ["besluit"]


def test_marking_discussed_records_the_moment_the_risk_and_settles_agenda_requests(
    meeting, mfa_client
) -> None:
    world = meeting.world
    request = services.agendering_request(
        actor=world.medewerker["ggd"], casus=meeting.c, reden="Graag afsluiten bespreken."
    )
    client = mfa_client(world.chair)
    url = _item_url(meeting, meeting.c)

    # A besluit without "besproken" leaves the item undiscussed and the request open.
    assert (
        client.post(url, {"formulier": "besluit", "besluit": "Volgende keer."}).status_code == 302
    )
    item = item_of(meeting.meeting, meeting.c)
    assert (item.besluit, item.besproken_op, item.risico_bij_bespreking) == (
        "Volgende keer.",
        None,
        "",
    )
    assert Agendering.objects.get(pk=request.pk).afgehandeld_op is None

    before = last_event_id()
    response = client.post(
        url, {"formulier": "besluit", "besluit": "Afsluiten na de zomer.", "besproken": "on"}
    )
    assert response.status_code == 302
    item = item_of(meeting.meeting, meeting.c)
    assert item.besluit == "Afsluiten na de zomer."
    assert item.besproken_op is not None
    assert item.risico_bij_bespreking == Risico.LAAG
    assert Agendering.objects.get(pk=request.pk).afgehandeld_op == item.besproken_op
    events = AuditEvent.objects.filter(pk__gt=before, action=AuditAction.BESLUIT_RECORDED)
    assert [(e.actor_id, e.object_type, e.object_ref) for e in events] == [
        (world.chair.pk, "overleg", f"O{meeting.meeting.pk}:{meeting.c.referentie}")
    ]


def test_the_chair_makes_an_afspraak_for_an_involved_partner_only(meeting, mfa_client) -> None:
    world = meeting.world
    client = mfa_client(world.chair)
    url = _item_url(meeting, meeting.a)
    deadline = datetime.date(2026, 4, 1)
    wrong_partner = client.post(
        url,
        {
            "formulier": "afspraak",
            "omschrijving": "Huisbezoek plannen.",
            "partner": world.ggd.pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert wrong_partner.status_code == 400
    assert wrong_partner.context["afspraak_form"].errors["partner"]
    identifier = client.post(
        url,
        {
            "formulier": "afspraak",
            "omschrijving": "Bellen naar 06-12345678.",
            "partner": world.politie.pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert identifier.status_code == 400
    assert "telefoonnummer" in identifier.context["afspraak_form"].errors["omschrijving"][0]
    assert list(Afspraak.objects.all()) == [meeting.afspraak]  # nothing half-saved

    made = client.post(
        url,
        {
            "formulier": "afspraak",
            "omschrijving": "Huisbezoek plannen.",
            "partner": world.politie.pk,
            "deadline": deadline.isoformat(),
        },
    )
    assert made.status_code == 302
    afspraak = Afspraak.objects.exclude(pk=meeting.afspraak.pk).get()
    assert afspraak.omschrijving == "Huisbezoek plannen."
    assert (afspraak.casus, afspraak.partner, afspraak.deadline, afspraak.overleg) == (
        meeting.a,
        world.politie,
        deadline,
        meeting.meeting,
    )
    assert (afspraak.uitkomst, afspraak.aangemaakt_door) == (Uitkomst.OPEN, world.chair)
    # The afspraak made in the meeting earlier (held_meeting) carries the meeting as well.
    assert meeting.afspraak.overleg == meeting.meeting


def test_niet_mogelijk_and_niet_uitgevoerd_need_a_toelichting_and_stay_distinct(
    meeting, mfa_client
) -> None:
    world = meeting.world
    impossible = make_afspraak(world, meeting.a, deadline=datetime.date(2026, 2, 20))
    not_done = make_afspraak(
        world, meeting.a, deadline=datetime.date(2026, 2, 21), partner=world.politie
    )
    client = mfa_client(world.chair)
    url = _item_url(meeting, meeting.a)
    page = client.get(url).content.decode()
    assert AFSPRAAK_TEKST in page  # the carried-over afspraken are listed in meeting mode

    for afspraak, uitkomst in ((impossible, "niet_mogelijk"), (not_done, "niet_uitgevoerd")):
        refused = client.post(
            url,
            {
                "formulier": "uitkomst",
                "afspraak": afspraak.pk,
                "versie": afspraak.versie,
                "uitkomst": uitkomst,
                "uitkomst_toelichting": "",
            },
        )
        assert refused.status_code == 400
        assert "Licht toe waarom de afspraak niet is uitgevoerd." in refused.content.decode()
        afspraak.refresh_from_db()
        assert afspraak.uitkomst == Uitkomst.OPEN

    client.post(
        url,
        {
            "formulier": "uitkomst",
            "afspraak": impossible.pk,
            "versie": 1,
            "uitkomst": "niet_mogelijk",
            "uitkomst_toelichting": "Zij is naar een andere regio verhuisd.",
        },
    )
    client.post(
        url,
        {
            "formulier": "uitkomst",
            "afspraak": not_done.pk,
            "versie": 1,
            "uitkomst": "niet_uitgevoerd",
            "uitkomst_toelichting": "Geen capaciteit bij het team.",
        },
    )
    impossible.refresh_from_db()
    not_done.refresh_from_db()
    assert (impossible.uitkomst, impossible.uitkomst_toelichting, impossible.versie) == (
        Uitkomst.NIET_MOGELIJK,
        "Zij is naar een andere regio verhuisd.",
        2,
    )
    assert (not_done.uitkomst, not_done.uitkomst_toelichting, not_done.versie) == (
        Uitkomst.NIET_UITGEVOERD,
        "Geen capaciteit bij het team.",
        2,
    )
    # An afspraak of another casus cannot be reached through this item.
    other = make_afspraak(world, meeting.b, deadline=datetime.date(2026, 2, 20), partner=world.ggd)
    wrong = client.post(
        url,
        {
            "formulier": "uitkomst",
            "afspraak": other.pk,
            "versie": 1,
            "uitkomst": "uitgevoerd",
            "uitkomst_toelichting": "",
        },
    )
    assert wrong.status_code == 404
    other.refresh_from_db()
    assert other.uitkomst == Uitkomst.OPEN


def test_only_the_chair_runs_the_meeting(meeting, mfa_client) -> None:
    world = meeting.world
    carried = make_afspraak(world, meeting.a, deadline=datetime.date(2026, 2, 20))
    others = [
        world.medewerker["politie"],  # involved in A
        world.coordinator,
        UserFactory.create(role=Role.VOORZITTER, partner=world.politie, mfa=True),
    ]
    url = _item_url(meeting, meeting.a)
    posts = [
        {"formulier": "besluit", "besluit": "Overgenomen.", "besproken": "on"},
        {
            "formulier": "afspraak",
            "omschrijving": "Iets anders.",
            "partner": world.politie.pk,
            "deadline": "2026-04-01",
        },
        {
            "formulier": "uitkomst",
            "afspraak": carried.pk,
            "versie": 1,
            "uitkomst": "uitgevoerd",
            "uitkomst_toelichting": "",
        },
    ]
    for user in others:
        client = mfa_client(user)
        assert client.get(url).status_code == 404, user.username
        for data in posts:
            assert client.post(url, data).status_code == 404, (user.username, data["formulier"])
        for name in ("held", "finalise", "minutes_adopt"):
            assert (
                client.post(reverse(f"overleg:{name}", args=[meeting.meeting.pk])).status_code
                == 404
            )
    item = item_of(meeting.meeting, meeting.a)
    carried.refresh_from_db()
    assert item.besluit != "Overgenomen." and carried.uitkomst == Uitkomst.OPEN
    assert Afspraak.objects.count() == 2  # the one made in held_meeting and ``carried``
    for user in others:
        with pytest.raises(PermissionDenied):
            overleg.agendapunt_record(actor=user, agendapunt=item, besluit="Overgenomen.")
    with pytest.raises(PermissionDenied):
        overleg.meeting_afspraak_create(
            actor=others[2],
            agendapunt=item,
            omschrijving="Iets anders.",
            partner=world.politie,
            deadline=datetime.date(2026, 4, 1),
        )


def test_meeting_mode_needs_a_final_agenda() -> None:
    world = build_world()
    casus = services.casus_open(
        actor=world.coordinator,
        risico="hoog",
        grondslag="wpg",
        partners=[world.politie],
        reden="Signalen bij een controle.",
    )
    concept = plan(world, MEETING)
    agenda.agenda_generate(overleg=concept)
    with pytest.raises(ValidationError, match="Stel eerst de agenda vast"):
        overleg.agendapunt_record(
            actor=world.chair, agendapunt=item_of(concept, casus), besluit="Te vroeg."
        )


def test_an_open_afspraak_carries_over_to_the_next_agendas(meeting) -> None:
    world = meeting.world
    overleg.overleg_held(actor=world.chair, overleg=meeting.meeting, aanwezig=world.invited)
    carried = meeting.afspraak  # made in M, for Politie, due 30 March 2026
    assert carried.deadline == datetime.date(2026, 3, 30)

    before_due = plan(world, datetime.datetime(2026, 3, 23, 13, 30, tzinfo=MEETING.tzinfo))
    agenda.agenda_generate(overleg=before_due)
    assert not Agendapunt.objects.filter(overleg=before_due, casus=meeting.a).exists()
    overleg.agendapunt_add(actor=world.coordinator, overleg=before_due, casus=meeting.a)
    [regel] = [
        r
        for r in overleg_selectors.agenda_for(user=world.chair, overleg=before_due, record=False)
        if r.item.casus_id == meeting.a.pk
    ]
    assert regel.redenen == [] and [a.pk for a in regel.open_afspraken] == [carried.pk]

    overdue = plan(world, datetime.datetime(2026, 4, 13, 13, 30, tzinfo=MEETING.tzinfo))
    agenda.agenda_generate(overleg=overdue)
    [regel] = [
        r
        for r in overleg_selectors.agenda_for(
            user=world.medewerker["politie"], overleg=overdue, record=False
        )
        if r.item.casus_id == meeting.a.pk
    ]
    assert regel.redenen == [Reden.AFSPRAAK_VERLOPEN]
    assert [a.pk for a in regel.open_afspraken] == [carried.pk]

    # With an outcome it no longer carries over.
    services.afspraak_update(
        actor=world.medewerker["politie"], afspraak=carried, versie=1, uitkomst="uitgevoerd"
    )
    agenda.agenda_generate(overleg=overdue)
    assert not Agendapunt.objects.filter(overleg=overdue, casus=meeting.a).exists()
