"""The world of the authorization matrix (tests/casus/matrix_expectations.py), built through the
tests' factories and the production services, so the walk meets the rows, permissions and
audit events the product itself writes. A helper module: it holds no tests.

The oracle names every object by a symbolic key; ``World`` maps the keys to the objects (and to
the values a URL or form needs). The identifying attributes of the persons the signals are about
live here, not in the oracle: they are test data for the pseudonymisation, not a rule.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from casus.avg import retention
from casus.avg import verzoeken as inzage
from casus.casussen import services
from casus.models import (
    Afspraak,
    Agendapunt,
    Bijdrage,
    Casus,
    Inzageverzoek,
    LegalHold,
    Overleg,
    OverlegSerie,
    Signaal,
)
from casus.overleg import agenda
from casus.overleg import services as overleg_services
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Partner, User
from tests.casus import matrix_expectations as oracle
from tests.casus.factories import CasusFactory
from tests.factories import PartnerFactory, UserFactory

# What a professional enters about the persons P1 and P2 (form values; synthetic names).
PERSONS: dict[str, dict[str, str]] = {
    "P1": {"voornamen": "Ioana", "achternaam": "Matrixescu", "geboortedatum": "1999-04-12"},
    "P2": {"voornamen": "Oksana", "achternaam": "Proefenko", "geboortedatum": "2001-11-03"},
}
MISSING_REFERENTIE = "K-1999-9999"
MISSING_PK = "999999"


def attributes_of(person: str) -> IdentifyingAttributes:
    data = PERSONS[person]
    return IdentifyingAttributes(
        voornamen=data["voornamen"],
        achternaam=data["achternaam"],
        geboortedatum=datetime.date.fromisoformat(data["geboortedatum"]),
    )


@dataclass
class World:
    partners: dict[str, Partner]
    users: dict[str, User]
    casussen: dict[str, Casus]
    bijdragen: dict[str, Bijdrage]
    afspraken: dict[str, Afspraak]
    signalen: dict[str, Signaal]
    series: dict[str, OverlegSerie]
    meetings: dict[str, Overleg]
    verzoeken: dict[str, Inzageverzoek]
    holds: dict[str, LegalHold]

    def referentie(self, casus: str) -> str:
        return MISSING_REFERENTIE if casus == "MISSING" else self.casussen[casus].referentie

    def agendapunt(self, meeting: str, casus: str) -> Agendapunt:
        """The item of ``casus`` on ``meeting``'s agenda, as it is now."""
        return Agendapunt.objects.get(overleg=self.meetings[meeting], casus=self.casussen[casus])

    def arg(self, arg: str) -> str:
        """The URL value of a symbolic argument of the oracle."""
        if arg == "MISSING" or arg in self.casussen:
            return self.referentie(arg)
        kind, _, key = arg.partition(":")
        if key == "MISSING":
            return MISSING_PK
        objects: dict[str, dict[str, Any]] = {
            "bijdrage": self.bijdragen,
            "afspraak": self.afspraken,
            "signaal": self.signalen,
            "overleg": self.meetings,
            "verzoek": self.verzoeken,
            "hold": self.holds,
            "user": self.users,
        }
        if kind in objects:
            return str(objects[kind][key].pk)
        if kind == "agendapunt":
            meeting, _, casus = key.partition("/")
            return str(self.agendapunt(meeting, casus).pk)
        raise AssertionError(f"unknown argument {arg!r}")


def _build_meeting(
    key: str,
    spec: oracle.MeetingSpec,
    serie: OverlegSerie,
    chair: User,
    coordinator: User,
    casussen: dict[str, Casus],
    partners: dict[str, Partner],
) -> Overleg:
    """Plan, generate, and bring the agenda to exactly the oracle's casussen, then on to the
    meeting's state, all through the services (the chair's own actions; adding a casus the
    rules did not bring is the coordinator's)."""
    meeting = overleg_services.overleg_plan(
        actor=chair, serie=serie, datum=timezone.now() + datetime.timedelta(weeks=spec.weeks)
    )
    agenda.agenda_generate(overleg=meeting, actor=chair)
    wanted = {casussen[c].pk for c in spec.agenda}
    for item in Agendapunt.objects.filter(overleg=meeting, casus__isnull=False, verwijderd=False):
        if item.casus_id not in wanted:
            overleg_services.agendapunt_remove(actor=chair, agendapunt=item)
    for casus in spec.agenda:
        on_agenda = Agendapunt.objects.filter(
            overleg=meeting, casus=casussen[casus], verwijderd=False
        ).exists()
        if not on_agenda:
            # A casus the rules did not bring is added by the zorgcoördinator (§3: prepares
            # agendas), not by the chair.
            overleg_services.agendapunt_add(
                actor=coordinator, overleg=meeting, casus=casussen[casus]
            )
    if spec.status in {"agenda_definitief", "gehouden"}:
        overleg_services.agenda_finalise(actor=chair, overleg=meeting)
    for casus in spec.besluiten:
        overleg_services.agendapunt_record(
            actor=chair,
            agendapunt=Agendapunt.objects.get(overleg=meeting, casus=casussen[casus]),
            besluit=oracle.besluit_marker(key, casus),
        )
    if spec.status == "gehouden":
        invited = [partners[p] for p in oracle.SERIES[spec.serie].invited]
        overleg_services.overleg_held(actor=chair, overleg=meeting, aanwezig=invited)
    meeting = Overleg.objects.get(pk=meeting.pk)
    assert meeting.status == spec.status, (key, meeting.status)
    return meeting


def build_world() -> World:
    """The world of matrix_expectations, built through the services (permissions, audit)."""
    partners = {
        key: PartnerFactory.create(name=spec.name, kind=spec.kind)
        for key, spec in oracle.PARTNERS.items()
    }
    users = {
        username: UserFactory.create(
            username=username, role=spec.role, partner=partners[spec.partner], mfa=True
        )
        for username, spec in oracle.USERS.items()
    }
    coordinator = users[oracle.OPENED_BY]
    casussen = {
        key: CasusFactory.create(
            coordinator=coordinator,
            partners=[partners[p] for p in spec.involved],
            grondslag=spec.grondslag,
        )
        for key, spec in oracle.CASUSSEN.items()
    }
    bijdragen = {
        key: services.bijdrage_create(
            actor=users[spec.author],
            casus=casussen[spec.casus],
            categorie="algemeen",
            zichtbaarheid=spec.level,
            tekst=oracle.bijdrage_marker(key),
        )
        for key, spec in oracle.BIJDRAGEN.items()
    }
    afspraken = {
        key: services.afspraak_create(
            actor=coordinator,
            casus=casussen[spec.casus],
            omschrijving=oracle.afspraak_marker(key),
            partner=partners[spec.owner],
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )
        for key, spec in oracle.AFSPRAKEN.items()
    }
    signalen: dict[str, Signaal] = {}
    for key, spec in oracle.SIGNALEN.items():  # in order: a match hint goes on the later one
        signaal = intake.signaal_submit(
            actor=users[spec.author],
            datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
            bron="hulpverlening",
            sector="raam",
            omschrijving=oracle.signaal_marker(key),
            zichtbaarheid=spec.level,
            attributes=attributes_of(spec.person) if spec.person else None,
        )
        if spec.casus is not None:
            signaal = intake.signaal_link(
                actor=coordinator, signaal=signaal, casus=casussen[spec.casus]
            )
        elif spec.closed:
            signaal = intake.signaal_close(
                actor=coordinator, signaal=signaal, reden="Geen aanwijzingen na een gesprek."
            )
        signalen[key] = signaal
    series = {}
    for key, serie_spec in oracle.SERIES.items():
        serie = OverlegSerie.objects.create(
            naam=f"Ketenoverleg {key}",
            interval_weken=4,
            plaats="Stadskantoor, zaal drie",
            voorzitter=users[serie_spec.chair],
        )
        serie.partners.set([partners[p] for p in serie_spec.invited])
        series[key] = serie
    meetings = {
        key: _build_meeting(
            key,
            spec,
            series[spec.serie],
            users[oracle.SERIES[spec.serie].chair],
            coordinator,
            casussen,
            partners,
        )
        for key, spec in oracle.MEETINGS.items()
    }
    fg = users[oracle.FG_USER]
    verzoeken = {}
    for key, verzoek_spec in oracle.VERZOEKEN.items():
        verzoek = inzage.verzoek_register(
            actor=fg, ontvangen_op=timezone.localdate(), soort=verzoek_spec.soort
        )
        if verzoek_spec.compiled_by:
            inzage.verzoek_compile(
                actor=users[verzoek_spec.compiled_by],
                verzoek=verzoek,
                attributes=attributes_of(verzoek_spec.person),
            )
        verzoeken[key] = Inzageverzoek.objects.get(pk=verzoek.pk)
    holds = {
        key: retention.legal_hold_set(
            actor=fg, reden="Lopende procedure bij de rechtbank.", casus=casussen[casus]
        )
        for key, casus in oracle.HOLDS.items()
    }
    return World(
        partners,
        users,
        casussen,
        bijdragen,
        afspraken,
        signalen,
        series,
        meetings,
        verzoeken,
        holds,
    )
