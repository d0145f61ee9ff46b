"""The FG's pages stay cheap on a long log (issue 17): the object-type filter is a fixed list
(no DISTINCT over the log), the event list pages by keyset on the id (no OFFSET, a capped
count), the number of queries does not depend on the size of the log, and the burst flags are
counted in the database with the same outcome as the one-by-one definition."""

from __future__ import annotations

import ast
import datetime
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest
import time_machine

from audit import anomalies, selectors
from audit.models import AuditAction, AuditEvent
from audit.services import ObjectRef, events_record_bulk
from partners.models import Role, User
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

AMS = ZoneInfo("Europe/Amsterdam")
SOURCE_DIRS = ("audit", "casus", "partners", "config")


@pytest.fixture
def fg_client(mfa_client: Callable[[User], Client]) -> Client:
    return mfa_client(UserFactory.create(role=Role.PRIVACY_OFFICER, mfa=True))


# --- the object types are a closed set ---------------------------------------------------------


def _recorded_object_types() -> Iterator[tuple[str, str]]:
    """(object type, file) for every literal object type the code hands to the audit log: the
    ``object_type=`` keyword (calls and defaults), ObjectRef("..."), denied(user, "...", ...)."""
    base = Path(settings.BASE_DIR)
    for directory in SOURCE_DIRS:
        for path in sorted((base / directory).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            name = str(path.relative_to(base))
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    called = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                    values = [kw.value for kw in node.keywords if kw.arg == "object_type"]
                    if called == "ObjectRef" and node.args:
                        values.append(node.args[0])
                    if called in ("denied", "record_denied") and len(node.args) >= 2:
                        values.append(node.args[1])
                    for value in values:
                        if isinstance(value, ast.Constant) and isinstance(value.value, str):
                            yield value.value, name
                elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    arguments = node.args
                    for argument, default in zip(
                        arguments.kwonlyargs, arguments.kw_defaults, strict=True
                    ):
                        if argument.arg == "object_type" and isinstance(default, ast.Constant):
                            yield str(default.value), name


def test_the_object_type_filter_offers_exactly_the_types_the_code_records() -> None:
    recorded: dict[str, set[str]] = {}
    for object_type, name in _recorded_object_types():
        if object_type:
            recorded.setdefault(object_type, set()).add(name)
    assert "casus" in recorded and "auditlog" in recorded  # the scan sees the code (control)
    missing = {
        kind: sorted(files)
        for kind, files in recorded.items()
        if kind not in selectors.OBJECT_TYPES
    }
    assert not missing, f"object types recorded but not in audit.selectors.OBJECT_TYPES: {missing}"
    assert sorted(recorded) == sorted(selectors.OBJECT_TYPES), "a type no code records any more"


def test_the_object_type_choices_ask_nothing_of_the_log(fg_client: Client) -> None:
    with CaptureQueriesContext(connection) as context:
        response = fg_client.get(reverse("fg:events"))
    assert response.status_code == 200
    assert not any("DISTINCT" in query["sql"].upper() for query in context.captured_queries)
    field = response.context["filters"]["object_type"].field
    assert [value for value, _ in field.choices] == ["", *selectors.OBJECT_TYPES]


# --- keyset pagination -------------------------------------------------------------------------


def _record(actor: User, action: AuditAction, n: int, prefix: str = "K-") -> None:
    events_record_bulk(
        action=action, actor=actor, objects=[ObjectRef("casus", f"{prefix}{i}") for i in range(n)]
    )


def _ids(response: Any) -> list[int]:
    return [event.pk for event in response.context["page"].object_list]


def _link(response: Any, rel: str) -> str | None:
    found = re.search(rf'rel="{rel}" href="\?([^"]*)"', response.content.decode())
    return found.group(1).replace("&amp;", "&") if found else None


def test_older_and_newer_walk_the_log_by_id_and_keep_the_filters(fg_client: Client) -> None:
    anna = UserFactory.create(username="anna.fier")
    _record(anna, AuditAction.CASUS_READ, 120)
    _record(anna, AuditAction.CASUS_LISTED, 30)  # filtered out below
    reads = list(
        AuditEvent.objects.filter(action=AuditAction.CASUS_READ)
        .order_by("-id")
        .values_list("id", flat=True)
    )
    url = reverse("fg:events")
    first = fg_client.get(url, {"actie": AuditAction.CASUS_READ})
    assert _ids(first) == reads[:50]
    assert _link(first, "prev") is None
    older = _link(first, "next")
    assert older == f"actie=casus.read&voor={reads[49]}"  # the filter is kept

    second = fg_client.get(f"{url}?{older}")
    assert _ids(second) == reads[50:100]
    third = fg_client.get(f"{url}?{_link(second, 'next')}")
    assert _ids(third) == reads[100:]
    assert _link(third, "next") is None  # the oldest page
    assert f"na={reads[100]}" in (_link(third, "prev") or "")

    back = fg_client.get(f"{url}?{_link(third, 'prev')}")
    assert _ids(back) == reads[50:100]
    newest = fg_client.get(f"{url}?{_link(back, 'prev')}")
    assert _ids(newest) == reads[:50]  # back at the top: a full first page, no newer link
    assert _link(newest, "prev") is None
    assert "120 gebeurtenissen gevonden." in newest.content.decode()


def test_a_malformed_cursor_shows_the_newest_page(fg_client: Client) -> None:
    _record(UserFactory.create(), AuditAction.CASUS_READ, 60)
    reads = {"actie": AuditAction.CASUS_READ}  # not the FG's own page views
    newest = _ids(fg_client.get(reverse("fg:events"), reads))
    assert len(newest) == 50
    for bad in ("abc", "-5", "1e9", "9" * 40, "٣"):
        assert _ids(fg_client.get(reverse("fg:events"), {**reads, "voor": bad})) == newest, bad


def test_the_count_stops_at_the_cap(fg_client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(selectors, "EVENT_COUNT_CAP", 10)
    anna = UserFactory.create(username="anna.fier")
    _record(anna, AuditAction.CASUS_READ, 11)
    content = fg_client.get(reverse("fg:events"), {"gebruiker": "anna.fier"}).content.decode()
    assert "Meer dan 10 gebeurtenissen gevonden." in content
    _record(UserFactory.create(username="bert"), AuditAction.CASUS_READ, 10)
    content = fg_client.get(reverse("fg:events"), {"gebruiker": "bert"}).content.decode()
    assert "10 gebeurtenissen gevonden." in content and "Meer dan" not in content


# --- queries do not grow with the log ----------------------------------------------------------


def test_the_number_of_queries_is_the_same_at_20_and_2000_events(fg_client: Client) -> None:
    partners = [PartnerFactory.create() for _ in range(3)]
    users = [UserFactory.create(partner=partner) for partner in partners]
    url = reverse("fg:events")
    counts: dict[int, tuple[int, ...]] = {}
    for size in (20, 2000):
        n = AuditEvent.objects.filter(action=AuditAction.CASUS_READ).count()
        while n < size:
            chunk = min(100, size - n)
            with time_machine.travel(datetime.datetime(2026, 3, 1, 10, tzinfo=AMS), tick=False):
                _record(users[n % 3], AuditAction.CASUS_READ, chunk, prefix=f"K-{n}-")
            n += chunk
        middle = (
            AuditEvent.objects.filter(action=AuditAction.CASUS_READ)
            .order_by("-id")
            .values_list("id", flat=True)[size // 2]
        )

        def queries(params: dict[str, Any], page: str = url) -> int:
            with CaptureQueriesContext(connection) as context:
                response = fg_client.get(page, params)
            assert response.status_code == 200
            return len(context.captured_queries)

        counts[size] = (
            queries({}),
            queries({"voor": middle}),  # a deep page
            queries({"actie": AuditAction.CASUS_READ, "voor": middle}),
            queries({}, reverse("fg:index")),
        )
        # Newer than a cursor: one query more only when that reaches the newest events (the
        # first page is then shown in full).
        assert queries({"na": middle}) <= counts[size][0] + 1
    assert counts[20] == counts[2000], counts
    # Session, user, the audit.viewed event (savepoint, insert, release), the capped count, one
    # page of events with their users and partners, the partner choices, and the session save.
    assert counts[2000][0] <= 11, counts


# --- the burst flags, counted in the database --------------------------------------------------


def _reference_bursts(
    times: list[datetime.datetime], threshold: int, window: datetime.timedelta
) -> Iterator[tuple[datetime.datetime, datetime.datetime, int]]:
    """The definition, event by event (the former implementation): a window [t, t + window)
    over the threshold is a burst; the search goes on after its last event."""
    start = 0
    while start < len(times):
        end = start
        while end + 1 < len(times) and times[end + 1] - times[start] < window:
            end += 1
        if end - start + 1 > threshold:
            yield times[start], times[end], end - start + 1
            start = end + 1
        else:
            start += 1


def test_the_database_bursts_are_the_bursts_of_the_definition() -> None:
    rng = random.Random(17)
    users = [UserFactory.create() for _ in range(4)]
    base = datetime.datetime(2026, 2, 23, 8, 0, tzinfo=datetime.UTC)
    for user in users:
        moment = base
        for phase in range(8):
            # Busy spells (close together, some at the very same moment) and quiet ones.
            gaps = [0, 0, 1, 3, 10, 30, 60] if phase % 2 == 0 else [120, 300, 900, 1800, 3599]
            for _ in range(rng.randrange(20, 60)):
                moment += datetime.timedelta(
                    seconds=rng.choice(gaps), microseconds=rng.choice([0, 0, 1, 999_999])
                )
                count = rng.choice([1, 1, 1, 2, 3])
                with time_machine.travel(moment, tick=False):
                    _record(user, AuditAction.CASUS_READ, count)
    # The moments as stored (the clock of the test has its own rounding), in (time, id) order.
    planned: dict[int, list[datetime.datetime]] = {user.pk: [] for user in users}
    for actor_id, moment in (
        AuditEvent.objects.filter(actor__in=users)
        .order_by("occurred_at", "id")
        .values_list("actor_id", "occurred_at")
    ):
        planned[actor_id].append(moment)
    since, until = base - datetime.timedelta(days=1), base + datetime.timedelta(days=30)
    for threshold, window in (
        (anomalies.BULK_READ_THRESHOLD, anomalies.BULK_READ_WINDOW),
        (10, datetime.timedelta(minutes=5)),
        (3, datetime.timedelta(minutes=1)),
    ):
        expected = sorted(
            (user_id, *burst)
            for user_id, times in planned.items()
            for burst in _reference_bursts(times, threshold, window)
        )
        found = anomalies.bulk_reading(since=since, until=until, threshold=threshold, window=window)
        assert sorted((f.actor_id, f.start, f.end, f.count) for f in found) == expected, threshold
        assert expected  # the data has bursts at every threshold (control)
