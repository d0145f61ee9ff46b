"""Benchmark of the casus list, detail and API list (not a test), as medewerker and coordinator.

Fills a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL set) with a
region's casussen: each involves two or three of five partners (involvement rows and the
django-guardian group permission rows that grant access, as ``casus.policy`` writes them), with
signals linked to it and bijdragen of every visibility. The partners, users and permission are
made through the real services; the bulk rows through the models. Then times, through the Django
test client with a signed-in (MFA) session, p50/p95 over ``--requests`` requests each and the
SQL queries per request, of: the list page 1, a deep page (the row at about half of what the user
sees), the detail page and the API list.

    .venv/bin/python scripts/benchmark_casus_list.py [--casussen 20000] [--requests 50]
    .venv/bin/python scripts/benchmark_casus_list.py --casussen 100000   # the issue's size
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from scripts.benchlib import load, percentile, test_database  # noqa: E402

BATCH = 5000
RISKS = ["acuut"] * 3 + ["hoog"] * 17 + ["midden"] * 40 + ["laag"] * 40
VISIBILITIES = ["keten"] * 6 + ["regie"] * 3 + ["intern"]


def fill(total: int, signals: int, bijdragen: int, rng: random.Random) -> dict[str, Any]:
    from django.contrib.auth.models import Permission as AuthPermission

    from casus.models import (
        Betrokkenheid,
        Bijdrage,
        Casus,
        CasusGroupObjectPermission,
        Signaal,
        Signalenlijst,
    )
    from partners.models import PartnerKind
    from tests.casus.factories import CoordinatorFactory
    from tests.factories import PartnerFactory, UserFactory

    kinds = [
        PartnerKind.ZORG,
        PartnerKind.ZORG,
        PartnerKind.GEZONDHEID,
        PartnerKind.POLITIE,
        PartnerKind.GEMEENTE,
    ]
    partners = [PartnerFactory.create(kind=kind) for kind in kinds]
    coordinator = CoordinatorFactory.create(partner=partners[0], mfa=True)
    medewerker = UserFactory.create(partner=partners[3], mfa=True)  # politie
    authors = {p.pk: UserFactory.create(partner=p) for p in partners}
    view_casus = AuthPermission.objects.get(content_type__app_label="casus", codename="view_casus")
    lijst = Signalenlijst.objects.order_by("-versie").first()
    now = timezone.now()
    start = now - datetime.timedelta(days=10 * 365)

    plans: list[dict[str, Any]] = []
    for _ in range(total):
        opened = start + (now - start) * rng.random()
        involved = rng.sample(partners, rng.choice([2, 3]))
        plans.append({"opened": opened, "involved": involved, "risk": rng.choice(RISKS)})
    Casus.objects.bulk_create(
        [
            Casus(
                referentie=f"B-{n:07d}",
                status=rng.choice(["nieuw", "in_behandeling", "monitoren", "afgesloten"]),
                risico=plan["risk"],
                grondslag=rng.choice(["wettelijke_taak", "wettelijke_taak", "toestemming"]),
                coordinator=coordinator,
                geopend_op=plan["opened"],
                risico_gewijzigd_op=plan["opened"],
            )
            for n, plan in enumerate(plans)
        ],
        batch_size=BATCH,
    )
    ids = dict(Casus.objects.values_list("referentie", "pk"))
    for n, plan in enumerate(plans):
        plan["id"] = ids[f"B-{n:07d}"]
    Betrokkenheid.objects.bulk_create(
        [
            Betrokkenheid(
                casus_id=plan["id"],
                partner=partner,
                reden="Betrokken bij de afstemming.",
                grondslag="wettelijke_taak",
                toegevoegd_door=coordinator,
                toegevoegd_op=plan["opened"],
            )
            for plan in plans
            for partner in plan["involved"]
        ],
        batch_size=BATCH,
    )
    CasusGroupObjectPermission.objects.bulk_create(
        [
            CasusGroupObjectPermission(
                content_object_id=plan["id"], group_id=partner.group_id, permission=view_casus
            )
            for plan in plans
            for partner in plan["involved"]
        ],
        batch_size=BATCH,
    )
    signal_rows = []
    for plan in plans:
        for k in range(signals):
            partner = plan["involved"][k % len(plan["involved"])]
            author = authors[partner.pk]
            signal_rows.append(
                Signaal(
                    partner=partner,
                    auteur=author,
                    rol=author.role,
                    datum_waargenomen=timezone.localdate(plan["opened"]),
                    bron="controle",
                    sector="raam",
                    lijst=lijst,
                    omschrijving="Waarneming bij een controle.",
                    zichtbaarheid=rng.choice(VISIBILITIES),
                    status="gekoppeld",
                    casus_id=plan["id"],
                    triage_door=coordinator,
                    triage_op=plan["opened"],
                    aangemaakt_op=plan["opened"],
                )
            )
    signal_rows += [
        Signaal(
            partner=partners[3],
            auteur=medewerker,
            rol=medewerker.role,
            datum_waargenomen=timezone.localdate(now),
            bron="controle",
            sector="raam",
            lijst=lijst,
            omschrijving="Waarneming bij een controle.",
            zichtbaarheid="keten",
            status="nieuw",
            aangemaakt_op=now,
        )
        for _ in range(max(1, total // 100))
    ]
    Signaal.objects.bulk_create(signal_rows, batch_size=BATCH)
    del signal_rows
    for chunk in range(0, total, 2000):
        Bijdrage.objects.bulk_create(
            [
                Bijdrage(
                    casus_id=plan["id"],
                    auteur=authors[partner.pk],
                    partner=partner,
                    rol=authors[partner.pk].role,
                    categorie="algemeen",
                    zichtbaarheid=rng.choice(VISIBILITIES),
                    tekst="Korte waarneming en afstemming.",
                    aangemaakt_op=plan["opened"] + datetime.timedelta(hours=k),
                )
                for plan in plans[chunk : chunk + 2000]
                for k in range(bijdragen)
                for partner in [plan["involved"][k % len(plan["involved"])]]
            ],
            batch_size=BATCH,
        )
    # The casus to open on the detail page: the newest ones both users see.
    both = [p for p in plans if partners[3] in p["involved"]]
    both.sort(key=lambda p: (p["opened"], p["id"]), reverse=True)
    return {
        "coordinator": coordinator,
        "medewerker": medewerker,
        "detail": [f"B-{plans.index(p):07d}" for p in both[:5]],
    }


def sign_in(user: Any) -> Client:
    from tests.conftest import sign_in_fully

    return sign_in_fully(Client(), user)


def deep_url(user: Any, base: str, page_size: int) -> str:
    """The page that starts at about half of what the user sees: by cursor when the list has
    keyset pagination (``casus.casussen.selectors.casus_cursor``), else by page number."""
    from casus.casussen import selectors
    from casus.policy import visible_casussen

    visible = visible_casussen(user).order_by("-geopend_op", "-id")
    position = visible.count() // 2
    cursor_of = getattr(selectors, "casus_cursor", None)
    if cursor_of is not None:
        before = visible[position - 1 : position].get()
        return f"{base}?na={cursor_of(before)}"
    return f"{base}?pagina={position // page_size + 1}"


def measure(
    client: Client, urls: list[str], requests: int
) -> tuple[float, float, float, list[int], str]:
    """p50 and p95 of the request, median SQL time, the query counts seen, the slowest query."""
    client.get(urls[0])  # warm up (template loading, the permission id cache)
    times: list[float] = []
    sql: list[float] = []
    slowest: dict[str, float] = {}
    queries: set[int] = set()
    for n in range(requests):
        url = urls[n % len(urls)]
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: {response.status_code}")
        queries.add(len(captured.captured_queries))
        sql.append(sum(float(q["time"]) * 1000 for q in captured.captured_queries))
        for q in captured.captured_queries:
            key = q["sql"][:160]
            slowest[key] = max(slowest.get(key, 0.0), float(q["time"]) * 1000)
    top = max(slowest.items(), key=lambda item: item[1])
    return (
        percentile(times, 0.5),
        percentile(times, 0.95),
        statistics.median(sql),
        sorted(queries),
        f"{top[1]:.1f} ms: {top[0]}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--casussen", type=int, default=20_000)
    parser.add_argument("--signalen", type=int, default=3, help="signals per casus")
    parser.add_argument("--bijdragen", type=int, default=10, help="bijdragen per casus")
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=20261204)
    parser.add_argument("--verbose", action="store_true", help="print the slowest queries")
    args = parser.parse_args()

    with test_database():
        from casus.casussen import views
        from casus.models import Bijdrage, Casus, CasusGroupObjectPermission, Signaal

        print(f"database: {connection.vendor}; {os.cpu_count()} cores; {load()}")
        rng = random.Random(args.seed)  # noqa: S311 - reproducible synthetic data, not secrets
        started = time.perf_counter()
        data = fill(args.casussen, args.signalen, args.bijdragen, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"filled in {time.perf_counter() - started:.0f} s: "
            + ", ".join(
                f"{model.__name__} {model.objects.count():,}"
                for model in (Casus, CasusGroupObjectPermission, Signaal, Bijdrage)
            )
        )
        list_url = reverse("casussen:list")
        api_url = "/api/v1/casussen/"
        rows = []
        for label in ("medewerker", "coordinator"):
            user = data[label]
            client = sign_in(user)
            from casus.policy import visible_casussen

            visible = visible_casussen(user).count()
            cases = {
                "trivial (/healthz)": ["/healthz"],
                "list page 1": [list_url],
                "list deep page": [deep_url(user, list_url, views.PAGE_SIZE)],
                "detail": [reverse("casussen:detail", args=[ref]) for ref in data["detail"]],
                "API list page 1": [api_url],
                "API list deep": [deep_url(user, api_url, 50)],
            }
            for name, urls in cases.items():
                p50, p95, sql, queries, top = measure(client, urls, args.requests)
                rows.append((label, visible, name, p50, p95, sql, queries, top))
        print(f"\n{args.casussen:,} casussen, {args.requests} requests each")
        print(
            f"{'user':12} {'visible':>8}  {'request':18} {'p50 ms':>8} {'p95 ms':>8} "
            f"{'SQL ms':>7}  queries"
        )
        for label, visible, name, p50, p95, sql, queries, _top in rows:
            print(
                f"{label:12} {visible:8,}  {name:18} {p50:8.1f} {p95:8.1f} {sql:7.1f}  "
                + ", ".join(map(str, queries))
            )
        if args.verbose:
            print("\nslowest query per request:")
            for label, _visible, name, *_rest, top in rows:
                print(f"  {label} {name}: {top}")
        print(f"after the run: {load()}; ")


if __name__ == "__main__":
    main()
