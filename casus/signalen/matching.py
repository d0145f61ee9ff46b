"""The one match-token look-up: which stored signals share pseudonym tokens with a person's
identifying attributes, and which of those are probable matches. Used by the intake (match
hints for the coordinator) and by the art. 15 report (the casussen about one person).

A phone or working-name token that links several different identities (signals whose name
and date-of-birth tokens do not meet) is a shared (network) token: ``Match.shared`` lists its
kinds, and a pair that agrees only on shared tokens is 'gedeeld', never a person match."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casus.models import PseudoniemToken
from casus.signalen import pseudonym

# Token kinds that describe the person (names, dates of birth): two signals without one in
# common are two identities for the shared-token rule.
IDENTITY_KINDS = frozenset(set(pseudonym.DOMAINS) - pseudonym.SHAREABLE)


@dataclass(frozen=True)
class Match:
    signaal_id: int
    kinds: tuple[str, ...]  # the agreeing token kinds, in the order of pseudonym.DOMAINS
    strength: str
    shared: tuple[str, ...] = ()  # of those, the kinds that link several identities


def probable_matches(
    attributes: pseudonym.IdentifyingAttributes,
    *,
    exclude_signaal_id: int | None = None,
    with_shared: bool = False,
) -> list[Match]:
    """Signals that probably concern this person, by signal id ('sterk' and 'waarschijnlijk';
    with ``with_shared`` also the 'gedeeld' pairs, for the intake's hints). Tokens are looked
    up under every configured key version (a rotation in progress still matches). A shared
    name or working name alone links namesakes: that is not a probable match.

    Two queries at most, whatever the number of stored signals: the tokens that coincide, and
    the identity tokens of the signals that share a phone or working name with the person."""
    tokens = pseudonym.tokens_for(attributes, all_keys=True)
    kind_by_value = {t.value: t.kind for t in tokens}
    stored = PseudoniemToken.objects.filter(token__in=list(kind_by_value))
    if exclude_signaal_id is not None:
        stored = stored.exclude(signaal_id=exclude_signaal_id)
    rows = list(stored.values_list("signaal_id", "soort", "token"))
    holders = sorted({sid for sid, kind, _ in rows if kind in pseudonym.SHAREABLE})
    identities: dict[int, set[str]] = defaultdict(set)
    if holders:
        for sid, value in PseudoniemToken.objects.filter(
            signaal_id__in=holders, soort__in=sorted(IDENTITY_KINDS)
        ).values_list("signaal_id", "token"):
            identities[sid].add(value)
    found = matches_from_rows(rows, kind_by_value, identities)
    wanted = {*pseudonym.PERSON_MATCH_TIERS, *(["gedeeld"] if with_shared else [])}
    return [match for match in found if match.strength in wanted]


def _identity_count(identities: Iterable[frozenset[str]]) -> int:
    """How many different identities: token sets that meet (directly or through others) are
    one identity; empty sets (no name given) are none. Union-find over the token values, so a
    working name held by hundreds of signals costs one pass, not a pass per pair."""
    parent: dict[str, str] = {}

    def root(value: str) -> str:
        while parent[value] != value:
            parent[value] = parent[parent[value]]
            value = parent[value]
        return value

    firsts = []
    for identity in identities:
        if not identity:
            continue
        values = iter(identity)
        first = next(values)
        parent.setdefault(first, first)
        firsts.append(first)
        for value in values:
            parent.setdefault(value, value)
            a, b = root(first), root(value)
            if a != b:
                parent[b] = a
    return len({root(first) for first in firsts})


def matches_from_rows(
    rows: Iterable[tuple[int, str, str]],
    kind_by_value: Mapping[str, str],
    identities: Mapping[int, Iterable[str]],
) -> list[Match]:
    """The rule on looked-up rows, every candidate pair (also 'zwak'): ``rows`` are the stored
    (signal id, kind, token value) rows whose value is one of the new record's tokens,
    ``kind_by_value`` the new record's tokens, ``identities`` the identity token values of the
    stored signals that hold a phone or working-name row. Shared by the intake (rows from the
    database) and match_evaluate (an in-memory index), so what is measured is what runs."""
    agreeing: dict[int, set[str]] = defaultdict(set)
    holders: dict[str, list[int]] = defaultdict(list)
    for signaal_id, kind, value in rows:
        agreeing[signaal_id].add(pseudonym.match_kind(kind, kind_by_value[value]))
        if kind in pseudonym.SHAREABLE:
            holders[value].append(signaal_id)
    own = frozenset(v for v, kind in kind_by_value.items() if kind in IDENTITY_KINDS)
    shared_by: dict[int, set[str]] = defaultdict(set)
    for value, signaal_ids in holders.items():
        group = [own, *(frozenset(identities.get(sid, ())) for sid in signaal_ids)]
        if _identity_count(group) >= 2:
            for sid in signaal_ids:
                shared_by[sid].add(kind_by_value[value])
    order = list(pseudonym.DOMAINS)
    found = []
    for signaal_id, kinds in sorted(agreeing.items()):
        settled = pseudonym.settle_kinds(kinds)
        shared = shared_by[signaal_id] & settled
        found.append(
            Match(
                signaal_id=signaal_id,
                kinds=tuple(sorted(settled, key=order.index)),
                strength=pseudonym.strength(settled, shared),
                shared=tuple(sorted(shared, key=order.index)),
            )
        )
    return found
