"""Canary: unique strings planted in every free-text field and identifying attribute, the main
flows run through the real pages, then every table, every captured log line and every sent
e-mail is searched. Nothing may be found outside the encrypted columns (whose raw values are
ciphertext, so a plain search over all tables covers them too)."""

from __future__ import annotations

import datetime
import logging

from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone

import pytest

from audit.models import AuditAction, AuditEvent
from casus.models import Afspraak, Casus, Signaal
from partners.models import PartnerKind, Role
from tests.casus.factories import CoordinatorFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

# One marker per field; distinct so a hit says which field leaked.
MARKERS = {
    "signaal.omschrijving": "Kanarie-signaal-omschrijving-a1",
    "attr.voornamen": "Kanarievoornaam",
    "attr.achternaam": "Kanarieachternaam",
    "attr.werknaam": "Kanariewerknaam",
    "attr.land": "Kanarieland",
    "casus.reden": "Kanarie-betrokkenheid-reden-b2",
    "casus.grondslag_toelichting": "Kanarie-grondslag-toelichting-c3",
    "bijdrage.tekst": "Kanarie-bijdrage-tekst-d4",
    "afspraak.omschrijving": "Kanarie-afspraak-omschrijving-e5",
    "afspraak.toelichting": "Kanarie-afspraak-toelichting-f6",
    "status.toelichting": "Kanarie-status-toelichting-g7",
    "agendering.reden": "Kanarie-agendering-reden-h8",
}


def _database_text() -> str:
    chunks: list[str] = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            chunks.extend(str(v) for row in cursor.fetchall() for v in row if v is not None)
    return "\n".join(chunks).lower()


def _ok(response, *, status: int = 302) -> None:
    assert response.status_code == status, (
        response.status_code,
        getattr(response, "context", None)
        and [f.errors for f in response.context.get("form", []) and [response.context["form"]]],
    )


def test_no_marker_outside_the_encrypted_columns(mfa_client, caplog) -> None:
    caplog.set_level(logging.DEBUG)
    ldh = PartnerFactory.create(kind=PartnerKind.ZORG)
    gemeente = PartnerFactory.create(kind=PartnerKind.GEMEENTE)
    coordinator = CoordinatorFactory.create(mfa=True, email="coordinator@fier.example")
    medewerker = UserFactory.create(partner=ldh, mfa=True, email="medewerker@ldh.example")
    gemeente_user = UserFactory.create(partner=gemeente, mfa=True)
    UserFactory.create(role=Role.PRIVACY_OFFICER, email="fg@gemeente.example")
    reporter = mfa_client(medewerker)
    regie = mfa_client(coordinator)

    # 1. A signal with identifying attributes.
    response = reporter.post(
        reverse("signalen:new"),
        {
            "datum_waargenomen": (timezone.localdate() - datetime.timedelta(days=1)).isoformat(),
            "bron": "hulpverlening",
            "sector": "thuiswerk",
            "gemeente": "leeuwarden",
            "niet_pluis": "2",
            "urgentie": "hoog",
            "omschrijving": MARKERS["signaal.omschrijving"],
            "zichtbaarheid": "keten",
            "voornamen": MARKERS["attr.voornamen"],
            "achternaam": MARKERS["attr.achternaam"],
            "werknaam": MARKERS["attr.werknaam"],
            "land": MARKERS["attr.land"],
            "geboortedatum": "1996-02-03",
            "telefoon": "+40 733 123 456",
        },
    )
    _ok(response)
    signaal = Signaal.objects.get()

    # 2. Triage: open a casus from it.
    response = regie.post(
        reverse("signalen:open_casus", args=[signaal.pk]),
        {
            "risico": "hoog",
            "grondslag": "overig",
            "grondslag_toelichting": MARKERS["casus.grondslag_toelichting"],
            "partners": [gemeente.pk],
            "reden": MARKERS["casus.reden"],
        },
    )
    _ok(response)
    casus = Casus.objects.get()
    ref = casus.referentie

    # 3. Contributions, an afspraak with an outcome, a status change and an agenda request.
    _ok(
        reporter.post(
            reverse("casussen:bijdrage_create", args=[ref]),
            {
                "categorie": "zorg",
                "zichtbaarheid": "keten",
                "tekst": MARKERS["bijdrage.tekst"],
            },
        )
    )
    _ok(
        regie.post(
            reverse("casussen:afspraak_create", args=[ref]),
            {
                "omschrijving": MARKERS["afspraak.omschrijving"],
                "partner": gemeente.pk,
                "deadline": (timezone.localdate() + datetime.timedelta(days=7)).isoformat(),
            },
        )
    )
    afspraak = Afspraak.objects.get()
    _ok(
        mfa_client(gemeente_user).post(
            reverse("casussen:afspraak_update", args=[ref, afspraak.pk]),
            {
                "uitkomst": "niet_mogelijk",
                "uitkomst_toelichting": MARKERS["afspraak.toelichting"],
                "deadline": afspraak.deadline.isoformat(),
                "versie": "1",
            },
        )
    )
    _ok(
        regie.post(
            reverse("casussen:status", args=[ref]),
            {
                "status": "in_behandeling",
                "toelichting": MARKERS["status.toelichting"],
            },
        )
    )
    _ok(
        reporter.post(
            reverse("casussen:agenderen", args=[ref]), {"reden": MARKERS["agendering.reden"]}
        )
    )

    # 4. Read everything back through pages and the API (reads are audited too).
    for client in (reporter, regie):
        assert client.get(reverse("casussen:detail", args=[ref])).status_code == 200
        assert client.get(reverse("casussen:list")).status_code == 200
        assert client.get(f"/api/v1/casussen/{ref}/bijdragen/").status_code == 200
        assert client.get(reverse("signalen:detail", args=[signaal.pk])).status_code == 200

    # The content is really there, and readable to those who may see it ...
    detail = regie.get(reverse("casussen:detail", args=[ref])).content.decode()
    assert MARKERS["bijdrage.tekst"] in detail
    # ... and nowhere else: not in any table (ciphertext only), logs or e-mails.
    everything = _database_text()
    logs = caplog.text.lower()
    mails = "\n".join(f"{m.subject}\n{m.body}" for m in mail.outbox).lower()
    leaks = {
        name: [
            where
            for where, text in (("database", everything), ("logs", logs), ("e-mail", mails))
            if marker.lower() in text
        ]
        for name, marker in MARKERS.items()
    }
    assert {name: where for name, where in leaks.items() if where} == {}
    assert AuditEvent.objects.filter(action=AuditAction.BIJDRAGE_CREATED).exists()


def test_a_list_page_of_fifty_rows_writes_fifty_events_in_one_insert(
    mfa_client, django_assert_max_num_queries
) -> None:
    from casus.casussen import services
    from tests.casus.factories import CasusFactory

    coordinator = CoordinatorFactory.create(mfa=True)
    partner = PartnerFactory.create()
    for _ in range(60):
        CasusFactory.create(coordinator=coordinator, partners=[partner])
    client = mfa_client(coordinator)
    before = AuditEvent.objects.count()
    inserts: list[str] = []

    def count_inserts(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith("INSERT") and "audit_auditevent" in sql:
            inserts.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count_inserts):
        response = client.get(reverse("casussen:list"))
    assert response.status_code == 200
    shown = list(response.context["page"].object_list)
    events = list(AuditEvent.objects.order_by("id")[before:])
    assert len(shown) == 25  # one page
    assert [e.object_ref for e in events] == [c.referentie for c in shown]
    assert {e.action for e in events} == {AuditAction.CASUS_LISTED}
    assert len(inserts) == 1
    del services
