"""Retention: exactly the expired objects are purged, completely, with tombstones; dry runs and
legal holds change nothing; an interrupted purge completes on the next run."""

from __future__ import annotations

import datetime
from unittest import mock

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

import pytest
import time_machine
from auditlog.models import LogEntry

from audit.models import AuditAction, AuditEvent
from casus.avg import retention
from casus.casussen import services
from casus.models import (
    Afspraak,
    Bijdrage,
    Casus,
    CasusGroupObjectPermission,
    LegalHold,
    PseudoniemToken,
    Signaal,
    Tombstone,
)
from casus.signalen import services as intake
from casus.signalen.pseudonym import IdentifyingAttributes
from partners.models import Role
from tests.casus.factories import CasusFactory, CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _signal(author, *, attributes: bool = True) -> Signaal:
    return intake.signaal_submit(
        actor=author,
        datum_waargenomen=timezone.localdate() - DAY,
        bron="controle",
        sector="raam",
        omschrijving="Waarneming bij de controle.",
        zichtbaarheid="keten",
        indicatoren=["geen_eigen_id"],
        attributes=IdentifyingAttributes(
            voornamen="Ana", achternaam="Pop", geboortedatum=datetime.date(1990, 1, 2)
        )
        if attributes
        else None,
    )


def _closed_casus_with_everything(coordinator, partner, author):
    casus = CasusFactory.create(coordinator=coordinator, partners=[partner])
    signaal = _signal(author)
    intake.signaal_link(actor=coordinator, signaal=signaal, casus=casus)
    services.bijdrage_create(
        actor=author, casus=casus, categorie="zorg", zichtbaarheid="keten", tekst="Tekst"
    )
    services.afspraak_create(
        actor=coordinator,
        casus=casus,
        omschrijving="Doen",
        partner=partner,
        deadline=timezone.localdate() + DAY,
    )
    return services.casus_change_status(
        actor=coordinator, casus=casus, status="afgesloten", uitkomst="uitstap"
    )


def _world():
    coordinator = CoordinatorFactory.create(mfa=True)
    partner = PartnerFactory.create()
    author = UserFactory.create(partner=partner)
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=800), tick=False):
        old = _closed_casus_with_everything(coordinator, partner, author)  # closed ~26 months ago
        old_signal = _signal(author)
        intake.signaal_close(actor=coordinator, signaal=old_signal, reden="Geen aanwijzingen")
    with time_machine.travel(start - datetime.timedelta(days=700), tick=False):
        recent = _closed_casus_with_everything(coordinator, partner, author)  # ~23 months: stays
    with time_machine.travel(start - datetime.timedelta(days=150), tick=False):
        young_signal = _signal(author, attributes=False)
        intake.signaal_close(actor=coordinator, signaal=young_signal, reden="Geen aanwijzingen")
    open_casus = CasusFactory.create(coordinator=coordinator, partners=[partner])
    return {
        "coordinator": coordinator,
        "partner": partner,
        "author": author,
        "old": old,
        "recent": recent,
        "old_signal": old_signal,
        "young_signal": young_signal,
        "open": open_casus,
    }


def _rows_referencing(casus_id: int) -> int:
    count = 0
    for model in (Bijdrage, Afspraak, CasusGroupObjectPermission, Signaal):
        field = "content_object_id" if model is CasusGroupObjectPermission else "casus_id"
        count += model.objects.filter(**{field: casus_id}).count()
    return count


def test_exactly_the_expired_objects_are_purged_completely_with_tombstones(mfa_client) -> None:
    world = _world()
    old, old_signal = world["old"], world["old_signal"]
    old_signal_ids = [
        old_signal.pk,
        *Signaal.objects.filter(casus=old).values_list("pk", flat=True),
    ]
    assert PseudoniemToken.objects.filter(signaal_id__in=old_signal_ids).exists()
    assert LogEntry.objects.filter(object_pk=str(old.pk), content_type__model="casus").exists()

    report = retention.purge_expired()

    assert report.casussen == [old.referentie]
    assert report.signalen == [old_signal.pk]
    assert not Casus.objects.filter(pk=old.pk).exists()
    assert set(Casus.objects.values_list("pk", flat=True)) == {world["recent"].pk, world["open"].pk}
    assert Signaal.objects.filter(pk=world["young_signal"].pk).exists()
    assert _rows_referencing(old.pk) == 0
    assert not PseudoniemToken.objects.filter(signaal_id__in=old_signal_ids).exists()
    assert not LogEntry.objects.filter(object_pk=str(old.pk), content_type__model="casus").exists()
    tombstones = list(
        Tombstone.objects.order_by("soort", "id").values("soort", "sector", "status", "indicatoren")
    )
    assert {t["soort"] for t in tombstones} == {"casus", "signaal"}
    assert (
        sum(t["soort"] == "signaal" for t in tombstones) == 2
    )  # the linked one and the closed one
    assert all(t["indicatoren"] == ["geen_eigen_id"] for t in tombstones if t["soort"] == "signaal")
    events = AuditEvent.objects.filter(
        action__in=[AuditAction.CASUS_PURGED, AuditAction.SIGNAAL_PURGED]
    )
    # Every purged reference is named, also the signal that went with its casus.
    assert {(e.action, e.object_ref) for e in events} == {
        (AuditAction.CASUS_PURGED, old.referentie),
        *((AuditAction.SIGNAAL_PURGED, f"S{pk}") for pk in old_signal_ids),
    }
    # Unreachable through the pages and the API, also for the coordinator who sees everything.
    client = mfa_client(world["coordinator"])
    assert client.get(reverse("casussen:detail", args=[old.referentie])).status_code == 404
    assert client.get(f"/api/v1/casussen/{old.referentie}/").status_code == 404
    assert (
        client.get(reverse("casussen:list"), {"zoek": old.referentie})
        .context["page"]
        .paginator.count
        == 0
    )
    assert client.get(reverse("signalen:detail", args=[old_signal.pk])).status_code == 404
    # Idempotent: nothing more to do.
    again = retention.purge_expired()
    assert (again.casussen, again.signalen) == ([], [])


def test_dry_run_changes_nothing() -> None:
    world = _world()
    before = (
        Casus.objects.count(),
        Signaal.objects.count(),
        Tombstone.objects.count(),
        LogEntry.objects.count(),
    )
    report = retention.purge_expired(dry_run=True)
    assert report.casussen == [world["old"].referentie]
    assert report.signalen == [world["old_signal"].pk]
    assert (
        Casus.objects.count(),
        Signaal.objects.count(),
        Tombstone.objects.count(),
        LogEntry.objects.count(),
    ) == before


def test_an_interrupted_purge_completes_on_the_next_run_without_residue() -> None:
    world = _world()
    extra = []
    start = timezone.now()
    with time_machine.travel(start - datetime.timedelta(days=900), tick=False):
        extra = [
            _closed_casus_with_everything(world["coordinator"], world["partner"], world["author"])
            for _ in range(2)
        ]
    real = retention.casus_purge
    calls = {"n": 0}

    def dies_on_the_second(*, casus):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("worker killed")
        return real(casus=casus)

    with (
        mock.patch.object(retention, "casus_purge", dies_on_the_second),
        pytest.raises(RuntimeError),
    ):
        retention.purge_expired()
    purged_ids = [c.pk for c in (world["old"], *extra)]
    remaining = set(Casus.objects.filter(pk__in=purged_ids).values_list("pk", flat=True))
    assert len(remaining) == 2  # one purged completely, the interrupted one untouched
    for casus_id in remaining:
        assert Bijdrage.objects.filter(casus_id=casus_id).exists()  # nothing half-removed
    retention.purge_expired()
    assert not Casus.objects.filter(pk__in=purged_ids).exists()
    assert all(_rows_referencing(pk) == 0 for pk in purged_ids)
    assert Tombstone.objects.filter(soort="casus").count() == 3


def test_a_legal_hold_blocks_the_purge_until_it_is_lifted() -> None:
    world = _world()
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER)
    with pytest.raises(ValidationError):
        retention.legal_hold_set(actor=fg, reden="", casus=world["old"])
    hold = retention.legal_hold_set(actor=fg, reden="Lopende procedure", casus=world["old"])
    report = retention.purge_expired()
    assert world["old"].referentie not in report.casussen
    assert report.held_casussen == [world["old"].referentie]
    assert Casus.objects.filter(pk=world["old"].pk).exists()
    retention.legal_hold_lift(actor=fg, hold=hold)
    assert world["old"].referentie in retention.purge_expired().casussen
    assert not LegalHold.objects.exists()  # the hold went with its casus
    with pytest.raises(Exception):  # noqa: B017 - only the FG sets holds
        retention.legal_hold_set(actor=world["coordinator"], reden="x", casus=world["recent"])


def test_consent_withdrawal_closes_and_leads_to_purge() -> None:
    world = _world()
    casus = CasusFactory.create(
        coordinator=world["coordinator"], partners=[world["partner"]], toestemming=True
    )
    with pytest.raises(ValidationError):
        retention.consent_withdraw(
            actor=world["coordinator"], casus=world["open"]
        )  # not on consent
    closed = retention.consent_withdraw(actor=world["coordinator"], casus=casus)
    assert closed.status == "afgesloten"
    assert AuditEvent.objects.filter(
        action=AuditAction.CONSENT_WITHDRAWN, object_ref=casus.referentie
    ).exists()
    assert casus.referentie in retention.purge_expired().casussen
    assert not Casus.objects.filter(pk=casus.pk).exists()


def test_purge_expired_command_dry_run_and_demo_casus(settings, capsys) -> None:
    settings.DEMO_MODE = True
    call_command("seed_demo")
    call_command("purge_expired", "--dry-run")
    out = capsys.readouterr().out
    assert "DEMO-006" in out
    assert Casus.objects.filter(referentie="DEMO-006").exists()
    call_command("purge_expired")
    assert not Casus.objects.filter(referentie="DEMO-006").exists()
    assert Casus.objects.filter(referentie="DEMO-001").exists()


def test_consent_withdrawal_and_the_fg_retention_page(mfa_client) -> None:
    world = _world()
    casus = CasusFactory.create(
        coordinator=world["coordinator"], partners=[world["partner"]], toestemming=True
    )
    coordinator = mfa_client(world["coordinator"])
    detail = coordinator.get(reverse("casussen:detail", args=[casus.referentie])).content.decode()
    url = reverse("casussen:toestemming_intrekken", args=[casus.referentie])
    assert url in detail
    assert mfa_client(world["author"]).post(url).status_code == 404  # only the coordinator
    assert coordinator.post(url).status_code == 302
    casus.refresh_from_db()
    assert casus.status == "afgesloten" and casus.toestemming_ingetrokken_op is not None

    fg = mfa_client(UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True))
    page = fg.get(reverse("avg:retention"))
    assert page.status_code == 200
    html = page.content.decode()
    assert world["old"].referentie in html and casus.referentie in html
    assert "Tekst" not in html  # references and dates only, no content
    bad = fg.post(reverse("avg:hold_set"), {"referentie": "K-0000-9999", "reden": "Procedure"})
    assert bad.status_code == 400 and "geen casus of signaal" in bad.content.decode()
    assert (
        fg.post(
            reverse("avg:hold_set"),
            {"referentie": world["old"].referentie, "reden": "Procedure"},
        ).status_code
        == 302
    )
    assert world["old"].referentie not in retention.purge_expired(dry_run=True).casussen
    assert coordinator.get(reverse("avg:retention")).status_code == 404


# --- batches by keyset (issue 17) --------------------------------------------------------------


def _expired_casussen(coordinator, first: int, count: int) -> list[Casus]:
    """``count`` casussen closed 30 months ago (past retention), straight into the table."""
    closed = timezone.now() - datetime.timedelta(days=900)
    return Casus.objects.bulk_create(
        Casus(
            referentie=f"R-{n:06d}",
            status="afgesloten",
            risico="midden",
            grondslag="wettelijke_taak",
            coordinator=coordinator,
            geopend_op=closed - datetime.timedelta(days=60),
            risico_gewijzigd_op=closed,
            afgesloten_op=closed,
        )
        for n in range(first, first + count)
    )


def test_the_dry_run_queries_grow_with_the_batches_only() -> None:
    """Each batch continues after the last id (keyset): one query per batch, each as small as
    the first. Before, every batch excluded all references seen so far (a growing list)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    coordinator = CoordinatorFactory.create()
    measured = {}
    for total in (150, 450):
        _expired_casussen(coordinator, Casus.objects.count(), total - Casus.objects.count())
        with CaptureQueriesContext(connection) as context:
            report = retention.purge_expired(dry_run=True, batch_size=100)
        assert len(report.casussen) == total == len(set(report.casussen))
        measured[total] = (
            len(context.captured_queries),
            max(len(query["sql"]) for query in context.captured_queries),
        )
    # 2 batches at 150, 5 at 450 (and the held casussen and the signals: one query each).
    assert measured[150][0] == 2 + 2
    assert measured[450][0] - measured[150][0] == 5 - 2
    assert measured[450][1] == measured[150][1]  # no query grows with what came before


def test_a_run_in_batches_purges_every_expired_casus_once_and_skips_the_held_one() -> None:
    coordinator = CoordinatorFactory.create()
    casussen = _expired_casussen(coordinator, 0, 250)
    held = casussen[120]
    fg = UserFactory.create(role=Role.PRIVACY_OFFICER)
    retention.legal_hold_set(actor=fg, reden="Lopende procedure", casus=held)
    expected = [c.referentie for c in casussen if c.pk != held.pk]
    assert retention.purge_expired(dry_run=True, batch_size=100).casussen == expected
    report = retention.purge_expired(batch_size=100)
    assert report.casussen == expected  # in id order, each once
    assert report.held_casussen == [held.referentie]
    assert list(Casus.objects.values_list("referentie", flat=True)) == [held.referentie]
    assert Tombstone.objects.filter(soort="casus").count() == 249
