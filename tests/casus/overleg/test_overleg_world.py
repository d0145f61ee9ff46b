"""Shared builders for the ketenoverleg tests (a helper module: it holds no tests itself).

Everything goes through the services (casus.services, casus.intake, casus.overleg, casus.agenda),
so the tests see the rows the product itself writes. The clock stands at TEST_START (Monday
2 March 2026, 09:00); the meeting under test is two weeks later and its predecessor in the same
series four weeks before it.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.db.models import Max
from django.utils import timezone

import time_machine

from audit.models import AuditEvent
from casus.casussen import services
from casus.models import (
    Afspraak,
    Agendapunt,
    AgendapuntSoort,
    Casus,
    Overleg,
    OverlegSerie,
    Risico,
    Signaal,
    Status,
)
from casus.overleg import agenda
from casus.overleg import services as overleg
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Partner, PartnerKind, Role, User
from tests.casus.factories import CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
MEETING = datetime.datetime(2026, 3, 16, 13, 30, tzinfo=AMSTERDAM)  # a Monday, two weeks on
PREVIOUS = MEETING - datetime.timedelta(weeks=4)  # P: the previous meeting of the series
LONG_AGO = datetime.datetime(2025, 10, 1, 10, 0, tzinfo=AMSTERDAM)  # opened > 12 weeks before

BESLUIT = "Politie en gemeente stemmen de vervolgstappen af; Fier houdt contact."
AFSPRAAK_TEKST = "Contact opnemen met de exploitant over de werkomstandigheden."
BIJDRAGE_TEKST = "Waarneming bij de controle: een ingestudeerd verhaal over de woning."


@dataclass
class World:
    """Five partners (four invited), a coordinator, the chair and one medewerker per partner."""

    fier: Partner
    politie: Partner
    gemeente: Partner
    ggd: Partner
    buiten: Partner  # not invited to the series
    coordinator: User
    chair: User
    serie: OverlegSerie
    medewerker: dict[str, User] = field(default_factory=dict)

    @property
    def invited(self) -> list[Partner]:
        return [self.fier, self.politie, self.gemeente, self.ggd]


def build_world(*, mfa: bool = False, email: bool = False) -> World:
    fier = PartnerFactory.create(name="Fier Testregio", kind=PartnerKind.ZORG)
    politie = PartnerFactory.create(name="Politie Testregio", kind=PartnerKind.POLITIE)
    gemeente = PartnerFactory.create(name="Gemeente Testdorp", kind=PartnerKind.GEMEENTE)
    ggd = PartnerFactory.create(name="GGD Testregio", kind=PartnerKind.GEZONDHEID)
    buiten = PartnerFactory.create(name="Stichting Elders", kind=PartnerKind.OVERIG)

    def mail(name: str) -> str:
        return f"{name}@example.org" if email else ""

    coordinator = CoordinatorFactory.create(
        username="coordinator", partner=fier, mfa=mfa, email=mail("coordinator")
    )
    chair = UserFactory.create(
        username="voorzitter", partner=gemeente, role=Role.VOORZITTER, mfa=mfa, email=mail("vz")
    )
    serie = OverlegSerie.objects.create(
        naam="Ketenoverleg mensenhandel Testregio",
        interval_weken=4,
        plaats="Stadskantoor, zaal 3",
        voorzitter=chair,
    )
    serie.partners.set([fier, politie, gemeente, ggd])
    world = World(fier, politie, gemeente, ggd, buiten, coordinator, chair, serie)
    for key, partner in (
        ("fier", fier),
        ("politie", politie),
        ("gemeente", gemeente),
        ("ggd", ggd),
        ("buiten", buiten),
    ):
        world.medewerker[key] = UserFactory.create(
            username=f"medewerker.{key}", partner=partner, mfa=mfa, email=mail(key)
        )
    return world


def open_casus(
    world: World,
    *,
    partners: list[Partner] | None = None,
    risico: str = Risico.MIDDEN,
    geopend_op: datetime.datetime | None = None,
) -> Casus:
    return services.casus_open(
        actor=world.coordinator,
        risico=risico,
        grondslag="wettelijke_taak",
        partners=partners or [world.fier],
        reden="Afstemming tussen hulpverlening en handhaving.",
        geopend_op=geopend_op,
    )


def close(world: World, casus: Casus) -> Casus:
    return services.casus_change_status(
        actor=world.coordinator, casus=casus, status=Status.AFGESLOTEN, uitkomst="uitstap"
    )


def change_risk(world: World, casus: Casus, risico: str) -> Casus:
    casus.refresh_from_db()
    return services.casus_update(
        actor=world.coordinator,
        casus=casus,
        risico=risico,
        sector=casus.sector,
        gemeente=casus.gemeente,
        veilig_om_te_bellen=casus.veilig_om_te_bellen,
        tolk_nodig=casus.tolk_nodig,
    )


def plan(world: World, datum: datetime.datetime, serie: OverlegSerie | None = None) -> Overleg:
    return overleg.overleg_plan(actor=world.chair, serie=serie or world.serie, datum=datum)


def item_of(meeting: Overleg, casus: Casus) -> Agendapunt:
    return Agendapunt.objects.get(overleg=meeting, casus=casus)


def finalised(world: World, meeting: Overleg, *, add: Sequence[Casus] = ()) -> Overleg:
    """Generate the concept, add what must be on it, and fix it (meeting mode opens)."""
    agenda.agenda_generate(overleg=meeting, actor=world.chair)
    for casus in add:
        if not Agendapunt.objects.filter(overleg=meeting, casus=casus, verwijderd=False).exists():
            overleg.agendapunt_add(actor=world.coordinator, overleg=meeting, casus=casus)
    return overleg.agenda_finalise(actor=world.chair, overleg=meeting)


def hold(
    world: World, datum: datetime.datetime, discussed: list[Casus], *, besluit: str = BESLUIT
) -> Overleg:
    """A meeting of the series at ``datum`` in which ``discussed`` were discussed, held."""
    meeting = finalised(world, plan(world, datum), add=discussed)
    for casus in discussed:
        overleg.agendapunt_record(
            actor=world.chair, agendapunt=item_of(meeting, casus), besluit=besluit, op=datum
        )
    return overleg.overleg_held(actor=world.chair, overleg=meeting, aanwezig=world.invited)


def link_signal(
    world: World,
    casus: Casus | None,
    *,
    on: datetime.datetime,
    telefoon: str = "",
    author: str = "politie",
    linked_on: datetime.datetime | None = None,
    naam: tuple[str, str] | None = None,
) -> Signaal:
    """A signal observed and submitted at ``on``, linked to ``casus`` (untriaged if None) at
    ``linked_on`` (default: the same moment); ``naam``: given and family name, if any."""
    voornamen, achternaam = naam or ("", "")
    signaal = intake.signaal_submit(
        actor=world.medewerker[author],
        datum_waargenomen=timezone.localdate(on),
        bron="controle",
        sector="raam",
        omschrijving="Waarneming bij een controle op de Weaze.",
        zichtbaarheid="keten",
        attributes=IdentifyingAttributes(
            telefoon=telefoon, voornamen=voornamen, achternaam=achternaam
        )
        if telefoon or naam
        else None,
        aangemaakt_op=on,
    )
    if casus is not None:
        with time_machine.travel(linked_on or on, tick=False):
            signaal = intake.signaal_link(actor=world.coordinator, signaal=signaal, casus=casus)
    return signaal


def make_afspraak(
    world: World,
    casus: Casus,
    *,
    deadline: datetime.date,
    partner: Partner | None = None,
    aangemaakt_op: datetime.datetime | None = None,
    omschrijving: str = AFSPRAAK_TEKST,
) -> Afspraak:
    return services.afspraak_create(
        actor=world.coordinator,
        casus=casus,
        omschrijving=omschrijving,
        partner=partner or world.fier,
        deadline=deadline,
        aangemaakt_op=aangemaakt_op or datetime.datetime(2026, 2, 1, 10, 0, tzinfo=AMSTERDAM),
    )


def casus_items(meeting: Overleg) -> list[Agendapunt]:
    """The casus items that are on the agenda (not removed), in agenda order."""
    return list(
        Agendapunt.objects.filter(
            overleg=meeting, soort=AgendapuntSoort.CASUS, verwijderd=False
        ).order_by("volgorde", "id")
    )


def snapshot(meeting: Overleg) -> list[tuple[int, int, str, int | None, list[str], bool]]:
    """Every row of the agenda (removed ones included): id, number, kind, casus, reasons."""
    return list(
        Agendapunt.objects.filter(overleg=meeting)
        .order_by("volgorde", "id")
        .values_list("id", "volgorde", "soort", "casus_id", "redenen", "verwijderd")
    )


BESLUIT_A = "Politie en gemeente stemmen de vervolgstappen af; Fier houdt contact."
BESLUIT_B = "Huisvesting en zorg worden samen opgepakt door beide partners."
BIJDRAGE_B = "Zorgen over de woonsituatie; zij wil graag hulp bij huisvesting."


@dataclass
class HeldMeeting:
    """M, held: A (Fier, Politie; hoog) with a besluit and an afspraak made in the meeting,
    B (Gemeente, GGD; midden) with a besluit, C (GGD; laag) proposed for closing."""

    world: World
    meeting: Overleg
    a: Casus
    b: Casus
    c: Casus
    afspraak: Afspraak


def held_meeting(world: World, *, held: bool = True) -> HeldMeeting:
    hold(world, PREVIOUS, [])
    a = open_casus(world, partners=[world.fier, world.politie], risico=Risico.HOOG)
    services.bijdrage_create(
        actor=world.medewerker["politie"],
        casus=a,
        categorie="veiligheid",
        zichtbaarheid="keten",
        tekst=BIJDRAGE_TEKST,
    )
    b = open_casus(world, partners=[world.gemeente, world.ggd], geopend_op=LONG_AGO)
    services.bijdrage_create(
        actor=world.medewerker["gemeente"],
        casus=b,
        categorie="zorg",
        zichtbaarheid="keten",
        tekst=BIJDRAGE_B,
    )
    c = open_casus(
        world,
        partners=[world.ggd],
        risico=Risico.LAAG,
        geopend_op=PREVIOUS - datetime.timedelta(weeks=2),
    )
    overleg.casus_propose_closing(actor=world.coordinator, casus=c)
    meeting = finalised(world, plan(world, MEETING))
    overleg.agendapunt_record(actor=world.chair, agendapunt=item_of(meeting, a), besluit=BESLUIT_A)
    overleg.agendapunt_record(actor=world.chair, agendapunt=item_of(meeting, b), besluit=BESLUIT_B)
    afspraak = overleg.meeting_afspraak_create(
        actor=world.chair,
        agendapunt=item_of(meeting, a),
        omschrijving=AFSPRAAK_TEKST,
        partner=world.politie,
        deadline=datetime.date(2026, 3, 30),
    )
    if held:
        meeting = overleg.overleg_held(actor=world.chair, overleg=meeting, aanwezig=world.invited)
    return HeldMeeting(world, meeting, a, b, c, afspraak)


def last_event_id() -> int:
    """The newest audit event's id (ids are not reused, so counting rows is no bookmark)."""
    return AuditEvent.objects.aggregate(last=Max("id"))["last"] or 0
