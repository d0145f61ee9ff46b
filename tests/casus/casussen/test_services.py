"""Casus services: who may do what, the workflow, validation that saves nothing, and audit."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from casus import policy
from casus.casussen import services
from casus.models import (
    Afspraak,
    Betrokkenheid,
    Bijdrage,
    Casus,
    CasusGroupObjectPermission,
    Grondslag,
    Status,
    Uitkomst,
    Zichtbaarheid,
)
from partners.models import PartnerKind, Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events_since(before: int) -> list[AuditEvent]:
    return list(AuditEvent.objects.order_by("id")[before:])


def test_casus_open_involves_partners_grants_access_and_audits_everything() -> None:
    coordinator = CoordinatorFactory.create()
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
    before = AuditEvent.objects.count()

    casus = services.casus_open(
        actor=coordinator,
        risico="hoog",
        grondslag="wettelijke_taak",
        partners=[politie, ggd],
        reden="Signalen bij controle",
    )

    year = timezone.localdate().year
    assert casus.referentie == f"K-{year}-0001"
    assert casus.status == Status.NIEUW
    assert set(Betrokkenheid.objects.filter(casus=casus).values_list("partner", flat=True)) == {
        politie.pk,
        ggd.pk,
    }
    assert set(
        CasusGroupObjectPermission.objects.filter(content_object=casus).values_list(
            "group_id", flat=True
        )
    ) == {politie.group_id, ggd.group_id}
    events = _events_since(before)
    assert [(e.action, e.object_ref) for e in events] == [
        (AuditAction.CASUS_OPENED, casus.referentie),
        (AuditAction.INVOLVEMENT_ADDED, f"{casus.referentie}:P{politie.pk}"),
        (AuditAction.INVOLVEMENT_ADDED, f"{casus.referentie}:P{ggd.pk}"),
    ]
    for event in events:
        assert event.actor == coordinator
        assert event.actor_role == Role.ZORGCOORDINATOR
        assert event.purpose == "wettelijke_taak"
    assert (
        services.casus_open(
            actor=coordinator, risico="laag", grondslag="wpg", partners=[politie], reden="x"
        ).referentie
        == f"K-{year}-0002"
    )


@pytest.mark.parametrize(
    "changes,field",
    [
        ({"partners": []}, "partners"),
        ({"reden": "   "}, "reden"),
        ({"reden": "x" * 501}, "reden"),
        ({"grondslag": "overig"}, "grondslag_toelichting"),
        ({"grondslag": "onbekend"}, "grondslag"),
        ({"risico": "extreem"}, "risico"),
    ],
)
def test_casus_open_bad_input_names_the_field_and_saves_nothing(changes, field) -> None:
    coordinator = CoordinatorFactory.create()
    partner = PartnerFactory.create()
    arguments = {
        "actor": coordinator,
        "risico": "hoog",
        "grondslag": "wettelijke_taak",
        "partners": [partner],
        "reden": "Signalen",
        **changes,
    }
    before = (Casus.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as error:
        services.casus_open(**arguments)
    assert field in error.value.message_dict
    assert (Casus.objects.count(), AuditEvent.objects.count()) == before


@pytest.mark.parametrize(
    "role", [Role.MEDEWERKER, Role.VOORZITTER, Role.PRIVACY_OFFICER, Role.BEHEERDER, Role.ANALIST]
)
def test_only_the_coordinator_opens_a_casus(role) -> None:
    user = UserFactory.create(role=role)
    with pytest.raises(PermissionDenied):
        services.casus_open(
            actor=user, risico="hoog", grondslag="wpg", partners=[user.partner], reden="x"
        )
    assert not Casus.objects.exists()


def test_the_workflow_allows_its_transitions_and_reopening_and_refuses_others() -> None:
    casus = CasusFactory.create()
    coordinator = casus.coordinator
    with pytest.raises(ValidationError) as error:
        services.casus_change_status(actor=coordinator, casus=casus, status=Status.MONITOREN)
    assert "status" in error.value.message_dict
    assert "Nieuw" in error.value.message_dict["status"][0]
    for status in [
        Status.IN_BEHANDELING,
        Status.MONITOREN,
        Status.AFGESLOTEN,
        Status.IN_BEHANDELING,
    ]:
        casus = services.casus_change_status(
            actor=coordinator, casus=casus, status=status, uitkomst="hulp_aanvaard"
        )
        assert casus.status == status
    assert casus.afgesloten_op is None  # reopened
    assert list(casus.statuswijzigingen.values_list("naar", flat=True)) == [
        "nieuw",
        "in_behandeling",
        "monitoren",
        "afgesloten",
        "in_behandeling",
    ]


def test_removing_an_involvement_revokes_access_at_once() -> None:
    partner = PartnerFactory.create()
    medewerker = UserFactory.create(partner=partner)
    casus = CasusFactory.create(partners=[partner])
    assert policy.visible_casussen(medewerker).filter(pk=casus.pk).exists()
    services.betrokkenheid_remove(actor=casus.coordinator, casus=casus, partner=partner)
    assert not policy.visible_casussen(medewerker).filter(pk=casus.pk).exists()
    betrokkenheid = Betrokkenheid.objects.get(casus=casus, partner=partner)
    assert betrokkenheid.beeindigd_op is not None  # history kept, access gone
    # Involving again works (one active involvement per partner).
    services.betrokkenheid_add(
        actor=casus.coordinator, casus=casus, partner=partner, reden="Opnieuw", grondslag="wpg"
    )
    assert policy.visible_casussen(medewerker).filter(pk=casus.pk).exists()
    with pytest.raises(ValidationError):
        services.betrokkenheid_add(
            actor=casus.coordinator, casus=casus, partner=partner, reden="Dubbel", grondslag="wpg"
        )


def _bijdragen_setup():
    zorg = PartnerFactory.create(kind=PartnerKind.ZORG)
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    outsider = PartnerFactory.create()
    casus = CasusFactory.create(partners=[zorg, politie])
    users = {
        "zorg": UserFactory.create(partner=zorg),
        "politie": UserFactory.create(partner=politie),
        "politie_voorzitter": UserFactory.create(partner=politie, role=Role.VOORZITTER),
        "coordinator": casus.coordinator,
        "other_coordinator": CoordinatorFactory.create(),
        "outsider": UserFactory.create(partner=outsider),
    }
    for level in Zichtbaarheid.values:
        services.bijdrage_create(
            actor=users["politie"],
            casus=casus,
            categorie="veiligheid",
            zichtbaarheid=level,
            tekst=level,
        )
    return casus, users


@pytest.mark.parametrize(
    "who,expected",
    [
        ("politie", {"keten", "regie", "intern"}),
        ("politie_voorzitter", {"keten", "regie", "intern"}),
        ("zorg", {"keten"}),
        ("coordinator", {"keten", "regie"}),
        ("other_coordinator", {"keten", "regie"}),
        ("outsider", set()),
    ],
)
def test_bijdrage_visibility_levels(who, expected) -> None:
    casus, users = _bijdragen_setup()
    user = users[who]
    visible = set()
    if policy.visible_casussen(user).filter(pk=casus.pk).exists():
        visible = set(policy.visible_bijdragen(user, casus).values_list("zichtbaarheid", flat=True))
    assert visible == expected


def test_default_visibility_follows_the_partner_kind() -> None:
    assert policy.default_visibility(PartnerFactory.build(kind=PartnerKind.GEZONDHEID)) == "regie"
    assert policy.default_visibility(PartnerFactory.build(kind=PartnerKind.POLITIE)) == "regie"
    assert policy.default_visibility(PartnerFactory.build(kind=PartnerKind.ZORG)) == "keten"
    assert policy.default_visibility(PartnerFactory.build(kind=PartnerKind.GEMEENTE)) == "keten"


def test_health_partner_shares_with_the_chain_only_with_consent() -> None:
    ggd = PartnerFactory.create(kind=PartnerKind.GEZONDHEID)
    medewerker = UserFactory.create(partner=ggd)
    zonder = CasusFactory.create(partners=[ggd])
    met = CasusFactory.create(partners=[ggd], toestemming=True)
    with pytest.raises(ValidationError) as error:
        services.bijdrage_create(
            actor=medewerker, casus=zonder, categorie="gezondheid", zichtbaarheid="keten", tekst="x"
        )
    assert "toestemming" in error.value.message_dict["zichtbaarheid"][0]
    assert not Bijdrage.objects.exists()
    services.bijdrage_create(
        actor=medewerker, casus=met, categorie="gezondheid", zichtbaarheid="keten", tekst="x"
    )


def test_only_the_author_changes_visibility_and_it_is_audited() -> None:
    casus, users = _bijdragen_setup()
    bijdrage = Bijdrage.objects.get(zichtbaarheid="intern")
    with pytest.raises(PermissionDenied):
        services.bijdrage_change_visibility(
            actor=users["politie_voorzitter"], bijdrage=bijdrage, zichtbaarheid="keten"
        )
    before = AuditEvent.objects.count()
    services.bijdrage_change_visibility(
        actor=users["politie"], bijdrage=bijdrage, zichtbaarheid="keten"
    )
    bijdrage.refresh_from_db()
    assert bijdrage.zichtbaarheid == "keten"
    [event] = _events_since(before)
    assert event.action == AuditAction.BIJDRAGE_VISIBILITY_CHANGED
    assert event.object_ref == f"{casus.referentie}:B{bijdrage.pk}"


def test_outsiders_cannot_contribute() -> None:
    casus, users = _bijdragen_setup()
    with pytest.raises(PermissionDenied):
        services.bijdrage_create(
            actor=users["outsider"], casus=casus, categorie="zorg", zichtbaarheid="keten", tekst="x"
        )


def test_free_text_is_encrypted_in_the_database() -> None:
    casus, users = _bijdragen_setup()
    marker = "Kanarie-tekst-7f3a"
    services.bijdrage_create(
        actor=users["zorg"], casus=casus, categorie="zorg", zichtbaarheid="keten", tekst=marker
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT tekst FROM casus_bijdrage")
        raw = [row[0] for row in cursor.fetchall()]
    assert all(value.startswith("k1$") for value in raw)
    assert not any(marker in value for value in raw)
    assert Bijdrage.objects.get(tekst__isnull=False, auteur=users["zorg"]).tekst == marker


def _afspraak():
    gemeente = PartnerFactory.create(kind=PartnerKind.GEMEENTE)
    politie = PartnerFactory.create(kind=PartnerKind.POLITIE)
    casus = CasusFactory.create(partners=[gemeente, politie])
    afspraak = services.afspraak_create(
        actor=casus.coordinator,
        casus=casus,
        omschrijving="Eigenaar informeren",
        partner=gemeente,
        deadline=timezone.localdate() + datetime.timedelta(days=7),
    )
    return casus, afspraak, gemeente, politie


def test_afspraak_bad_input() -> None:
    casus, _unused, gemeente, _politie = _afspraak()
    outsider = PartnerFactory.create()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"deadline": timezone.localdate() - datetime.timedelta(days=1)}, "deadline"),
        ({"partner": outsider}, "partner"),
        ({"partner": None}, "partner"),
        ({"omschrijving": ""}, "omschrijving"),
    ]
    for changes, field in cases:
        arguments = {
            "actor": casus.coordinator,
            "casus": casus,
            "omschrijving": "Iets doen",
            "partner": gemeente,
            "deadline": timezone.localdate() + datetime.timedelta(days=3),
            **changes,
        }
        with pytest.raises(ValidationError) as error:
            services.afspraak_create(**arguments)
        assert field in error.value.message_dict, changes
    assert Afspraak.objects.count() == 1


def test_afspraak_update_by_its_own_partner_with_optimistic_concurrency() -> None:
    casus, afspraak, gemeente, politie = _afspraak()
    eigen = UserFactory.create(partner=gemeente)
    ander = UserFactory.create(partner=politie)
    with pytest.raises(PermissionDenied):
        services.afspraak_update(actor=ander, afspraak=afspraak, versie=1, uitkomst="uitgevoerd")
    with pytest.raises(ValidationError) as error:
        services.afspraak_update(
            actor=eigen, afspraak=afspraak, versie=1, uitkomst=Uitkomst.NIET_UITGEVOERD
        )
    assert "uitkomst_toelichting" in error.value.message_dict
    updated = services.afspraak_update(
        actor=eigen, afspraak=afspraak, versie=1, uitkomst="uitgevoerd"
    )
    assert (updated.uitkomst, updated.versie) == ("uitgevoerd", 2)
    # A second user who loaded version 1 does not overwrite the first one's outcome.
    with pytest.raises(services.ConflictError) as conflict:
        services.afspraak_update(
            actor=casus.coordinator, afspraak=afspraak, versie=1, uitkomst="vervallen"
        )
    assert conflict.value.current.uitkomst == "uitgevoerd"
    afspraak.refresh_from_db()
    assert (afspraak.uitkomst, afspraak.versie) == ("uitgevoerd", 2)


def test_agendering_by_an_involved_partner_only() -> None:
    casus, _unused, _gemeente, politie = _afspraak()
    with pytest.raises(PermissionDenied):
        services.agendering_request(actor=UserFactory.create(), casus=casus, reden="Bespreken")
    agendering = services.agendering_request(
        actor=UserFactory.create(partner=politie), casus=casus, reden="Nieuwe informatie"
    )
    assert agendering.partner == politie
    with pytest.raises(ValidationError):
        services.agendering_request(
            actor=UserFactory.create(partner=politie), casus=casus, reden=""
        )


def test_grondslag_overig_needs_an_explanation_for_involvement_too() -> None:
    casus = CasusFactory.create()
    partner = PartnerFactory.create()
    with pytest.raises(ValidationError) as error:
        services.betrokkenheid_add(
            actor=casus.coordinator,
            casus=casus,
            partner=partner,
            reden="x",
            grondslag=Grondslag.OVERIG,
        )
    assert "grondslag_toelichting" in error.value.message_dict
