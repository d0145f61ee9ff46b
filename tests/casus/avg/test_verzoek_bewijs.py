"""Requests of data subjects, found from outside (issue 12): a phone number alone found another
woman's casus, an erasure with "Jan Jansen" + that phone purged it, the report did not say what
matched, a compiled request could be compiled again with someone else's details, the report
showed a Politie ``intern`` bijdrage the coordinator cannot see, and erasure ran at once."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

import pytest
from pypdf import PdfReader

from audit.models import AuditAction
from casus.avg import verzoeken as inzage
from casus.casussen import services
from casus.models import Bijdrage, Casus, Inzageverzoek, Signaal
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Role, User
from tests.audit_records import Record, audit_record, last_event_id, records_since
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

PHONE = "06 12 34 56 78"
PERSON = IdentifyingAttributes(
    voornamen="Elena",
    achternaam="Marinescu",
    geboortedatum=datetime.date(1994, 5, 17),
    telefoon=PHONE,
)
# Form values: someone else, with the same (controller's) phone.
OTHER_WITH_SAME_PHONE = {
    "voornamen": "Daria",
    "achternaam": "Popescu",
    "geboortedatum": "1990-02-03",
    "telefoon": PHONE,
}
JAN_JANSEN = IdentifyingAttributes(voornamen="Jan", achternaam="Jansen", telefoon=PHONE)
PERSON_FORM = {"voornamen": "Elena", "achternaam": "Marinescu", "geboortedatum": "1994-05-17"}

KETEN = "Ketenbijdrage over haar gezondheid"
REGIE = "Regiebijdrage van de politie"
INTERN = "Interne politienotitie over een tap"


class World:
    def __init__(self) -> None:
        self.zorg = PartnerFactory.create()
        self.politie = PartnerFactory.create(politie=True)
        self.reporter = UserFactory.create(partner=self.zorg)
        self.agent = UserFactory.create(partner=self.politie)
        self.coordinator = CoordinatorFactory.create(mfa=True)
        self.fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)
        self.signaal = self.signal(PERSON, "Waarneming bij het spreekuur")
        self.casus = CasusFactory.create(
            coordinator=self.coordinator, partners=[self.zorg, self.politie]
        )
        intake.signaal_link(actor=self.coordinator, signaal=self.signaal, casus=self.casus)
        self.keten = self.bijdrage(self.reporter, "keten", KETEN)
        self.regie = self.bijdrage(self.agent, "regie", REGIE)
        self.intern = self.bijdrage(self.agent, "intern", INTERN)
        services.afspraak_create(
            actor=self.coordinator,
            casus=self.casus,
            omschrijving="Huisvesting regelen",
            partner=self.zorg,
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )

    def signal(self, attributes: IdentifyingAttributes, text: str) -> Signaal:
        return intake.signaal_submit(
            actor=self.reporter,
            datum_waargenomen=timezone.localdate() - datetime.timedelta(days=3),
            bron="hulpverlening",
            sector="club",
            omschrijving=text,
            zichtbaarheid="keten",
            attributes=attributes,
        )

    def bijdrage(self, author: User, zichtbaarheid: str, text: str) -> Bijdrage:
        return services.bijdrage_create(
            actor=author,
            casus=self.casus,
            categorie="zorg",
            zichtbaarheid=zichtbaarheid,
            tekst=text,
        )

    def verzoek(self, soort: str = "inzage") -> Inzageverzoek:
        return inzage.verzoek_register(
            actor=self.fg, ontvangen_op=timezone.localdate(), soort=soort
        )


@pytest.fixture
def world() -> World:
    return World()


def _verzoek_record(action: AuditAction, actor: User, verzoek: Inzageverzoek) -> Record:
    return audit_record(
        action,
        actor=actor,
        purpose="wettelijke_taak",
        object_type="verzoek",
        object_ref=f"V{verzoek.pk}",
    )


def _pdf_text(content: bytes) -> str:
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    return re.sub(r"\s+", " ", text)


def _detail(verzoek: Inzageverzoek) -> str:
    return reverse("avg:verzoek_detail", args=[verzoek.pk])


# --- 1. evidence: never a phone number alone ------------------------------------------------------


def test_someone_else_with_the_same_phone_does_not_get_the_casus(world, mfa_client) -> None:
    verzoek = world.verzoek()
    client = mfa_client(world.coordinator)
    response = client.post(_detail(verzoek), OTHER_WITH_SAME_PHONE)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Er zijn geen gegevens over deze persoon gevonden." in html
    assert world.casus.referentie not in html
    assert KETEN not in html and "Waarneming bij het spreekuur" not in html
    assert f"S{world.signaal.pk}" not in html  # not even as a candidate to confirm
    assert inzage.Selectie.loads(Inzageverzoek.objects.get(pk=verzoek.pk).gevonden) == (
        inzage.Selectie()
    )


def test_a_phone_number_alone_is_refused_with_a_dutch_error(world, mfa_client) -> None:
    verzoek = world.verzoek()
    client = mfa_client(world.coordinator)
    response = client.post(_detail(verzoek), {"telefoon": PHONE})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Met alleen een telefoonnummer of alleen een werknaam wordt niemand gevonden" in html
    assert world.casus.referentie not in html and PHONE not in html
    verzoek.refresh_from_db()
    assert verzoek.status == "geregistreerd" and verzoek.gevonden == ""
    name_only = {"voornamen": "Elena", "achternaam": "Marinescu"}
    response = client.post(_detail(verzoek), name_only)
    assert response.status_code == 400
    assert "Met alleen een naam of alleen een geboortedatum" in response.content.decode()


# The kinds two reports with the same full name and date of birth agree on (what the tokens
# of such a pair really give: the date keys and the sound keys agree too).
SAME_NAME_AND_DATE = [
    "naam_geb",
    "naam_gesorteerd_geb",
    "fonetisch_geb",
    "naam",
    "geb_dag",
    "geb_cijfer",
    "achternaam_geb",
]


def test_the_tiers_of_evidence() -> None:
    assert inzage.evidence_tier(SAME_NAME_AND_DATE) == inzage.STERK
    assert inzage.evidence_tier([*SAME_NAME_AND_DATE[1:], "telefoon"]) == inzage.STERK
    # A phone number or working name never counts alone; together, only once confirmed.
    assert inzage.evidence_tier(["telefoon"]) is None
    assert inzage.evidence_tier(["werknaam"]) is None
    assert inzage.evidence_tier(["telefoon", "werknaam"]) == inzage.BEVESTIGEN
    # A name that sounds the same with the same date: the coordinator confirms it first.
    assert inzage.evidence_tier(["telefoon", "fonetisch_geb"]) == inzage.BEVESTIGEN
    assert inzage.evidence_tier(["fonetisch_geb", "achternaam_geb"]) == inzage.BEVESTIGEN
    assert inzage.evidence_tier(["naam", "naam_jaar"]) == inzage.BEVESTIGEN
    assert inzage.evidence_tier(["naam"]) is None


def test_jan_jansen_with_her_phone_erases_nothing(world, mfa_client) -> None:
    verzoek = world.verzoek("wissing")
    rapport = inzage.verzoek_compile(
        actor=world.coordinator, verzoek=verzoek, attributes=JAN_JANSEN
    )
    assert rapport.signalen == [] and rapport.casussen == [] and rapport.kandidaten == []
    plan = inzage.erasure_plan(actor=world.coordinator, verzoek=verzoek)
    assert plan.leeg
    with pytest.raises(ValidationError, match="niets gevonden om te wissen"):
        inzage.verzoek_erase(actor=world.coordinator, verzoek=verzoek, bevestiging=plan.digest)
    client = mfa_client(world.coordinator)
    page = client.get(reverse("avg:verzoek_erase_preview", args=[verzoek.pk])).content.decode()
    assert "Er is niets gevonden om te wissen." in page and world.casus.referentie not in page
    response = client.post(
        reverse("avg:verzoek_erase", args=[verzoek.pk]), {"bevestiging": plan.digest}
    )
    assert response.status_code == 400
    assert Casus.objects.filter(pk=world.casus.pk).exists()
    assert Signaal.objects.filter(pk=world.signaal.pk).exists()
    assert Bijdrage.objects.filter(casus=world.casus).count() == 3


# --- weaker evidence: only after the coordinator confirmed it ------------------------------------


def test_a_weaker_match_counts_only_after_the_coordinator_confirms_it(world, mfa_client) -> None:
    # Only a year of birth on this signal: "naam + geboortejaar" is no more than probable.
    year_only = world.signal(
        IdentifyingAttributes(voornamen="Elena", achternaam="Marinescu", geboortejaar=1994),
        "Melding met alleen een geboortejaar",
    )
    rejected = world.signal(
        IdentifyingAttributes(werknaam="Bella", telefoon=PHONE), "Advertentie met werknaam"
    )
    verzoek = world.verzoek()
    client = mfa_client(world.coordinator)
    html = client.post(
        _detail(verzoek), {**PERSON_FORM, "werknaam": "Bella", "telefoon": PHONE}
    ).content.decode()
    candidates = html.split('id="kandidaten"')[1].split("</section>")[0]
    # The coordinator sees which kinds of attribute agree, in Dutch, not the token kinds.
    assert f"S{year_only.pk}" in candidates and "naam + geboortejaar" in candidates
    assert f"S{rejected.pk}" in candidates and "telefoonnummer, werknaam" in candidates
    report = html.split('id="kandidaten"')[1].split("</section>", 1)[1]
    assert "Melding met alleen een geboortejaar" not in report
    assert "Advertentie met werknaam" not in report
    # No PDF for the person before the decision.
    pdf = client.get(reverse("avg:verzoek_pdf", args=[verzoek.pk]))
    assert pdf.status_code == 302

    before = last_event_id()
    response = client.post(
        reverse("avg:verzoek_candidates", args=[verzoek.pk]), {"bevestigd": [year_only.pk]}
    )
    assert response.status_code == 302
    assert records_since(before) == [
        _verzoek_record(AuditAction.REQUEST_CANDIDATES_DECIDED, world.coordinator, verzoek)
    ]
    html = client.get(_detail(verzoek)).content.decode()
    assert 'id="kandidaten"' not in html
    assert "Melding met alleen een geboortejaar" in html
    assert "bevestigd door de zorgcoördinator" in html
    assert "Advertentie met werknaam" not in html
    # Decided once: a second decision is refused.
    again = client.post(
        reverse("avg:verzoek_candidates", args=[verzoek.pk]), {"bevestigd": [rejected.pk]}
    )
    assert again.status_code == 400
    assert "Advertentie met werknaam" not in again.content.decode()


def test_a_candidate_of_another_request_cannot_be_confirmed(world) -> None:
    year_only = world.signal(
        IdentifyingAttributes(voornamen="Elena", achternaam="Marinescu", geboortejaar=1994),
        "Melding met alleen een geboortejaar",
    )
    verzoek = world.verzoek()
    rapport = inzage.verzoek_compile(actor=world.coordinator, verzoek=verzoek, attributes=PERSON)
    assert [k.signaal.pk for k in rapport.kandidaten] == [year_only.pk]
    with pytest.raises(ValidationError, match="hoort niet bij de mogelijke overeenkomsten"):
        inzage.verzoek_candidates_decide(
            actor=world.coordinator, verzoek=verzoek, bevestigd=[world.signaal.pk + 1000]
        )


# --- 2. the report says what matched --------------------------------------------------------------


def test_the_report_lists_the_matched_attributes_page_and_pdf(world, mfa_client) -> None:
    verzoek = world.verzoek()
    client = mfa_client(world.coordinator)
    html = client.post(_detail(verzoek), {**PERSON_FORM, "telefoon": PHONE}).content.decode()
    signal_section = html.split(f"S{world.signaal.pk} — ")[1].split("</section>")[0]
    assert "Overeenkomst:</strong> naam + geboortedatum, telefoonnummer" in signal_section
    casus_section = html.split(f"Casus {world.casus.referentie}")[1].split("</section>")[0]
    assert "naam + geboortedatum, telefoonnummer" in casus_section
    for raw in ("naam_geb", "naam_gesorteerd_geb", "fonetisch_geb"):
        assert raw not in html
    text = _pdf_text(client.get(reverse("avg:verzoek_pdf", args=[verzoek.pk])).content)
    assert "naam + geboortedatum, telefoonnummer" in text


# --- 3. a compiled request is closed to new identifying data --------------------------------------


def test_compiling_again_with_other_details_is_refused(world, mfa_client) -> None:
    other = world.signal(
        IdentifyingAttributes(
            voornamen="Daria", achternaam="Popescu", geboortedatum=datetime.date(1990, 2, 3)
        ),
        "Signaal over Daria",
    )
    verzoek = world.verzoek()
    client = mfa_client(world.coordinator)
    assert client.post(_detail(verzoek), PERSON_FORM).status_code == 200
    stored = Inzageverzoek.objects.get(pk=verzoek.pk).gevonden

    before = last_event_id()
    response = client.post(_detail(verzoek), OTHER_WITH_SAME_PHONE)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Het rapport van dit verzoek is al samengesteld" in html
    assert "laat de FG dan een nieuw verzoek registreren" in html
    assert "Signaal over Daria" not in html and f"S{other.pk}" not in html
    assert 'name="voornamen"' not in html  # no form to enter someone else's data
    assert Inzageverzoek.objects.get(pk=verzoek.pk).gevonden == stored
    assert records_since(before) == []
    with pytest.raises(ValidationError, match="al samengesteld"):
        inzage.verzoek_compile(
            actor=world.coordinator,
            verzoek=verzoek,
            attributes=IdentifyingAttributes(
                voornamen="Daria", achternaam="Popescu", geboortedatum=datetime.date(1990, 2, 3)
            ),
        )
    # The stored selection holds ids and token kinds, never an identifying attribute.
    for value in [*PERSON_FORM.values(), "Daria", "Popescu"]:
        assert value not in stored


# --- 4. exactly what the coordinator may see on the casus page ------------------------------------


def test_an_intern_bijdrage_of_the_police_is_not_in_the_report(world, mfa_client) -> None:
    client = mfa_client(world.coordinator)
    casus_page = client.get(reverse("casussen:detail", args=[world.casus.referentie]))
    assert INTERN not in casus_page.content.decode()  # the policy the report must follow
    verzoek = world.verzoek()
    html = client.post(_detail(verzoek), PERSON_FORM).content.decode()
    assert KETEN in html and REGIE in html
    assert INTERN not in html
    text = _pdf_text(client.get(reverse("avg:verzoek_pdf", args=[verzoek.pk])).content)
    assert KETEN in text and REGIE in text
    assert INTERN not in text
    # Nor does the access table count the writing of that bijdrage.
    rapport = inzage.rapport_for(actor=world.coordinator, verzoek=verzoek)
    created = [
        t
        for t in rapport.toegang
        if t.partner == world.politie.name and t.actie == AuditAction.BIJDRAGE_CREATED
    ]
    assert [t.aantal for t in created] == [1]
    assert [b.pk for b in rapport.bijdragen[world.casus.pk]] == [world.keten.pk, world.regie.pk]


# --- 5. erasure: a confirmation bound to the overview ---------------------------------------------


def _digest(html: str) -> str:
    found = re.search(r'name="bevestiging" value="([0-9a-f]{64})"', html)
    assert found is not None
    return found.group(1)


def test_erasure_asks_for_a_confirmation_and_refuses_a_stale_one(world, mfa_client) -> None:
    verzoek = world.verzoek("wissing")
    client = mfa_client(world.coordinator)
    client.post(_detail(verzoek), PERSON_FORM)
    erase = reverse("avg:verzoek_erase", args=[verzoek.pk])

    # Without a confirmation nothing goes.
    response = client.post(erase, {})
    assert response.status_code == 400
    assert "Bevestig eerst het overzicht" in response.content.decode()
    assert Casus.objects.filter(pk=world.casus.pk).exists()

    # The overview lists exactly what will go: the reference and the counts (all of them,
    # also the intern bijdrage the coordinator does not see, but never its text).
    page = client.get(reverse("avg:verzoek_erase_preview", args=[verzoek.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Casus {world.casus.referentie}: 1 signaal, 3 bijdragen, 1 afspraak" in html, html
    assert INTERN not in html
    old = _digest(html)

    # Something changes between the overview and the confirmation: refused, nothing removed.
    world.bijdrage(world.reporter, "keten", "Nieuwe bijdrage na het overzicht")
    response = client.post(erase, {"bevestiging": old})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Wat er gewist zou worden is veranderd sinds u het overzicht zag" in html
    assert Casus.objects.filter(pk=world.casus.pk).exists()
    new = _digest(html)  # the page shows the current overview to confirm again
    assert new != old and "4 bijdragen" in html

    response = client.post(erase, {"bevestiging": new})
    assert response.status_code == 302
    assert not Casus.objects.filter(pk=world.casus.pk).exists()
    assert not Signaal.objects.filter(pk=world.signaal.pk).exists()


def test_an_unlinked_signal_makes_the_overview_stale(world) -> None:
    alone = world.signal(PERSON, "Los signaal over haar")
    verzoek = world.verzoek("wissing")
    inzage.verzoek_compile(actor=world.coordinator, verzoek=verzoek, attributes=PERSON)
    plan = inzage.erasure_plan(actor=world.coordinator, verzoek=verzoek)
    assert plan.signalen == [f"S{alone.pk}"]
    inzage.verzoek_unlink(actor=world.coordinator, verzoek=verzoek, signaal_id=alone.pk)
    with pytest.raises(ValidationError, match="veranderd"):
        inzage.verzoek_erase(actor=world.coordinator, verzoek=verzoek, bevestiging=plan.digest)
    assert Signaal.objects.filter(pk__in=[alone.pk, world.signaal.pk]).count() == 2


def test_erasure_only_for_an_erasure_request(world, mfa_client) -> None:
    verzoek = world.verzoek("inzage")
    inzage.verzoek_compile(actor=world.coordinator, verzoek=verzoek, attributes=PERSON)
    response = mfa_client(world.coordinator).get(
        reverse("avg:verzoek_erase_preview", args=[verzoek.pk])
    )
    assert response.status_code == 400
    assert "geen verzoek tot wissing" in response.content.decode()
    assert world.casus.referentie not in response.content.decode()


def test_the_new_pages_are_for_the_compiler_only(world, mfa_client) -> None:
    verzoek = world.verzoek("wissing")
    inzage.verzoek_compile(actor=world.coordinator, verzoek=verzoek, attributes=PERSON)
    others: list[Any] = [
        world.fg,
        CoordinatorFactory.create(mfa=True),
    ]
    for user in others:
        client: Client = mfa_client(user)
        for name, method in (
            ("avg:verzoek_erase_preview", "get"),
            ("avg:verzoek_candidates", "post"),
        ):
            response = getattr(client, method)(reverse(name, args=[verzoek.pk]))
            assert response.status_code == 404, (user.role, name)
    assert Casus.objects.filter(pk=world.casus.pk).exists()
