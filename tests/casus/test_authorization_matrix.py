"""Authorization matrix: every page and API operation, for every actor, relation and level.

The oracle is tests/casus/matrix_expectations.py, written by hand from PRODUCT.md §5; the world
it describes is built by tests/casus/matrix_world.py. This module signs each actor in through
the real MFA flow, walks every operation of the covered namespaces (lists, counts, search,
detail, the signal inbox and match hints, redacted agendas and minutes, requests of data
subjects and their reports, retention, trends, the FG's pages, nested objects reached through
another object, every write, and the HTTP methods nobody offers) and collects every mismatch,
so one run shows the whole picture. The walks of four actors first check that every write they
may do refuses a request without a CSRF token. The meta-tests fail when a URL of the resolver
has no place (rows here, or an entry in OUTSIDE_MATRIX naming the tests that walk it) or an API
operation has no entry.

The world is built once per module; every walk runs in a savepoint of it and is rolled back,
so each actor meets the same world (see ``_module_world``).
"""

from __future__ import annotations

import ast
import copy
import datetime
import functools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest
import time_machine

from audit.models import AuditEvent
from casus.avg import verzoeken as inzage
from casus.casussen import services
from casus.models import (
    Aanwezigheid,
    Afspraak,
    Agendapunt,
    Agendering,
    Betrokkenheid,
    Bijdrage,
    Casus,
    CasusGroupObjectPermission,
    Inzageverzoek,
    LegalHold,
    MatchHint,
    Overleg,
    PseudoniemToken,
    Signaal,
    StatusWijziging,
)
from partners import services as partner_services
from tests.casus import matrix_expectations as oracle
from tests.casus.matrix_expectations import (
    ACTORS,
    ACTORS_BY_KEY,
    AFSPRAKEN,
    BIJDRAGEN,
    CASUSSEN,
    LOGIN,
    MEETINGS,
    METHOD_NOT_ALLOWED,
    NOT_AUTHENTICATED,
    NOT_FOUND,
    OPENED_BY,
    OPS,
    PAGE,
    PAGE_METHODS,
    REMOVED_FROM,
    REMOVED_PARTNER,
    SIGNALEN,
    VERZOEKEN,
    Actor,
    Expected,
    Op,
    afspraak_marker,
    bijdrage_marker,
    signaal_marker,
)
from tests.casus.matrix_world import MISSING_REFERENTIE, PERSONS, World, build_world
from tests.conftest import TEST_START

pytestmark = pytest.mark.django_db

# The URL namespaces the matrix must cover completely, and the root-level names it covers. Every
# other URL of the resolver is named in OUTSIDE_MATRIX with the tests that walk it; a URL that is
# in neither (a new page, a new namespace) fails test_every_url_has_a_place_in_the_matrix.
NAMESPACES = ("casussen", "signalen", "overleg", "avg", "trends", "fg", "api")
ROOT_NAMES = ("home",)
_ACCOUNT_PAGES = (
    "tests/test_anonymous_access.py (every URL, signed out), tests/test_auth_flow.py and "
    "tests/partners/test_middleware.py: the user's own account and sign-in steps, the same for "
    "every role, holding no case content"
)
OUTSIDE_MATRIX: dict[str, str] = {
    "account_login": _ACCOUNT_PAGES,
    "account_logout": _ACCOUNT_PAGES,
    "account_inactive": _ACCOUNT_PAGES,
    "account_reauthenticate": _ACCOUNT_PAGES,
    "account_change_password": _ACCOUNT_PAGES,
    "account_set_password": _ACCOUNT_PAGES,
    "mfa_index": _ACCOUNT_PAGES,
    "mfa_authenticate": _ACCOUNT_PAGES,
    "mfa_reauthenticate": _ACCOUNT_PAGES,
    "mfa_activate_totp": _ACCOUNT_PAGES,
    "mfa_deactivate_totp": _ACCOUNT_PAGES,
    "mfa_view_recovery_codes": _ACCOUNT_PAGES,
    "mfa_generate_recovery_codes": _ACCOUNT_PAGES,
    "mfa_download_recovery_codes": _ACCOUNT_PAGES,
    "healthz": "tests/test_anonymous_access.py: liveness, public, no data",
    "readyz": "tests/test_anonymous_access.py: readiness, public, no data",
    "set_language": "tests/test_anonymous_access.py: the language switch, no data",
    # The namespace of the functional administrator's Django admin under /beheer/ (§5 "Users,
    # partners, settings: beheerder"): every role against every admin page.
    "admin:": "tests/partners/test_admin.py: the beheerder only, every other role kept out",
}
SUCCESS = frozenset({200, 201, 302})
# The answers of a refusal (anything else got past the permission check).
REFUSALS = frozenset({NOT_FOUND, METHOD_NOT_ALLOWED, LOGIN, NOT_AUTHENTICATED})

# A valid next status for whatever the casus's status is now (the workflow is not under test).
NEXT_STATUS = {
    "nieuw": "in_behandeling",
    "in_behandeling": "monitoren",
    "monitoren": "in_behandeling",
    "afgesloten": "in_behandeling",
}
# Audit actions of successful writes: a refused or invalid write must not add one.
WRITE_AUDIT_ACTIONS = (
    "casus.opened",
    "casus.updated",
    "casus.status_changed",
    "casus.involvement_added",
    "casus.involvement_removed",
    "casus.agenda_requested",
    "casus.consent_withdrawn",
    "bijdrage.created",
    "bijdrage.visibility_changed",
    "afspraak.created",
    "afspraak.updated",
    "signaal.submitted",
    "signaal.linked",
    "signaal.closed",
    "signaal.visibility_changed",
    "signaal.purged",
    "overleg.generation_requested",
    "overleg.agenda_changed",
    "overleg.agenda_finalised",
    "overleg.besluit_recorded",
    "overleg.held",
    "overleg.minutes_adopted",
    "avg.legal_hold_set",
    "avg.legal_hold_lifted",
    "avg.request_registered",
    "avg.request_compiled",
    "avg.request_closed",
    "avg.request_unlinked",
    "avg.request_erased",
    "avg.request_candidates_decided",
    "audit.verified",
    "audit.checkpointed",
)


# --- URL introspection (for the walk's unsupported-method probes and the meta-tests) -----------


def _named_patterns(patterns: list[Any], namespace: str | None = None) -> Iterator[tuple[str, Any]]:
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _named_patterns(pattern.url_patterns, inner)
        else:
            assert isinstance(pattern, URLPattern)
            name = pattern.name or str(pattern.pattern)
            yield (f"{namespace}:{name}" if namespace else name), pattern.callback


def _covered(name: str) -> bool:
    if ":" in name:
        return name.split(":", 1)[0] in NAMESPACES
    return name in ROOT_NAMES


def covered_urls() -> dict[str, Any]:
    """Every URL under the covered namespaces and root names, name -> view callback."""
    return {
        name: callback
        for name, callback in _named_patterns(get_resolver().url_patterns)
        if _covered(name)
    }


def api_methods(callback: Any) -> frozenset[str]:
    """The HTTP methods a DRF route offers: a viewset's action map, or an APIView's handlers."""
    actions = getattr(callback, "actions", None)
    if actions:
        # HEAD is GET without a body (DRF maps it along with GET): covered by the GET entries.
        return frozenset(method.upper() for method in actions if method != "head")
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    assert view_class is not None, callback
    return frozenset(
        method.upper()
        for method in ("get", "post", "put", "patch", "delete")
        if hasattr(view_class, method)
    )


def offered_methods() -> dict[str, frozenset[str]]:
    """URL name -> methods: from the router for the API, from PAGE_METHODS for the pages."""
    offered: dict[str, frozenset[str]] = {}
    for name, callback in covered_urls().items():
        if name.startswith("api:"):
            offered[name] = api_methods(callback)
        elif name in PAGE_METHODS:
            offered[name] = PAGE_METHODS[name]
    return offered


PROBES: list[Op] = oracle.probe_ops(offered_methods())
WALK: list[Op] = OPS + PROBES


# --- The world's state --------------------------------------------------------------------------

# Everything a write could change (rows, states, versions, permissions, write events): per model
# the columns read. Counted tables read their primary keys only.
SNAPSHOT_ROWS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (Casus, ("pk", "status", "risico", "toestemming_ingetrokken_op")),
    (Betrokkenheid, ("pk", "partner", "beeindigd_op")),
    (Bijdrage, ("pk", "zichtbaarheid")),
    (Afspraak, ("pk", "versie", "uitkomst")),
    (Agendering, ("pk",)),
    (StatusWijziging, ("pk",)),
    (CasusGroupObjectPermission, ("content_object", "group")),
    (Signaal, ("pk", "status", "casus", "zichtbaarheid")),
    (PseudoniemToken, ("pk",)),
    (MatchHint, ("pk",)),
    (Overleg, ("pk", "status", "generatie_status")),
    (Agendapunt, ("pk", "volgorde", "verwijderd", "besproken_op")),
    (Aanwezigheid, ("pk", "aanwezig")),
    (LegalHold, ("pk", "opgeheven_op")),
    (Inzageverzoek, ("pk", "status", "samengesteld_door")),
)


@functools.cache
def _snapshot_queries() -> tuple[tuple[str, tuple[Any, ...]], ...]:
    """The snapshot's queries, compiled once by the ORM (so they fit the database in use) and
    run on one cursor: the walk takes a snapshot after every write, thousands per run."""
    querysets = [
        model.objects.order_by("pk").values_list(*fields) for model, fields in SNAPSHOT_ROWS
    ]
    querysets.append(
        AuditEvent.objects.filter(action__in=WRITE_AUDIT_ACTIONS).order_by("pk").values_list("pk")
    )
    return tuple(
        (sql, tuple(params))
        for sql, params in (queryset.query.sql_with_params() for queryset in querysets)
    )


def snapshot() -> tuple[Any, ...]:
    """Everything a write could change, as it is now."""
    with connection.cursor() as cursor:
        rows = []
        for sql, params in _snapshot_queries():
            cursor.execute(sql, params)
            rows.append(tuple(cursor.fetchall()))
    return tuple(rows)


# --- Requests -----------------------------------------------------------------------------------


def path_of(world: World, op: Op) -> str:
    return reverse(op.url, args=[world.arg(arg) for arg in op.args])


def _casus_arg(op: Op) -> str:
    return next(arg for arg in op.args if arg in CASUSSEN or arg == "MISSING")


def _key_arg(op: Op, kind: str) -> str:
    return next(arg for arg in op.args if arg.startswith(f"{kind}:")).partition(":")[2]


def _afspraak_arg(world: World, op: Op) -> Afspraak:
    return Afspraak.objects.get(pk=world.afspraken[_key_arg(op, "afspraak")].pk)  # the version now


def _move_direction(world: World, op: Op) -> str:
    """A valid move for the item now: down when it is the first casus item, up otherwise."""
    meeting, _, casus = _key_arg(op, "agendapunt").partition("/")
    item = world.agendapunt(meeting, casus)
    first = (
        Agendapunt.objects.filter(overleg=item.overleg, soort="casus", verwijderd=False)
        .order_by("volgorde", "id")
        .first()
    )
    return "omlaag" if first is not None and first.pk == item.pk else "omhoog"


def payload(world: World, op: Op) -> dict[str, Any]:
    """The request body of a write, valid unless the op says otherwise, built from the state now."""
    today = timezone.localdate()
    deadline = (today + datetime.timedelta(days=21)).isoformat()
    p = world.partners
    name = op.payload
    if name in {"", "empty"}:
        return {}
    if name == "invalid":
        return {"onbekend_veld": "x"}  # every required field missing (and not an empty POST)
    if name in {"casus_open", "api_open"}:
        return {
            "risico": "midden",
            "grondslag": "wettelijke_taak",
            "sector": "onbekend",
            "partners": [p["politie"].pk],
            "reden": "Afstemming tussen hulpverlening en handhaving.",
        }
    if name == "status":
        casus = Casus.objects.get(referentie=world.referentie(_casus_arg(op)))
        return {"status": NEXT_STATUS[casus.status], "toelichting": ""}
    if name == "risico":
        casus = Casus.objects.get(referentie=world.referentie(_casus_arg(op)))
        return {
            "risico": "hoog" if casus.risico != "hoog" else "midden",
            "reden": "Nieuwe informatie uit de matrixtest.",
        }
    if name == "gegevens":
        return {"sector": "raam", "gemeente": "leeuwarden", "veilig_om_te_bellen": "on"}
    if name == "afsluitvoorstel":
        casus = Casus.objects.get(referentie=world.referentie(_casus_arg(op)))
        return {"intrekken": "true"} if casus.afsluiten_voorgesteld_op else {}
    if name in {"bijdrage_keten", "bijdrage_regie"}:
        return {
            "categorie": "algemeen",
            "zichtbaarheid": name.removeprefix("bijdrage_"),
            "tekst": "Nieuwe waarneming vanuit de matrixtest.",
        }
    if name.startswith("visibility_"):
        return {"zichtbaarheid": name.removeprefix("visibility_")}
    if name in {"afspraak_politie", "afspraak_ggd"}:
        partner = p[name.removeprefix("afspraak_")]
        return {"omschrijving": "Contact opnemen.", "partner": partner.pk, "deadline": deadline}
    if name.startswith("api_afspraak_"):
        casus_key, owner_key = name.removeprefix("api_afspraak_").split("_")
        return {
            "casus": world.referentie(casus_key),
            "omschrijving": "Contact opnemen.",
            "partner": p[owner_key].pk,
            "deadline": deadline,
        }
    if name == "afspraak_update":
        afspraak = _afspraak_arg(world, op)
        return {
            "uitkomst": "open",
            "uitkomst_toelichting": "",
            "deadline": afspraak.deadline.isoformat(),
            "versie": afspraak.versie,
        }
    if name == "agendering":
        return {"reden": "Graag bespreken in het volgende ketenoverleg."}
    if name == "involve_overig":
        return {
            "partner": p["overig"].pk,
            "reden": "Aanvullende hulpverlening.",
            "grondslag": "wettelijke_taak",
        }
    if name.startswith("remove_"):
        return {"partner": p[name.removeprefix("remove_")].pk}
    # Signals: intake (never identifying attributes: the matrix is about access) and triage.
    if name == "signaal_new":
        return {
            "datum_waargenomen": (today - datetime.timedelta(days=2)).isoformat(),
            "bron": "spreekuur",
            "sector": "club",
            "gemeente": "leeuwarden",
            "niet_pluis": 1,
            "urgentie": "normaal",
            "omschrijving": "Waarneming vanuit de matrixtest.",
            "zichtbaarheid": "regie",
        }
    if name == "link_A":
        return {"referentie": world.referentie("A")}
    if name == "link_missing":
        return {"referentie": MISSING_REFERENTIE}
    if name == "signal_open":
        return {
            "risico": "midden",
            "grondslag": "wettelijke_taak",
            "grondslag_toelichting": "",
            "partners": [p["politie"].pk],
            "reden": "Afstemming tussen hulpverlening en handhaving.",
        }
    if name == "signal_close":
        return {"reden": "Geen aanwijzingen na een gesprek."}
    # Ketenoverleg: the chair's edits and meeting mode.
    if name == "move":
        return {"richting": _move_direction(world, op)}
    if name == "besluit":
        return {
            "formulier": "besluit",
            "besluit": "Besluit vanuit de matrixtest.",
            "besproken": "on",
        }
    if name == "meeting_afspraak_politie":
        return {
            "formulier": "afspraak",
            "omschrijving": "Contact opnemen.",
            "partner": p["politie"].pk,
            "deadline": deadline,
        }
    if name.startswith("meeting_outcome_"):
        afspraak = Afspraak.objects.get(
            pk=world.afspraken[name.removeprefix("meeting_outcome_")].pk
        )
        return {
            "formulier": "uitkomst",
            "afspraak": afspraak.pk,
            "versie": afspraak.versie,
            "uitkomst": "uitgevoerd",
            "uitkomst_toelichting": "",
        }
    if name == "held":
        return {"aanwezig": [p["fier"].pk, p["politie"].pk]}
    # AVG: requests of data subjects and legal holds.
    if name == "verzoek_register":
        return {"ontvangen_op": today.isoformat(), "soort": "inzage"}
    if name.startswith("person_"):
        return dict(PERSONS[name.removeprefix("person_")])
    if name.startswith("erase_confirm_"):
        # The confirmation of the overview its compiler sees now (whoever sends it).
        key = name.removeprefix("erase_confirm_")
        compiler = VERZOEKEN[key].compiled_by
        assert compiler is not None, key
        plan = inzage.erasure_plan(actor=world.users[compiler], verzoek=world.verzoeken[key])
        return {"bevestiging": plan.digest}
    if name.startswith("unlink_"):
        return {"signaal": world.signalen[name.removeprefix("unlink_")].pk}
    if name == "hold_A":
        return {"referentie": world.referentie("A"), "reden": "Lopende procedure."}
    if name == "hold_missing":
        return {"referentie": MISSING_REFERENTIE, "reden": "Lopende procedure."}
    raise AssertionError(f"unknown payload {name!r}")


def send(client: Client, world: World, op: Op, *, csrf_token: str | None = None) -> Any:
    path = path_of(world, op)
    if op.method == "GET":
        query = {
            key: world.referentie(value.removeprefix("ref:")) if value.startswith("ref:") else value
            for key, value in op.query.items()
        }
        return client.get(path, query)
    headers = {"X-CSRFToken": csrf_token} if csrf_token else None
    data = payload(world, op)
    if op.surface == PAGE and op.method == "POST":
        return client.post(path, data, headers=headers)  # a form post
    return client.generic(
        op.method, path, json.dumps(data), content_type="application/json", headers=headers
    )


# --- Comparing answers ------------------------------------------------------------------------


def describe(response: Any) -> str:
    location = response.get("Location")
    return f"{response.status_code}" + (f" -> {location}" if location else "")


def answer_matches(expected: Expected, response: Any, op: Op) -> bool:
    status = response.status_code
    if expected == LOGIN:
        return status == 302 and urlsplit(response["Location"]).path == reverse("account_login")
    if expected == NOT_AUTHENTICATED:
        # DRF's 403 "not authenticated": {"detail": ...} only (the schema and the docs render
        # the same refusal in their own format), never a CSRF failure.
        if status != 403 or b"CSRF" in response.content:
            return False
        return not response["Content-Type"].startswith("application/json") or set(
            response.json()
        ) == {"detail"}
    if expected == 302:
        # A page write that succeeded goes on to its page (the casus, the signal, the meeting,
        # the request, the retention overview), never to the login.
        return status == 302 and urlsplit(response["Location"]).path.startswith(op.redirect)
    return status == expected


@dataclass
class Tally:
    actor: str
    cases: int = 0
    mismatches: list[str] = field(default_factory=list)
    namespaces: Counter[str] = field(default_factory=Counter)

    def check(self, ok: bool, what: str, namespace: str = "(preconditions)") -> None:
        self.cases += 1
        self.namespaces[namespace] += 1
        if not ok:
            self.mismatches.append(f"{self.actor}: {what}")

    def record(self, record_property: Any) -> None:
        record_property("matrix_cases", self.cases)
        record_property("matrix_mismatches", len(self.mismatches))
        record_property("matrix_namespaces", dict(self.namespaces))


def body_of(response: Any) -> str:
    """The answer's text: page, JSON, error page, CSV stream (read once), or PDF bytes."""
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode(errors="replace")
    return response.content.decode(errors="replace")


MARKERS = oracle.all_markers()
# What a reporter sees of a signal whose fate it may not learn (issue 12).
NEUTRAL_STATE = "In behandeling bij de zorgcoördinator"
CASUS_LISTS = frozenset({"list", "api_list"})


def check_no_leak(tally: Tally, actor: Actor, op: Op, body: str) -> None:
    """No answer (page, JSON, error page, export) carries text the actor may not read; a casus
    list carries none at all."""
    readable = frozenset() if op.check in CASUS_LISTS else oracle.readable_markers(actor, op)
    leaked = sorted(marker for marker in MARKERS if marker in body and marker not in readable)
    tally.check(not leaked, f"{op.id}: leaks {leaked}", op.namespace)


def _linked(world: World, key: str) -> str:
    return f'href="{reverse("casussen:detail", args=[world.referentie(key)])}"'


def _check_keys(
    tally: Tally, op: Op, what: str, shown: dict[str, bool], expected: frozenset[str]
) -> None:
    for key, is_shown in shown.items():
        tally.check(
            is_shown == (key in expected), f"{op.id}: {what} {key} shown={is_shown}", op.namespace
        )


def _check_agenda_page(
    tally: Tally, world: World, actor: Actor, op: Op, body: str, meeting: str
) -> None:
    """The agenda (or minutes) redacted: each casus at agenda level by its reference, every
    other item as "Afgeschermd agendapunt" with its number only."""
    shown, shielded = oracle.agenda_lines(actor, meeting)
    _check_keys(
        tally,
        op,
        "agenda casus",
        {key: world.referentie(key) in body for key in CASUSSEN},
        shown,
    )
    count = body.count("Afgeschermd agendapunt")
    tally.check(
        count == shielded, f"{op.id}: {count} shielded items, expected {shielded}", op.namespace
    )


def check_content(
    tally: Tally, world: World, actor: Actor, op: Op, response: Any, body: str
) -> None:
    """Content-level rules on an allowed read: which objects show, redacted how."""
    ns = op.namespace
    refs = op.expect_refs(actor) if op.expect_refs is not None else frozenset()

    def check(ok: bool, what: str) -> None:
        tally.check(ok, f"{op.id}: {what}", ns)

    by_ref = {world.referentie(key): key for key in CASUSSEN}
    if op.check == "list":
        count = response.context["page"].paginator.count
        check(count == len(refs), f"count {count}, expected {len(refs)}")
        _check_keys(tally, op, "casus", {k: _linked(world, k) in body for k in CASUSSEN}, refs)
    elif op.check == "api_list":
        data = response.json()
        listed = {by_ref.get(item["referentie"], item["referentie"]) for item in data["results"]}
        check(data["count"] == len(refs), f"count {data['count']} != {len(refs)}")
        check(listed == refs, f"listed {sorted(listed)}, expected {sorted(refs)}")
    elif op.check == "detail":
        casus = _casus_arg(op)
        for key, bijdrage in BIJDRAGEN.items():
            if bijdrage.casus == casus:
                shown = bijdrage_marker(key) in body
                check(shown == oracle.sees_bijdrage(actor, key), f"bijdrage {key} shown={shown}")
        for key, afspraak in AFSPRAKEN.items():
            if afspraak.casus == casus:
                check(afspraak_marker(key) in body, f"afspraak {key} not shown")
        for key, signaal in SIGNALEN.items():
            if signaal.casus == casus:
                shown = signaal_marker(key) in body
                check(shown == oracle.sees_signaal(actor, key), f"signaal {key} shown={shown}")
    elif op.check == "api_detail":
        referentie = response.json()["referentie"]
        check(referentie == world.referentie(_casus_arg(op)), referentie)
    elif op.check == "api_bijdragen":
        texts = {item["tekst"] for item in response.json()}
        expected_texts = {
            bijdrage_marker(k) for k in oracle.expected_bijdragen(actor, _casus_arg(op))
        }
        check(texts == expected_texts, f"{sorted(texts)} != {sorted(expected_texts)}")
    elif op.check == "api_afspraken":
        texts = {item["omschrijving"] for item in response.json()["results"]}
        expected_texts = {afspraak_marker(k) for k in oracle.expected_afspraken(actor)}
        check(texts == expected_texts, f"{sorted(texts)} != {sorted(expected_texts)}")
    elif op.check == "api_afspraak":
        key = op.args[0].partition(":")[2]
        check(response.json()["omschrijving"] == afspraak_marker(key), "text")
    elif op.check == "afspraak_page":
        key = op.args[-1].partition(":")[2]
        check(afspraak_marker(key) in body, "afspraak text not shown")
    elif op.check in {"signal_list", "signal_inbox"}:
        count = response.context["page"].paginator.count
        check(count == len(refs), f"count {count}, expected {len(refs)}")
        links = {
            key: f'href="{reverse("signalen:detail", args=[signaal.pk])}"' in body
            for key, signaal in world.signalen.items()
        }
        _check_keys(tally, op, "signaal", links, refs)
    elif op.check == "signal_detail":
        key = _key_arg(op, "signaal")
        spec = SIGNALEN[key]
        check(signaal_marker(key) in body, "description not shown")
        hints = "Mogelijke matches" in body
        want_hints = oracle.sees_match_hints(actor) and oracle.has_match_hints(key)
        check(hints == want_hints, f"match hints shown={hints}")
        if spec.casus is not None:
            shown = _linked(world, spec.casus) in body
            check(shown == oracle.sees_casus(actor, spec.casus), f"casus link shown={shown}")
        neutral = NEUTRAL_STATE in body
        check(neutral != oracle.sees_signaal_state(actor, key), f"neutral state shown={neutral}")
    elif op.check == "api_signal_list":
        data = response.json()
        ids = {f"S{world.signalen[k].pk}": k for k in SIGNALEN}
        listed = {ids.get(item["id"], item["id"]) for item in data["results"]}
        check(data["count"] == len(refs), f"count {data['count']} != {len(refs)}")
        check(listed == refs, f"listed {sorted(listed)}, expected {sorted(refs)}")
    elif op.check == "api_signal_detail":
        key = _key_arg(op, "signaal")
        spec = SIGNALEN[key]
        data = response.json()
        check(data["id"] == f"S{world.signalen[key].pk}", f"id {data['id']}")
        check(data["omschrijving"] == signaal_marker(key), "omschrijving")
        # Absent, not empty, for whoever may not see match hints.
        has_hints = "match_hints" in data
        check(has_hints == oracle.sees_match_hints(actor), f"match_hints present={has_hints}")
        if has_hints and oracle.has_match_hints(key):
            check(bool(data["match_hints"]), "match hints empty")
        neutral = data["status"] == "in_behandeling"
        check(neutral != oracle.sees_signaal_state(actor, key), f"status {data['status']}")
        linked = spec.casus
        want_ref = world.referentie(linked) if linked and oracle.sees_casus(actor, linked) else None
        check(data["casus"] == want_ref, f"casus {data['casus']!r}, expected {want_ref!r}")
    elif op.check in {"meeting_list", "api_meeting_list"}:
        if op.check == "meeting_list":
            meetings_shown = {
                key: f'href="{reverse("overleg:detail", args=[meeting.pk])}"' in body
                for key, meeting in world.meetings.items()
            }
        else:
            data = response.json()
            check(data["count"] == len(refs), f"count {data['count']} != {len(refs)}")
            listed = {item["id"] for item in data["results"]}
            meetings_shown = {key: meeting.pk in listed for key, meeting in world.meetings.items()}
        _check_keys(tally, op, "overleg", meetings_shown, refs)
    elif op.check == "agenda":
        _check_agenda_page(tally, world, actor, op, body, op.meeting)
    elif op.check in {"minutes", "minutes_pdf"}:
        if op.check == "minutes_pdf":
            check(response["Content-Type"] == "application/pdf", response["Content-Type"])
        _check_agenda_page(tally, world, actor, op, body, op.meeting)
        for casus in MEETINGS[op.meeting].besluiten:
            shown = oracle.besluit_marker(op.meeting, casus) in body
            want = oracle.sees_besluit(actor, op.meeting, casus)
            check(shown == want, f"besluit {casus} shown={shown}")
    elif op.check == "api_meeting":
        key = _key_arg(op, "overleg")
        check(response.json()["id"] == world.meetings[key].pk, "id")
    elif op.check == "api_agenda":
        lines = response.json()
        agenda_shown, shielded = oracle.agenda_lines(actor, op.meeting)
        listed = {
            by_ref.get(line["referentie"], line["referentie"])
            for line in lines
            if line["soort"] == "casus" and not line["afgeschermd"]
        }
        check(listed == agenda_shown, f"agenda {sorted(listed)}, expected {sorted(agenda_shown)}")
        hidden = [line for line in lines if line["afgeschermd"]]
        check(len(hidden) == shielded, f"{len(hidden)} shielded, expected {shielded}")
        for line in hidden:
            check(set(line) == {"nummer", "soort", "afgeschermd"}, f"shielded line {line}")
    elif op.check == "agendapunt":
        casus = _key_arg(op, "agendapunt").partition("/")[2]
        check(world.referentie(casus) in body, "reference not shown")
    elif op.check == "ics":
        check(response["Content-Type"].startswith("text/calendar"), response["Content-Type"])
        leaked = [key for key in CASUSSEN if world.referentie(key) in body]
        check(not leaked, f"invite names casussen {leaked}")
    elif op.check == "report_pdf":
        check(response["Content-Type"] == "application/pdf", response["Content-Type"])
        person = VERZOEKEN[op.report].person
        check(any(marker in body for marker in oracle.report_scope(person)), "report not in it")
    elif op.check == "csv":
        check(response["Content-Type"].startswith("text/csv"), response["Content-Type"])
    elif op.check == "verzoek_list":
        links = {
            key: f'href="{reverse("avg:verzoek_detail", args=[verzoek.pk])}"' in body
            for key, verzoek in world.verzoeken.items()
        }
        _check_keys(tally, op, "verzoek", links, refs)
    elif op.check == "verzoek_detail":
        person = VERZOEKEN[op.report].person
        report = bool(person) and any(marker in body for marker in oracle.report_scope(person))
        want = bool(person) and oracle.reads_report(actor, op.report)
        check(report == want, f"report shown={report}")
    else:
        assert not op.check, f"unknown check {op.check!r}"


def walk(
    client: Client,
    world: World,
    actor: Actor,
    tally: Tally,
    ops: list[Op],
    csrf_token: str | None = None,
) -> None:
    state = snapshot()
    for op in ops:
        want = oracle.expected(actor, op)
        response = send(client, world, op, csrf_token=csrf_token)
        body = body_of(response)
        path = path_of(world, op)
        matches = answer_matches(want, response, op)
        tally.check(
            matches,
            f"{op.id} [{op.method} {path}]: expected {want}, got {describe(response)}",
            op.namespace,
        )
        check_no_leak(tally, actor, op, body)
        if (op.writes and not op.probe) or op is ops[-1]:
            # Since the last write: only this write may have changed anything (reads included;
            # the probes of methods nobody offers are checked together, after the last one).
            before, state = state, snapshot()
            changed = state != before
            should_change = op.writes and op.changes and want in SUCCESS and matches
            tally.check(
                changed == should_change,
                f"{op.id}: state {'changed' if changed else 'unchanged'} after {describe(response)}",
                op.namespace,
            )
        if want in SUCCESS and matches and op.method == "GET":
            check_content(tally, world, actor, op, response, body)


def sign_in(actor: Actor, world: World, mfa_client: Any, tally: Tally) -> Client:
    """A client for the actor, in the state the matrix describes, with its preconditions."""
    if actor.username is None:
        return Client()
    user = world.users[actor.username]
    client: Client = mfa_client(user)
    if actor.state == oracle.DEACTIVATED:
        before = client.get(reverse("casussen:detail", args=[world.referentie("A")])).status_code
        tally.check(before == 200, f"precondition: sees A before deactivation ({before})")
        partner_services.user_deactivate(user=user)
    elif actor.state == oracle.JUST_REMOVED:
        url = reverse("casussen:detail", args=[world.referentie(REMOVED_FROM)])
        before = client.get(url).status_code
        tally.check(before == 200, f"precondition: sees {REMOVED_FROM} before removal ({before})")
        services.betrokkenheid_remove(
            actor=world.users[OPENED_BY],
            casus=world.casussen[REMOVED_FROM],
            partner=world.partners[REMOVED_PARTNER],
        )
    return client


class _TypesetHtml:
    """Stands in for ``weasyprint.HTML`` in the walk: the "PDF" is the HTML that would be
    typeset, so the leak and redaction checks read what the reader gets, and the walk does not
    spend a second per PDF on fonts (the real rendering is tested with the minutes and the
    access report)."""

    def __init__(self, string: str = "", **kwargs: Any) -> None:
        self.string = string

    def write_pdf(self, **kwargs: Any) -> bytes:
        return b"%PDF-matrix\n" + self.string.encode()


@pytest.fixture(autouse=True)
def _typeset_html(monkeypatch: pytest.MonkeyPatch) -> None:
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _TypesetHtml)


class _NamespaceSummary:
    """Adds the matrix's cases per namespace to the terminal summary (after the per-actor lines
    of tests/casus/conftest.py), from the ``matrix_namespaces`` property of each matrix test."""

    name = "authorization-matrix-namespaces"

    @pytest.hookimpl(trylast=True)
    def pytest_terminal_summary(self, terminalreporter: pytest.TerminalReporter) -> None:
        totals: Counter[str] = Counter()
        for outcome in ("passed", "failed"):
            for report in terminalreporter.stats.get(outcome, []):
                properties = dict(getattr(report, "user_properties", []))
                if report.when == "call" and "matrix_namespaces" in properties:
                    totals.update(properties["matrix_namespaces"])
        if totals:
            terminalreporter.write_line(
                "per namespace: "
                + ", ".join(f"{ns}: {count}" for ns, count in sorted(totals.items()))
            )


@pytest.fixture(autouse=True)
def _namespace_summary(request: pytest.FixtureRequest) -> None:
    manager = request.config.pluginmanager
    if not manager.has_plugin(_NamespaceSummary.name):
        manager.register(_NamespaceSummary(), _NamespaceSummary.name)


# --- The matrix ---------------------------------------------------------------------------------

# The world is built once per module, a little before the instant every test starts at (so all
# its rows are in every walk's past), inside an outer transaction. Each test runs in
# pytest-django's own transaction, which nests inside it as a savepoint and is rolled back to
# it: every walk starts from the same world, without building it again (Django's
# setUpTestData, for pytest).
WORLD_BUILT_AT = TEST_START - datetime.timedelta(minutes=10)


@pytest.fixture(scope="module")
def _module_world(django_db_setup: None, django_db_blocker: Any) -> Iterator[World]:
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with time_machine.travel(WORLD_BUILT_AT, tick=True):
                built = build_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield built
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


@pytest.fixture
def world(_module_world: World, db: None) -> World:
    """The module's world, as a copy: a walk may change the objects it holds in memory."""
    return copy.deepcopy(_module_world)


# CSRF: every write refuses a request without a token (403, nothing changed) even from a user
# who may do it. Together authorised for every write: the coordinator (casus regie, triage,
# reports), a medewerker (its own afspraken and signals), the chair (its meetings) and the FG.
# These actors walk the matrix with a client that enforces CSRF checks: first every write they
# may do without the token, then the whole walk with it, which is the positive control (with the
# token, each write gets the matrix's answer, so the 403 without it was the token's doing).
CSRF_ACTORS = ("coordinator.fier", "medewerker.politie", "voorzitter.gemeente", "fg.gemeente")


def csrf_enforcing(signed_in: Client) -> tuple[Client, str]:
    """The signed-in session in a client that enforces CSRF checks, and its token."""
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    # A page with a form (every page has the sign-out form) sets the CSRF cookie, so the
    # refusals are about the missing token.
    assert client.get(reverse("home")).status_code == 200
    return client, client.cookies[settings.CSRF_COOKIE_NAME].value


def refuse_writes_without_token(client: Client, world: World, actor: Actor, tally: Tally) -> None:
    """Every write the actor may do (it gets past the permission check: success, or a 400 for
    its input) is refused without the token, and all of them together changed nothing (a
    refusal changes nothing, so the walk that follows meets the world as it was)."""
    before = snapshot()
    for op in (op for op in OPS if op.writes and oracle.expected(actor, op) not in REFUSALS):
        refused = send(client, world, op)
        # Django's CSRF failure page, or DRF's {"detail": "CSRF Failed: ..."}. The API docs page
        # renders any error as a bare "403 Forbidden"; the walk with the token (405) shows the
        # refusal was the token's.
        is_csrf_failure = refused.status_code == 403 and (
            b"CSRF" in refused.content or op.url == "api:docs"
        )
        tally.check(is_csrf_failure, f"{op.id} without token: {describe(refused)}", op.namespace)
    tally.check(snapshot() == before, "csrf: the writes without a token changed state")


@pytest.mark.parametrize("actor", ACTORS, ids=lambda actor: actor.key)
def test_authorization_matrix(
    actor: Actor, world: World, mfa_client: Any, record_property: Any
) -> None:
    tally = Tally(actor.key)
    client = sign_in(actor, world, mfa_client, tally)
    token = None
    if actor.key in CSRF_ACTORS:
        client, token = csrf_enforcing(client)
        refuse_writes_without_token(client, world, actor, tally)
    ops = WALK if actor.key in oracle.PROBE_ACTORS else OPS
    walk(client, world, actor, tally, ops, csrf_token=token)
    tally.record(record_property)
    print(f"authorization matrix: {actor.key}: {tally.cases} cases, {len(tally.mismatches)} off")
    assert not tally.mismatches, f"{len(tally.mismatches)} mismatches:\n" + "\n".join(
        tally.mismatches
    )


def test_csrf_actors_are_authorised_for_every_write() -> None:
    """ "Even for an authorised user": for every write URL and method, one of the CSRF actors
    gets past the permission check (success, or a 400 for its input), so its 403 without a
    token is the token's doing."""
    authorised = {
        (op.url, op.method)
        for op in OPS
        for key in CSRF_ACTORS
        if op.writes and oracle.expected(ACTORS_BY_KEY[key], op) not in REFUSALS
    }
    writes = {(op.url, op.method) for op in OPS if op.writes}
    assert writes == authorised, sorted(writes - authorised)


# --- Meta-tests: the table is complete, honest and independent -------------------------------


def _outside_matrix(name: str) -> bool:
    if ":" in name:
        return f"{name.split(':', 1)[0]}:" in OUTSIDE_MATRIX
    return name in OUTSIDE_MATRIX


def test_every_url_has_a_place_in_the_matrix() -> None:
    """Every URL the resolver knows (through every include, the API router and the admin) is
    walked by the matrix or named in OUTSIDE_MATRIX with the tests that walk it instead."""
    names = [name for name, _ in _named_patterns(get_resolver().url_patterns)]
    assert "home" in names and "api:casus-list" in names and "account_login" in names
    nowhere = sorted({name for name in names if not _covered(name) and not _outside_matrix(name)})
    assert not nowhere, (
        f"URLs neither in the authorization matrix nor in OUTSIDE_MATRIX: {nowhere}. Give each "
        f"its rows in tests/casus/matrix_expectations.py (PAGE_METHODS and OPS, with the answer "
        f"every actor must get, PRODUCT.md §5), or a new namespace its place in NAMESPACES."
    )
    both = sorted({name for name in names if _covered(name) and _outside_matrix(name)})
    assert not both, f"in the matrix and in OUTSIDE_MATRIX: {both}"
    stale = sorted(
        key
        for key in OUTSIDE_MATRIX
        if not any(name == key or (key.endswith(":") and name.startswith(key)) for name in names)
    )
    assert not stale, f"OUTSIDE_MATRIX names URLs that no longer exist: {stale}"


def test_every_url_and_api_operation_has_an_entry() -> None:
    urls = covered_urls()
    assert {
        "home",
        "casussen:detail",
        "signalen:inbox",
        "overleg:agendapunt",
        "avg:retention",
        "avg:verzoek_detail",
        "trends:index",
        "fg:register",
        "api:casus-list",
        "api:signaal-koppelen",
        "api:overleg-agenda",
    } <= set(urls)
    assert {name.split(":", 1)[0] for name in urls if ":" in name} == set(NAMESPACES)
    pages_without_methods = sorted(
        name for name in urls if not name.startswith("api:") and name not in PAGE_METHODS
    )
    assert not pages_without_methods, (
        f"Pages without an entry in PAGE_METHODS (tests/casus/matrix_expectations.py): "
        f"{pages_without_methods}. Add the methods they answer and ops with the expected answers."
    )
    required = {(name, method) for name, methods in offered_methods().items() for method in methods}
    covered = {(op.url, op.method) for op in OPS}
    missing = sorted(required - covered - set(oracle.PENDING_OPERATIONS))
    assert not missing, (
        f"URL/API operations without an entry in OPS (tests/casus/matrix_expectations.py): "
        f"{missing}. Add each with the answer every actor must get (PRODUCT.md §5)."
    )


def test_no_stale_entries() -> None:
    offered = offered_methods()
    stale = sorted(
        {(op.url, op.method) for op in OPS if op.method not in offered.get(op.url, frozenset())}
    )
    assert not stale, f"OPS names operations that no longer exist: {stale}"
    assert set(PAGE_METHODS) <= set(covered_urls()), "PAGE_METHODS names URLs that do not exist"
    pending = set(oracle.PENDING_OPERATIONS)
    gone = sorted(
        (url, method) for url, method in pending if method not in offered.get(url, frozenset())
    )
    assert not gone, f"PENDING_OPERATIONS names operations that do not exist: {gone}"
    done = sorted(pending & {(op.url, op.method) for op in OPS})
    assert not done, f"PENDING_OPERATIONS has rows in OPS now; drop them from PENDING: {done}"


def test_op_ids_are_unique_and_every_check_has_what_it_needs() -> None:
    ids = [op.id for op in WALK]
    assert len(ids) == len(set(ids))
    for op in OPS:
        if op.check in {"list", "api_list"}:
            assert op.expect_refs is not None, op.id
        if op.writes and op.surface == "api":
            assert op.payload, op.id


def test_every_role_relation_and_state_is_walked() -> None:
    assert set(ACTORS_BY_KEY) >= oracle.PROBE_ACTORS
    probed = {(ACTORS_BY_KEY[key].state, ACTORS_BY_KEY[key].role) for key in oracle.PROBE_ACTORS}
    assert probed == {(actor.state, actor.role) for actor in ACTORS}, "one prober per state/role"
    states = {actor.state for actor in ACTORS}
    assert states == {oracle.ANONYMOUS, oracle.ACTIVE, oracle.DEACTIVATED, oracle.JUST_REMOVED}
    for role in oracle.ALL_ROLES:
        relations = {
            oracle.involved(actor, casus)
            for actor in ACTORS
            if actor.role == role and actor.state == oracle.ACTIVE
            for casus in CASUSSEN
        }
        assert relations == {True, False}, f"{role}: involved and not involved both needed"
    levels = {spec.level for spec in BIJDRAGEN.values()}
    assert levels == {"keten", "regie", "intern"}


def test_every_op_separates_someone() -> None:
    """An op that allows nobody (other than deliberate IDOR and missing-object probes), or that
    denies nobody signed in, would not test a rule."""
    signed = [actor for actor in ACTORS if oracle.signed_in(actor)]
    for op in OPS:
        answers = {oracle.expected(actor, op) for actor in signed}
        if not op.idor and not op.nobody and "missing" not in op.id:
            assert answers - {404}, f"{op.id}: nobody is allowed"
        if op.url not in oracle.OPEN_TO_EVERY_SIGNED_IN_USER:
            assert 404 in answers, f"{op.id}: nobody is denied"


def test_the_oracle_imports_no_production_code() -> None:
    """The expectation table is written from PRODUCT.md, not derived from the code it checks."""
    here = Path(__file__).parent
    oracle_tree = ast.parse((here / "matrix_expectations.py").read_text())
    oracle_imports = {
        node.module for node in ast.walk(oracle_tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(oracle_tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert oracle_imports <= {"__future__", "collections.abc", "dataclasses"}, oracle_imports
    # The walk and the world builder use services and models, never the policy they check.
    policy_modules = {
        "casus.policy",
        "casus.casussen.selectors",
        "casus.signalen.selectors",
        "casus.overleg.selectors",
        "audit.selectors",
        "partners.policy",
    }
    for module in (Path(__file__), here / "matrix_world.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.ImportFrom):
                names = {f"{node.module}.{alias.name}" for alias in node.names}
                names.add(node.module or "")
                assert not names & policy_modules, (module.name, names)
