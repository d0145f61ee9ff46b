"""The authorization matrix's oracle: who gets what, written by hand from PRODUCT.md §3 and §5.

It describes a small world (partners, users, two casussen with bijdragen and afspraken), the
actors that walk it, every page and API operation under ``casus:`` and ``api:``, and the answer
each actor must get. It deliberately imports no production code (not ``casus.policy``, not
``partners.policy``, not even the models' choices): it is the specification the production
policy is checked against, not a copy of it. ``test_authorization_matrix`` enforces that.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

# --- Roles (PRODUCT.md §3) -----------------------------------------------------------------------

ZORGCOORDINATOR = "zorgcoordinator"
MEDEWERKER = "medewerker"
VOORZITTER = "voorzitter"
PRIVACY_OFFICER = "privacy_officer"
BEHEERDER = "beheerder"
ANALIST = "analist"
ALL_ROLES = (ZORGCOORDINATOR, MEDEWERKER, VOORZITTER, PRIVACY_OFFICER, BEHEERDER, ANALIST)

# §3/§5: privacy_officer, beheerder and analist never get case content, anywhere.
CASE_CONTENT_ROLES = frozenset({ZORGCOORDINATOR, MEDEWERKER, VOORZITTER})

# --- The world -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartnerSpec:
    name: str
    kind: str


PARTNERS: dict[str, PartnerSpec] = {
    "fier": PartnerSpec("Fier", "zorg"),
    "ldh": PartnerSpec("Leger des Heils", "zorg"),
    "ggd": PartnerSpec("GGD Fryslân", "gezondheid"),
    "politie": PartnerSpec("Politie Noord-Nederland", "politie"),
    "gemeente": PartnerSpec("Gemeente Leeuwarden", "gemeente"),
    "overig": PartnerSpec("Stichting Buiten Beeld", "overig"),  # involved in nothing
}


@dataclass(frozen=True)
class CasusSpec:
    involved: tuple[str, ...]  # partner keys, in the order they are involved
    grondslag: str


# Casus A: the chain (zorg, politie, gemeente; Leger des Heils is involved too, and is the
# partner whose involvement is removed in the "just removed" actor's walk). Casus B: health only.
CASUSSEN: dict[str, CasusSpec] = {
    "A": CasusSpec(involved=("fier", "politie", "gemeente", "ldh"), grondslag="wettelijke_taak"),
    "B": CasusSpec(involved=("ggd",), grondslag="wettelijke_taak"),
}
OPENED_BY = "coordinator.fier"  # the zorgcoördinator who opens both casussen

# The partner whose involvement in casus A is removed just before the "just removed" actor's walk.
REMOVED_PARTNER = "ldh"
REMOVED_FROM = "A"


@dataclass(frozen=True)
class UserSpec:
    role: str
    partner: str


USERS: dict[str, UserSpec] = {
    "coordinator.fier": UserSpec(ZORGCOORDINATOR, "fier"),
    "coordinator.ldh": UserSpec(ZORGCOORDINATOR, "ldh"),
    "medewerker.fier": UserSpec(MEDEWERKER, "fier"),
    "medewerker.politie": UserSpec(MEDEWERKER, "politie"),
    "medewerker.ggd": UserSpec(MEDEWERKER, "ggd"),
    "medewerker.gemeente": UserSpec(MEDEWERKER, "gemeente"),
    "medewerker.overig": UserSpec(MEDEWERKER, "overig"),
    "medewerker.ldh": UserSpec(MEDEWERKER, "ldh"),  # the "just removed" actor
    "medewerker.politie.uit": UserSpec(MEDEWERKER, "politie"),  # the deactivated actor
    "voorzitter.gemeente": UserSpec(VOORZITTER, "gemeente"),
    "voorzitter.overig": UserSpec(VOORZITTER, "overig"),
    "fg.gemeente": UserSpec(PRIVACY_OFFICER, "gemeente"),
    "beheer.fier": UserSpec(BEHEERDER, "fier"),
    "beleid.ggd": UserSpec(ANALIST, "ggd"),
}


@dataclass(frozen=True)
class BijdrageSpec:
    casus: str
    author: str  # username
    level: str  # keten | regie | intern

    @property
    def partner(self) -> str:
        return USERS[self.author].partner


# One bijdrage per visibility level from politie, regie and intern from zorg (Fier), and on B
# the health partner's own (GGD may not write `keten` there: no consent) plus a Fier `intern`
# written by the zorgcoördinator.
BIJDRAGEN: dict[str, BijdrageSpec] = {
    "A_POLITIE_KETEN": BijdrageSpec("A", "medewerker.politie", "keten"),
    "A_POLITIE_REGIE": BijdrageSpec("A", "medewerker.politie", "regie"),
    "A_POLITIE_INTERN": BijdrageSpec("A", "medewerker.politie", "intern"),
    "A_FIER_REGIE": BijdrageSpec("A", "medewerker.fier", "regie"),
    "A_FIER_INTERN": BijdrageSpec("A", "medewerker.fier", "intern"),
    "B_GGD_REGIE": BijdrageSpec("B", "medewerker.ggd", "regie"),
    "B_GGD_INTERN": BijdrageSpec("B", "medewerker.ggd", "intern"),
    "B_FIER_INTERN": BijdrageSpec("B", "coordinator.fier", "intern"),
}


@dataclass(frozen=True)
class AfspraakSpec:
    casus: str
    owner: str  # partner key


AFSPRAKEN: dict[str, AfspraakSpec] = {
    "A_POLITIE": AfspraakSpec("A", "politie"),
    "A_GEMEENTE": AfspraakSpec("A", "gemeente"),
    "B_GGD": AfspraakSpec("B", "ggd"),
}


def bijdrage_marker(key: str) -> str:
    """A unique text per bijdrage; no key is a substring of another, no digits (identifier guard)."""
    return f"bijdragetekst_{key.lower()}_einde"


def afspraak_marker(key: str) -> str:
    return f"afspraaktekst_{key.lower()}_einde"


# --- Actors --------------------------------------------------------------------------------------

ANONYMOUS = "anonymous"
ACTIVE = "active"
DEACTIVATED = "deactivated"  # signed in, then deactivated by the beheerder before the walk
JUST_REMOVED = "just_removed"  # signed in, then its partner's involvement in A was removed


@dataclass(frozen=True)
class Actor:
    key: str
    username: str | None = None
    state: str = ACTIVE

    @property
    def role(self) -> str | None:
        return USERS[self.username].role if self.username else None

    @property
    def partner(self) -> str | None:
        return USERS[self.username].partner if self.username else None


ACTORS: tuple[Actor, ...] = (
    Actor("anonymous", None, ANONYMOUS),
    Actor("coordinator.fier", "coordinator.fier"),
    Actor("coordinator.ldh", "coordinator.ldh"),
    Actor("medewerker.fier", "medewerker.fier"),
    Actor("medewerker.politie", "medewerker.politie"),
    Actor("medewerker.ggd", "medewerker.ggd"),
    Actor("medewerker.gemeente", "medewerker.gemeente"),
    Actor("medewerker.overig", "medewerker.overig"),
    Actor("voorzitter.gemeente", "voorzitter.gemeente"),
    Actor("voorzitter.overig", "voorzitter.overig"),
    Actor("fg.gemeente", "fg.gemeente"),
    Actor("beheer.fier", "beheer.fier"),
    Actor("beleid.ggd", "beleid.ggd"),
    Actor("deactivated:medewerker.politie.uit", "medewerker.politie.uit", DEACTIVATED),
    Actor("just_removed:medewerker.ldh", "medewerker.ldh", JUST_REMOVED),
)
ACTORS_BY_KEY = {actor.key: actor for actor in ACTORS}


# --- The rules (PRODUCT.md §3 and §5) ------------------------------------------------------------


def signed_in(actor: Actor) -> bool:
    """A deactivated user's session no longer counts, on the very next request (§5)."""
    return actor.state in {ACTIVE, JUST_REMOVED}


def involved(actor: Actor, casus: str) -> bool:
    """The actor's partner is involved in the casus now (removal takes effect immediately)."""
    if actor.state == JUST_REMOVED and actor.partner == REMOVED_PARTNER and casus == REMOVED_FROM:
        return False
    return actor.partner in CASUSSEN[casus].involved


def reads_case_content(actor: Actor) -> bool:
    return signed_in(actor) and actor.role in CASE_CONTENT_ROLES


def sees_casus(actor: Actor, casus: str) -> bool:
    """§5 Casus: all zorgcoördinatoren; users (medewerker, voorzitter) of involved partners."""
    if not reads_case_content(actor):
        return False
    return actor.role == ZORGCOORDINATOR or involved(actor, casus)


def sees_bijdrage(actor: Actor, key: str) -> bool:
    """§5: keten — everyone who sees the casus; regie — the author's partner (if it sees the
    casus) and zorgcoördinatoren; intern — the author's partner only (if it sees the casus)."""
    bijdrage = BIJDRAGEN[key]
    if not sees_casus(actor, bijdrage.casus):
        return False
    own_partner = actor.partner == bijdrage.partner
    if bijdrage.level == "keten":
        return True
    if bijdrage.level == "regie":
        return own_partner or actor.role == ZORGCOORDINATOR
    return own_partner


def sees_afspraak(actor: Actor, key: str) -> bool:
    """§5 Afspraak: every user who can see the casus."""
    return sees_casus(actor, AFSPRAKEN[key].casus)


def manages(actor: Actor) -> bool:
    """§3: only the zorgcoördinator opens casussen, changes status, involves or removes
    partners; recording afspraken outside a meeting is part of that regie."""
    return signed_in(actor) and actor.role == ZORGCOORDINATOR


def contributes(actor: Actor, casus: str) -> bool:
    """§3: a medewerker contributes to casussen its partner is involved in; the zorgcoördinator
    to every casus (it coordinates them all). The voorzitter has no contribute right."""
    if not sees_casus(actor, casus):
        return False
    return actor.role == ZORGCOORDINATOR or (actor.role == MEDEWERKER and involved(actor, casus))


def requests_agenda(actor: Actor, casus: str) -> bool:
    """§3: "mark a casus agenderen" is the medewerker's (of an involved partner); the
    zorgcoördinator prepares agendas and may too. Not the voorzitter."""
    return contributes(actor, casus)


def updates_afspraak(actor: Actor, key: str) -> bool:
    """§3: a medewerker updates its own partner's afspraken; the zorgcoördinator any (regie).
    The voorzitter records afspraken in the meeting, not through these pages."""
    afspraak = AFSPRAKEN[key]
    if not sees_casus(actor, afspraak.casus):
        return False
    return actor.role == ZORGCOORDINATOR or (
        actor.role == MEDEWERKER and actor.partner == afspraak.owner
    )


def changes_visibility(actor: Actor, key: str) -> bool:
    """§4.3: an author may widen or narrow the visibility of their own contribution."""
    return sees_bijdrage(actor, key) and actor.username == BIJDRAGEN[key].author


def keten_needs_consent(actor: Actor, casus: str) -> bool:
    """Product choice encoded from the code, not spelled out in §5: health information falls
    under medical confidentiality, so a `gezondheid` partner may only share with the whole chain
    (`keten`) when the casus's legal basis is consent (`toestemming`). Otherwise its `keten`
    bijdrage is refused as invalid input (400, nothing saved), not as forbidden."""
    return (
        actor.partner is not None
        and PARTNERS[actor.partner].kind == "gezondheid"
        and CASUSSEN[casus].grondslag != "toestemming"
    )


# --- Expected answers ----------------------------------------------------------------------------

LOGIN = "login"  # a page sends the visitor to /accounts/login/ (302)
NOT_AUTHENTICATED = "not_authenticated"  # the API answers 403 {"detail": ...} without data
NOT_FOUND = 404  # deny is always 404: missing and forbidden look the same
METHOD_NOT_ALLOWED = 405

Expected = int | str
Rule = Callable[[Actor], Expected]


def allowed_if(predicate: Callable[[Actor], bool], ok: int) -> Rule:
    return lambda actor: ok if predicate(actor) else NOT_FOUND


def contribute_rule(casus: str, level: str, ok: int) -> Rule:
    def rule(actor: Actor) -> Expected:
        if not contributes(actor, casus):
            return NOT_FOUND
        if level == "keten" and keten_needs_consent(actor, casus):
            return 400
        return ok

    return rule


def afspraak_for_uninvolved_partner(ok_invalid: int) -> Rule:
    """The zorgcoördinator may record afspraken, but only for a partner involved in the casus:
    an afspraak for another partner is invalid input (it would hand that partner a task in a
    casus it cannot see)."""
    return allowed_if(manages, ok_invalid)


def _everyone_signed_in(actor: Actor) -> bool:
    return signed_in(actor)


def _never(actor: Actor) -> bool:
    return False


# --- The operations ------------------------------------------------------------------------------

# Symbolic arguments, resolved against the world by the test: "A"/"B" (a casus referentie),
# "MISSING" (a referentie that does not exist), "bijdrage:KEY", "afspraak:KEY",
# "afspraak:MISSING".
# Query values "ref:A" become the casus referentie.
PAGE = "page"
API = "api"


@dataclass(frozen=True)
class Op:
    id: str
    url: str  # URL name, namespaced
    method: str
    rule: Rule
    args: tuple[str, ...] = ()
    query: dict[str, str] = field(default_factory=dict)
    payload: str = ""  # name of a payload builder in the test module
    check: str = ""  # content check on a 2xx answer (see the test module)
    expect_refs: Callable[[Actor], frozenset[str]] | None = None  # for list checks
    idor: bool = False  # an object reached through another object: nobody may

    @property
    def surface(self) -> str:
        return API if self.url.startswith("api:") else PAGE

    @property
    def writes(self) -> bool:
        return self.method != "GET"


def visible_refs(actor: Actor) -> frozenset[str]:
    return frozenset(c for c in CASUSSEN if sees_casus(actor, c))


def visible_refs_among(*casussen: str) -> Callable[[Actor], frozenset[str]]:
    return lambda actor: frozenset(c for c in casussen if sees_casus(actor, c))


def visible_and_involved(actor: Actor) -> frozenset[str]:
    return frozenset(c for c in CASUSSEN if sees_casus(actor, c) and involved(actor, c))


read_list = allowed_if(reads_case_content, 200)
manage_page = allowed_if(manages, 302)


def _sees(casus: str) -> Callable[[Actor], bool]:
    return lambda actor: sees_casus(actor, casus)


def _sees_afspraak(key: str) -> Callable[[Actor], bool]:
    return lambda actor: sees_afspraak(actor, key)


def _updates(key: str) -> Callable[[Actor], bool]:
    return lambda actor: updates_afspraak(actor, key)


def _manages_visible(casus: str) -> Callable[[Actor], bool]:
    return lambda actor: manages(actor) and sees_casus(actor, casus)


def _agenda(casus: str) -> Callable[[Actor], bool]:
    return lambda actor: requests_agenda(actor, casus)


def _changes(key: str) -> Callable[[Actor], bool]:
    return lambda actor: changes_visibility(actor, key)


# The walk's order: reads first, then page writes, API writes, and involvement changes last
# (removing B's only partner must not precede the afspraak and bijdrage writes on B).
READS: list[Op] = [
    # Lists, counts and search: only what the actor may see, counted and found.
    Op("list", "casussen:list", "GET", read_list, check="list", expect_refs=visible_refs),
    Op(
        "list zoek=A",
        "casussen:list",
        "GET",
        read_list,
        query={"zoek": "ref:A"},
        check="list",
        expect_refs=visible_refs_among("A"),
    ),
    Op(
        "list zoek=B",
        "casussen:list",
        "GET",
        read_list,
        query={"zoek": "ref:B"},
        check="list",
        expect_refs=visible_refs_among("B"),
    ),
    Op(
        "list zoek=K-",
        "casussen:list",
        "GET",
        read_list,
        query={"zoek": "K-"},
        check="list",
        expect_refs=visible_refs,
    ),
    Op(
        "list eigen",
        "casussen:list",
        "GET",
        read_list,
        query={"eigen": "on"},
        check="list",
        expect_refs=visible_and_involved,
    ),
    Op("detail A", "casussen:detail", "GET", allowed_if(_sees("A"), 200), ("A",), check="detail"),
    Op("detail B", "casussen:detail", "GET", allowed_if(_sees("B"), 200), ("B",), check="detail"),
    Op("detail missing", "casussen:detail", "GET", allowed_if(_never, 200), ("MISSING",)),
    Op("open form", "casussen:open", "GET", allowed_if(manages, 200)),
    Op(
        "afspraak form A/A_POLITIE",
        "casussen:afspraak_update",
        "GET",
        allowed_if(_updates("A_POLITIE"), 200),
        ("A", "afspraak:A_POLITIE"),
        check="afspraak_page",
    ),
    Op(
        "afspraak form A/A_GEMEENTE",
        "casussen:afspraak_update",
        "GET",
        allowed_if(_updates("A_GEMEENTE"), 200),
        ("A", "afspraak:A_GEMEENTE"),
        check="afspraak_page",
    ),
    Op(
        "afspraak form B/B_GGD",
        "casussen:afspraak_update",
        "GET",
        allowed_if(_updates("B_GGD"), 200),
        ("B", "afspraak:B_GGD"),
        check="afspraak_page",
    ),
    Op(
        "IDOR afspraak form B/A_POLITIE",
        "casussen:afspraak_update",
        "GET",
        allowed_if(_never, 200),
        ("B", "afspraak:A_POLITIE"),
        idor=True,
    ),
    Op(
        "IDOR afspraak form A/B_GGD",
        "casussen:afspraak_update",
        "GET",
        allowed_if(_never, 200),
        ("A", "afspraak:B_GGD"),
        idor=True,
    ),
    Op(
        "afspraak form A/missing",
        "casussen:afspraak_update",
        "GET",
        allowed_if(_never, 200),
        ("A", "afspraak:MISSING"),
        idor=True,
    ),
    # API reads.
    Op("api list", "api:casus-list", "GET", read_list, check="api_list", expect_refs=visible_refs),
    Op(
        "api list zoek=A",
        "api:casus-list",
        "GET",
        read_list,
        query={"zoek": "ref:A"},
        check="api_list",
        expect_refs=visible_refs_among("A"),
    ),
    Op(
        "api list zoek=B",
        "api:casus-list",
        "GET",
        read_list,
        query={"zoek": "ref:B"},
        check="api_list",
        expect_refs=visible_refs_among("B"),
    ),
    Op(
        "api detail A",
        "api:casus-detail",
        "GET",
        allowed_if(_sees("A"), 200),
        ("A",),
        check="api_detail",
    ),
    Op(
        "api detail B",
        "api:casus-detail",
        "GET",
        allowed_if(_sees("B"), 200),
        ("B",),
        check="api_detail",
    ),
    Op("api detail missing", "api:casus-detail", "GET", allowed_if(_never, 200), ("MISSING",)),
    Op(
        "api bijdragen A",
        "api:casus-bijdragen",
        "GET",
        allowed_if(_sees("A"), 200),
        ("A",),
        check="api_bijdragen",
    ),
    Op(
        "api bijdragen B",
        "api:casus-bijdragen",
        "GET",
        allowed_if(_sees("B"), 200),
        ("B",),
        check="api_bijdragen",
    ),
    Op("api afspraken", "api:afspraak-list", "GET", read_list, check="api_afspraken"),
    Op(
        "api afspraken open=1",
        "api:afspraak-list",
        "GET",
        read_list,
        query={"open": "1"},
        check="api_afspraken",
    ),
    Op(
        "api afspraak A_POLITIE",
        "api:afspraak-detail",
        "GET",
        allowed_if(_sees_afspraak("A_POLITIE"), 200),
        ("afspraak:A_POLITIE",),
        check="api_afspraak",
    ),
    Op(
        "api afspraak A_GEMEENTE",
        "api:afspraak-detail",
        "GET",
        allowed_if(_sees_afspraak("A_GEMEENTE"), 200),
        ("afspraak:A_GEMEENTE",),
        check="api_afspraak",
    ),
    # IDOR in the flat API: B's afspraak by id, for whoever only sees A.
    Op(
        "api afspraak B_GGD",
        "api:afspraak-detail",
        "GET",
        allowed_if(_sees_afspraak("B_GGD"), 200),
        ("afspraak:B_GGD",),
        check="api_afspraak",
    ),
    Op(
        "api afspraak missing",
        "api:afspraak-detail",
        "GET",
        allowed_if(_never, 200),
        ("afspraak:MISSING",),
        idor=True,
    ),
    # The schema and its docs describe the API, not case content: every signed-in user.
    Op("api schema", "api:schema", "GET", allowed_if(_everyone_signed_in, 200)),
    Op("api docs", "api:docs", "GET", allowed_if(_everyone_signed_in, 200)),
]

PAGE_WRITES: list[Op] = [
    Op("open casus", "casussen:open", "POST", manage_page, payload="casus_open"),
    Op(
        "status A",
        "casussen:status",
        "POST",
        allowed_if(_manages_visible("A"), 302),
        ("A",),
        payload="status",
    ),
    Op(
        "status B",
        "casussen:status",
        "POST",
        allowed_if(_manages_visible("B"), 302),
        ("B",),
        payload="status",
    ),
    Op(
        "bijdrage keten A",
        "casussen:bijdrage_create",
        "POST",
        contribute_rule("A", "keten", 302),
        ("A",),
        payload="bijdrage_keten",
    ),
    Op(
        "bijdrage keten B",
        "casussen:bijdrage_create",
        "POST",
        contribute_rule("B", "keten", 302),
        ("B",),
        payload="bijdrage_keten",
    ),
    Op(
        "bijdrage regie A",
        "casussen:bijdrage_create",
        "POST",
        contribute_rule("A", "regie", 302),
        ("A",),
        payload="bijdrage_regie",
    ),
    Op(
        "bijdrage regie B",
        "casussen:bijdrage_create",
        "POST",
        contribute_rule("B", "regie", 302),
        ("B",),
        payload="bijdrage_regie",
    ),
    Op(
        "bijdrage on missing casus",
        "casussen:bijdrage_create",
        "POST",
        allowed_if(_never, 302),
        ("MISSING",),
        payload="bijdrage_regie",
    ),
    Op(
        "zichtbaarheid A/A_POLITIE_KETEN",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_changes("A_POLITIE_KETEN"), 302),
        ("A", "bijdrage:A_POLITIE_KETEN"),
        payload="visibility_regie",
    ),
    Op(
        "zichtbaarheid A/A_FIER_INTERN",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_changes("A_FIER_INTERN"), 302),
        ("A", "bijdrage:A_FIER_INTERN"),
        payload="visibility_regie",
    ),
    Op(
        "zichtbaarheid B/B_FIER_INTERN",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_changes("B_FIER_INTERN"), 302),
        ("B", "bijdrage:B_FIER_INTERN"),
        payload="visibility_regie",
    ),
    Op(
        "IDOR zichtbaarheid B/A_POLITIE_KETEN",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_never, 302),
        ("B", "bijdrage:A_POLITIE_KETEN"),
        payload="visibility_regie",
        idor=True,
    ),
    Op(
        "IDOR zichtbaarheid A/B_GGD_REGIE",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_never, 302),
        ("A", "bijdrage:B_GGD_REGIE"),
        payload="visibility_intern",
        idor=True,
    ),
    Op(
        "IDOR zichtbaarheid A/B_FIER_INTERN",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_never, 302),
        ("A", "bijdrage:B_FIER_INTERN"),
        payload="visibility_regie",
        idor=True,
    ),
    Op(
        "afspraak A for politie",
        "casussen:afspraak_create",
        "POST",
        allowed_if(_manages_visible("A"), 302),
        ("A",),
        payload="afspraak_politie",
    ),
    Op(
        "afspraak B for ggd",
        "casussen:afspraak_create",
        "POST",
        allowed_if(_manages_visible("B"), 302),
        ("B",),
        payload="afspraak_ggd",
    ),
    Op(
        "afspraak A for ggd (not involved)",
        "casussen:afspraak_create",
        "POST",
        afspraak_for_uninvolved_partner(400),
        ("A",),
        payload="afspraak_ggd",
    ),
    Op(
        "afspraak update A/A_POLITIE",
        "casussen:afspraak_update",
        "POST",
        allowed_if(_updates("A_POLITIE"), 302),
        ("A", "afspraak:A_POLITIE"),
        payload="afspraak_update",
    ),
    Op(
        "afspraak update A/A_GEMEENTE",
        "casussen:afspraak_update",
        "POST",
        allowed_if(_updates("A_GEMEENTE"), 302),
        ("A", "afspraak:A_GEMEENTE"),
        payload="afspraak_update",
    ),
    Op(
        "afspraak update B/B_GGD",
        "casussen:afspraak_update",
        "POST",
        allowed_if(_updates("B_GGD"), 302),
        ("B", "afspraak:B_GGD"),
        payload="afspraak_update",
    ),
    Op(
        "IDOR afspraak update B/A_POLITIE",
        "casussen:afspraak_update",
        "POST",
        allowed_if(_never, 302),
        ("B", "afspraak:A_POLITIE"),
        payload="afspraak_update",
        idor=True,
    ),
    Op(
        "IDOR afspraak update A/B_GGD",
        "casussen:afspraak_update",
        "POST",
        allowed_if(_never, 302),
        ("A", "afspraak:B_GGD"),
        payload="afspraak_update",
        idor=True,
    ),
    Op(
        "agenderen A",
        "casussen:agenderen",
        "POST",
        allowed_if(_agenda("A"), 302),
        ("A",),
        payload="agendering",
    ),
    Op(
        "agenderen B",
        "casussen:agenderen",
        "POST",
        allowed_if(_agenda("B"), 302),
        ("B",),
        payload="agendering",
    ),
]

# Invalid input from someone who may not act is still a 404: permission is decided before the
# input is looked at, so a refusal never depends on (or reveals anything through) validation.
PAGE_INVALID_WRITES: list[Op] = [
    Op("open casus invalid", "casussen:open", "POST", allowed_if(manages, 400), payload="invalid"),
    Op(
        "status A invalid",
        "casussen:status",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "bijdrage A invalid",
        "casussen:bijdrage_create",
        "POST",
        allowed_if(lambda actor: contributes(actor, "A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "zichtbaarheid A/A_POLITIE_KETEN invalid",
        "casussen:bijdrage_visibility",
        "POST",
        allowed_if(_changes("A_POLITIE_KETEN"), 400),
        ("A", "bijdrage:A_POLITIE_KETEN"),
        payload="invalid",
    ),
    Op(
        "afspraak A invalid",
        "casussen:afspraak_create",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "afspraak update A/A_POLITIE invalid",
        "casussen:afspraak_update",
        "POST",
        allowed_if(_updates("A_POLITIE"), 400),
        ("A", "afspraak:A_POLITIE"),
        payload="invalid",
    ),
    Op(
        "agenderen A invalid",
        "casussen:agenderen",
        "POST",
        allowed_if(_agenda("A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "betrek A invalid",
        "casussen:betrokkenheid_add",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "beeindig A invalid",
        "casussen:betrokkenheid_remove",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        ("A",),
        payload="invalid",
    ),
]

API_INVALID_WRITES: list[Op] = [
    Op("api open invalid", "api:casus-list", "POST", allowed_if(manages, 400), payload="invalid"),
    Op(
        "api status A invalid",
        "api:casus-status",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "api bijdrage A invalid",
        "api:casus-bijdragen",
        "POST",
        allowed_if(lambda actor: contributes(actor, "A"), 400),
        ("A",),
        payload="invalid",
    ),
    Op(
        "api afspraak A invalid",
        "api:afspraak-list",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        payload="invalid",
    ),
    Op(
        "api afspraak update A_POLITIE invalid",
        "api:afspraak-detail",
        "PATCH",
        allowed_if(_updates("A_POLITIE"), 400),
        ("afspraak:A_POLITIE",),
        payload="invalid",
    ),
]

API_WRITES: list[Op] = [
    Op("api open casus", "api:casus-list", "POST", allowed_if(manages, 201), payload="api_open"),
    Op(
        "api status A",
        "api:casus-status",
        "POST",
        allowed_if(_manages_visible("A"), 200),
        ("A",),
        payload="status",
    ),
    Op(
        "api status B",
        "api:casus-status",
        "POST",
        allowed_if(_manages_visible("B"), 200),
        ("B",),
        payload="status",
    ),
    Op(
        "api bijdrage keten A",
        "api:casus-bijdragen",
        "POST",
        contribute_rule("A", "keten", 201),
        ("A",),
        payload="bijdrage_keten",
    ),
    Op(
        "api bijdrage keten B",
        "api:casus-bijdragen",
        "POST",
        contribute_rule("B", "keten", 201),
        ("B",),
        payload="bijdrage_keten",
    ),
    Op(
        "api bijdrage regie A",
        "api:casus-bijdragen",
        "POST",
        contribute_rule("A", "regie", 201),
        ("A",),
        payload="bijdrage_regie",
    ),
    Op(
        "api bijdrage regie B",
        "api:casus-bijdragen",
        "POST",
        contribute_rule("B", "regie", 201),
        ("B",),
        payload="bijdrage_regie",
    ),
    Op(
        "api afspraak A for politie",
        "api:afspraak-list",
        "POST",
        allowed_if(_manages_visible("A"), 201),
        payload="api_afspraak_A_politie",
    ),
    Op(
        "api afspraak B for ggd",
        "api:afspraak-list",
        "POST",
        allowed_if(_manages_visible("B"), 201),
        payload="api_afspraak_B_ggd",
    ),
    Op(
        "api afspraak A for ggd (not involved)",
        "api:afspraak-list",
        "POST",
        afspraak_for_uninvolved_partner(400),
        payload="api_afspraak_A_ggd",
    ),
    Op(
        "api afspraak update A_POLITIE",
        "api:afspraak-detail",
        "PATCH",
        allowed_if(_updates("A_POLITIE"), 200),
        ("afspraak:A_POLITIE",),
        payload="afspraak_update",
    ),
    Op(
        "api afspraak update A_GEMEENTE",
        "api:afspraak-detail",
        "PATCH",
        allowed_if(_updates("A_GEMEENTE"), 200),
        ("afspraak:A_GEMEENTE",),
        payload="afspraak_update",
    ),
    Op(
        "api afspraak update B_GGD",
        "api:afspraak-detail",
        "PATCH",
        allowed_if(_updates("B_GGD"), 200),
        ("afspraak:B_GGD",),
        payload="afspraak_update",
    ),
]

INVOLVEMENT_WRITES: list[Op] = [
    Op(
        "betrek overig bij A",
        "casussen:betrokkenheid_add",
        "POST",
        allowed_if(_manages_visible("A"), 302),
        ("A",),
        payload="involve_overig",
    ),
    Op(
        "betrek overig bij B",
        "casussen:betrokkenheid_add",
        "POST",
        allowed_if(_manages_visible("B"), 302),
        ("B",),
        payload="involve_overig",
    ),
    Op(
        "beeindig ldh bij A",
        "casussen:betrokkenheid_remove",
        "POST",
        allowed_if(_manages_visible("A"), 302),
        ("A",),
        payload="remove_ldh",
    ),
    Op(
        "beeindig ggd bij B",
        "casussen:betrokkenheid_remove",
        "POST",
        allowed_if(_manages_visible("B"), 302),
        ("B",),
        payload="remove_ggd",
    ),
]

OPS: list[Op] = (
    READS + PAGE_INVALID_WRITES + PAGE_WRITES + API_INVALID_WRITES + API_WRITES + INVOLVEMENT_WRITES
)

# The HTTP methods each casus page answers. (The API's methods come from the router itself.)
PAGE_METHODS: dict[str, frozenset[str]] = {
    "casussen:list": frozenset({"GET"}),
    "casussen:open": frozenset({"GET", "POST"}),
    "casussen:detail": frozenset({"GET"}),
    "casussen:status": frozenset({"POST"}),
    "casussen:betrokkenheid_add": frozenset({"POST"}),
    "casussen:betrokkenheid_remove": frozenset({"POST"}),
    "casussen:bijdrage_create": frozenset({"POST"}),
    "casussen:bijdrage_visibility": frozenset({"POST"}),
    "casussen:afspraak_create": frozenset({"POST"}),
    "casussen:afspraak_update": frozenset({"GET", "POST"}),
    "casussen:agenderen": frozenset({"POST"}),
    "casussen:toestemming_intrekken": frozenset({"POST"}),
}

# Operations that exist but have no rows yet, each with the reason. Keep this empty: it is only
# for routes that appeared while the matrix was being written. The meta-test fails when an entry
# here gets rows in OPS (drop it then) or no longer exists.
_SIGNALEN_PENDING = (
    "signalen API (casus/api.py SignaalViewSet), added by the signal-intake work while this "
    "matrix was written; its rows (untriaged: author's partner + zorgcoördinatoren; linked: by "
    "visibility level like a bijdrage; match hints: zorgcoördinatoren only) are still to be added"
)
_OVERLEG_PENDING = (
    "ketenoverleg API: its redaction per reader is tested in tests/casus/test_overleg_*.py; "
    "rows in this matrix follow with the meeting world"
)

PENDING_OPERATIONS: dict[tuple[str, str], str] = {
    ("api:signaal-list", "GET"): _SIGNALEN_PENDING,
    ("api:signaal-list", "POST"): _SIGNALEN_PENDING,
    ("api:signaal-detail", "GET"): _SIGNALEN_PENDING,
    ("api:signaal-koppelen", "POST"): _SIGNALEN_PENDING,
    ("api:signaal-casus-openen", "POST"): _SIGNALEN_PENDING,
    ("api:signaal-afsluiten", "POST"): _SIGNALEN_PENDING,
    ("casussen:toestemming_intrekken", "POST"): (
        "consent withdrawal: tested in tests/casus/test_retention.py and test_views.py"
    ),
    ("api:overleg-list", "GET"): _OVERLEG_PENDING,
    ("api:overleg-detail", "GET"): _OVERLEG_PENDING,
    ("api:overleg-agenda", "GET"): _OVERLEG_PENDING,
}

# Methods no entry offers answer 405 Method Not Allowed, but only after the deny-by-default
# checks: anonymous visitors are sent to the login (pages) or refused (API), roles that never
# read case content get 404. A 405 does not depend on the object, so it leaks nothing.
PROBE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PROBE_ARGS: dict[str, tuple[str, ...]] = {
    "casussen:detail": ("A",),
    "casussen:status": ("A",),
    "casussen:betrokkenheid_add": ("A",),
    "casussen:betrokkenheid_remove": ("A",),
    "casussen:bijdrage_create": ("A",),
    "casussen:bijdrage_visibility": ("A", "bijdrage:A_POLITIE_KETEN"),
    "casussen:afspraak_create": ("A",),
    "casussen:afspraak_update": ("A", "afspraak:A_POLITIE"),
    "casussen:agenderen": ("A",),
    "api:casus-detail": ("A",),
    "api:casus-status": ("A",),
    "api:casus-bijdragen": ("A",),
    "api:afspraak-detail": ("afspraak:A_POLITIE",),
}
OPEN_TO_EVERY_SIGNED_IN_USER = frozenset({"api:schema", "api:docs"})
# The answer to a method nobody offers depends only on the actor's state and role, not on its
# partner or the object: one actor per state and role walks the probes (time, not coverage).
PROBE_ACTORS = frozenset(
    {
        "anonymous",
        "deactivated:medewerker.politie.uit",
        "just_removed:medewerker.ldh",
        "coordinator.fier",
        "medewerker.politie",
        "voorzitter.gemeente",
        "fg.gemeente",
        "beheer.fier",
        "beleid.ggd",
    }
)


def unsupported_method_rule(url: str) -> Rule:
    if url in OPEN_TO_EVERY_SIGNED_IN_USER:
        return allowed_if(_everyone_signed_in, METHOD_NOT_ALLOWED)
    return allowed_if(reads_case_content, METHOD_NOT_ALLOWED)


def probe_ops(offered: dict[str, frozenset[str]]) -> list[Op]:
    """One op per (URL, method) that a URL with rows in OPS does not offer."""
    with_rows = {op.url for op in OPS}
    return [
        Op(
            f"unsupported {method} {url}",
            url,
            method,
            unsupported_method_rule(url),
            PROBE_ARGS.get(url, ()),
            payload="empty" if method != "GET" else "",
        )
        for url, methods in sorted(offered.items())
        if url in with_rows
        for method in PROBE_METHODS
        if method not in methods
    ]


def expected(actor: Actor, op: Op) -> Expected:
    """The one answer ``actor`` must get for ``op``."""
    if not signed_in(actor):
        return LOGIN if op.surface == PAGE else NOT_AUTHENTICATED
    return op.rule(actor)


def expected_bijdragen(actor: Actor, casus: str) -> frozenset[str]:
    return frozenset(
        key for key, spec in BIJDRAGEN.items() if spec.casus == casus and sees_bijdrage(actor, key)
    )


def expected_afspraken(actor: Actor) -> frozenset[str]:
    return frozenset(key for key in AFSPRAKEN if sees_afspraak(actor, key))
