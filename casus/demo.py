"""Demo casussen DEMO-001 … DEMO-006 (PRODUCT.md §11), created through the services.

Synthetic scenarios only; no real person. Times are relative to the moment of seeding so the
demo keeps showing an overdue afspraak and a casus past its retention period.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from datetime import timedelta
from typing import Required, TypedDict, Unpack

from django.db import transaction
from django.utils import timezone

from casus.casussen import services
from casus.models import (
    Casus,
    CasusUitkomst,
    Categorie,
    Gemeente,
    Grondslag,
    Risico,
    Sector,
    Signaal,
    Status,
    Zichtbaarheid,
)
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Partner, User


class _CasusDetails(TypedDict, total=False):
    """What a demo casus passes on to casus_open besides its reference, moment and partners."""

    risico: Required[str]
    grondslag: Required[str]
    reden: Required[str]
    grondslag_toelichting: str
    sector: str
    gemeente: str
    veilig_om_te_bellen: bool
    tolk_nodig: bool


class _SignaalDetails(TypedDict, total=False):
    """What a demo signal passes on to signaal_submit besides its author and moment."""

    bron: Required[str]
    sector: Required[str]
    omschrijving: Required[str]
    zichtbaarheid: Required[str]
    niet_pluis: int
    urgentie: str
    gemeente: str
    indicatoren: Iterable[str]
    attributes: IdentifyingAttributes | None


def _partners(*names: str) -> list[Partner]:
    by_name = {p.name: p for p in Partner.objects.filter(name__in=names)}
    return [by_name[name] for name in names]


@transaction.atomic
def seed_casussen() -> list[Casus]:
    """Create the demo casussen that do not exist yet."""
    users = {u.username: u for u in User.objects.all()}
    coordinator = users["coordinator.fier"]
    now = timezone.now()
    created: list[Casus] = []

    def open_casus(
        referentie: str, *, days_ago: int, partners: list[Partner], **kwargs: Unpack[_CasusDetails]
    ) -> Casus | None:
        if Casus.objects.filter(referentie=referentie).exists():
            return None
        casus = services.casus_open(
            actor=coordinator,
            referentie=referentie,
            partners=partners,
            geopend_op=now - timedelta(days=days_ago),
            **kwargs,
        )
        created.append(casus)
        return casus

    casus = open_casus(
        "DEMO-001",
        days_ago=20,
        partners=_partners("Fier", "Politie Noord-Nederland", "Gemeente Leeuwarden"),
        risico=Risico.HOOG,
        grondslag=Grondslag.WETTELIJKE_TAAK,
        sector=Sector.RAAM,
        gemeente=Gemeente.LEEUWARDEN,
        reden="Signalen van uitbuiting bij de controle op de Weaze; afstemming hulpverlening en opsporing.",
        tolk_nodig=True,
    )
    if casus:
        services.casus_change_status(actor=coordinator, casus=casus, status=Status.IN_BEHANDELING)
        services.bijdrage_create(
            actor=users["medewerker.politie"],
            casus=casus,
            categorie=Categorie.VEILIGHEID,
            zichtbaarheid=Zichtbaarheid.REGIE,
            tekst="Vaker gezien bij dezelfde chauffeur die haar brengt en ophaalt. Informatie uit eigen systemen, alleen voor de regie.",
        )
        services.bijdrage_create(
            actor=users["medewerker.gemeente"],
            casus=casus,
            categorie=Categorie.HANDHAVING,
            zichtbaarheid=Zichtbaarheid.KETEN,
            tekst="Bij de controle vertelde zij een ingestudeerd verhaal over een huis voor haar familie en had zij geen eigen identiteitsbewijs.",
        )

    casus = open_casus(
        "DEMO-002",
        days_ago=45,
        partners=_partners("Fier", "GGD Fryslân"),
        risico=Risico.MIDDEN,
        grondslag=Grondslag.TOESTEMMING,
        sector=Sector.CLUB,
        gemeente=Gemeente.LEEUWARDEN,
        reden="Gezondheidszorgen en tekenen van afhankelijkheid gezien op het spreekuur in Xenia.",
        veilig_om_te_bellen=True,
    )
    if casus:
        services.casus_change_status(actor=coordinator, casus=casus, status=Status.IN_BEHANDELING)
        services.bijdrage_create(
            actor=users["medewerker.ggd"],
            casus=casus,
            categorie=Categorie.GEZONDHEID,
            zichtbaarheid=Zichtbaarheid.REGIE,
            tekst="Op het spreekuur gezondheidsklachten besproken; vervolgafspraak voor een soa-test gepland.",
        )
        services.bijdrage_create(
            actor=coordinator,
            casus=casus,
            categorie=Categorie.ZORG,
            zichtbaarheid=Zichtbaarheid.KETEN,
            tekst="Contact gelegd via het PMW; zij staat open voor een gesprek over ondersteuning.",
        )

    casus = open_casus(
        "DEMO-003",
        days_ago=100,
        partners=_partners("Politie Noord-Nederland", "Gemeente Leeuwarden", "Leger des Heils"),
        risico=Risico.HOOG,
        grondslag=Grondslag.WETTELIJKE_TAAK,
        sector=Sector.THUISWERK,
        gemeente=Gemeente.LEEUWARDEN,
        reden="Woningprostitutie in een woonstraat; de woning wordt illegaal ter beschikking gesteld.",
    )
    if casus:
        services.casus_change_status(actor=coordinator, casus=casus, status=Status.IN_BEHANDELING)
        services.afspraak_create(
            actor=coordinator,
            casus=casus,
            omschrijving="De eigenaar van de woning informeren over de regels en mogelijke maatregelen.",
            partner=_partners("Gemeente Leeuwarden")[0],
            deadline=timezone.localdate(now - timedelta(days=14)),
            aangemaakt_op=now - timedelta(days=35),
        )

    casus = open_casus(
        "DEMO-004",
        days_ago=30,
        partners=_partners("Leger des Heils", "Fier"),
        risico=Risico.LAAG,
        grondslag=Grondslag.TOESTEMMING,
        sector=Sector.ONBEKEND,
        gemeente=Gemeente.LEEUWARDEN,
        reden="Uitstapverzoek: wil taallessen en huisvesting.",
        veilig_om_te_bellen=True,
    )
    if casus:
        services.casus_change_status(actor=coordinator, casus=casus, status=Status.IN_BEHANDELING)
        services.bijdrage_create(
            actor=users["medewerker.ldh"],
            casus=casus,
            categorie=Categorie.ZORG,
            zichtbaarheid=Zichtbaarheid.INTERN,
            tekst="Intake uitstaptraject gedaan; aanmelding taalcursus loopt, wachtlijst voor woonruimte.",
        )

    casus = open_casus(
        "DEMO-005",
        days_ago=150,
        partners=_partners("Politie Noord-Nederland", "Fier", "Gemeente Leeuwarden"),
        risico=Risico.MIDDEN,
        grondslag=Grondslag.WETTELIJKE_TAAK,
        sector=Sector.HOTEL,
        gemeente=Gemeente.LEEUWARDEN,
        reden="Roulerende groep in hotels in Friesland; tweede signaal binnen twaalf maanden.",
    )
    if casus:
        services.casus_change_status(
            actor=coordinator,
            casus=casus,
            status=Status.IN_BEHANDELING,
            op=now - timedelta(days=140),
        )
        services.casus_change_status(
            actor=coordinator, casus=casus, status=Status.MONITOREN, op=now - timedelta(days=60)
        )

    casus = open_casus(
        "DEMO-006",
        days_ago=36 * 30,
        partners=_partners("Fier", "GGD Fryslân"),
        risico=Risico.LAAG,
        grondslag=Grondslag.TOESTEMMING,
        sector=Sector.ESCORT,
        gemeente=Gemeente.LEEUWARDEN,
        reden="Ondersteuning afgerond.",
    )
    if casus:
        services.casus_change_status(
            actor=coordinator,
            casus=casus,
            status=Status.AFGESLOTEN,
            uitkomst=CasusUitkomst.HULP_AANVAARD,
            toelichting="Traject afgerond.",
            op=now - timedelta(days=30 * 30),
        )
    if created:
        _seed_signalen(users, now)
        _seed_overleg(users, now)
    return created


def _seed_signalen(users: dict[str, User], now: datetime.datetime) -> None:
    """Signals on the demo casussen, and one untriaged signal that matches DEMO-002.

    The identifying attributes are invented; only their tokens are stored."""
    if Signaal.objects.exists():
        return
    coordinator = users["coordinator.fier"]
    casussen = {c.referentie: c for c in Casus.objects.filter(referentie__startswith="DEMO-")}
    persoon = IdentifyingAttributes(
        voornamen="Ana-Maria",
        achternaam="Dumitrescu",
        geboortedatum=datetime.date(1999, 4, 12),
        telefoon="+40 712 345 678",
        werknaam="Bianca",
    )

    def submit(username: str, days_ago: int, **kwargs: Unpack[_SignaalDetails]) -> Signaal:
        return intake.signaal_submit(
            actor=users[username],
            datum_waargenomen=timezone.localdate(now - timedelta(days=days_ago)),
            aangemaakt_op=now - timedelta(days=days_ago),
            **kwargs,
        )

    ggd = submit(
        "medewerker.ggd",
        46,
        bron="spreekuur",
        sector=Sector.CLUB,
        gemeente=Gemeente.LEEUWARDEN,
        indicatoren=["geen_medische_zorg", "afhankelijk_exploitant"],
        niet_pluis=2,
        omschrijving="Op het spreekuur in Xenia gezondheidsklachten en tekenen van afhankelijkheid gezien.",
        zichtbaarheid=Zichtbaarheid.REGIE,
        attributes=persoon,
    )
    intake.signaal_link(actor=coordinator, signaal=ggd, casus=casussen["DEMO-002"])
    controle = submit(
        "medewerker.gemeente",
        21,
        bron="controle",
        sector=Sector.RAAM,
        gemeente=Gemeente.LEEUWARDEN,
        indicatoren=["geen_eigen_id", "ingestudeerd_verhaal", "gebracht_gehaald"],
        niet_pluis=3,
        urgentie="hoog",
        omschrijving="Controle op de Weaze: ingestudeerd verhaal, geen eigen identiteitsbewijs, wordt gebracht en gehaald.",
        zichtbaarheid=Zichtbaarheid.KETEN,
        # A working name and a phone number that the hotel signal of DEMO-005 shares:
        # an unresolved match between two casussen (invented attributes).
        attributes=IdentifyingAttributes(
            werknaam="Nina", telefoon="+359 88 765 4321", land="Bulgarije"
        ),
    )
    intake.signaal_link(actor=coordinator, signaal=controle, casus=casussen["DEMO-001"])
    for days_ago in (300, 10):
        hotel = submit(
            "medewerker.politie",
            days_ago,
            bron="politie_informatie",
            sector=Sector.HOTEL,
            gemeente=Gemeente.HEERENVEEN if days_ago > 100 else Gemeente.SUDWEST_FRYSLAN,
            indicatoren=["wisselt_vaak", "telefoon_advertenties_derden"],
            niet_pluis=2,
            omschrijving="Groep die wisselend in hotels in Friesland werkt; advertenties via hetzelfde account.",
            zichtbaarheid=Zichtbaarheid.REGIE,
            attributes=(
                IdentifyingAttributes(telefoon="+359 88 765 4321", werknaam="Nina")
                if days_ago > 100
                else None
            ),
        )
        intake.signaal_link(actor=coordinator, signaal=hotel, casus=casussen["DEMO-005"])
    # Leger des Heils saw the same person: name order swapped, day and month swapped.
    submit(
        "medewerker.ldh",
        3,
        bron="hulpverlening",
        sector=Sector.CLUB,
        gemeente=Gemeente.LEEUWARDEN,
        indicatoren=["verdiensten_afdragen", "psychisch_kwetsbaar"],
        niet_pluis=2,
        omschrijving="Vraagt bij de inloop om hulp bij schulden; lijkt onder druk te staan.",
        zichtbaarheid=Zichtbaarheid.KETEN,
        attributes=IdentifyingAttributes(
            voornamen="Dumitrescu",
            achternaam="Ana Maria",
            geboortedatum=datetime.date(1999, 12, 4),
        ),
    )


def _seed_overleg(users: dict[str, User], now: datetime.datetime) -> None:
    """A past meeting with adopted minutes and afspraken, and an upcoming one whose concept
    agenda shows every reason of PRODUCT.md §7 at least once."""
    from casus.models import Agendapunt, Agendering, OverlegSerie
    from casus.overleg import agenda
    from casus.overleg import services as overleg
    from partners.models import Partner

    if OverlegSerie.objects.exists():
        return
    chair = users["voorzitter.gemeente"]
    coordinator = users["coordinator.fier"]
    serie = OverlegSerie.objects.create(
        naam="Ketenoverleg mensenhandel Leeuwarden",
        interval_weken=4,
        plaats="Stadskantoor Leeuwarden, zaal 3",
        voorzitter=chair,
    )
    serie.partners.set(Partner.objects.all())
    casussen = {c.referentie: c for c in Casus.objects.filter(referentie__startswith="DEMO-")}
    local = timezone.localtime(now).replace(hour=13, minute=30, second=0, microsecond=0)

    # The past meeting, four weeks ago: DEMO-002 (then risk laag) and DEMO-005 discussed.
    past = overleg.overleg_plan(actor=chair, serie=serie, datum=local - timedelta(weeks=4))
    agenda.agenda_generate(overleg=past, now=past.datum)
    for referentie in ("DEMO-002", "DEMO-005"):
        if not past.agendapunten.filter(casus=casussen[referentie]).exists():
            overleg.agendapunt_add(actor=coordinator, overleg=past, casus=casussen[referentie])
    overleg.agenda_finalise(actor=chair, overleg=past)
    besluiten = {
        "DEMO-002": "GGD blijft in contact via het spreekuur; Fier biedt een gesprek aan.",
        "DEMO-005": "Politie deelt nieuwe informatie via de zorgcoordinator; gemeente controleert hotels.",
    }
    for point in past.agendapunten.select_related("casus").filter(casus__isnull=False):
        referentie = point.casus.referentie if point.casus else ""
        if referentie in besluiten:
            overleg.agendapunt_record(
                actor=chair, agendapunt=point, besluit=besluiten[referentie], op=past.datum
            )
        else:
            Agendapunt.objects.filter(pk=point.pk).update(verwijderd=True)
    Agendapunt.objects.filter(overleg=past, casus=casussen["DEMO-002"]).update(
        risico_bij_bespreking=Risico.LAAG
    )
    ggd = Partner.objects.get(name="GGD Fryslân")
    services.afspraak_create(
        actor=coordinator,
        casus=casussen["DEMO-002"],
        omschrijving="Vervolgafspraak op het spreekuur inplannen en terugkoppelen aan de regie.",
        partner=ggd,
        deadline=timezone.localdate(now + timedelta(days=14)),
        aangemaakt_op=past.datum,
        via_overleg=past,
    )
    overleg.overleg_held(actor=chair, overleg=past, aanwezig=list(serie.partners.all()))
    overleg.minutes_adopt(actor=chair, overleg=past, op=past.datum + timedelta(days=2))

    # Between the meetings: an agenda request and a proposal to close.
    Agendering.objects.filter(casus=casussen["DEMO-004"]).exists() or services.agendering_request(
        actor=users["medewerker.ldh"],
        casus=casussen["DEMO-004"],
        reden="Uitstap loopt goed; huisvesting bespreken.",
    )
    overleg.casus_propose_closing(actor=coordinator, casus=casussen["DEMO-004"])

    # The upcoming meeting, in a week, with its concept agenda.
    upcoming = overleg.overleg_plan(actor=chair, serie=serie, datum=local + timedelta(weeks=1))
    agenda.agenda_generate(overleg=upcoming)
