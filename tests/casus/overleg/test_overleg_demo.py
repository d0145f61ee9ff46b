"""The demo's ketenoverleg (PRODUCT.md §11): a past meeting with adopted minutes and an afspraak
made in it, and an upcoming one whose concept agenda shows every reason of §7 at least once."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command
from django.utils import timezone

import pytest

from casus.models import Afspraak, Overleg, OverlegStatus, Reden
from casus.overleg import selectors as overleg_selectors
from partners.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo", stdout=StringIO())


def test_the_upcoming_demo_meeting_shows_every_reason(seeded) -> None:
    upcoming = Overleg.objects.get(datum__gt=timezone.now())
    assert upcoming.status == OverlegStatus.AGENDA_CONCEPT
    assert upcoming.voorzitter.username == "voorzitter.gemeente"
    chair = User.objects.get(username="voorzitter.gemeente")
    regels = overleg_selectors.agenda_for(user=chair, overleg=upcoming, record=False)
    by_reference = {r.referentie: r.redenen for r in regels if r.referentie}
    shown = {reason for reasons in by_reference.values() for reason in reasons}
    assert shown == set(Reden.values), by_reference
    assert [r.soort for r in regels][:1] == ["opening"]
    assert [r.soort for r in regels][-2:] == ["trends", "rondvraag"]
    assert "DEMO-006" not in by_reference  # closed (and purged): never on an agenda
    # DEMO-003's Gemeente afspraak is overdue; DEMO-004 was asked for and proposed for closing.
    assert Reden.AFSPRAAK_VERLOPEN in by_reference["DEMO-003"]
    assert {Reden.GEAGENDEERD, Reden.VOORSTEL_AFSLUITEN} <= set(by_reference["DEMO-004"])


def test_the_past_demo_meeting_has_adopted_minutes_and_an_afspraak(seeded) -> None:
    past = Overleg.objects.get(datum__lt=timezone.now())
    assert past.status == OverlegStatus.VERSLAG_VASTGESTELD
    assert past.verslag_vastgesteld_op is not None
    made = Afspraak.objects.filter(overleg=past).select_related("casus", "partner")
    assert [(a.casus.referentie, a.partner.name) for a in made] == [("DEMO-002", "GGD Fryslân")]
    discussed = past.agendapunten.filter(besproken_op__isnull=False).select_related("casus")
    assert {item.casus.referentie for item in discussed if item.casus} == {"DEMO-002", "DEMO-005"}
    assert all(item.besluit for item in discussed)


def test_seeding_again_adds_no_meetings(seeded) -> None:
    before = list(Overleg.objects.values_list("pk", "status").order_by("pk"))
    call_command("seed_demo", stdout=StringIO())
    assert list(Overleg.objects.values_list("pk", "status").order_by("pk")) == before
