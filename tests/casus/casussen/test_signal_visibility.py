"""A signal's visibility is changed through its own service and endpoint: the form under a
signal on the casus page never posts to the bijdrage endpoint (regression: with matching ids it
silently changed the author's bijdrage)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction
from casus.casussen import services
from casus.models import Bijdrage, Signaal, Zichtbaarheid
from casus.signalen import services as intake
from partners.models import PartnerKind
from tests.audit_records import audit_record, last_event_id, records_since
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def linked():
    """A casus with a bijdrage ``intern`` and a signal ``keten`` by the same author, with the
    same primary key (the copy-paste defect needed matching ids)."""
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    ldh = PartnerFactory.create(kind=PartnerKind.ZORG)
    coordinator = CoordinatorFactory.create(partner=zorg, mfa=True)
    author = UserFactory.create(partner=ldh, mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[zorg, ldh])
    signaal = intake.signaal_submit(
        actor=author,
        datum_waargenomen=timezone.localdate() - datetime.timedelta(days=1),
        bron="hulpverlening",
        sector="raam",
        omschrijving="Wordt gebracht en gehaald.",
        zichtbaarheid=Zichtbaarheid.KETEN,
        attributes=None,
    )
    intake.signaal_link(actor=coordinator, signaal=signaal, casus=casus)
    bijdrage = services.bijdrage_create(
        actor=author, casus=casus, categorie="zorg", zichtbaarheid="intern", tekst="Intern."
    )
    Bijdrage.objects.filter(pk=bijdrage.pk).update(id=signaal.pk)
    bijdrage = Bijdrage.objects.get(pk=signaal.pk)
    return {
        "casus": casus,
        "author": author,
        "signaal": signaal,
        "bijdrage": bijdrage,
        "coordinator": coordinator,
    }


def test_the_signal_form_posts_to_the_signal_endpoint(linked, mfa_client) -> None:
    casus, signaal = linked["casus"], linked["signaal"]
    page = mfa_client(linked["author"]).get(reverse("casussen:detail", args=[casus.referentie]))
    html = page.content.decode()
    signal_url = reverse("casussen:signaal_visibility", args=[casus.referentie, signaal.pk])
    bijdrage_url = reverse("casussen:bijdrage_visibility", args=[casus.referentie, signaal.pk])
    assert html.count(f'action="{signal_url}"') == 1
    assert html.count(f'action="{bijdrage_url}"') == 1  # the bijdrage's own form, once


def test_changing_a_signal_changes_the_signal_and_not_the_bijdrage(linked, mfa_client) -> None:
    casus, signaal, author = linked["casus"], linked["signaal"], linked["author"]
    client = mfa_client(author)
    before = last_event_id()
    response = client.post(
        reverse("casussen:signaal_visibility", args=[casus.referentie, signaal.pk]),
        {"zichtbaarheid": "regie"},
    )
    assert response.status_code == 302
    assert Signaal.objects.get(pk=signaal.pk).zichtbaarheid == "regie"
    assert Bijdrage.objects.get(pk=linked["bijdrage"].pk).zichtbaarheid == "intern"
    assert records_since(before) == [
        audit_record(
            AuditAction.SIGNAAL_VISIBILITY_CHANGED,
            actor=author,
            object_type="signaal",
            object_ref=f"S{signaal.pk}",
        )
    ]


def test_only_the_author_may_change_a_signal_and_others_get_404(linked, mfa_client) -> None:
    casus, signaal = linked["casus"], linked["signaal"]
    url = reverse("casussen:signaal_visibility", args=[casus.referentie, signaal.pk])
    response = mfa_client(linked["coordinator"]).post(url, {"zichtbaarheid": "intern"})
    assert response.status_code == 404
    assert Signaal.objects.get(pk=signaal.pk).zichtbaarheid == "keten"


def test_a_signal_of_another_casus_is_a_404(linked, mfa_client) -> None:
    other = CasusFactory.create(
        coordinator=linked["coordinator"], partners=[linked["author"].partner]
    )
    url = reverse("casussen:signaal_visibility", args=[other.referentie, linked["signaal"].pk])
    assert mfa_client(linked["author"]).post(url, {"zichtbaarheid": "intern"}).status_code == 404
    assert Signaal.objects.get(pk=linked["signaal"].pk).zichtbaarheid == "keten"


def test_health_data_stays_within_regie_without_consent(mfa_client) -> None:
    ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    coordinator = CoordinatorFactory.create(partner=zorg)
    author = UserFactory.create(partner=ggd, mfa=True)
    casus = CasusFactory.create(coordinator=coordinator, partners=[zorg, ggd])
    signaal = intake.signaal_submit(
        actor=author,
        datum_waargenomen=timezone.localdate(),
        bron="spreekuur",
        sector="raam",
        omschrijving="Gezondheidszorgen besproken.",
        zichtbaarheid="regie",
        attributes=None,
    )
    intake.signaal_link(actor=coordinator, signaal=signaal, casus=casus)
    response = mfa_client(author).post(
        reverse("casussen:signaal_visibility", args=[casus.referentie, signaal.pk]),
        {"zichtbaarheid": "keten"},
    )
    assert response.status_code == 400
    assert "toestemming" in response.content.decode()
    assert Signaal.objects.get(pk=signaal.pk).zichtbaarheid == "regie"
