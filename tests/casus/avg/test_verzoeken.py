"""Rights of data subjects: the report holds everything about the person and nothing about a
different person with a near-identical name; the FG never sees its content."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from casus.avg import verzoeken as inzage
from casus.casussen import services
from casus.models import Casus, Inzageverzoek, PseudoniemToken
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

PERSON = {"voornamen": "Elena", "achternaam": "Marinescu", "geboortedatum": "1994-05-17"}
NEAR_NAMESAKE = IdentifyingAttributes(
    voornamen="Elena", achternaam="Marinescu", geboortedatum=datetime.date(1996, 8, 23)
)


def _world():
    partner = PartnerFactory.create()
    reporter = UserFactory.create(partner=partner)
    coordinator = CoordinatorFactory.create(mfa=True)
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)

    def signal(attributes: IdentifyingAttributes, text: str):
        return intake.signaal_submit(
            actor=reporter,
            datum_waargenomen=timezone.localdate() - datetime.timedelta(days=3),
            bron="hulpverlening",
            sector="club",
            omschrijving=text,
            zichtbaarheid="keten",
            attributes=attributes,
        )

    own = signal(
        IdentifyingAttributes(
            voornamen="Elena", achternaam="Marinescu", geboortedatum=datetime.date(1994, 5, 17)
        ),
        "Over de persoon zelf",
    )
    casus = CasusFactory.create(coordinator=coordinator, partners=[partner])
    intake.signaal_link(actor=coordinator, signaal=own, casus=casus)
    services.bijdrage_create(
        actor=reporter,
        casus=casus,
        categorie="zorg",
        zichtbaarheid="keten",
        tekst="Bijdrage over haar",
    )
    other = signal(NEAR_NAMESAKE, "Over iemand anders met bijna dezelfde naam")
    other_casus = CasusFactory.create(coordinator=coordinator, partners=[partner])
    intake.signaal_link(actor=coordinator, signaal=other, casus=other_casus)
    services.bijdrage_create(
        actor=reporter,
        casus=other_casus,
        categorie="zorg",
        zichtbaarheid="keten",
        tekst="Andere persoon",
    )
    return {
        "reporter": reporter,
        "coordinator": coordinator,
        "fg": fg,
        "own": own,
        "casus": casus,
        "other": other,
        "other_casus": other_casus,
    }


def test_the_report_covers_the_person_and_nobody_else(mfa_client) -> None:
    world = _world()
    fg = mfa_client(world["fg"])
    assert (
        fg.post(
            reverse("avg:verzoek_list"),
            {"ontvangen_op": timezone.localdate().isoformat(), "soort": "inzage"},
        ).status_code
        == 302
    )
    verzoek = Inzageverzoek.objects.get()
    coordinator = mfa_client(world["coordinator"])
    # Access by the person's casus shows up in the report (organisation and role).
    coordinator.get(reverse("casussen:detail", args=[world["casus"].referentie]))
    response = coordinator.post(reverse("avg:verzoek_detail", args=[verzoek.pk]), PERSON)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Over de persoon zelf" in html and "Bijdrage over haar" in html
    assert world["casus"].referentie in html
    assert "Over iemand anders" not in html and "Andere persoon" not in html
    assert world["other_casus"].referentie not in html
    assert "casus.read" in html  # who accessed it
    for value in PERSON.values():
        assert value not in html  # the identifying data are not echoed
    verzoek.refresh_from_db()
    assert verzoek.categorieen == ["signalen", "casussen", "bijdragen", "toegang"]
    # The FG sees that a report was made, by whom, when and what it covers, not its content.
    fg_view = fg.get(reverse("avg:verzoek_detail", args=[verzoek.pk])).content.decode()
    assert world["coordinator"].username in fg_view and "bijdragen" in fg_view
    assert "Over de persoon zelf" not in fg_view and world["casus"].referentie not in fg_view
    pdf = coordinator.get(reverse("avg:verzoek_pdf", args=[verzoek.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert fg.get(reverse("avg:verzoek_pdf", args=[verzoek.pk])).status_code == 404
    # Another coordinator does not see the report either.
    other_coordinator = mfa_client(CoordinatorFactory.create(mfa=True))
    assert (
        "Over de persoon zelf"
        not in other_coordinator.get(
            reverse("avg:verzoek_detail", args=[verzoek.pk])
        ).content.decode()
    )
    actions = set(AuditEvent.objects.filter(object_type="verzoek").values_list("action", flat=True))
    assert {AuditAction.REQUEST_REGISTERED, AuditAction.REQUEST_COMPILED} <= actions


def test_unlink_erase_and_close() -> None:
    world = _world()
    verzoek = inzage.verzoek_register(
        actor=world["fg"], ontvangen_op=timezone.localdate(), soort="wissing"
    )
    attributes = IdentifyingAttributes(
        voornamen="Elena", achternaam="Marinescu", geboortedatum=datetime.date(1994, 5, 17)
    )
    rapport = inzage.verzoek_compile(
        actor=world["coordinator"], verzoek=verzoek, attributes=attributes
    )
    assert [s.pk for s in rapport.signalen] == [world["own"].pk]
    plan = inzage.erasure_plan(actor=world["coordinator"], verzoek=verzoek)
    assert [c.referentie for c in plan.casussen] == [world["casus"].referentie]
    kept = inzage.verzoek_erase(
        actor=world["coordinator"], verzoek=verzoek, bevestiging=plan.digest
    )
    assert kept == []
    assert not Casus.objects.filter(pk=world["casus"].pk).exists()
    assert Casus.objects.filter(pk=world["other_casus"].pk).exists()  # the namesake's casus stays
    inzage.verzoek_close(actor=world["coordinator"], verzoek=verzoek)
    verzoek.refresh_from_db()
    assert verzoek.status == "afgerond" and verzoek.gevonden == ""


def test_rectification_unlinks_a_wrong_match() -> None:
    world = _world()
    verzoek = inzage.verzoek_register(
        actor=world["fg"], ontvangen_op=timezone.localdate(), soort="rectificatie"
    )
    attributes = IdentifyingAttributes(
        voornamen="Elena", achternaam="Marinescu", geboortedatum=datetime.date(1994, 5, 17)
    )
    inzage.verzoek_compile(actor=world["coordinator"], verzoek=verzoek, attributes=attributes)
    inzage.verzoek_unlink(actor=world["coordinator"], verzoek=verzoek, signaal_id=world["own"].pk)
    assert not PseudoniemToken.objects.filter(signaal=world["own"]).exists()
    assert inzage.matching_signals(attributes) == []


def test_only_fg_and_coordinators_and_bad_input() -> None:
    from django.core.exceptions import PermissionDenied, ValidationError

    world = _world()
    with pytest.raises(PermissionDenied):
        inzage.verzoek_register(actor=world["coordinator"], ontvangen_op=timezone.localdate())
    with pytest.raises(ValidationError):
        inzage.verzoek_register(
            actor=world["fg"], ontvangen_op=timezone.localdate() + datetime.timedelta(days=1)
        )
    verzoek = inzage.verzoek_register(actor=world["fg"], ontvangen_op=timezone.localdate())
    with pytest.raises(PermissionDenied):
        inzage.verzoek_compile(actor=world["reporter"], verzoek=verzoek, attributes=NEAR_NAMESAKE)
    with pytest.raises(ValidationError):
        inzage.verzoek_compile(
            actor=world["coordinator"], verzoek=verzoek, attributes=IdentifyingAttributes()
        )
