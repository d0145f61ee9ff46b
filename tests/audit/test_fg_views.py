"""The FG's audit-log pages: only for the privacy officer, never case content, filters, the CSV
export, the chain check, anomaly flags and query counts that do not grow with the log."""

from __future__ import annotations

import csv
import datetime
import io
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

import pytest
import time_machine

from audit import anomalies
from audit.models import AuditAction, AuditEvent, Outcome
from audit.sealing import seal_all
from audit.selectors import EventRow
from audit.services import ObjectRef, event_record, events_record_bulk
from audit.views import csv_safe
from casus.casussen import selectors
from casus.casussen import services as casus_services
from partners.models import Partner, Role, User
from tests.casus.factories import CasusFactory
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
OTHER_ROLES = [
    Role.ZORGCOORDINATOR,
    Role.MEDEWERKER,
    Role.VOORZITTER,
    Role.BEHEERDER,
    Role.ANALIST,
]


def _local(
    year: int, month: int, day: int, hour: int = 0, minute: int = 0, second: int = 0
) -> datetime.datetime:
    return datetime.datetime(year, month, day, hour, minute, second, tzinfo=AMS)


def _at(moment: datetime.datetime, **kwargs: Any) -> AuditEvent:
    """An event recorded at ``moment`` (the services stamp events with the current time)."""
    with time_machine.travel(moment, tick=False):
        return event_record(**kwargs)


def _bulk_at(moment: datetime.datetime, action: AuditAction, actor: User, n: int) -> None:
    with time_machine.travel(moment, tick=False):
        events_record_bulk(
            action=action, actor=actor, objects=[ObjectRef("casus", f"K-{i}") for i in range(n)]
        )


def _tamper(sql: str, params: list[str | int]) -> None:
    """Change a sealed row behind the application's back (as tests/audit/test_chain.py does)."""
    from tests.audit.test_chain import _tamper as tamper

    seal_all()
    tamper(sql, params)


def _csv_rows(response: Any) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(content), delimiter=";"))


@pytest.fixture
def fg() -> User:
    return UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True)


@pytest.fixture
def fg_client(fg: User, mfa_client: Callable[[User], Client]) -> Client:
    return mfa_client(fg)


def _page_urls(user_pk: int) -> list[str]:
    return [
        reverse("fg:index"),
        reverse("fg:events"),
        reverse("fg:export"),
        reverse("fg:casus", args=["K-2026-0001"]),
        reverse("fg:user", args=[user_pk]),
        reverse("fg:denied"),
    ]


# --- who may see these pages -----------------------------------------------------------------


def test_every_page_answers_the_fg(fg: User, fg_client: Client) -> None:
    for url in _page_urls(fg.pk):
        response = fg_client.get(url)
        assert response.status_code == 200, url
        assert response["Cache-Control"].startswith("max-age=0"), url
    assert fg_client.post(reverse("fg:verify")).status_code == 200
    assert fg_client.get(reverse("fg:verify")).status_code == 405  # an action, not a page


@pytest.mark.parametrize("role", OTHER_ROLES)
def test_every_other_role_gets_404_and_the_attempt_is_recorded(
    role: Role, mfa_client: Callable[[User], Client]
) -> None:
    user = UserFactory.create(role=role, mfa=True)
    client = mfa_client(user)
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    for url in _page_urls(user.pk):
        assert client.get(url).status_code == 404, (role, url)
    assert client.post(reverse("fg:verify")).status_code == 404
    new = AuditEvent.objects.filter(id__gt=before).order_by("id")
    assert [(e.action, e.outcome, e.object_type, e.actor_id) for e in new] == [
        (AuditAction.ACCESS_DENIED, Outcome.DENIED, "auditlog", user.pk)
    ] * 7
    assert [e.object_ref for e in new] == [
        "index",
        "events",
        "export",
        "casus",
        "user",
        "denied",
        "verify",
    ]


def test_an_fg_of_a_deactivated_partner_gets_404(fg: User, fg_client: Client) -> None:
    Partner.objects.filter(pk=fg.partner_id).update(is_active=False)
    assert fg_client.get(reverse("fg:index")).status_code == 404


def test_the_home_page_links_the_fg_to_the_audit_log(fg_client: Client) -> None:
    content = fg_client.get(reverse("home")).content.decode()
    assert f'href="{reverse("fg:index")}"' in content


# --- no case content ---------------------------------------------------------------------------


def test_no_fg_page_and_no_export_shows_case_content(fg: User, fg_client: Client) -> None:
    marker = "Zilverdistelkwartel"
    partner = PartnerFactory.create()
    medewerker = UserFactory.create(partner=partner)
    casus = CasusFactory.create(partners=[partner], reden=f"Reden {marker}reden")
    casus_services.bijdrage_create(
        actor=medewerker,
        casus=casus,
        categorie="zorg",
        zichtbaarheid="keten",
        tekst=f"Waarneming {marker} bij de controle.",
    )
    selectors.casus_get_for(user=medewerker, referentie=casus.referentie)
    urls = [
        reverse("fg:index"),
        reverse("fg:events"),
        reverse("fg:events") + f"?referentie={casus.referentie}",
        reverse("fg:casus", args=[casus.referentie]),
        reverse("fg:user", args=[medewerker.pk]),
        reverse("fg:user", args=[casus.coordinator.pk]),
        reverse("fg:denied"),
    ]
    for url in urls:
        content = fg_client.get(url).content.decode()
        assert marker not in content, url
    # The references are there (positive control): who read the casus, not what it says.
    access = fg_client.get(reverse("fg:casus", args=[casus.referentie])).content.decode()
    assert medewerker.username in access
    assert fg_client.post(reverse("fg:verify")).content.decode().count(marker) == 0
    export = fg_client.get(reverse("fg:export"))
    rows = _csv_rows(export)
    assert not any(marker in cell for row in rows for cell in row)
    assert any(casus.referentie in row for row in rows)


# --- the event list and its filters ------------------------------------------------------------


@pytest.fixture
def logged() -> dict[str, Any]:
    """A small log over three days, from two users at two partners."""
    fier = PartnerFactory.create(name="Fier")
    politie = PartnerFactory.create(name="Politie", politie=True)
    anna = UserFactory.create(username="anna.fier", partner=fier)
    bert = UserFactory.create(username="bert.politie", partner=politie)
    events = {
        "read_k1": _at(
            _local(2026, 2, 20, 10, 0),
            action=AuditAction.CASUS_READ,
            actor=anna,
            object_type="casus",
            object_ref="K-1",
        ),
        "bijdrage_k1": _at(
            _local(2026, 2, 20, 11, 0),
            action=AuditAction.BIJDRAGE_CREATED,
            actor=anna,
            object_type="bijdrage",
            object_ref="K-1:B7",
        ),
        # 23:30 in Amsterdam is still 21 February, although it is 22:30 UTC.
        "denied_k10": _at(
            _local(2026, 2, 21, 23, 30),
            action=AuditAction.ACCESS_DENIED,
            outcome=Outcome.DENIED,
            actor=bert,
            object_type="casus",
            object_ref="K-10",
        ),
        # 00:30 in Amsterdam is 22 February, although it is 23:30 UTC on the 21st.
        "read_k2": _at(
            _local(2026, 2, 22, 0, 30),
            action=AuditAction.CASUS_READ,
            actor=bert,
            object_type="casus",
            object_ref="K-2",
        ),
        "signaal": _at(
            _local(2026, 2, 22, 12, 0),
            action=AuditAction.SIGNAAL_READ,
            actor=anna,
            object_type="signaal",
            object_ref="S5",
        ),
    }
    return {"fier": fier, "politie": politie, "anna": anna, "bert": bert, **events}


def _shown(client: Client, params: dict[str, Any]) -> list[int]:
    response = client.get(reverse("fg:events"), params)
    assert response.status_code == 200
    return [event.pk for event in response.context["page"].object_list]


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"gebruiker": "anna.fier"}, ["signaal", "bijdrage_k1", "read_k1"]),
        ({"partner": "politie"}, ["read_k2", "denied_k10"]),
        ({"object_type": "bijdrage"}, ["bijdrage_k1"]),
        ({"referentie": "K-1"}, ["bijdrage_k1", "read_k1"]),  # its parts, but not K-10
        ({"object_type": "casus", "referentie": "K-1"}, ["read_k1"]),
        ({"actie": AuditAction.CASUS_READ}, ["read_k2", "read_k1"]),
        ({"uitkomst": Outcome.DENIED}, ["denied_k10"]),
        ({"van": "2026-02-21", "tot": "2026-02-21"}, ["denied_k10"]),
        ({"van": "2026-02-22", "tot": "2026-02-22"}, ["signaal", "read_k2"]),
        ({"van": "2026-02-20", "tot": "2026-02-21"}, ["denied_k10", "bijdrage_k1", "read_k1"]),
        ({"gebruiker": "bert.politie", "actie": AuditAction.CASUS_READ}, ["read_k2"]),
        ({"gebruiker": "niemand"}, []),
    ],
)
def test_each_filter_narrows_the_log(
    fg_client: Client, logged: dict[str, Any], params: dict[str, str], expected: list[str]
) -> None:
    if params.get("partner") == "politie":
        params = {**params, "partner": logged["politie"].pk}
    assert _shown(fg_client, params) == [logged[key].pk for key in expected]


def test_the_list_shows_the_columns_newest_first(fg_client: Client, logged: dict[str, Any]) -> None:
    response = fg_client.get(reverse("fg:events"), {"gebruiker": "bert.politie"})
    content = response.content.decode()
    assert "22-02-2026 00:30:00" in content  # local time, not UTC
    assert "Politie" in content and "Medewerker" in content  # partner and role at the time
    assert "Toegang geweigerd" in content and "Geweigerd" in content  # action and outcome labels
    assert reverse("fg:casus", args=["K-10"]) in content
    assert reverse("fg:user", args=[logged["bert"].pk]) in content


def test_viewing_the_log_is_one_event_per_page_view(fg: User, fg_client: Client) -> None:
    for n in range(60):
        event_record(action=AuditAction.CASUS_READ, object_type="casus", object_ref=f"K-{n}")
    # The first page, and the older one behind it (keyset: events before an event id).
    oldest_shown = AuditEvent.objects.order_by("-id").values_list("id", flat=True)[49]
    for params in ({}, {"voor": oldest_shown}):
        before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
        assert fg_client.get(reverse("fg:events"), params).status_code == 200
        new = AuditEvent.objects.filter(id__gt=before)
        assert [(e.action, e.actor_id, e.object_type, e.object_ref) for e in new] == [
            (AuditAction.AUDIT_VIEWED, fg.pk, "auditlog", "gebeurtenissen")
        ]


@pytest.mark.parametrize(
    "params,field,message",
    [
        (
            {"van": "2026-02-22", "tot": "2026-02-21"},
            "tot",
            "De einddatum ligt vóór de begindatum",
        ),
        ({"van": "31-02-2026"}, "van", "Vul een geldige datum in (dd-mm-jjjj)."),
        ({"tot": "1900-01-01"}, "tot", "Kies een datum tussen 2000 en 2100."),
        ({"actie": "casus.gestolen"}, "actie", "Kies een geldige waarde."),
        ({"referentie": "K 1<script>"}, "referentie", "Een referentie bestaat alleen uit"),
    ],
)
def test_bad_filter_input_gets_a_dutch_error_next_to_the_field_and_is_kept(
    fg_client: Client, params: dict[str, str], field: str, message: str
) -> None:
    before = AuditEvent.objects.count()
    response = fg_client.get(reverse("fg:events"), params)
    assert response.status_code == 200
    assert response.context["page"] is None  # nothing shown on wrong input
    content = response.content.decode()
    error_block = content.split(f'id="id_{field}-error"', 1)[1].split("</div>", 1)[0]
    assert message in error_block.replace("&#x27;", "'")
    assert f'aria-describedby="id_{field}-error"' in content or (
        f'id_{field}-description id_{field}-error"' in content
    )
    if field != "actie":  # the typed text stays in the field
        for value in params.values():
            assert f'value="{escape(value)}"' in content
    # The page view showed no events, so it is not a view of the log.
    assert not AuditEvent.objects.filter(id__gt=before, action=AuditAction.AUDIT_VIEWED).exists()
    export = fg_client.get(reverse("fg:export"), params)
    assert export.status_code == 400
    assert not AuditEvent.objects.filter(action=AuditAction.AUDIT_EXPORTED).exists()


# --- the CSV export ----------------------------------------------------------------------------


def test_export_is_one_event_recorded_before_streaming_and_matches_the_filter(
    fg: User, fg_client: Client, logged: dict[str, Any]
) -> None:
    before = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    response = fg_client.get(reverse("fg:export"), {"gebruiker": "anna.fier"})
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="auditlog-20260302.csv"'
    # Recorded before a single row was produced.
    new = list(AuditEvent.objects.filter(id__gt=before))
    assert [(e.action, e.actor_id, e.object_type, e.object_ref) for e in new] == [
        (AuditAction.AUDIT_EXPORTED, fg.pk, "auditlog", "export")
    ]
    header, *body = _csv_rows(response)
    assert header[0] == "Nummer" and header[-1] == "Hash"
    expected = [logged[key] for key in ("signaal", "bijdrage_k1", "read_k1")]
    assert [int(row[0]) for row in body] == [event.pk for event in expected]
    first = body[1]
    event = logged["bijdrage_k1"]
    assert first[1] == "2026-02-20T11:00:00+01:00"
    assert first[2:5] == ["anna.fier", "Fier", "Medewerker"]
    assert first[5:10] == [
        "bijdrage.created",
        "Bijdrage toegevoegd",
        "Geslaagd",
        "bijdrage",
        "K-1:B7",
    ]
    assert first[-1] == event.hash
    # Streaming the file recorded nothing more.
    assert AuditEvent.objects.filter(id__gt=before).count() == 1


def test_the_export_has_the_same_rows_as_the_list_for_combined_filters(
    fg_client: Client, logged: dict[str, Any]
) -> None:
    params = {"van": "2026-02-20", "tot": "2026-02-22", "actie": AuditAction.CASUS_READ}
    listed = _shown(fg_client, params)
    exported = [int(row[0]) for row in _csv_rows(fg_client.get(reverse("fg:export"), params))[1:]]
    assert exported == listed == [logged["read_k2"].pk, logged["read_k1"].pk]


def test_csv_injection_is_neutralised(fg_client: Client) -> None:
    partner = PartnerFactory.create(name='=HYPERLINK("http://aanvaller.example","klik")')
    user = UserFactory.create(username="@kwaadwillend", partner=partner)
    event_record(
        action=AuditAction.ACCESS_DENIED,
        outcome=Outcome.DENIED,
        actor=user,
        object_type="casus",
        object_ref="-2-3",
    )
    (row,) = _csv_rows(fg_client.get(reverse("fg:export"), {"gebruiker": "@kwaadwillend"}))[1:]
    assert row[2] == "'@kwaadwillend"
    assert row[3] == '\'=HYPERLINK("http://aanvaller.example","klik")'
    assert row[9] == "'-2-3"
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("=1+1", "'=1+1"),
        ("+31", "'+31"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("K-2026-0001", "K-2026-0001"),
        (None, ""),
        (42, "42"),
    ],
)
def test_csv_safe(value: Any, expected: str) -> None:
    assert csv_safe(value) == expected


# --- the chain check ---------------------------------------------------------------------------


def test_the_verify_button_records_the_check_and_reports_a_tampered_chain(
    fg: User, fg_client: Client
) -> None:
    events = [
        event_record(action=AuditAction.CASUS_READ, object_type="casus", object_ref=f"K-{n}")
        for n in range(4)
    ]
    checked = AuditEvent.objects.count()
    response = fg_client.post(reverse("fg:verify"))
    assert response.status_code == 200
    assert response.context["verification"].intact
    assert response.context["verification"].chain.checked == checked
    assert (
        f"De keten is intact: {checked} gebeurtenissen gecontroleerd." in response.content.decode()
    )
    verified = AuditEvent.objects.filter(action=AuditAction.AUDIT_VERIFIED)
    assert [(e.outcome, e.actor_id, e.object_type, e.object_ref) for e in verified] == [
        (Outcome.SUCCESS, fg.pk, "auditlog", "")
    ]

    _tamper("UPDATE audit_auditevent SET object_ref = %s WHERE id = %s", ["K-X", events[1].pk])
    response = fg_client.post(reverse("fg:verify"))
    assert response.status_code == 200
    result = response.context["verification"]
    assert not result.intact and result.chain.broken_id == events[1].pk
    content = response.content.decode()
    assert f"keten verbroken bij gebeurtenis #{events[1].pk}" in content
    last = AuditEvent.objects.filter(action=AuditAction.AUDIT_VERIFIED).order_by("-id").first()
    assert last is not None
    assert (last.outcome, last.actor_id, last.object_ref) == (
        Outcome.FAILURE,
        fg.pk,
        str(events[1].pk),
    )
    # The overview remembers the last check.
    overview = fg_client.get(reverse("fg:index")).content.decode()
    assert f"verbroken bij gebeurtenis #{events[1].pk}" in overview


def test_the_overview_shows_the_anchor_and_the_counts(fg: User, fg_client: Client) -> None:
    _at(_local(2026, 2, 20, 12, 0), action=AuditAction.CASUS_READ, object_type="casus")
    for hours_ago in (1, 30):
        _at(
            _local(2026, 3, 2, 9, 0) - datetime.timedelta(hours=hours_ago),
            action=AuditAction.ACCESS_DENIED,
            outcome=Outcome.DENIED,
            actor=fg,
        )
    seal_all()
    response = fg_client.get(reverse("fg:index"))
    overview = response.context["overview"]
    head = AuditEvent.objects.exclude(seq=None).order_by("-seq").first()
    assert head is not None
    assert (overview.head_id, overview.head_hash) == (head.seq, head.hash)
    assert overview.denied_7d == 2
    # Last 24 hours: the FG's sign-in, one denial and this page view; 7 days also the other denial.
    assert overview.events_7d == overview.events_24h + 1
    content = response.content.decode()
    assert head.hash in content
    assert "Keten nu controleren" in content
    assert "Nu een controlepunt zetten" in content
    assert "Nog geen controlepunt gezet." in content
    assert "Nog niet gecontroleerd." in content


# --- access per casus, activity per user, denied report ----------------------------------------


def test_casus_access_is_grouped_per_user(fg: User, fg_client: Client) -> None:
    anna = UserFactory.create(username="anna.fier")
    bert = UserFactory.create(username="bert.politie", role=Role.MEDEWERKER)
    carla = UserFactory.create(username="carla.ggd")
    ref = "K-2026-0007"
    _at(
        _local(2026, 2, 20, 10, 0),
        action=AuditAction.CASUS_READ,
        actor=anna,
        object_type="casus",
        object_ref=ref,
    )
    _at(
        _local(2026, 2, 20, 10, 30),
        action=AuditAction.BIJDRAGE_CREATED,
        actor=anna,
        object_type="bijdrage",
        object_ref=f"{ref}:B1",
    )
    _at(
        _local(2026, 2, 21, 11, 0),
        action=AuditAction.CASUS_READ,
        actor=anna,
        object_type="casus",
        object_ref=ref,
    )
    _at(
        _local(2026, 2, 21, 12, 0),
        action=AuditAction.ACCESS_DENIED,
        outcome=Outcome.DENIED,
        actor=bert,
        object_type="casus",
        object_ref=ref,
    )
    _at(
        _local(2026, 2, 21, 13, 0),
        action=AuditAction.CASUS_READ,
        actor=carla,
        object_type="casus",
        object_ref=f"{ref}0",
    )

    response = fg_client.get(reverse("fg:casus", args=[ref]))
    assert response.status_code == 200
    summaries = response.context["summaries"]
    assert [s.username for s in summaries] == ["bert.politie", "anna.fier"]  # latest first
    bert_row, anna_row = summaries
    assert (anna_row.first, anna_row.last, anna_row.total) == (
        _local(2026, 2, 20, 10, 0),
        _local(2026, 2, 21, 11, 0),
        3,
    )
    assert [(a.action, a.count) for a in anna_row.actions] == [
        (AuditAction.CASUS_READ, 2),
        (AuditAction.BIJDRAGE_CREATED, 1),
    ]
    assert [(a.action, a.count) for a in bert_row.actions] == [(AuditAction.ACCESS_DENIED, 1)]
    assert bert_row.partner_name == bert.partner.name and bert_row.role_label == "Medewerker"
    assert "carla.ggd" not in response.content.decode()
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).order_by("-id").first()
    assert viewed is not None and viewed.object_ref == f"casus:{ref}"
    # The FG's own look at the overview is not access to the casus.
    again = fg_client.get(reverse("fg:casus", args=[ref]))
    assert fg.username not in [s.username for s in again.context["summaries"]]


@pytest.mark.parametrize("referentie", ["K_1", "K-2026-0001:B1", "x" * 21, "K 1"])
def test_casus_access_rejects_a_malformed_reference(fg_client: Client, referentie: str) -> None:
    assert fg_client.get(f"/fg/casus/{referentie}/").status_code == 404


def test_casus_access_works_for_a_reference_without_a_casus(fg_client: Client) -> None:
    response = fg_client.get(reverse("fg:casus", args=["DEMO-006"]))
    assert response.status_code == 200
    assert "geen gebeurtenissen" in response.content.decode()


def test_user_activity_counts_per_action_per_day(fg: User, fg_client: Client) -> None:
    anna = UserFactory.create(username="anna.fier")
    _at(_local(2026, 2, 19, 23, 59), action=AuditAction.CASUS_READ, actor=anna)  # before
    _at(_local(2026, 2, 20, 0, 10), action=AuditAction.CASUS_READ, actor=anna)
    _at(_local(2026, 2, 20, 9, 0), action=AuditAction.CASUS_READ, actor=anna)
    _at(_local(2026, 2, 20, 9, 5), action=AuditAction.BIJDRAGE_CREATED, actor=anna)
    _at(_local(2026, 2, 21, 23, 50), action=AuditAction.CASUS_READ, actor=anna)
    _at(_local(2026, 2, 21, 10, 0), action=AuditAction.CASUS_READ, actor=fg)  # someone else

    response = fg_client.get(
        reverse("fg:user", args=[anna.pk]), {"van": "2026-02-20", "tot": "2026-02-21"}
    )
    assert response.status_code == 200
    activity = response.context["activity"]
    assert [
        (day.day, day.total, [(a.action, a.count) for a in day.actions]) for day in activity.days
    ] == [
        (datetime.date(2026, 2, 21), 1, [(AuditAction.CASUS_READ, 1)]),
        (
            datetime.date(2026, 2, 20),
            3,
            [(AuditAction.BIJDRAGE_CREATED, 1), (AuditAction.CASUS_READ, 2)],
        ),
    ]
    assert [(a.action, a.count) for a in activity.totals] == [
        (AuditAction.CASUS_READ, 3),
        (AuditAction.BIJDRAGE_CREATED, 1),
    ]
    assert len(activity.recent) == 4
    assert all(row.event.actor_id == anna.pk for row in activity.recent)
    viewed = AuditEvent.objects.filter(action=AuditAction.AUDIT_VIEWED).order_by("-id").first()
    assert viewed is not None and viewed.object_ref == f"gebruiker:{anna.pk}"


def test_user_activity_shows_at_most_the_last_100_events(fg_client: Client) -> None:
    anna = UserFactory.create()
    _bulk_at(_local(2026, 3, 1, 10, 0), AuditAction.CASUS_LISTED, anna, 120)
    response = fg_client.get(reverse("fg:user", args=[anna.pk]))  # default: the last 30 days
    activity = response.context["activity"]
    assert len(activity.recent) == 100
    assert activity.days[0].total == 120
    assert 'value="2026-02-01"' in response.content.decode()  # the default period is shown


def test_user_activity_of_an_unknown_user_is_404(fg_client: Client) -> None:
    assert fg_client.get(reverse("fg:user", args=[999_999])).status_code == 404


def test_user_activity_with_a_bad_period_shows_the_error(fg_client: Client) -> None:
    anna = UserFactory.create()
    response = fg_client.get(
        reverse("fg:user", args=[anna.pk]), {"van": "2026-02-21", "tot": "2026-02-20"}
    )
    assert response.status_code == 200
    assert response.context["activity"] is None
    assert "De einddatum ligt vóór de begindatum" in response.content.decode()


def test_denied_report_groups_per_user_and_per_day(fg_client: Client) -> None:
    anna = UserFactory.create(username="anna.fier")
    bert = UserFactory.create(username="bert.politie")
    day1, day2 = _local(2026, 2, 20, 10, 0), _local(2026, 2, 21, 10, 0)
    denied = {"action": AuditAction.ACCESS_DENIED, "outcome": Outcome.DENIED}
    _at(day1, actor=anna, **denied)
    _at(day1, actor=anna, **denied)
    _at(day1, action=AuditAction.LOGIN_FAILED, outcome=Outcome.FAILURE, actor=anna)
    _at(day2, action=AuditAction.LOCKOUT, outcome=Outcome.DENIED, actor=anna)
    _at(day1, actor=bert, **denied)
    _at(day1, action=AuditAction.LOGIN_FAILED, outcome=Outcome.FAILURE)  # unknown account
    # Not denials: a successful read, a failed chain check.
    _at(day1, action=AuditAction.CASUS_READ, actor=anna)
    _at(day1, action=AuditAction.AUDIT_VERIFIED, outcome=Outcome.FAILURE, actor=anna)

    response = fg_client.get(reverse("fg:denied"), {"van": "2026-02-20", "tot": "2026-02-21"})
    report = response.context["report"]
    per_user = [
        (r.username, r.denied, r.lockouts, r.failed_logins, r.total) for r in report.per_user
    ]
    assert per_user[0] == ("anna.fier", 2, 1, 1, 4)
    assert sorted(per_user[1:]) == [("", 0, 0, 1, 1), ("bert.politie", 1, 0, 0, 1)]
    per_day = [(r.day, r.username, r.total) for r in report.per_day]
    assert per_day[0] == (datetime.date(2026, 2, 21), "anna.fier", 1)
    assert per_day[1] == (datetime.date(2026, 2, 20), "anna.fier", 3)
    assert sorted(per_day[2:]) == [
        (datetime.date(2026, 2, 20), "", 1),
        (datetime.date(2026, 2, 20), "bert.politie", 1),
    ]
    assert "onbekend account" in response.content.decode()


# --- anomaly flags -----------------------------------------------------------------------------

SINCE, UNTIL = _local(2026, 1, 1, 0, 0), _local(2026, 12, 31, 0, 0)


def test_bulk_reading_fires_above_the_threshold_within_one_hour() -> None:
    assert anomalies.BULK_READ_THRESHOLD == 50
    anna = UserFactory.create()
    start = _local(2026, 2, 24, 10, 0)
    _bulk_at(start, AuditAction.CASUS_READ, anna, 30)
    _bulk_at(start + datetime.timedelta(minutes=50), AuditAction.CASUS_READ, anna, 20)
    _bulk_at(start, AuditAction.CASUS_LISTED, anna, 200)  # list rows: ordinary work, not counted
    _bulk_at(start, AuditAction.BIJDRAGE_CREATED, anna, 60)  # not reads
    assert anomalies.bulk_reading(since=SINCE, until=UNTIL) == []  # exactly 50 reads: no flag
    _bulk_at(start + datetime.timedelta(minutes=59), AuditAction.SIGNAAL_READ, anna, 1)
    (flag,) = anomalies.bulk_reading(since=SINCE, until=UNTIL)
    assert (flag.kind, flag.actor_id, flag.username, flag.count) == (
        anomalies.BULK_READING,
        anna.pk,
        anna.username,
        51,
    )
    assert (flag.start, flag.end) == (start, start + datetime.timedelta(minutes=59))


def test_bulk_reading_spread_over_more_than_an_hour_is_not_flagged() -> None:
    bert = UserFactory.create()
    start = _local(2026, 2, 24, 10, 0)
    _bulk_at(start, AuditAction.CASUS_READ, bert, 26)
    _bulk_at(start + datetime.timedelta(hours=1), AuditAction.CASUS_READ, bert, 25)
    assert (
        anomalies.bulk_reading(since=SINCE, until=UNTIL) == []
    )  # exactly an hour apart is not within one
    _bulk_at(start + datetime.timedelta(minutes=59, seconds=59), AuditAction.CASUS_READ, bert, 25)
    (flag,) = anomalies.bulk_reading(since=SINCE, until=UNTIL)
    assert (flag.start, flag.end, flag.count) == (
        start,
        start + datetime.timedelta(minutes=59, seconds=59),
        51,
    )


def test_off_hours_reading_of_case_content_is_flagged_per_user_per_day() -> None:
    anna = UserFactory.create()
    read = {"action": AuditAction.CASUS_READ, "actor": anna, "object_type": "casus"}
    monday = (2026, 2, 23)
    _at(_local(*monday, 6, 59), **read)  # off hours
    _at(_local(*monday, 7, 0), **read)
    _at(_local(*monday, 18, 59, 59), **read)
    _at(_local(*monday, 19, 0), **read)  # off hours
    _at(_local(*monday, 22, 0), action=AuditAction.CASUS_LISTED, actor=anna)  # a list, not content
    _at(_local(*monday, 23, 0), action=AuditAction.LOGIN, actor=anna)  # not a read
    _at(_local(2026, 2, 28, 12, 0), action=AuditAction.BIJDRAGE_READ, actor=anna)  # Saturday
    _at(_local(2026, 3, 1, 12, 0), action=AuditAction.AFSPRAAK_READ, actor=anna)  # Sunday
    # Summer time (UTC+2): 07:30 local is 05:30 UTC, within office hours; 06:30 local is not.
    _at(_local(2026, 7, 6, 7, 30), **read)
    _at(_local(2026, 7, 6, 6, 30), **read)
    flags = anomalies.off_hours_reads(since=SINCE, until=UNTIL)
    assert [(flag.day, flag.count, flag.actor_id) for flag in flags] == [
        (datetime.date(2026, 2, 23), 2, anna.pk),
        (datetime.date(2026, 2, 28), 1, anna.pk),
        (datetime.date(2026, 3, 1), 1, anna.pk),
        (datetime.date(2026, 7, 6), 1, anna.pk),
    ]
    assert (flags[0].start, flags[0].end) == (_local(*monday, 6, 59), _local(*monday, 19, 0))


def test_many_denials_fires_above_five_on_one_local_day() -> None:
    assert anomalies.DENIALS_PER_DAY_THRESHOLD == 5
    anna = UserFactory.create()
    bert = UserFactory.create()
    denied = {"action": AuditAction.ACCESS_DENIED, "outcome": Outcome.DENIED}
    for minute in range(5):
        _at(_local(2026, 2, 24, 10, minute), actor=anna, **denied)
    _at(_local(2026, 2, 24, 11, 0), action=AuditAction.LOCKOUT, outcome=Outcome.DENIED, actor=anna)
    # Three late on the 24th and three just after midnight: one UTC day, two Amsterdam days.
    for minute in range(3):
        _at(_local(2026, 2, 24, 20, minute), actor=bert, **denied)
        _at(_local(2026, 2, 25, 0, 30 + minute), actor=bert, **denied)
    assert anomalies.many_denials(since=SINCE, until=UNTIL) == []
    _at(_local(2026, 2, 24, 23, 59), actor=anna, **denied)
    (flag,) = anomalies.many_denials(since=SINCE, until=UNTIL)
    assert (flag.kind, flag.actor_id, flag.count, flag.day) == (
        anomalies.MANY_DENIALS,
        anna.pk,
        6,
        datetime.date(2026, 2, 24),
    )


def test_the_overview_shows_the_flags_of_the_last_week(fg_client: Client) -> None:
    anna = UserFactory.create(username="anna.fier")
    bert = UserFactory.create(username="bert.politie")
    denied = {"action": AuditAction.ACCESS_DENIED, "outcome": Outcome.DENIED}
    for minute in range(6):
        _at(_local(2026, 3, 1, 10, minute), actor=anna, **denied)
        _at(_local(2026, 2, 10, 10, minute), actor=bert, **denied)  # older than a week
    _at(_local(2026, 3, 1, 3, 0), action=AuditAction.CASUS_READ, actor=bert)  # Sunday night
    response = fg_client.get(reverse("fg:index"))
    flags = [(flag.kind, flag.username, flag.count) for flag in response.context["flags"]]
    assert flags == [
        (anomalies.MANY_DENIALS, "anna.fier", 6),
        (anomalies.OFF_HOURS, "bert.politie", 1),
    ]
    content = response.content.decode()
    assert "Veel geweigerde toegang" in content and "Inzage buiten kantoortijden" in content


# --- query counts ------------------------------------------------------------------------------


def _count_queries(client: Client, url: str, params: dict[str, Any] | None = None) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(context.captured_queries)


def test_query_counts_do_not_grow_with_the_log(fg_client: Client) -> None:
    partners = [PartnerFactory.create() for _ in range(3)]
    users = [UserFactory.create(partner=partner) for partner in partners]
    ref = "K-2026-0100"
    counts = {}
    for size in (20, 200):
        n = AuditEvent.objects.filter(action=AuditAction.CASUS_READ).count()
        while n < size:
            event_record(
                action=AuditAction.CASUS_READ,
                actor=users[n % 3],
                object_type="casus",
                object_ref=ref if n % 2 else f"K-2026-{n:04d}",
            )
            n += 1
        counts[size] = (
            _count_queries(fg_client, reverse("fg:events")),
            _count_queries(fg_client, reverse("fg:events"), {"actie": AuditAction.CASUS_READ}),
            _count_queries(fg_client, reverse("fg:casus", args=[ref])),
            _count_queries(fg_client, reverse("fg:user", args=[users[0].pk])),
            _count_queries(fg_client, reverse("fg:denied")),
            _count_queries(fg_client, reverse("fg:index")),
        )
    print("query counts (list, filtered list, casus, user, denied, overview):", counts)
    assert counts[20] == counts[200]
    # Session, user, the audit.viewed event (savepoint, insert, release), the capped count, one
    # page of events with their users and partners, the partner choices, and the session save
    # (savepoint, update, release). The object types are a fixed list: no query.
    assert counts[200][0] <= 11, counts


@pytest.mark.parametrize(
    "object_type,object_ref,expected",
    [
        ("casus", "K-2026-0001", "K-2026-0001"),
        ("bijdrage", "K-2026-0001:B12", "K-2026-0001"),
        ("afspraak", "K-2026-0001:A3", "K-2026-0001"),
        ("partner", "K-2026-0001:P2", "K-2026-0001"),
        ("partner", "2", ""),  # a partner administered, not a casus
        ("signaal", "S5", ""),
        ("user", "12", ""),
        ("auditlog", "casus:K-2026-0001", ""),  # the FG looking at the overview
    ],
)
def test_only_case_references_link_to_the_access_overview(
    object_type: str, object_ref: str, expected: str
) -> None:
    event = AuditEvent(object_type=object_type, object_ref=object_ref)
    assert EventRow(event).casus_referentie == expected


def test_a_filtered_case_reference_links_to_its_access_overview(
    fg_client: Client, logged: dict[str, Any]
) -> None:
    content = fg_client.get(reverse("fg:events"), {"referentie": "K-1"}).content.decode()
    assert f'href="{reverse("fg:casus", args=["K-1"])}"' in content
    content = fg_client.get(reverse("fg:events"), {"referentie": "K-1:B7"}).content.decode()
    assert "per gebruiker</a>" not in content
