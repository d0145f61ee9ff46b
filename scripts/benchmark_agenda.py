"""Benchmark of agenda generation (not a test): casus.agenda.agenda_generate on 100,000 casussen.

Fills a throw-away test database (SQLite by default, PostgreSQL with DATABASE_URL set) with a
region's history: 100,000 casussen, most of them closed, with involvements, signals, match hints,
afspraken, agenda requests and a meeting every four weeks for ten years in which they were
discussed. The data is spread so that about 500 casussen end up on the next meeting's agenda.
Prints the time of the first generation and p50/p95 of regenerating the concept, the SQL
queries each issues, and the same counts for a 50-item agenda: they do not grow with the items.

    .venv/bin/python scripts/benchmark_agenda.py [--casussen 100000] [--runs 5]
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
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from scripts.benchlib import load, percentile, test_database  # noqa: E402

BATCH = 5000
MEETING_INTERVAL = datetime.timedelta(weeks=4)
HISTORY_MEETINGS = 130  # ten years of meetings every four weeks
RISKS = ["acuut"] * 3 + ["hoog"] * 17 + ["midden"] * 40 + ["laag"] * 40
RANK = {"acuut": 0, "hoog": 1, "midden": 2, "laag": 3}
# The open casussen on the next agenda, per rule (before overlap between the rules).
WANTED = {
    "nieuw": 120,
    "periodieke_review": 150,
    "risico_verhoogd": 50,
    "herhaalsignaal": 60,
    "afspraak_verlopen": 90,
    "geagendeerd": 40,
    "match_pairs": 15,
    "voorstel_afsluiten": 30,
}


def bulk(model: Any, rows: list[Any]) -> None:
    model.objects.bulk_create(rows, batch_size=BATCH)


def fill(total: int, meeting_at: datetime.datetime, rng: random.Random) -> Any:
    """The region's history; returns the meeting to generate the agenda of (status gepland)."""
    from casus.models import (
        Afspraak,
        Agendapunt,
        Agendering,
        Betrokkenheid,
        Casus,
        MatchHint,
        Overleg,
        OverlegSerie,
        Signaal,
        Signalenlijst,
    )
    from partners.models import Role
    from tests.casus.factories import CoordinatorFactory
    from tests.factories import PartnerFactory, UserFactory

    partners = [PartnerFactory.create() for _ in range(5)]
    coordinator = CoordinatorFactory.create(partner=partners[0])
    chair = UserFactory.create(partner=partners[4], role=Role.VOORZITTER)
    authors = [UserFactory.create(partner=p) for p in partners]
    lijst = Signalenlijst.objects.order_by("-versie").first()
    serie = OverlegSerie.objects.create(naam="Benchmark", plaats="Zaal 3", voorzitter=chair)
    serie.partners.set(partners)
    previous = meeting_at - MEETING_INTERVAL
    history = [previous - n * MEETING_INTERVAL for n in range(HISTORY_MEETINGS)]  # newest first
    bulk(
        Overleg,
        [
            Overleg(
                serie=serie,
                datum=datum,
                plaats="Zaal 3",
                voorzitter=chair,
                status="verslag_vastgesteld",
            )
            for datum in history
        ],
    )
    meetings = dict(Overleg.objects.values_list("datum", "pk"))
    meeting = Overleg.objects.create(
        serie=serie, datum=meeting_at, plaats="Zaal 3", voorzitter=chair
    )
    now = timezone.now()
    oldest = history[-1]

    # --- casussen: 95 % closed over ten years, 5 % open --------------------------------------
    n_open = total // 20
    plans: list[dict[str, Any]] = []
    for n in range(total):
        is_open = n < n_open
        if is_open:
            if n < WANTED["nieuw"]:
                opened = previous + (now - previous) * rng.random()
            else:
                opened = oldest + (previous - oldest) * rng.random() ** 0.3
        else:
            opened = oldest + (now - datetime.timedelta(weeks=12) - oldest) * rng.random()
        plans.append({"open": is_open, "opened": opened, "risk": rng.choice(RISKS)})
    bulk(
        Casus,
        [
            Casus(
                referentie=f"B-{n:07d}",
                status=("in_behandeling" if rng.random() < 0.6 else "monitoren")
                if plan["open"]
                else "afgesloten",
                risico=plan["risk"],
                grondslag="wettelijke_taak",
                coordinator=coordinator,
                geopend_op=plan["opened"],
                risico_gewijzigd_op=plan["opened"],
                afgesloten_op=None
                if plan["open"]
                else min(now, plan["opened"] + datetime.timedelta(days=rng.randint(30, 700))),
            )
            for n, plan in enumerate(plans)
        ],
    )
    ids = dict(Casus.objects.values_list("referentie", "pk"))
    for n, plan in enumerate(plans):
        plan["id"] = ids[f"B-{n:07d}"]
    open_plans = plans[:n_open]
    settled = [p for p in open_plans[WANTED["nieuw"] :] if p["opened"] < previous]
    rng.shuffle(settled)
    review, recent = settled[: WANTED["periodieke_review"]], settled[WANTED["periodieke_review"] :]

    bulk(
        Betrokkenheid,
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
            for partner in rng.sample(partners, 2)
        ],
    )

    # --- discussions: closed casussen once, open ones in one of the last two meetings --------
    def meeting_after(moment: datetime.datetime) -> datetime.datetime | None:
        later = [d for d in history if d > moment]
        return min(later) if later else None

    discussed: dict[datetime.datetime, dict[int, str]] = {}
    for plan in plans[n_open:]:
        when = meeting_after(plan["opened"] + datetime.timedelta(days=14))
        if when is not None and rng.random() < 0.7:
            discussed.setdefault(when, {})[plan["id"]] = plan["risk"]
    raised = set(rng.sample(range(len(recent)), WANTED["risico_verhoogd"]))
    for index, plan in enumerate(recent):
        # Four or eight weeks before the meeting (the last one if it opened in between).
        when = history[0] if plan["opened"] > history[1] else rng.choice(history[:2])
        risk_then = plan["risk"]
        if index in raised:
            risk_then = {"acuut": "hoog", "hoog": "midden", "midden": "laag", "laag": "laag"}[
                plan["risk"]
            ]
            if risk_then == plan["risk"]:  # laag cannot have been raised: make it midden now
                plan["risk"] = "midden"
                Casus.objects.filter(pk=plan["id"]).update(risico="midden")
        discussed.setdefault(when, {})[plan["id"]] = risk_then
        older = meeting_after(plan["opened"] + datetime.timedelta(days=14))
        if older is not None and older < when - MEETING_INTERVAL and rng.random() < 0.5:
            discussed.setdefault(older, {})[plan["id"]] = plan["risk"]
    for plan in review:  # last discussed sixteen weeks or more ago, or never
        older = meeting_after(plan["opened"] + datetime.timedelta(days=14))
        if older is not None and older <= meeting_at - datetime.timedelta(weeks=16):
            discussed.setdefault(older, {})[plan["id"]] = plan["risk"]
    rows = []
    for when, casussen in discussed.items():
        for position, (casus_id, risk) in enumerate(casussen.items(), start=2):
            rows.append(
                Agendapunt(
                    overleg_id=meetings[when],
                    soort="casus",
                    casus_id=casus_id,
                    volgorde=position,
                    redenen=["periodieke_review"],
                    risico_bij_agendering=risk,
                    besproken_op=when,
                    risico_bij_bespreking=risk,
                )
            )
    for when in history:
        rows += [
            Agendapunt(overleg_id=meetings[when], soort=soort, volgorde=volgorde)
            for soort, volgorde in (("opening", 1), ("trends", 9000), ("rondvraag", 9001))
        ]
    bulk(Agendapunt, rows)

    # --- signals: half the casussen have one; some new ones since the previous meeting -------
    def signaal(casus_id: int | None, when: datetime.datetime, n: int) -> Signaal:
        author = authors[n % len(authors)]
        return Signaal(
            partner_id=author.partner_id,
            auteur=author,
            rol=author.role,
            datum_waargenomen=timezone.localdate(when),
            bron="controle",
            sector="raam",
            lijst=lijst,
            omschrijving="Waarneming bij een controle.",
            zichtbaarheid="keten",
            status="gekoppeld" if casus_id else "nieuw",
            casus_id=casus_id,
            triage_door=coordinator if casus_id else None,
            triage_op=when if casus_id else None,
            aangemaakt_op=when,
        )

    signals = [
        signaal(plan["id"], plan["opened"], n)
        for n, plan in enumerate(plans)
        if rng.random() < 0.5 and plan["opened"] < previous
    ]
    repeat = rng.sample(recent, WANTED["herhaalsignaal"])
    signals += [
        signaal(plan["id"], previous + (now - previous) * rng.random(), n)
        for n, plan in enumerate(repeat)
    ]
    signals += [
        signaal(None, now - datetime.timedelta(days=rng.randint(1, 60)), n) for n in range(500)
    ]
    pair_plans = rng.sample(open_plans, 2 * WANTED["match_pairs"])
    signals += [signaal(plan["id"], plan["opened"], n) for n, plan in enumerate(pair_plans)]
    bulk(Signaal, signals)
    linked = list(
        Signaal.objects.filter(casus__isnull=False).values_list("pk", "casus_id").order_by("pk")
    )
    untriaged = list(Signaal.objects.filter(casus__isnull=True).values_list("pk", flat=True))
    by_casus = {casus_id: pk for pk, casus_id in linked}
    hints = [
        MatchHint(
            signaal_id=by_casus[pair_plans[2 * i]["id"]],
            ander_signaal_id=by_casus[pair_plans[2 * i + 1]["id"]],
            soorten=["telefoon"],
            sterkte="sterk",
        )
        for i in range(WANTED["match_pairs"])
    ]
    resolved_pairs = rng.sample(range(len(linked) - 1), 3000)
    hints += [
        MatchHint(
            signaal_id=linked[i][0],
            ander_signaal_id=linked[i + 1][0],
            soorten=["telefoon"],
            sterkte="sterk",
            afgehandeld_op=now,
        )
        for i in resolved_pairs
    ]
    hints += [
        MatchHint(
            signaal_id=pk,
            ander_signaal_id=linked[n][0],
            soorten=["werknaam", "naam_jaar"],
            sterkte="waarschijnlijk",
        )
        for n, pk in enumerate(untriaged[:200])
    ]
    MatchHint.objects.bulk_create(hints, batch_size=BATCH, ignore_conflicts=True)

    # --- afspraken: done on closed casussen, open (a few overdue) on open ones ---------------
    afspraken = []
    overdue = {plan["id"] for plan in rng.sample(open_plans, WANTED["afspraak_verlopen"])}
    for plan in plans:
        if plan["id"] in overdue:
            deadline = timezone.localdate(meeting_at) - datetime.timedelta(days=rng.randint(1, 40))
            outcome = "open"
        elif plan["open"] and rng.random() < 0.4:
            deadline = timezone.localdate(meeting_at) + datetime.timedelta(days=rng.randint(0, 60))
            outcome = "open"
        elif not plan["open"] and rng.random() < 0.6:
            deadline = timezone.localdate(plan["opened"]) + datetime.timedelta(days=30)
            outcome = rng.choice(["uitgevoerd", "niet_mogelijk", "niet_uitgevoerd", "vervallen"])
        else:
            continue
        afspraken.append(
            Afspraak(
                casus_id=plan["id"],
                omschrijving="Contact opnemen en terugkoppelen.",
                partner=partners[plan["id"] % len(partners)],
                deadline=deadline,
                uitkomst=outcome,
                uitkomst_toelichting="" if outcome in ("open", "uitgevoerd") else "Toegelicht.",
                aangemaakt_door=coordinator,
                aangemaakt_op=plan["opened"],
            )
        )
    bulk(Afspraak, afspraken)

    # --- agenda requests (most settled) and proposals to close ------------------------------
    requests = [
        Agendering(
            casus_id=plan["id"],
            partner=partners[1],
            aangevraagd_door=authors[1],
            reden="Graag bespreken.",
            aangevraagd_op=plan["opened"],
            afgehandeld_op=plan["opened"] + datetime.timedelta(days=20),
        )
        for plan in rng.sample(plans, 2000)
    ]
    requests += [
        Agendering(
            casus_id=plan["id"],
            partner=partners[1],
            aangevraagd_door=authors[1],
            reden="Graag bespreken.",
        )
        for plan in rng.sample(open_plans, WANTED["geagendeerd"])
    ]
    bulk(Agendering, requests)
    proposed = [plan["id"] for plan in rng.sample(open_plans, WANTED["voorstel_afsluiten"])]
    Casus.objects.filter(pk__in=proposed).update(afsluiten_voorgesteld_op=now)
    return meeting


def generation(meeting: Any) -> tuple[float, int, int, int]:
    """One call of agenda_generate: seconds, SQL queries, of which INSERT batches of agenda
    items (SQLite takes at most 999 parameters per statement, so about 80 rows per INSERT),
    and the casus items on the agenda."""
    from casus.overleg import agenda

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        result = agenda.agenda_generate(overleg=meeting)
        seconds = time.perf_counter() - started
    inserts = sum(
        1 for q in queries.captured_queries if q["sql"].startswith('INSERT INTO "casus_agendapunt"')
    )
    return seconds, len(queries.captured_queries), inserts, result.items - 3


def reset(meeting: Any) -> None:
    """Back to a planned meeting without agenda (so the next call is a first generation)."""
    from casus.models import Overleg

    meeting.agendapunten.all().delete()
    Overleg.objects.filter(pk=meeting.pk).update(status="gepland", agenda_gegenereerd_op=None)


def measure(meeting: Any, runs: int) -> dict[str, Any]:
    reset(meeting)
    first_seconds, first_queries, first_inserts, items = generation(meeting)
    again = [generation(meeting) for _ in range(runs)]
    timings = [seconds for seconds, _, _, _ in again]
    if {n for _, _, _, n in again} != {items}:
        raise SystemExit("regenerating changed the agenda: not idempotent")
    return {
        "items": items,
        "first_ms": first_seconds * 1000,
        "first_queries": first_queries,
        "first_inserts": first_inserts,
        "p50_ms": statistics.median(timings) * 1000,
        "p95_ms": percentile(timings, 0.95) * 1000,
        "queries": sorted({q for _, q, _, _ in again}),
    }


def agenda_for_ms(meeting: Any) -> tuple[float, int]:
    from casus.overleg import selectors as overleg_selectors

    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        overleg_selectors.agenda_for(user=meeting.voorzitter, overleg=meeting, record=False)
        seconds = time.perf_counter() - started
    return seconds * 1000, len(queries.captured_queries)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--casussen", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=20260302)
    args = parser.parse_args()

    with test_database():
        from casus.models import (
            Afspraak,
            Agendapunt,
            Agendering,
            Betrokkenheid,
            Casus,
            MatchHint,
            Signaal,
        )

        print(f"database: {connection.vendor}; {os.cpu_count()} cores; {load()}")
        rng = random.Random(args.seed)  # noqa: S311 - reproducible synthetic data, not secrets
        meeting_at = (timezone.localtime() + datetime.timedelta(days=7)).replace(
            hour=13, minute=30, second=0, microsecond=0
        )
        started = time.perf_counter()
        meeting = fill(args.casussen, meeting_at, rng)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        print(
            f"filled in {time.perf_counter() - started:.0f} s: "
            + ", ".join(
                f"{model.__name__} {model.objects.count():,}"
                for model in (
                    Casus,
                    Betrokkenheid,
                    Signaal,
                    MatchHint,
                    Afspraak,
                    Agendering,
                    Agendapunt,
                )
            )
            + f"; open casussen {Casus.objects.exclude(status='afgesloten').count():,}"
        )

        full = measure(meeting, args.runs)
        reasons: dict[str, int] = {}
        for redenen in meeting.agendapunten.filter(casus__isnull=False).values_list(
            "redenen", flat=True
        ):
            for reason in redenen:
                reasons[reason] = reasons.get(reason, 0) + 1
        print(f"agenda of {full['items']} casus items; per reason: {reasons}")
        chair_ms, chair_queries = agenda_for_ms(meeting)

        # The same meeting with about 50 items: close the other casussen on the agenda.
        on_agenda = list(
            meeting.agendapunten.filter(casus__isnull=False)
            .order_by("volgorde")
            .values_list("casus_id", flat=True)
        )
        Casus.objects.filter(pk__in=on_agenda[50:]).update(status="afgesloten")
        small = measure(meeting, args.runs)

        print(f"agenda_generate, {args.casussen:,} casussen, {args.runs} regenerations each")
        for label, result in (("large", full), ("small", small)):
            print(
                f"  {label}: {result['items']:4d} items   first generation "
                f"{result['first_ms']:7.1f} ms ({result['first_queries']} queries, "
                f"{result['first_inserts']} INSERT batches)   "
                f"regenerate p50 {result['p50_ms']:7.1f} ms  p95 {result['p95_ms']:7.1f} ms "
                f"({', '.join(map(str, result['queries']))} queries)"
            )
        print(
            f"  agenda_for (chair), {full['items']} items: {chair_ms:.1f} ms, {chair_queries} queries"
        )
        print(f"after the run: {load()}")


if __name__ == "__main__":
    main()
