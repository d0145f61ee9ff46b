"""The one match-token look-up: which stored signals share pseudonym tokens with a person's
identifying attributes, and which of those are probable matches. Used by the intake (match
hints for the coordinator) and by the art. 15 report (the casussen about one person)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from casus.models import PseudoniemToken
from casus.signalen import pseudonym


@dataclass(frozen=True)
class Match:
    signaal_id: int
    kinds: tuple[str, ...]  # the agreeing token kinds, in the order of pseudonym.DOMAINS
    strength: str


def probable_matches(
    attributes: pseudonym.IdentifyingAttributes, *, exclude_signaal_id: int | None = None
) -> list[Match]:
    """Signals that probably concern this person, by signal id. Tokens are looked up under
    every configured key version (a rotation in progress still matches). A shared name or
    working name alone links namesakes: that is not a probable match."""
    kind_by_value = {t.value: t.kind for t in pseudonym.tokens_for(attributes, all_keys=True)}
    stored = PseudoniemToken.objects.filter(token__in=list(kind_by_value))
    if exclude_signaal_id is not None:
        stored = stored.exclude(signaal_id=exclude_signaal_id)
    return probable_from_rows(stored.values_list("signaal_id", "soort", "token"), kind_by_value)


def probable_from_rows(
    rows: Iterable[tuple[int, str, str]], kind_by_value: Mapping[str, str]
) -> list[Match]:
    """The rule on looked-up rows: ``rows`` are the stored (signal id, kind, token value) rows
    whose value is one of the new record's tokens, ``kind_by_value`` the new record's tokens.
    Shared by the intake (rows from the database) and match_evaluate (an in-memory index), so
    what is measured is what runs."""
    shared: dict[int, set[str]] = defaultdict(set)
    for signaal_id, kind, value in rows:
        shared[signaal_id].add(pseudonym.match_kind(kind, kind_by_value[value]))
    order = list(pseudonym.DOMAINS)
    return [
        Match(
            signaal_id=signaal_id,
            kinds=tuple(sorted(kinds, key=order.index)),
            strength=pseudonym.strength(kinds),
        )
        for signaal_id, kinds in sorted(shared.items())
        if pseudonym.is_probable_match(kinds)
    ]
