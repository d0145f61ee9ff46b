"""The coordinator's case actions (issue 11): risk with a reason, the casus's facts, a closing
proposal and closing with an outcome — on the pages and the API, refused (404) for others, all
errors of a form in one round, nothing half-saved, and the agenda rules they feed."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from casus.casussen import services
from casus.models import Agendapunt, Casus, Overleg, OverlegSerie, Reden, RisicoWijziging, Status
from casus.overleg import agenda
from partners.models import PartnerKind, Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    coordinator = CoordinatorFactory.create(partner=zorg, mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[zorg, politie])
    return {
        "casus": casus,
        "coordinator": coordinator,
        "politie": UserFactory.create(partner=politie, mfa=True),
        "zorg": zorg,
        "politie_partner": politie,
    }


def _actions(casus: Casus) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_ref=casus.referentie)
        .order_by("id")
        .values_list("action", flat=True)
    )


def test_raising_the_risk_needs_a_reason_and_keeps_the_history(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["coordinator"])
    url = reverse("casussen:risico", args=[casus.referentie])
    refused = client.post(url, {"risico": "", "reden": ""})
    assert refused.status_code == 400
    errors = refused.context["risico_form"].errors
    assert set(errors) == {"risico", "reden"}  # both fields in one round
    same = client.post(url, {"risico": casus.risico, "reden": "Geen verandering."})
    assert same.context["risico_form"].errors["risico"] == ["Dit is al het huidige risiconiveau."]
    assert same.context["risico_form"]["reden"].value() == "Geen verandering."  # input kept
    assert not RisicoWijziging.objects.exists()
    casus.refresh_from_db()
    assert casus.risico == "midden"

    before = AuditEvent.objects.count()
    done = client.post(url, {"risico": "hoog", "reden": "Nieuwe signalen van dwang."})
    assert done.status_code == 302
    casus.refresh_from_db()
    assert casus.risico == "hoog"
    change = RisicoWijziging.objects.get()
    assert (change.van, change.naar, change.reden) == (
        "midden",
        "hoog",
        "Nieuwe signalen van dwang.",
    )
    assert AuditEvent.objects.filter(pk__gt=0).count() == before + 1
    assert _actions(casus)[-1] == AuditAction.CASUS_UPDATED
    page = client.get(reverse("casussen:detail", args=[casus.referentie])).content.decode()
    assert "Nieuwe signalen van dwang." in page


def test_an_identifier_in_the_risk_reason_is_refused_where_it_is(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["coordinator"])
    response = client.post(
        reverse("casussen:risico", args=[casus.referentie]),
        {"risico": "hoog", "reden": "Bel haar op 06-12345678."},
    )
    assert response.status_code == 400
    assert "reden" in response.context["risico_form"].errors
    assert not RisicoWijziging.objects.exists()


def test_others_get_404_for_every_case_action(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["politie"])  # involved, but not the coordinator
    for name, data in [
        ("casussen:risico", {"risico": "hoog", "reden": "x"}),
        ("casussen:gegevens", {"sector": "raam", "gemeente": "leeuwarden"}),
        ("casussen:afsluitvoorstel", {}),
    ]:
        assert client.post(reverse(name, args=[casus.referentie]), data).status_code == 404
    for path in ("risico", "afsluiten-voorstellen"):
        response = client.post(
            f"/api/v1/casussen/{casus.referentie}/{path}/",
            {"risico": "hoog", "reden": "x"},
            content_type="application/json",
        )
        assert response.status_code == 404
    casus.refresh_from_db()
    assert (casus.risico, casus.afsluiten_voorgesteld_op) == ("midden", None)


def test_the_facts_can_be_corrected_on_the_page(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["coordinator"])
    url = reverse("casussen:gegevens", args=[casus.referentie])
    bad = client.post(url, {"sector": "nergens", "gemeente": "atlantis"})
    assert bad.status_code == 400
    assert set(bad.context["gegevens_form"].errors) == {"sector", "gemeente"}
    ok = client.post(
        url,
        {"sector": "hotel", "gemeente": "leeuwarden", "veilig_om_te_bellen": "on"},
    )
    assert ok.status_code == 302
    casus.refresh_from_db()
    assert (casus.sector, casus.gemeente, casus.veilig_om_te_bellen, casus.tolk_nodig) == (
        "hotel",
        "leeuwarden",
        True,
        False,
    )
    assert casus.risico == "midden"  # the risk has its own action
    page = client.get(reverse("casussen:detail", args=[casus.referentie])).content.decode()
    assert "Leeuwarden" in page  # the label, not the key


def test_closing_needs_an_outcome_and_reopening_clears_it(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["coordinator"])
    url = reverse("casussen:status", args=[casus.referentie])
    refused = client.post(url, {"status": "afgesloten", "uitkomst": "", "toelichting": ""})
    assert refused.status_code == 400
    assert refused.context["status_form"].errors["uitkomst"] == ["Kies hoe de casus is geëindigd."]
    # An outcome that only a merge or a consent withdrawal sets cannot be chosen.
    merged = client.post(url, {"status": "afgesloten", "uitkomst": "samengevoegd"})
    assert merged.status_code == 400
    casus.refresh_from_db()
    assert casus.status == Status.NIEUW
    assert client.post(url, {"status": "afgesloten", "uitkomst": "uitstap"}).status_code == 302
    casus.refresh_from_db()
    assert (casus.status, casus.uitkomst) == (Status.AFGESLOTEN, "uitstap")
    assert casus.afgesloten_op is not None
    assert client.post(url, {"status": "in_behandeling"}).status_code == 302
    casus.refresh_from_db()
    assert (casus.status, casus.uitkomst, casus.afgesloten_op) == (Status.IN_BEHANDELING, "", None)


def test_closing_through_the_api_needs_an_outcome(setting, mfa_client) -> None:
    casus = setting["casus"]
    client = mfa_client(setting["coordinator"])
    url = f"/api/v1/casussen/{casus.referentie}/status/"
    refused = client.post(url, {"status": "afgesloten"}, content_type="application/json")
    assert refused.status_code == 400
    assert "uitkomst" in refused.json()
    done = client.post(
        url,
        {"status": "afgesloten", "uitkomst": "hulp_aanvaard"},
        content_type="application/json",
    )
    assert done.status_code == 200
    casus.refresh_from_db()
    assert casus.uitkomst == "hulp_aanvaard"


def _meeting_reasons(casus: Casus, when: datetime.datetime) -> set[str]:
    chair = UserFactory.create(role=Role.VOORZITTER)
    serie, _ = OverlegSerie.objects.get_or_create(
        naam="Ketenoverleg test", defaults={"voorzitter": chair}
    )
    overleg = Overleg.objects.create(serie=serie, datum=when, plaats="Stadhuis", voorzitter=chair)
    return agenda.candidates(overleg).get(casus.pk, set())


def test_a_proposal_to_close_and_a_raised_risk_reach_the_agenda(setting, mfa_client) -> None:
    casus = setting["casus"]
    coordinator = setting["coordinator"]
    client = mfa_client(coordinator)
    soon = timezone.now() + datetime.timedelta(days=7)
    assert Reden.VOORSTEL_AFSLUITEN not in _meeting_reasons(casus, soon)

    url = reverse("casussen:afsluitvoorstel", args=[casus.referentie])
    assert client.post(url, {}).status_code == 302
    casus.refresh_from_db()
    assert casus.afsluiten_voorgesteld_op is not None
    assert Reden.VOORSTEL_AFSLUITEN in _meeting_reasons(casus, soon + datetime.timedelta(hours=1))
    again = client.post(url, {})
    assert again.status_code == 400  # already proposed: said, not silently repeated
    assert client.post(url, {"intrekken": "on"}).status_code == 302
    casus.refresh_from_db()
    assert casus.afsluiten_voorgesteld_op is None

    # Discussed at risk midden, then raised: risico_verhoogd on the next agenda.
    serie = OverlegSerie.objects.get()
    past = Overleg.objects.create(
        serie=serie,
        datum=timezone.now() - datetime.timedelta(days=14),
        plaats="Stadhuis",
        voorzitter=serie.voorzitter,
    )
    Agendapunt.objects.create(
        overleg=past,
        soort="casus",
        casus=casus,
        besproken_op=timezone.now() - datetime.timedelta(days=14),
        risico_bij_bespreking="midden",
    )
    later = soon + datetime.timedelta(days=1)
    assert Reden.RISICO_VERHOOGD not in _meeting_reasons(casus, later)
    services.casus_change_risk(actor=coordinator, casus=casus, risico="hoog", reden="Dwang.")
    assert Reden.RISICO_VERHOOGD in _meeting_reasons(casus, later + datetime.timedelta(hours=1))
