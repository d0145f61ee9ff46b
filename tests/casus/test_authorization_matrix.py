"""Authorization matrix: every casus page and API operation, for every actor, relation and level.

The oracle is tests/casus/matrix_expectations.py, written by hand from PRODUCT.md §5; this module
builds the world it describes, signs each actor in through the real MFA flow, walks every
operation (lists, counts, search, detail, nested bijdragen and afspraken reached through another
casus, every write, and the HTTP methods nobody offers) and collects every mismatch, so one run
shows the whole picture. The meta-tests fail when a URL or API operation has no entry, and a
separate walk checks that every write refuses a request without a CSRF token.
"""

from __future__ import annotations

import ast
import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

import pytest

from audit.models import AuditEvent
from casus.casussen import services
from casus.models import (
    Afspraak,
    Agendering,
    Betrokkenheid,
    Bijdrage,
    Casus,
    CasusGroupObjectPermission,
    StatusWijziging,
)
from partners import services as partner_services
from partners.models import Partner, User
from tests.casus import matrix_expectations as oracle
from tests.casus.factories import CasusFactory
from tests.casus.matrix_expectations import (
    ACTORS,
    ACTORS_BY_KEY,
    AFSPRAKEN,
    BIJDRAGEN,
    CASUSSEN,
    LOGIN,
    NOT_AUTHENTICATED,
    OPENED_BY,
    OPS,
    PAGE,
    PAGE_METHODS,
    PARTNERS,
    REMOVED_FROM,
    REMOVED_PARTNER,
    USERS,
    Actor,
    Expected,
    Op,
    afspraak_marker,
    bijdrage_marker,
)
from tests.factories import PartnerFactory, UserFactory

pytestmark = pytest.mark.django_db

NAMESPACES = ("casussen", "api")  # the URL namespaces the matrix must cover completely
MISSING_REFERENTIE = "K-1999-9999"
MISSING_PK = "999999"
SUCCESS = frozenset({200, 201, 302})

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
    "bijdrage.created",
    "bijdrage.visibility_changed",
    "afspraak.created",
    "afspraak.updated",
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


def covered_urls() -> dict[str, Any]:
    """Every URL under the covered namespaces, name -> view callback."""
    return {
        name: callback
        for name, callback in _named_patterns(get_resolver().url_patterns)
        if name.split(":", 1)[0] in NAMESPACES and ":" in name
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


# --- The world ----------------------------------------------------------------------------------


@dataclass
class World:
    partners: dict[str, Partner]
    users: dict[str, User]
    casussen: dict[str, Casus]
    bijdragen: dict[str, Bijdrage]
    afspraken: dict[str, Afspraak]

    def referentie(self, casus: str) -> str:
        return MISSING_REFERENTIE if casus == "MISSING" else self.casussen[casus].referentie


def build_world() -> World:
    """The world of matrix_expectations, built through the services (permissions, audit)."""
    partners = {
        key: PartnerFactory.create(name=spec.name, kind=spec.kind) for key, spec in PARTNERS.items()
    }
    users = {
        username: UserFactory.create(
            username=username, role=spec.role, partner=partners[spec.partner], mfa=True
        )
        for username, spec in USERS.items()
    }
    coordinator = users[OPENED_BY]
    casussen = {
        key: CasusFactory.create(
            coordinator=coordinator,
            partners=[partners[p] for p in spec.involved],
            grondslag=spec.grondslag,
        )
        for key, spec in CASUSSEN.items()
    }
    bijdragen = {
        key: services.bijdrage_create(
            actor=users[spec.author],
            casus=casussen[spec.casus],
            categorie="algemeen",
            zichtbaarheid=spec.level,
            tekst=bijdrage_marker(key),
        )
        for key, spec in BIJDRAGEN.items()
    }
    afspraken = {
        key: services.afspraak_create(
            actor=coordinator,
            casus=casussen[spec.casus],
            omschrijving=afspraak_marker(key),
            partner=partners[spec.owner],
            deadline=timezone.localdate() + datetime.timedelta(days=14),
        )
        for key, spec in AFSPRAKEN.items()
    }
    return World(partners, users, casussen, bijdragen, afspraken)


def snapshot() -> tuple[Any, ...]:
    """Everything a write could change (rows, states, versions, permissions, write events)."""
    return (
        tuple(Casus.objects.order_by("pk").values_list("pk", "status", "risico")),
        tuple(Betrokkenheid.objects.order_by("pk").values_list("pk", "partner", "beeindigd_op")),
        tuple(Bijdrage.objects.order_by("pk").values_list("pk", "zichtbaarheid")),
        tuple(Afspraak.objects.order_by("pk").values_list("pk", "versie", "uitkomst")),
        Agendering.objects.count(),
        StatusWijziging.objects.count(),
        tuple(
            CasusGroupObjectPermission.objects.order_by("pk").values_list("content_object", "group")
        ),
        AuditEvent.objects.filter(action__in=WRITE_AUDIT_ACTIONS).count(),
    )


# --- Requests -----------------------------------------------------------------------------------


def _arg(world: World, arg: str) -> str:
    if arg == "MISSING" or arg in world.casussen:
        return world.referentie(arg)
    kind, _, key = arg.partition(":")
    if key == "MISSING":
        return MISSING_PK
    if kind == "bijdrage":
        return str(world.bijdragen[key].pk)
    if kind == "afspraak":
        return str(world.afspraken[key].pk)
    raise AssertionError(f"unknown argument {arg!r}")


def path_of(world: World, op: Op) -> str:
    return reverse(op.url, args=[_arg(world, arg) for arg in op.args])


def _casus_arg(op: Op) -> str:
    return next(arg for arg in op.args if arg in CASUSSEN or arg == "MISSING")


def _afspraak_arg(world: World, op: Op) -> Afspraak:
    key = next(arg for arg in op.args if arg.startswith("afspraak:")).partition(":")[2]
    return Afspraak.objects.get(pk=world.afspraken[key].pk)  # the current version


def payload(world: World, op: Op) -> dict[str, Any]:
    """The request body of a write, valid unless the op says otherwise, built from the state now."""
    deadline = (timezone.localdate() + datetime.timedelta(days=21)).isoformat()
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
    if name in {"bijdrage_keten", "bijdrage_regie"}:
        return {
            "categorie": "algemeen",
            "zichtbaarheid": name.removeprefix("bijdrage_"),
            "tekst": "Nieuwe waarneming vanuit de matrixtest.",
        }
    if name in {"visibility_regie", "visibility_intern"}:
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


def answer_matches(expected: Expected, response: Any) -> bool:
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
        # A page write that succeeded goes back to the casus, never to the login.
        return status == 302 and urlsplit(response["Location"]).path.startswith("/casussen/")
    return status == expected


@dataclass
class Tally:
    actor: str
    cases: int = 0
    mismatches: list[str] = field(default_factory=list)

    def check(self, ok: bool, what: str) -> None:
        self.cases += 1
        if not ok:
            self.mismatches.append(f"{self.actor}: {what}")


def _body(response: Any) -> str:
    return response.content.decode(errors="replace") if hasattr(response, "content") else ""


def check_no_leak(tally: Tally, actor: Actor, op: Op, response: Any) -> None:
    """No answer (page, JSON, error page) carries text the actor may not read."""
    body = _body(response)
    lists = op.check in {"list", "api_list"}
    leaked = [
        key
        for key in BIJDRAGEN
        if bijdrage_marker(key) in body and (lists or not oracle.sees_bijdrage(actor, key))
    ] + [
        key
        for key in AFSPRAKEN
        if afspraak_marker(key) in body and (lists or not oracle.sees_afspraak(actor, key))
    ]
    tally.check(not leaked, f"{op.id}: leaks {leaked}")


def check_content(tally: Tally, world: World, actor: Actor, op: Op, response: Any) -> None:
    """Content-level rules on an allowed read: which casussen, bijdragen and afspraken show."""
    body = _body(response)
    by_ref = {world.referentie(key): key for key in CASUSSEN}
    if op.check == "list":
        assert op.expect_refs is not None
        refs = op.expect_refs(actor)
        count = response.context["page"].paginator.count
        tally.check(count == len(refs), f"{op.id}: count {count}, expected {len(refs)}")
        for key in CASUSSEN:
            link = reverse("casussen:detail", args=[world.referentie(key)])
            shown = f'href="{link}"' in body
            tally.check(shown == (key in refs), f"{op.id}: casus {key} listed={shown}")
    elif op.check == "api_list":
        assert op.expect_refs is not None
        refs = op.expect_refs(actor)
        data = response.json()
        listed = {by_ref.get(item["referentie"], item["referentie"]) for item in data["results"]}
        tally.check(data["count"] == len(refs), f"{op.id}: count {data['count']} != {len(refs)}")
        tally.check(listed == refs, f"{op.id}: listed {sorted(listed)}, expected {sorted(refs)}")
    elif op.check == "detail":
        casus = _casus_arg(op)
        for key, spec in BIJDRAGEN.items():
            if spec.casus == casus:
                shown = bijdrage_marker(key) in body
                expected = oracle.sees_bijdrage(actor, key)
                tally.check(shown == expected, f"{op.id}: bijdrage {key} shown={shown}")
        for key, afspraak in AFSPRAKEN.items():
            if afspraak.casus == casus:
                tally.check(afspraak_marker(key) in body, f"{op.id}: afspraak {key} not shown")
    elif op.check == "api_detail":
        referentie = response.json()["referentie"]
        tally.check(referentie == world.referentie(_casus_arg(op)), f"{op.id}: {referentie}")
    elif op.check == "api_bijdragen":
        texts = {item["tekst"] for item in response.json()}
        expected_texts = {
            bijdrage_marker(k) for k in oracle.expected_bijdragen(actor, _casus_arg(op))
        }
        tally.check(
            texts == expected_texts, f"{op.id}: {sorted(texts)} != {sorted(expected_texts)}"
        )
    elif op.check == "api_afspraken":
        texts = {item["omschrijving"] for item in response.json()["results"]}
        expected_texts = {afspraak_marker(k) for k in oracle.expected_afspraken(actor)}
        tally.check(
            texts == expected_texts, f"{op.id}: {sorted(texts)} != {sorted(expected_texts)}"
        )
    elif op.check == "api_afspraak":
        key = op.args[0].partition(":")[2]
        tally.check(response.json()["omschrijving"] == afspraak_marker(key), f"{op.id}: text")
    elif op.check == "afspraak_page":
        key = op.args[-1].partition(":")[2]
        tally.check(afspraak_marker(key) in body, f"{op.id}: afspraak text not shown")
    else:
        assert not op.check, f"unknown check {op.check!r}"


def walk(client: Client, world: World, actor: Actor, tally: Tally, ops: list[Op]) -> None:
    state = snapshot()
    for op in ops:
        want = oracle.expected(actor, op)
        response = send(client, world, op)
        path = path_of(world, op)
        matches = answer_matches(want, response)
        tally.check(
            matches, f"{op.id} [{op.method} {path}]: expected {want}, got {describe(response)}"
        )
        check_no_leak(tally, actor, op, response)
        if op.writes or op is ops[-1]:
            # Since the last write: only this write may have changed anything (reads included).
            before, state = state, snapshot()
            changed = state != before
            should_change = op.writes and want in SUCCESS and matches
            tally.check(
                changed == should_change,
                f"{op.id}: state {'changed' if changed else 'unchanged'} after {describe(response)}",
            )
        if want in SUCCESS and matches and op.method == "GET":
            check_content(tally, world, actor, op, response)


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


# --- The matrix ---------------------------------------------------------------------------------


@pytest.mark.parametrize("actor", ACTORS, ids=lambda actor: actor.key)
def test_authorization_matrix(actor: Actor, mfa_client: Any, record_property: Any) -> None:
    world = build_world()
    tally = Tally(actor.key)
    client = sign_in(actor, world, mfa_client, tally)
    walk(client, world, actor, tally, WALK if actor.key in oracle.PROBE_ACTORS else OPS)
    record_property("matrix_cases", tally.cases)
    record_property("matrix_mismatches", len(tally.mismatches))
    print(f"authorization matrix: {actor.key}: {tally.cases} cases, {len(tally.mismatches)} off")
    assert not tally.mismatches, f"{len(tally.mismatches)} mismatches:\n" + "\n".join(
        tally.mismatches
    )


# CSRF: every write refuses a request without a token (403, nothing changed) even from a user
# who may do it; with the token the same request gets the matrix's answer (the positive control).
CSRF_ACTORS = ("coordinator.fier", "medewerker.politie")  # together authorised for every write


@pytest.mark.parametrize("actor_key", CSRF_ACTORS)
def test_every_write_refuses_a_request_without_csrf_token(
    actor_key: str, mfa_client: Any, record_property: Any
) -> None:
    world = build_world()
    actor = ACTORS_BY_KEY[actor_key]
    signed_in = mfa_client(world.users[actor_key])
    client = Client(enforce_csrf_checks=True)
    client.cookies = signed_in.cookies
    # A page with a form sets the CSRF cookie, so the refusals below are about the missing token.
    assert client.get(reverse("casussen:detail", args=[world.referentie("A")])).status_code == 200
    token = client.cookies[settings.CSRF_COOKIE_NAME].value
    tally = Tally(f"csrf:{actor_key}")
    for op in (op for op in OPS if op.writes):
        before = snapshot()
        refused = send(client, world, op)
        # Django's CSRF failure page, or DRF's {"detail": "CSRF Failed: ..."}. The API docs page
        # renders any error as a bare "403 Forbidden"; the request with the token below (405)
        # shows the refusal was the token's.
        is_csrf_failure = refused.status_code == 403 and (
            b"CSRF" in refused.content or op.url == "api:docs"
        )
        tally.check(is_csrf_failure, f"{op.id} without token: {describe(refused)}")
        tally.check(snapshot() == before, f"{op.id} without token changed state")
        want = oracle.expected(actor, op)
        response = send(client, world, op, csrf_token=token)
        tally.check(
            answer_matches(want, response),
            f"{op.id} with token: expected {want}, got {describe(response)}",
        )
    record_property("matrix_cases", tally.cases)
    record_property("matrix_mismatches", len(tally.mismatches))
    assert not tally.mismatches, "\n".join(tally.mismatches)


def test_csrf_actors_are_authorised_for_every_write() -> None:
    """ "Even for an authorised user": for every write URL and method, one of the CSRF actors
    may really do it, so its 403 without a token is the token's doing."""
    authorised = {
        (op.url, op.method)
        for op in OPS
        for key in CSRF_ACTORS
        if op.writes and oracle.expected(ACTORS_BY_KEY[key], op) in SUCCESS
    }
    writes = {(op.url, op.method) for op in OPS if op.writes}
    assert writes == authorised, sorted(writes - authorised)


# --- Meta-tests: the table is complete, honest and independent -------------------------------


def test_every_url_and_api_operation_has_an_entry() -> None:
    urls = covered_urls()
    assert {"casussen:list", "casussen:detail", "api:casus-list", "api:afspraak-detail"} <= set(
        urls
    )
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
        if not op.idor and "missing" not in op.id:
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
    test_tree = ast.parse(Path(__file__).read_text())
    policy_modules = {
        "casus.policy",
        "casus.casussen.selectors",
        "casus.signalen.selectors",
        "casus.overleg.selectors",
        "partners.policy",
    }
    for node in ast.walk(test_tree):
        if isinstance(node, ast.ImportFrom):
            names = {f"{node.module}.{alias.name}" for alias in node.names} | {node.module or ""}
            assert not names & policy_modules, names
