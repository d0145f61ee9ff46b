"""The authorization matrix's oracle: who gets what, written by hand from PRODUCT.md §3 and §5.

It describes a small world (partners, users, four casussen with bijdragen, afspraken and
signals, two overleg series with meetings in every state, requests of data subjects and a legal
hold), the actors that walk it, every page and API operation of the ``casussen:``,
``signalen:``, ``overleg:``, ``avg:``, ``trends:``, ``fg:`` and ``api:`` namespaces and the root
``home`` page, and the answer each actor must get. It deliberately imports no production code
(not ``casus.policy``, not ``partners.policy``, not even the models' choices): it is the
specification the production policy is checked against, not a copy of it.
``test_authorization_matrix`` enforces that.

Where PRODUCT.md is silent the oracle makes a choice and says so in the docstring of the rule
("oracle choice"); where a newer issue changed a rule (PRODUCT.md: the issue wins), the rule
names the issue; everything else is a rule of §3/§5 spelled out. Every other URL of the
resolver (the account pages, /healthz, the admin) is named in the test module's OUTSIDE_MATRIX
with the tests that walk it.
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
# Casus C and D: health and police together, C without the person's consent and D with it (a
# GGD signal shared with the whole chain reaches the police only in D: "GGD gaat niet met politie
# mee"); D is also the casus whose consent is withdrawn.
CASUSSEN: dict[str, CasusSpec] = {
    "A": CasusSpec(involved=("fier", "politie", "gemeente", "ldh"), grondslag="wettelijke_taak"),
    "B": CasusSpec(involved=("ggd",), grondslag="wettelijke_taak"),
    "C": CasusSpec(involved=("ggd", "politie"), grondslag="wettelijke_taak"),
    "D": CasusSpec(involved=("ggd", "politie"), grondslag="toestemming"),
}
OPENED_BY = "coordinator.fier"  # the zorgcoördinator who opens every casus

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


@dataclass(frozen=True)
class SignaalSpec:
    author: str  # username
    level: str  # the visibility the reporter chose: keten | regie | intern
    casus: str | None = None  # linked to this casus by the zorgcoördinator
    closed: bool = False  # closed by the zorgcoördinator as "geen vervolg" (no casus)
    person: str = ""  # the person it is about (the world builder holds the attributes)

    @property
    def partner(self) -> str:
        return USERS[self.author].partner

    @property
    def untriaged(self) -> bool:
        return self.casus is None and not self.closed


# Linked signals mirror the bijdragen (one per level from politie on A), plus: a Leger des Heils
# `intern` signal on A (its partner's involvement is removed in the "just removed" walk), GGD
# `keten` signals on C (no consent) and D (consent), and a Gemeente `keten` signal linked to B,
# a casus its partner is not involved in (§5: a linked signal is read like a bijdrage on its
# casus; issue 12: its reporting partner keeps it, in a neutral state). Untriaged: a Leger des Heils signal about the
# same person P1 as the politie `keten` signal on A (so it carries a match hint), and one target
# per triage write (each write consumes its signal). Closed: a Gemeente signal about person P2.
# Submitted in this order (a match hint goes on the later signal of the pair).
SIGNALEN: dict[str, SignaalSpec] = {
    "S_POLITIE_KETEN_A": SignaalSpec("medewerker.politie", "keten", casus="A", person="P1"),
    "S_POLITIE_REGIE_A": SignaalSpec("medewerker.politie", "regie", casus="A"),
    "S_POLITIE_INTERN_A": SignaalSpec("medewerker.politie", "intern", casus="A"),
    "S_LDH_INTERN_A": SignaalSpec("medewerker.ldh", "intern", casus="A"),
    "S_GGD_KETEN_C": SignaalSpec("medewerker.ggd", "keten", casus="C"),
    "S_GGD_KETEN_D": SignaalSpec("medewerker.ggd", "keten", casus="D"),
    "S_GEMEENTE_KETEN_B": SignaalSpec("medewerker.gemeente", "keten", casus="B"),
    "S_LDH_NIEUW": SignaalSpec("medewerker.ldh", "keten", person="P1"),
    "S_GEMEENTE_GEEN_VERVOLG": SignaalSpec(
        "medewerker.gemeente", "keten", closed=True, person="P2"
    ),
    "T_LINK": SignaalSpec("medewerker.fier", "keten"),
    "T_OPEN": SignaalSpec("medewerker.fier", "keten"),
    "T_CLOSE": SignaalSpec("medewerker.fier", "keten"),
    "T_API_LINK": SignaalSpec("medewerker.fier", "keten"),
    "T_API_OPEN": SignaalSpec("medewerker.fier", "keten"),
    "T_API_CLOSE": SignaalSpec("medewerker.fier", "keten"),
}
TRIAGE_TARGETS = frozenset(key for key in SIGNALEN if key.startswith("T_"))


def has_match_hints(key: str) -> bool:
    """A signal about a person an earlier signal is about too carries a hint (to the earlier)."""
    person = SIGNALEN[key].person
    earlier = list(SIGNALEN)[: list(SIGNALEN).index(key)]
    return bool(person) and any(SIGNALEN[other].person == person for other in earlier)


def signaal_marker(key: str) -> str:
    return f"signaaltekst_{key.lower()}_einde"


@dataclass(frozen=True)
class SerieSpec:
    chair: str  # username of the voorzitter
    invited: tuple[str, ...]  # partner keys


# The ketenoverleg of the region (every partner but "overig" invited), and a second series
# chaired by the voorzitter of the uninvolved partner, to which only Fier and Politie come.
SERIES: dict[str, SerieSpec] = {
    "LWD": SerieSpec("voorzitter.gemeente", ("fier", "politie", "gemeente", "ggd", "ldh")),
    "ELDERS": SerieSpec("voorzitter.overig", ("fier", "politie")),
}


@dataclass(frozen=True)
class MeetingSpec:
    serie: str
    status: str  # gehouden | agenda_definitief | agenda_concept
    weeks: int  # date relative to now, in weeks
    agenda: tuple[str, ...]  # the casussen on its agenda (besides the fixed sections)
    besluiten: tuple[str, ...] = ()  # casussen whose item has a recorded besluit


MEETINGS: dict[str, MeetingSpec] = {
    "GEHOUDEN": MeetingSpec("LWD", "gehouden", -4, ("A", "B"), besluiten=("A", "B")),
    "DEFINITIEF": MeetingSpec("LWD", "agenda_definitief", 1, ("A", "B")),
    "CONCEPT": MeetingSpec("LWD", "agenda_concept", 3, ("A", "B")),
    "ELDERS": MeetingSpec("ELDERS", "agenda_concept", 2, ("A",)),
}


def besluit_marker(meeting: str, casus: str) -> str:
    return f"besluittekst_{meeting.lower()}_{casus.lower()}_einde"


@dataclass(frozen=True)
class VerzoekSpec:
    soort: str  # inzage | rectificatie | wissing
    compiled_by: str | None = None  # the zorgcoördinator who compiled the report
    person: str = ""  # whose identifying data it was compiled with


# Registered by the FG. NIEUW is compiled during the walk; SAMENGESTELD (person P1: the Leger
# des Heils signal, the politie signal and so casus A) and WISSING (person P2: the closed signal)
# were compiled by coordinator.fier.
VERZOEKEN: dict[str, VerzoekSpec] = {
    "NIEUW": VerzoekSpec("inzage"),
    "SAMENGESTELD": VerzoekSpec("inzage", compiled_by="coordinator.fier", person="P1"),
    "WISSING": VerzoekSpec("wissing", compiled_by="coordinator.fier", person="P2"),
}
FG_USER = "fg.gemeente"  # registers the requests and sets the legal hold

# Active legal holds, set by the FG: one on casus B.
HOLDS: dict[str, str] = {"B": "B"}  # key -> casus


def report_scope(person: str) -> frozenset[str]:
    """The markers an art. 15 report about ``person`` holds: its signals, and every bijdrage and
    afspraak of their casussen (all data held, PRODUCT.md §6)."""
    signalen = {key for key, spec in SIGNALEN.items() if spec.person == person}
    casussen = {SIGNALEN[key].casus for key in signalen} - {None}
    return frozenset(
        {signaal_marker(key) for key in signalen}
        | {bijdrage_marker(k) for k, spec in BIJDRAGEN.items() if spec.casus in casussen}
        | {afspraak_marker(k) for k, spec in AFSPRAKEN.items() if spec.casus in casussen}
    )


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


def _health_without_consent(partner: str | None, casus: str) -> bool:
    return (
        partner is not None
        and PARTNERS[partner].kind == "gezondheid"
        and CASUSSEN[casus].grondslag != "toestemming"
    )


def keten_needs_consent(actor: Actor, casus: str) -> bool:
    """§5 "Signaal or Bijdrage of a gezondheid partner": never beyond `regie` unless the casus's
    legal basis is `toestemming`. Writing a `keten` text as a health partner in a casus without
    consent is refused as invalid input (400, nothing saved), not as forbidden."""
    return _health_without_consent(actor.partner, casus)


# --- Signals (§4.1, §4.2, §5) ---------------------------------------------------------------------


def effective_level(spec: SignaalSpec) -> str:
    """§5: a health partner's signal goes no further than `regie` without the person's consent,
    whatever level the reporter ticked."""
    assert spec.casus is not None
    if spec.level == "keten" and _health_without_consent(spec.partner, spec.casus):
        return "regie"
    return spec.level


def sees_signaal(actor: Actor, key: str) -> bool:
    """§5: a signal not linked to a casus — its author's partner and every zorgcoördinator
    (untriaged; oracle choice: one closed as "geen vervolg" stays so until it is purged); a
    linked signal — like a bijdrage of its author's partner on that casus, at its level (so only
    for users who can see the casus: removing the partner's involvement removes its access).

    Issue 12 (side channels; newer than PRODUCT.md, so it wins there): the reporting partner
    keeps its own signals, whatever became of them — also one linked to a casus it is not (or
    no longer) involved in. What it learns of their fate is ``sees_signaal_state``."""
    spec = SIGNALEN[key]
    if not reads_case_content(actor):
        return False
    own_partner = actor.partner == spec.partner
    if own_partner:
        return True
    if spec.casus is None:
        return actor.role == ZORGCOORDINATOR
    if not sees_casus(actor, spec.casus):
        return False
    level = effective_level(spec)
    if level == "keten":
        return True
    if level == "regie":
        return actor.role == ZORGCOORDINATOR
    return False


def sees_signaal_state(actor: Actor, key: str) -> bool:
    """Issue 12: what became of a signal (new, linked and to which casus, no follow-up) is for
    the zorgcoördinator, and for a user who sees the casus it was linked to. Everyone else who
    sees the signal (its reporting partner) sees one neutral state ("In behandeling bij de
    zorgcoördinator"), so it learns neither that the person is known in a casus it is not in
    nor how the coordinator judged it."""
    spec = SIGNALEN[key]
    if not sees_signaal(actor, key):
        return False
    if actor.role == ZORGCOORDINATOR:
        return True
    return spec.casus is not None and sees_casus(actor, spec.casus)


def submits(actor: Actor) -> bool:
    """§3: a medewerker submits signals; oracle choice: so does the zorgcoördinator (a Fier
    worker who hears something reports it too). Not the voorzitter, nor the three roles that
    never read case content."""
    return signed_in(actor) and actor.role in {MEDEWERKER, ZORGCOORDINATOR}


def triages(actor: Actor) -> bool:
    """§3/§4.2: the zorgcoördinator triages incoming signals (its inbox, link, open, close)."""
    return signed_in(actor) and actor.role == ZORGCOORDINATOR


def sees_match_hints(actor: Actor) -> bool:
    """§5/§6: match hints are for zorgcoördinatoren only."""
    return triages(actor)


def changes_signaal_visibility(actor: Actor, key: str) -> bool:
    """§4.3 for signals: the author of a linked signal may widen or narrow who reads it there."""
    spec = SIGNALEN[key]
    if spec.casus is None or not sees_casus(actor, spec.casus):
        return False
    return sees_signaal(actor, key) and actor.username == spec.author


def own_signals(actor: Actor) -> frozenset[str]:
    """The reporter's list: the signals of its own partner that it may see."""
    return frozenset(
        k
        for k, spec in SIGNALEN.items()
        if spec.partner == actor.partner and sees_signaal(actor, k)
    )


def inbox_signals(actor: Actor) -> frozenset[str]:
    """The triage inbox: every untriaged signal, for the zorgcoördinator; empty for others."""
    if not triages(actor):
        return frozenset()
    return frozenset(k for k, spec in SIGNALEN.items() if spec.untriaged)


# --- Ketenoverleg (§3, §4.4, §5) ----------------------------------------------------------------


def chairs(actor: Actor, meeting: str) -> bool:
    """The meeting's voorzitter, in that role."""
    return (
        signed_in(actor)
        and actor.role == VOORZITTER
        and actor.username == SERIES[MEETINGS[meeting].serie].chair
    )


def plans_meetings(actor: Actor) -> bool:
    """Issue 11 / §7: the voorzitter and the zorgcoördinator plan series and meetings."""
    return signed_in(actor) and actor.role in (VOORZITTER, ZORGCOORDINATOR)


def cancels(actor: Actor, meeting: str) -> bool:
    """Oracle choice: a meeting that has not been held is cancelled by its chair or by the
    zorgcoördinator (who may see every meeting)."""
    return sees_meeting(actor, meeting) and (chairs(actor, meeting) or manages(actor))


def sees_meeting(actor: Actor, meeting: str) -> bool:
    """§4.4 "each attendee sees it redacted to its own rights": content readers of the invited
    partners, the meeting's voorzitter, and the zorgcoördinatoren (who prepare agendas, §3)."""
    if not reads_case_content(actor):
        return False
    invited = actor.partner in SERIES[MEETINGS[meeting].serie].invited
    return actor.role == ZORGCOORDINATOR or invited or chairs(actor, meeting)


def agenda_level(actor: Actor, meeting: str, casus: str) -> bool:
    """§5: a casus at agenda level (reference, reasons, risk, involved partners, open afspraken)
    for whoever sees the casus, and additionally for the voorzitter of the meeting it is on;
    everyone else sees "Afgeschermd agendapunt" with its number only."""
    return sees_casus(actor, casus) or chairs(actor, meeting)


def sees_besluit(actor: Actor, meeting: str, casus: str) -> bool:
    """A besluit on a casus is case content: for whoever sees the casus. Oracle choice: and for
    the meeting's voorzitter, who records the besluiten (§3) and so wrote it."""
    return sees_casus(actor, casus) or chairs(actor, meeting)


def generates(actor: Actor, meeting: str) -> bool:
    """§3/§4.4: the voorzitter runs its meeting, the zorgcoördinator prepares agendas: both may
    have the concept agenda generated now."""
    return chairs(actor, meeting) or (triages(actor) and sees_meeting(actor, meeting))


def visible_meetings(actor: Actor) -> frozenset[str]:
    return frozenset(m for m in MEETINGS if sees_meeting(actor, m))


def agenda_lines(actor: Actor, meeting: str) -> tuple[frozenset[str], int]:
    """(casussen shown at agenda level, number of shielded items) of the meeting's agenda."""
    casussen = MEETINGS[meeting].agenda
    shown = frozenset(c for c in casussen if agenda_level(actor, meeting, c))
    return shown, len(casussen) - len(shown)


# --- Requests of data subjects, retention, trends, the FG (§3, §4.5, §5, §6) --------------------


def privacy_officer(actor: Actor) -> bool:
    """§5: audit and access logs, retention reports, processing register: privacy_officer only."""
    return signed_in(actor) and actor.role == PRIVACY_OFFICER


def handles_verzoeken(actor: Actor) -> bool:
    """§4.5/§5: the FG registers and tracks requests; a zorgcoördinator compiles the report."""
    return signed_in(actor) and actor.role in {PRIVACY_OFFICER, ZORGCOORDINATOR}


def compiles(actor: Actor, verzoek: str) -> bool:
    """The zorgcoördinator who compiles the report: any, until one did; then only that one."""
    compiled_by = VERZOEKEN[verzoek].compiled_by
    return triages(actor) and compiled_by in {None, actor.username}


def reads_report(actor: Actor, verzoek: str) -> bool:
    """§5 Art. 15 report: the content is for the zorgcoördinator who compiled it, never the FG's."""
    return triages(actor) and VERZOEKEN[verzoek].compiled_by == actor.username


def closes_verzoek(actor: Actor, verzoek: str) -> bool:
    """The FG tracks the request to its end; oracle choice: its compiler may close it too."""
    return privacy_officer(actor) or reads_report(actor, verzoek)


def sees_trends(actor: Actor) -> bool:
    """§5 Trend statistics: analist, voorzitter, zorgcoördinator."""
    return signed_in(actor) and actor.role in {ANALIST, VOORZITTER, ZORGCOORDINATOR}


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

# Symbolic arguments, resolved against the world by the test: "A".."D" (a casus referentie),
# "MISSING" (a referentie that does not exist), "bijdrage:KEY", "afspraak:KEY", "signaal:KEY",
# "overleg:MEETING", "agendapunt:MEETING/CASUS" (the item of that casus on that meeting's
# agenda), "verzoek:KEY", "hold:KEY", "user:USERNAME", and "<kind>:MISSING" for each.
# Query values "ref:A" become the casus referentie.
PAGE = "page"
API = "api"


@dataclass(frozen=True)
class Op:
    id: str
    url: str  # URL name, namespaced ("home" for the root page)
    method: str
    rule: Rule
    args: tuple[str, ...] = ()
    query: dict[str, str] = field(default_factory=dict)
    payload: str = ""  # name of a payload builder in the test module
    check: str = ""  # content check on a 2xx answer (see the test module)
    expect_refs: Callable[[Actor], frozenset[str]] | None = None  # keys a list check expects
    idor: bool = False  # an object reached through another object: nobody may
    nobody: bool = False  # a deliberate probe nobody passes (missing or out-of-bounds object)
    redirect: str = "/casussen/"  # a successful page write redirects under this path
    changes: bool = True  # False: the success answer reports an error, nothing changes
    meeting: str = ""  # the meeting whose (redacted) agenda the answer shows
    report: str = ""  # the request (verzoek) whose report the answer may show its compiler
    probe: bool = False  # a method the URL does not offer (see probe_ops)

    @property
    def surface(self) -> str:
        return API if self.url.startswith("api:") else PAGE

    @property
    def writes(self) -> bool:
        return self.method != "GET"

    @property
    def namespace(self) -> str:
        return self.url.split(":", 1)[0] if ":" in self.url else "(root)"


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


def _sees_signaal(key: str) -> Callable[[Actor], bool]:
    return lambda actor: sees_signaal(actor, key)


def _triages_visible(key: str) -> Callable[[Actor], bool]:
    """Triage of a signal: the zorgcoördinator, on a signal it may see."""
    return lambda actor: triages(actor) and sees_signaal(actor, key)


def _changes_signaal(key: str) -> Callable[[Actor], bool]:
    return lambda actor: changes_signaal_visibility(actor, key)


def _sees_meeting(meeting: str) -> Callable[[Actor], bool]:
    return lambda actor: sees_meeting(actor, meeting)


def _chairs(meeting: str) -> Callable[[Actor], bool]:
    return lambda actor: chairs(actor, meeting)


def _generates(meeting: str) -> Callable[[Actor], bool]:
    return lambda actor: generates(actor, meeting)


def _compiles(verzoek: str) -> Callable[[Actor], bool]:
    return lambda actor: compiles(actor, verzoek)


def _reads_report(verzoek: str) -> Callable[[Actor], bool]:
    return lambda actor: reads_report(actor, verzoek)


def _closes(verzoek: str) -> Callable[[Actor], bool]:
    return lambda actor: closes_verzoek(actor, verzoek)


def signaal_visibility_rule(key: str, level: str, ok: int) -> Rule:
    """The author changes its linked signal's level; `keten` for a health partner's signal in a
    casus without consent is invalid input (§5), like for a bijdrage."""

    def rule(actor: Actor) -> Expected:
        if not changes_signaal_visibility(actor, key):
            return NOT_FOUND
        casus = SIGNALEN[key].casus
        assert casus is not None
        if level == "keten" and keten_needs_consent(actor, casus):
            return 400
        return ok

    return rule


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
    Op("detail C", "casussen:detail", "GET", allowed_if(_sees("C"), 200), ("C",), check="detail"),
    Op("detail D", "casussen:detail", "GET", allowed_if(_sees("D"), 200), ("D",), check="detail"),
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
    # Issue 11: the coordinator's case actions (risk with a reason, facts, closing proposal).
    *[
        Op(
            f"{name} {casus}",
            f"casussen:{name}",
            "POST",
            allowed_if(_manages_visible(casus), 302),
            (casus,),
            payload=name,
        )
        for name in ("risico", "gegevens", "afsluitvoorstel")
        for casus in ("A", "B")
    ],
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
    # §6: consent withdrawal is recorded by the zorgcoördinator and closes the casus. On a casus
    # that does not rest on consent it is refused with a message on the casus page (a redirect,
    # nothing changed).
    Op(
        "toestemming ingetrokken A (geen toestemming)",
        "casussen:toestemming_intrekken",
        "POST",
        allowed_if(_manages_visible("A"), 302),
        ("A",),
        changes=False,
    ),
    Op(
        "toestemming ingetrokken D",
        "casussen:toestemming_intrekken",
        "POST",
        allowed_if(_manages_visible("D"), 302),
        ("D",),
    ),
    Op(
        "toestemming ingetrokken missing",
        "casussen:toestemming_intrekken",
        "POST",
        allowed_if(_never, 302),
        ("MISSING",),
    ),
]

# Invalid input from someone who may not act is still a 404: permission is decided before the
# input is looked at, so a refusal never depends on (or reveals anything through) validation.
PAGE_INVALID_WRITES: list[Op] = [
    Op("open casus invalid", "casussen:open", "POST", allowed_if(manages, 400), payload="invalid"),
    *[
        Op(
            f"{name} A invalid",
            f"casussen:{name}",
            "POST",
            allowed_if(_manages_visible("A"), 400),
            ("A",),
            payload="invalid",
        )
        for name in ("risico", "gegevens")
    ],
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
    Op(
        "api risico A invalid",
        "api:casus-risico",
        "POST",
        allowed_if(_manages_visible("A"), 400),
        ("A",),
        payload="invalid",
    ),
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
    *[
        Op(
            f"api {name} {casus}",
            f"api:casus-{name}",
            "POST",
            allowed_if(_manages_visible(casus), 200),
            (casus,),
            payload=name,
        )
        for name in ("risico", "afsluitvoorstel")
        for casus in ("A", "B")
    ],
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

# --- Signals: intake, the reporter's list, the coordinator's inbox and triage -------------------

_READ_SIGNALS = [key for key in SIGNALEN if key not in TRIAGE_TARGETS]

SIGNAL_READS: list[Op] = [
    Op(
        "signalen",
        "signalen:list",
        "GET",
        read_list,
        check="signal_list",
        expect_refs=own_signals,
    ),
    Op(
        "signalen inbox",
        "signalen:inbox",
        "GET",
        allowed_if(triages, 200),
        check="signal_inbox",
        expect_refs=inbox_signals,
    ),
    *(
        Op(
            f"signaal {key}",
            "signalen:detail",
            "GET",
            allowed_if(_sees_signaal(key), 200),
            (f"signaal:{key}",),
            check="signal_detail",
        )
        for key in _READ_SIGNALS
    ),
    Op("signaal missing", "signalen:detail", "GET", allowed_if(_never, 200), ("signaal:MISSING",)),
    Op("signaal melden form", "signalen:new", "GET", allowed_if(submits, 200)),
    Op(
        "api signalen",
        "api:signaal-list",
        "GET",
        read_list,
        check="api_signal_list",
        expect_refs=own_signals,
    ),
    # The API's inbox is a filter of the list: for whoever does not triage it is empty.
    Op(
        "api signalen inbox=1",
        "api:signaal-list",
        "GET",
        read_list,
        query={"inbox": "1"},
        check="api_signal_list",
        expect_refs=inbox_signals,
    ),
    *(
        Op(
            f"api signaal {key}",
            "api:signaal-detail",
            "GET",
            allowed_if(_sees_signaal(key), 200),
            (f"signaal:{key}",),
            check="api_signal_detail",
        )
        for key in _READ_SIGNALS
    ),
    Op(
        "api signaal missing",
        "api:signaal-detail",
        "GET",
        allowed_if(_never, 200),
        ("signaal:MISSING",),
    ),
]

# Invalid input first (it must not consume the target), then the triage writes themselves.
SIGNAL_PAGE_WRITES: list[Op] = [
    Op(
        "signaal melden invalid",
        "signalen:new",
        "POST",
        allowed_if(submits, 400),
        payload="invalid",
    ),
    Op(
        "signaal melden",
        "signalen:new",
        "POST",
        allowed_if(submits, 302),
        payload="signaal_new",
        redirect="/signalen/",
    ),
    Op(
        "koppelen T_LINK invalid",
        "signalen:link",
        "POST",
        allowed_if(_triages_visible("T_LINK"), 400),
        ("signaal:T_LINK",),
        payload="invalid",
    ),
    Op(
        "koppelen T_LINK aan missing casus",
        "signalen:link",
        "POST",
        allowed_if(_triages_visible("T_LINK"), 400),
        ("signaal:T_LINK",),
        payload="link_missing",
    ),
    Op(
        "koppelen T_LINK aan A",
        "signalen:link",
        "POST",
        allowed_if(_triages_visible("T_LINK"), 302),
        ("signaal:T_LINK",),
        payload="link_A",
    ),
    # Triage of a signal already linked: invalid for the coordinator (it sees it), 404 otherwise.
    Op(
        "koppelen S_POLITIE_KETEN_A (al gekoppeld)",
        "signalen:link",
        "POST",
        allowed_if(_triages_visible("S_POLITIE_KETEN_A"), 400),
        ("signaal:S_POLITIE_KETEN_A",),
        payload="link_A",
    ),
    # A politie `intern` signal is not the coordinator's to see, so not to triage either.
    Op(
        "koppelen S_POLITIE_INTERN_A (niet zichtbaar)",
        "signalen:link",
        "POST",
        allowed_if(_triages_visible("S_POLITIE_INTERN_A"), 400),
        ("signaal:S_POLITIE_INTERN_A",),
        payload="link_A",
        nobody=True,
    ),
    Op(
        "koppelen missing",
        "signalen:link",
        "POST",
        allowed_if(_never, 302),
        ("signaal:MISSING",),
        payload="link_A",
    ),
    Op(
        "casus openen T_OPEN invalid",
        "signalen:open_casus",
        "POST",
        allowed_if(_triages_visible("T_OPEN"), 400),
        ("signaal:T_OPEN",),
        payload="invalid",
    ),
    Op(
        "casus openen T_OPEN",
        "signalen:open_casus",
        "POST",
        allowed_if(_triages_visible("T_OPEN"), 302),
        ("signaal:T_OPEN",),
        payload="signal_open",
    ),
    Op(
        "afsluiten T_CLOSE invalid",
        "signalen:close",
        "POST",
        allowed_if(_triages_visible("T_CLOSE"), 400),
        ("signaal:T_CLOSE",),
        payload="invalid",
    ),
    Op(
        "afsluiten T_CLOSE",
        "signalen:close",
        "POST",
        allowed_if(_triages_visible("T_CLOSE"), 302),
        ("signaal:T_CLOSE",),
        payload="signal_close",
        redirect="/signalen/inbox/",
    ),
    # §4.3 for signals: the author of a linked signal changes who reads it, on the casus page.
    Op(
        "signaal zichtbaarheid A/S_POLITIE_KETEN_A invalid",
        "casussen:signaal_visibility",
        "POST",
        signaal_visibility_rule("S_POLITIE_KETEN_A", "", 400),
        ("A", "signaal:S_POLITIE_KETEN_A"),
        payload="invalid",
    ),
    Op(
        "signaal zichtbaarheid A/S_POLITIE_KETEN_A",
        "casussen:signaal_visibility",
        "POST",
        signaal_visibility_rule("S_POLITIE_KETEN_A", "regie", 302),
        ("A", "signaal:S_POLITIE_KETEN_A"),
        payload="visibility_regie",
    ),
    Op(
        "signaal zichtbaarheid C/S_GGD_KETEN_C keten (geen toestemming)",
        "casussen:signaal_visibility",
        "POST",
        signaal_visibility_rule("S_GGD_KETEN_C", "keten", 302),
        ("C", "signaal:S_GGD_KETEN_C"),
        payload="visibility_keten",
    ),
    Op(
        "signaal zichtbaarheid D/S_GGD_KETEN_D",
        "casussen:signaal_visibility",
        "POST",
        signaal_visibility_rule("S_GGD_KETEN_D", "intern", 302),
        ("D", "signaal:S_GGD_KETEN_D"),
        payload="visibility_intern",
    ),
    Op(
        "IDOR signaal zichtbaarheid A/S_GGD_KETEN_C",
        "casussen:signaal_visibility",
        "POST",
        allowed_if(_never, 302),
        ("A", "signaal:S_GGD_KETEN_C"),
        payload="visibility_intern",
        idor=True,
    ),
    # An untriaged signal has no casus page: its level is not changed through one.
    Op(
        "IDOR signaal zichtbaarheid A/S_LDH_NIEUW",
        "casussen:signaal_visibility",
        "POST",
        allowed_if(_never, 302),
        ("A", "signaal:S_LDH_NIEUW"),
        payload="visibility_intern",
        idor=True,
    ),
]

SIGNAL_API_WRITES: list[Op] = [
    Op(
        "api signaal melden invalid",
        "api:signaal-list",
        "POST",
        allowed_if(submits, 400),
        payload="invalid",
    ),
    Op(
        "api signaal melden",
        "api:signaal-list",
        "POST",
        allowed_if(submits, 201),
        payload="signaal_new",
    ),
    Op(
        "api koppelen T_API_LINK invalid",
        "api:signaal-koppelen",
        "POST",
        allowed_if(_triages_visible("T_API_LINK"), 400),
        ("signaal:T_API_LINK",),
        payload="invalid",
    ),
    Op(
        "api koppelen T_API_LINK aan missing casus",
        "api:signaal-koppelen",
        "POST",
        allowed_if(_triages_visible("T_API_LINK"), 400),
        ("signaal:T_API_LINK",),
        payload="link_missing",
    ),
    Op(
        "api koppelen T_API_LINK aan A",
        "api:signaal-koppelen",
        "POST",
        allowed_if(_triages_visible("T_API_LINK"), 200),
        ("signaal:T_API_LINK",),
        payload="link_A",
    ),
    Op(
        "api koppelen S_POLITIE_KETEN_A (al gekoppeld)",
        "api:signaal-koppelen",
        "POST",
        allowed_if(_triages_visible("S_POLITIE_KETEN_A"), 400),
        ("signaal:S_POLITIE_KETEN_A",),
        payload="link_A",
    ),
    Op(
        "api koppelen missing",
        "api:signaal-koppelen",
        "POST",
        allowed_if(_never, 200),
        ("signaal:MISSING",),
        payload="link_A",
    ),
    Op(
        "api casus openen T_API_OPEN invalid",
        "api:signaal-casus-openen",
        "POST",
        allowed_if(_triages_visible("T_API_OPEN"), 400),
        ("signaal:T_API_OPEN",),
        payload="invalid",
    ),
    Op(
        "api casus openen T_API_OPEN",
        "api:signaal-casus-openen",
        "POST",
        allowed_if(_triages_visible("T_API_OPEN"), 201),
        ("signaal:T_API_OPEN",),
        payload="signal_open",
    ),
    Op(
        "api afsluiten T_API_CLOSE invalid",
        "api:signaal-afsluiten",
        "POST",
        allowed_if(_triages_visible("T_API_CLOSE"), 400),
        ("signaal:T_API_CLOSE",),
        payload="invalid",
    ),
    Op(
        "api afsluiten T_API_CLOSE",
        "api:signaal-afsluiten",
        "POST",
        allowed_if(_triages_visible("T_API_CLOSE"), 200),
        ("signaal:T_API_CLOSE",),
        payload="signal_close",
    ),
]

# --- Ketenoverleg: meetings, the redacted agenda, the chair's edits and meeting mode ------------

MEETING_READS: list[Op] = [
    Op(
        "overleggen",
        "overleg:list",
        "GET",
        read_list,
        check="meeting_list",
        expect_refs=visible_meetings,
    ),
    *(
        Op(
            f"overleg {meeting}",
            "overleg:detail",
            "GET",
            allowed_if(_sees_meeting(meeting), 200),
            (f"overleg:{meeting}",),
            check="agenda",
            meeting=meeting,
        )
        for meeting in MEETINGS
    ),
    Op("overleg missing", "overleg:detail", "GET", allowed_if(_never, 200), ("overleg:MISSING",)),
    Op(
        "voortgang CONCEPT",
        "overleg:progress",
        "GET",
        allowed_if(_sees_meeting("CONCEPT"), 200),
        ("overleg:CONCEPT",),
    ),
    Op(
        "uitnodiging ELDERS",
        "overleg:invite",
        "GET",
        allowed_if(_sees_meeting("ELDERS"), 200),
        ("overleg:ELDERS",),
        check="ics",
    ),
    Op(
        "verslag GEHOUDEN",
        "overleg:minutes",
        "GET",
        allowed_if(_sees_meeting("GEHOUDEN"), 200),
        ("overleg:GEHOUDEN",),
        check="minutes",
        meeting="GEHOUDEN",
    ),
    Op(
        "verslag pdf GEHOUDEN",
        "overleg:minutes_pdf",
        "GET",
        allowed_if(_sees_meeting("GEHOUDEN"), 200),
        ("overleg:GEHOUDEN",),
        check="minutes_pdf",
        meeting="GEHOUDEN",
    ),
    # A meeting that was not held has no minutes: for nobody.
    Op(
        "verslag CONCEPT (niet gehouden)",
        "overleg:minutes",
        "GET",
        allowed_if(_never, 200),
        ("overleg:CONCEPT",),
        nobody=True,
    ),
    Op(
        "verslag pdf CONCEPT (niet gehouden)",
        "overleg:minutes_pdf",
        "GET",
        allowed_if(_never, 200),
        ("overleg:CONCEPT",),
        nobody=True,
    ),
    # Meeting mode is the chair's, also for an item whose casus it only sees at agenda level.
    *(
        Op(
            f"bespreken DEFINITIEF/{casus}",
            "overleg:agendapunt",
            "GET",
            allowed_if(_chairs("DEFINITIEF"), 200),
            ("overleg:DEFINITIEF", f"agendapunt:DEFINITIEF/{casus}"),
            check="agendapunt",
            meeting="DEFINITIEF",
        )
        for casus in ("A", "B")
    ),
    # An item taken off the agenda (C, which the rules brought and the chair removed) is no
    # longer on the meeting: not even its chair sees it at agenda level.
    Op(
        "bespreken DEFINITIEF/C (van de agenda gehaald)",
        "overleg:agendapunt",
        "GET",
        allowed_if(_never, 200),
        ("overleg:DEFINITIEF", "agendapunt:DEFINITIEF/C"),
        nobody=True,
    ),
    Op(
        "IDOR bespreken DEFINITIEF/<CONCEPT/A>",
        "overleg:agendapunt",
        "GET",
        allowed_if(_never, 200),
        ("overleg:DEFINITIEF", "agendapunt:CONCEPT/A"),
        idor=True,
    ),
    Op(
        "api overleggen",
        "api:overleg-list",
        "GET",
        read_list,
        check="api_meeting_list",
        expect_refs=visible_meetings,
    ),
    *(
        Op(
            f"api overleg {meeting}",
            "api:overleg-detail",
            "GET",
            allowed_if(_sees_meeting(meeting), 200),
            (f"overleg:{meeting}",),
            check="api_meeting",
        )
        for meeting in ("CONCEPT", "ELDERS")
    ),
    Op(
        "api overleg missing",
        "api:overleg-detail",
        "GET",
        allowed_if(_never, 200),
        ("overleg:MISSING",),
    ),
    *(
        Op(
            f"api agenda {meeting}",
            "api:overleg-agenda",
            "GET",
            allowed_if(_sees_meeting(meeting), 200),
            (f"overleg:{meeting}",),
            check="api_agenda",
            meeting=meeting,
        )
        for meeting in ("CONCEPT", "ELDERS", "GEHOUDEN")
    ),
    Op(
        "api agenda missing",
        "api:overleg-agenda",
        "GET",
        allowed_if(_never, 200),
        ("overleg:MISSING",),
    ),
]

# Every meeting write redirects to the meeting (or, in meeting mode, to the item). Edits of the
# concept first, fixing it last; meeting mode on the final agenda, "held" last.
MEETING_WRITES: list[Op] = [
    # Issue 11: planning from the pages. The writes are probed with input that is refused (400
    # for who may plan, 404 for everyone else), so the world keeps its meetings; the successful
    # paths are walked in tests/casus/overleg/test_planning.py.
    Op("plannen form", "overleg:plan", "GET", allowed_if(plans_meetings, 200)),
    Op("reeks form", "overleg:serie_new", "GET", allowed_if(plans_meetings, 200)),
    Op(
        "plannen invalid",
        "overleg:plan",
        "POST",
        allowed_if(plans_meetings, 400),
        payload="invalid",
        changes=False,
    ),
    Op(
        "reeks invalid",
        "overleg:serie_new",
        "POST",
        allowed_if(plans_meetings, 400),
        payload="invalid",
        changes=False,
    ),
    Op(
        "annuleren CONCEPT invalid",
        "overleg:cancel",
        "POST",
        allowed_if(lambda actor: cancels(actor, "CONCEPT"), 400),
        ("overleg:CONCEPT",),
        payload="invalid",
        changes=False,
    ),
    *(
        Op(
            f"genereren {meeting}",
            "overleg:generate",
            "POST",
            allowed_if(_generates(meeting), 302),
            (f"overleg:{meeting}",),
            redirect="/overleggen/",
        )
        for meeting in ("CONCEPT", "ELDERS")
    ),
    Op(
        "verplaatsen CONCEPT/A",
        "overleg:agenda_move",
        "POST",
        allowed_if(_chairs("CONCEPT"), 302),
        ("overleg:CONCEPT", "agendapunt:CONCEPT/A"),
        payload="move",
        redirect="/overleggen/",
    ),
    Op(
        "IDOR verplaatsen CONCEPT/<ELDERS/A>",
        "overleg:agenda_move",
        "POST",
        allowed_if(_never, 302),
        ("overleg:CONCEPT", "agendapunt:ELDERS/A"),
        payload="move",
        idor=True,
    ),
    Op(
        "van de agenda CONCEPT/B",
        "overleg:agenda_remove",
        "POST",
        allowed_if(_chairs("CONCEPT"), 302),
        ("overleg:CONCEPT", "agendapunt:CONCEPT/B"),
        redirect="/overleggen/",
    ),
    Op(
        "IDOR van de agenda CONCEPT/<DEFINITIEF/A>",
        "overleg:agenda_remove",
        "POST",
        allowed_if(_never, 302),
        ("overleg:CONCEPT", "agendapunt:DEFINITIEF/A"),
        idor=True,
    ),
    Op(
        "vaststellen CONCEPT",
        "overleg:finalise",
        "POST",
        allowed_if(_chairs("CONCEPT"), 302),
        ("overleg:CONCEPT",),
        redirect="/overleggen/",
    ),
    Op(
        "bespreken DEFINITIEF/A invalid",
        "overleg:agendapunt",
        "POST",
        allowed_if(_chairs("DEFINITIEF"), 400),
        ("overleg:DEFINITIEF", "agendapunt:DEFINITIEF/A"),
        payload="invalid",
        meeting="DEFINITIEF",
    ),
    Op(
        "besluit DEFINITIEF/A",
        "overleg:agendapunt",
        "POST",
        allowed_if(_chairs("DEFINITIEF"), 302),
        ("overleg:DEFINITIEF", "agendapunt:DEFINITIEF/A"),
        payload="besluit",
        redirect="/overleggen/",
    ),
    Op(
        "afspraak in overleg DEFINITIEF/A",
        "overleg:agendapunt",
        "POST",
        allowed_if(_chairs("DEFINITIEF"), 302),
        ("overleg:DEFINITIEF", "agendapunt:DEFINITIEF/A"),
        payload="meeting_afspraak_politie",
        redirect="/overleggen/",
    ),
    # The outcome of a carried-over afspraak of a casus the chair sees at agenda level only.
    Op(
        "uitkomst in overleg DEFINITIEF/B B_GGD",
        "overleg:agendapunt",
        "POST",
        allowed_if(_chairs("DEFINITIEF"), 302),
        ("overleg:DEFINITIEF", "agendapunt:DEFINITIEF/B"),
        payload="meeting_outcome_B_GGD",
        redirect="/overleggen/",
    ),
    Op(
        "gehouden DEFINITIEF",
        "overleg:held",
        "POST",
        allowed_if(_chairs("DEFINITIEF"), 302),
        ("overleg:DEFINITIEF",),
        payload="held",
        redirect="/overleggen/",
    ),
    Op(
        "verslag vaststellen GEHOUDEN",
        "overleg:minutes_adopt",
        "POST",
        allowed_if(_chairs("GEHOUDEN"), 302),
        ("overleg:GEHOUDEN",),
        redirect="/overleggen/",
    ),
]

# --- AVG: requests of data subjects and retention; trends; the FG's pages; home ---------------

AVG_READS: list[Op] = [
    Op("bewaartermijnen", "avg:retention", "GET", allowed_if(privacy_officer, 200)),
    Op(
        "verzoeken",
        "avg:verzoek_list",
        "GET",
        allowed_if(handles_verzoeken, 200),
        check="verzoek_list",
        expect_refs=lambda actor: frozenset(VERZOEKEN),
    ),
    *(
        Op(
            f"verzoek {key}",
            "avg:verzoek_detail",
            "GET",
            allowed_if(handles_verzoeken, 200),
            (f"verzoek:{key}",),
            check="verzoek_detail",
            report=key,
        )
        for key in VERZOEKEN
    ),
    Op(
        "verzoek missing",
        "avg:verzoek_detail",
        "GET",
        allowed_if(_never, 200),
        ("verzoek:MISSING",),
    ),
    Op(
        "rapport pdf SAMENGESTELD",
        "avg:verzoek_pdf",
        "GET",
        allowed_if(_reads_report("SAMENGESTELD"), 200),
        ("verzoek:SAMENGESTELD",),
        check="report_pdf",
        report="SAMENGESTELD",
    ),
    # A request without a compiled report has no report to download: for nobody.
    Op(
        "rapport pdf NIEUW (niet samengesteld)",
        "avg:verzoek_pdf",
        "GET",
        allowed_if(_never, 200),
        ("verzoek:NIEUW",),
        nobody=True,
    ),
    # The overview of what an erasure would remove names the person's casussen and signals:
    # content of the report, so for its compiler only, and only once there is a report.
    Op(
        "wissen overzicht WISSING",
        "avg:verzoek_erase_preview",
        "GET",
        allowed_if(_reads_report("WISSING"), 200),
        ("verzoek:WISSING",),
        report="WISSING",
    ),
    Op(
        "wissen overzicht NIEUW (niet samengesteld)",
        "avg:verzoek_erase_preview",
        "GET",
        allowed_if(_never, 200),
        ("verzoek:NIEUW",),
        nobody=True,
    ),
    Op("trends", "trends:index", "GET", allowed_if(sees_trends, 200)),
    Op("fg overzicht", "fg:index", "GET", allowed_if(privacy_officer, 200)),
    Op("fg gebeurtenissen", "fg:events", "GET", allowed_if(privacy_officer, 200)),
    Op(
        "fg gebeurtenissen referentie=A",
        "fg:events",
        "GET",
        allowed_if(privacy_officer, 200),
        query={"referentie": "ref:A"},
    ),
    Op("fg export", "fg:export", "GET", allowed_if(privacy_officer, 200), check="csv"),
    Op("fg casus A", "fg:casus", "GET", allowed_if(privacy_officer, 200), ("A",)),
    Op(
        "fg gebruiker medewerker.politie",
        "fg:user",
        "GET",
        allowed_if(privacy_officer, 200),
        ("user:medewerker.politie",),
    ),
    Op("fg gebruiker missing", "fg:user", "GET", allowed_if(_never, 200), ("user:MISSING",)),
    Op("fg geweigerd", "fg:denied", "GET", allowed_if(privacy_officer, 200)),
    Op("fg verwerkingsregister", "fg:register", "GET", allowed_if(privacy_officer, 200)),
    # The role-aware home page: every signed-in user (its sections differ per role).
    Op("home", "home", "GET", allowed_if(_everyone_signed_in, 200)),
]

AVG_WRITES: list[Op] = [
    Op(
        "verzoek registreren invalid",
        "avg:verzoek_list",
        "POST",
        allowed_if(privacy_officer, 400),
        payload="invalid",
    ),
    Op(
        "verzoek registreren",
        "avg:verzoek_list",
        "POST",
        allowed_if(privacy_officer, 302),
        payload="verzoek_register",
        redirect="/verzoeken/",
    ),
    # Deciding on the weaker matches of a report is the compiler's (they are report content). The
    # world's reports have none left to decide (every signal about P1 and P2 matches on all
    # attributes): for the compiler that is invalid input (400), for everyone else a 404. A
    # request without a report has nothing to decide: for nobody.
    Op(
        "kandidaten NIEUW (niet samengesteld)",
        "avg:verzoek_candidates",
        "POST",
        allowed_if(_never, 302),
        ("verzoek:NIEUW",),
        payload="empty",
        nobody=True,
    ),
    Op(
        "kandidaten SAMENGESTELD (geen)",
        "avg:verzoek_candidates",
        "POST",
        allowed_if(_reads_report("SAMENGESTELD"), 400),
        ("verzoek:SAMENGESTELD",),
        payload="empty",
    ),
    # Compiling answers with the report itself (200), for the compiler's eyes only.
    Op(
        "samenstellen NIEUW invalid",
        "avg:verzoek_detail",
        "POST",
        allowed_if(_compiles("NIEUW"), 400),
        ("verzoek:NIEUW",),
        payload="invalid",
    ),
    Op(
        "samenstellen NIEUW",
        "avg:verzoek_detail",
        "POST",
        allowed_if(_compiles("NIEUW"), 200),
        ("verzoek:NIEUW",),
        payload="person_P1",
        report="NIEUW",
    ),
    # One request, one person (§4.5, §6: the FG registers each request): a compiled report is
    # not compiled again (with other data it would search another person under this request).
    # Its compiler gets past the permission check with invalid input, everyone else a 404.
    Op(
        "samenstellen SAMENGESTELD opnieuw",
        "avg:verzoek_detail",
        "POST",
        allowed_if(_compiles("SAMENGESTELD"), 400),
        ("verzoek:SAMENGESTELD",),
        payload="person_P1",
        report="SAMENGESTELD",
    ),
    Op(
        "loskoppelen SAMENGESTELD/S_LDH_NIEUW",
        "avg:verzoek_unlink",
        "POST",
        allowed_if(_reads_report("SAMENGESTELD"), 302),
        ("verzoek:SAMENGESTELD",),
        payload="unlink_S_LDH_NIEUW",
        redirect="/verzoeken/",
    ),
    # Only a signal the report found can be unlinked from the person.
    Op(
        "loskoppelen SAMENGESTELD/S_POLITIE_REGIE_A (niet gevonden)",
        "avg:verzoek_unlink",
        "POST",
        allowed_if(_never, 302),
        ("verzoek:SAMENGESTELD",),
        payload="unlink_S_POLITIE_REGIE_A",
        nobody=True,
    ),
    # Erasure only with the confirmation of the overview the compiler saw (§6: nothing is half
    # done): without it, invalid input and nothing removed.
    Op(
        "wissen WISSING zonder bevestiging",
        "avg:verzoek_erase",
        "POST",
        allowed_if(_reads_report("WISSING"), 400),
        ("verzoek:WISSING",),
        payload="empty",
    ),
    Op(
        "wissen WISSING",
        "avg:verzoek_erase",
        "POST",
        allowed_if(_reads_report("WISSING"), 302),
        ("verzoek:WISSING",),
        payload="erase_confirm_WISSING",
        redirect="/verzoeken/",
    ),
    Op(
        "afronden SAMENGESTELD",
        "avg:verzoek_close",
        "POST",
        allowed_if(_closes("SAMENGESTELD"), 302),
        ("verzoek:SAMENGESTELD",),
        redirect="/verzoeken/",
    ),
    Op(
        "afronden missing",
        "avg:verzoek_close",
        "POST",
        allowed_if(_never, 302),
        ("verzoek:MISSING",),
    ),
    Op(
        "bewaarplicht invalid",
        "avg:hold_set",
        "POST",
        allowed_if(privacy_officer, 400),
        payload="invalid",
    ),
    Op(
        "bewaarplicht missing casus",
        "avg:hold_set",
        "POST",
        allowed_if(privacy_officer, 400),
        payload="hold_missing",
    ),
    Op(
        "bewaarplicht A",
        "avg:hold_set",
        "POST",
        allowed_if(privacy_officer, 302),
        payload="hold_A",
        redirect="/bewaartermijnen/",
    ),
    Op(
        "bewaarplicht opheffen B",
        "avg:hold_lift",
        "POST",
        allowed_if(privacy_officer, 302),
        ("hold:B",),
        redirect="/bewaartermijnen/",
    ),
    Op(
        "bewaarplicht opheffen missing",
        "avg:hold_lift",
        "POST",
        allowed_if(_never, 302),
        ("hold:MISSING",),
    ),
    # Checking the audit chain answers with the overview and the result (and is an event).
    Op("fg controleren", "fg:verify", "POST", allowed_if(privacy_officer, 200)),
    # A signed checkpoint of the audit chain, set on demand: the FG's (answers with the overview).
    Op("fg controlepunt", "fg:checkpoint", "POST", allowed_if(privacy_officer, 200)),
]

# The walk's order: reads first; then page writes, signal triage, API writes, meeting writes,
# AVG writes, and involvement changes last (removing B's only partner must not precede the
# afspraak and bijdrage writes on B).
OPS: list[Op] = (
    READS
    + SIGNAL_READS
    + MEETING_READS
    + AVG_READS
    + PAGE_INVALID_WRITES
    + PAGE_WRITES
    + SIGNAL_PAGE_WRITES
    + API_INVALID_WRITES
    + API_WRITES
    + SIGNAL_API_WRITES
    + MEETING_WRITES
    + AVG_WRITES
    + INVOLVEMENT_WRITES
)

# The HTTP methods each page answers. (The API's methods come from the router itself.)
# Root-level names other than "home" (the login, logout, password and MFA pages of /accounts/,
# /healthz, the language switch) and the functional administrator's Django admin under /beheer/
# (namespace "admin") are outside this matrix: tests/test_anonymous_access.py walks every one of
# them, and tests/partners/test_admin.py the admin's roles.
PAGE_METHODS: dict[str, frozenset[str]] = {
    "home": frozenset({"GET"}),
    "casussen:list": frozenset({"GET"}),
    "casussen:open": frozenset({"GET", "POST"}),
    "casussen:detail": frozenset({"GET"}),
    "casussen:status": frozenset({"POST"}),
    "casussen:risico": frozenset({"POST"}),
    "casussen:gegevens": frozenset({"POST"}),
    "casussen:afsluitvoorstel": frozenset({"POST"}),
    "casussen:betrokkenheid_add": frozenset({"POST"}),
    "casussen:betrokkenheid_remove": frozenset({"POST"}),
    "casussen:bijdrage_create": frozenset({"POST"}),
    "casussen:bijdrage_visibility": frozenset({"POST"}),
    "casussen:signaal_visibility": frozenset({"POST"}),
    "casussen:afspraak_create": frozenset({"POST"}),
    "casussen:afspraak_update": frozenset({"GET", "POST"}),
    "casussen:agenderen": frozenset({"POST"}),
    "casussen:toestemming_intrekken": frozenset({"POST"}),
    "signalen:list": frozenset({"GET"}),
    "signalen:new": frozenset({"GET", "POST"}),
    "signalen:inbox": frozenset({"GET"}),
    "signalen:detail": frozenset({"GET"}),
    "signalen:link": frozenset({"POST"}),
    "signalen:open_casus": frozenset({"POST"}),
    "signalen:close": frozenset({"POST"}),
    "overleg:list": frozenset({"GET"}),
    "overleg:plan": frozenset({"GET", "POST"}),
    "overleg:serie_new": frozenset({"GET", "POST"}),
    "overleg:cancel": frozenset({"POST"}),
    "overleg:detail": frozenset({"GET"}),
    "overleg:progress": frozenset({"GET"}),
    "overleg:generate": frozenset({"POST"}),
    "overleg:finalise": frozenset({"POST"}),
    "overleg:agenda_remove": frozenset({"POST"}),
    "overleg:agenda_move": frozenset({"POST"}),
    "overleg:agendapunt": frozenset({"GET", "POST"}),
    "overleg:held": frozenset({"POST"}),
    "overleg:minutes": frozenset({"GET"}),
    "overleg:minutes_pdf": frozenset({"GET"}),
    "overleg:minutes_adopt": frozenset({"POST"}),
    "overleg:invite": frozenset({"GET"}),
    "avg:retention": frozenset({"GET"}),
    "avg:hold_set": frozenset({"POST"}),
    "avg:hold_lift": frozenset({"POST"}),
    "avg:verzoek_list": frozenset({"GET", "POST"}),
    "avg:verzoek_detail": frozenset({"GET", "POST"}),
    "avg:verzoek_pdf": frozenset({"GET"}),
    "avg:verzoek_unlink": frozenset({"POST"}),
    "avg:verzoek_candidates": frozenset({"POST"}),
    "avg:verzoek_erase_preview": frozenset({"GET"}),
    "avg:verzoek_erase": frozenset({"POST"}),
    "avg:verzoek_close": frozenset({"POST"}),
    "trends:index": frozenset({"GET"}),
    "fg:index": frozenset({"GET"}),
    "fg:verify": frozenset({"POST"}),
    "fg:checkpoint": frozenset({"POST"}),
    "fg:events": frozenset({"GET"}),
    "fg:export": frozenset({"GET"}),
    "fg:casus": frozenset({"GET"}),
    "fg:user": frozenset({"GET"}),
    "fg:denied": frozenset({"GET"}),
    "fg:register": frozenset({"GET"}),
}

# Operations that exist but have no rows yet, each with the reason. Keep this empty: it is only
# for a route that appears while the matrix is being extended. The meta-test fails when an entry
# here gets rows in OPS (drop it then) or no longer exists.
PENDING_OPERATIONS: dict[tuple[str, str], str] = {}

# Methods no entry offers answer 405 Method Not Allowed, but only after the deny-by-default
# checks: anonymous visitors are sent to the login (pages) or refused (API), whoever is not in
# the page's audience gets 404. A 405 does not depend on the object, so it leaks nothing.
PROBE_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")
PROBE_ARGS: dict[str, tuple[str, ...]] = {
    "casussen:detail": ("A",),
    "casussen:status": ("A",),
    "casussen:betrokkenheid_add": ("A",),
    "casussen:betrokkenheid_remove": ("A",),
    "casussen:bijdrage_create": ("A",),
    "casussen:bijdrage_visibility": ("A", "bijdrage:A_POLITIE_KETEN"),
    "casussen:signaal_visibility": ("A", "signaal:S_POLITIE_KETEN_A"),
    "casussen:afspraak_create": ("A",),
    "casussen:afspraak_update": ("A", "afspraak:A_POLITIE"),
    "casussen:agenderen": ("A",),
    "casussen:toestemming_intrekken": ("A",),
    "signalen:detail": ("signaal:S_LDH_NIEUW",),
    "signalen:link": ("signaal:S_LDH_NIEUW",),
    "signalen:open_casus": ("signaal:S_LDH_NIEUW",),
    "signalen:close": ("signaal:S_LDH_NIEUW",),
    "overleg:detail": ("overleg:CONCEPT",),
    "overleg:progress": ("overleg:CONCEPT",),
    "overleg:generate": ("overleg:CONCEPT",),
    "overleg:finalise": ("overleg:CONCEPT",),
    "overleg:agenda_remove": ("overleg:CONCEPT", "agendapunt:CONCEPT/A"),
    "overleg:agenda_move": ("overleg:CONCEPT", "agendapunt:CONCEPT/A"),
    "overleg:agendapunt": ("overleg:DEFINITIEF", "agendapunt:DEFINITIEF/A"),
    "overleg:held": ("overleg:DEFINITIEF",),
    "overleg:minutes": ("overleg:GEHOUDEN",),
    "overleg:minutes_pdf": ("overleg:GEHOUDEN",),
    "overleg:minutes_adopt": ("overleg:GEHOUDEN",),
    "overleg:invite": ("overleg:CONCEPT",),
    "overleg:cancel": ("overleg:CONCEPT",),
    "avg:hold_lift": ("hold:B",),
    "avg:verzoek_detail": ("verzoek:SAMENGESTELD",),
    "avg:verzoek_pdf": ("verzoek:SAMENGESTELD",),
    "avg:verzoek_unlink": ("verzoek:SAMENGESTELD",),
    "avg:verzoek_candidates": ("verzoek:SAMENGESTELD",),
    "avg:verzoek_erase_preview": ("verzoek:WISSING",),
    "avg:verzoek_erase": ("verzoek:WISSING",),
    "avg:verzoek_close": ("verzoek:SAMENGESTELD",),
    "fg:casus": ("A",),
    "fg:user": ("user:medewerker.politie",),
    "api:casus-detail": ("A",),
    "api:casus-status": ("A",),
    "api:casus-risico": ("A",),
    "api:casus-afsluitvoorstel": ("A",),
    "casussen:risico": ("A",),
    "casussen:gegevens": ("A",),
    "casussen:afsluitvoorstel": ("A",),
    "api:casus-bijdragen": ("A",),
    "api:afspraak-detail": ("afspraak:A_POLITIE",),
    "api:signaal-detail": ("signaal:S_LDH_NIEUW",),
    "api:signaal-koppelen": ("signaal:S_LDH_NIEUW",),
    "api:signaal-casus-openen": ("signaal:S_LDH_NIEUW",),
    "api:signaal-afsluiten": ("signaal:S_LDH_NIEUW",),
    "api:overleg-detail": ("overleg:CONCEPT",),
    "api:overleg-agenda": ("overleg:CONCEPT",),
}
OPEN_TO_EVERY_SIGNED_IN_USER = frozenset({"api:schema", "api:docs", "home"})
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


def audience(url: str) -> Callable[[Actor], bool]:
    """Who a URL is for at all (§5): its page or endpoint refuses everyone else with a 404
    before it looks at the method, the object or the input."""
    if url in OPEN_TO_EVERY_SIGNED_IN_USER:
        return _everyone_signed_in
    if url.startswith("avg:verzoek"):
        return handles_verzoeken
    if url.startswith(("avg:", "fg:")):
        return privacy_officer
    if url.startswith("trends:"):
        return sees_trends
    return reads_case_content


def unsupported_method_rule(url: str) -> Rule:
    return allowed_if(audience(url), METHOD_NOT_ALLOWED)


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
            probe=True,
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


def readable_markers(actor: Actor, op: Op) -> frozenset[str]:
    """Every marker text this actor may find in the answer to ``op``: what it may read anyway,
    plus, on a meeting's pages, the agenda-level open afspraken and the besluiten it may see,
    plus, on a request's pages, the report for its compiler."""
    markers = {bijdrage_marker(k) for k in BIJDRAGEN if sees_bijdrage(actor, k)}
    markers |= {afspraak_marker(k) for k in AFSPRAKEN if sees_afspraak(actor, k)}
    markers |= {signaal_marker(k) for k in SIGNALEN if sees_signaal(actor, k)}
    for meeting, spec in MEETINGS.items():
        for casus in spec.besluiten:
            if sees_besluit(actor, meeting, casus):
                markers.add(besluit_marker(meeting, casus))
    if op.meeting:
        on_agenda = MEETINGS[op.meeting].agenda
        markers |= {
            afspraak_marker(k)
            for k, spec in AFSPRAKEN.items()
            if spec.casus in on_agenda and agenda_level(actor, op.meeting, spec.casus)
        }
    if op.report:
        # A compile request is answered with the report about the person it names; a read
        # shows the report the request was compiled with, to its compiler.
        if op.writes:
            person = op.payload.removeprefix("person_")
            shown = compiles(actor, op.report)
        else:
            person = VERZOEKEN[op.report].person
            shown = reads_report(actor, op.report)
        if person and shown:
            markers |= report_scope(person)
    return frozenset(markers)


def all_markers() -> frozenset[str]:
    """Every marker of the world: the texts the leak check looks for in each answer."""
    return frozenset(
        {bijdrage_marker(k) for k in BIJDRAGEN}
        | {afspraak_marker(k) for k in AFSPRAKEN}
        | {signaal_marker(k) for k in SIGNALEN}
        | {besluit_marker(m, c) for m, spec in MEETINGS.items() for c in spec.besluiten}
    )
