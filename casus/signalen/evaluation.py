"""Evaluation of the match rule on a file of records, without storing anything (issue 14).

The records are read in order and go through the intake's own steps: the product's
normalisation and token functions (casus.signalen.pseudonym), a throw-away random key (never
the configured PSEUDONYM_KEYS), and the intake's rule (matching.matches_from_rows). Each
record is matched only against the records before it, in an in-memory token index. Nothing is
written to the database and no service is needed. scripts/benchmark_matching.py measures the
rule through this module, so what is measured is what runs.
"""

from __future__ import annotations

import datetime
import json
import secrets
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from casus.signalen import matching, pseudonym
from config.kernel.keys import VersionedKey

INPUT_KEYS: tuple[str, ...] = (
    "id",
    "voornamen",
    "achternaam",
    "geboortedatum",
    "land",
    "werknaam",
    "telefoon",
)
PROBABLE = frozenset(pseudonym.PERSON_MATCH_TIERS)  # the hints of the evaluation contract
WITH_SHARED = PROBABLE | {"gedeeld"}  # and the network pairs (stored as hints too)
ALL_TIERS = frozenset(pseudonym.TIERS)  # every candidate pair (calibration)
_TEXT_KEYS = ("voornamen", "achternaam", "land", "werknaam", "telefoon")


class EvaluationInputError(ValueError):
    """A line of the input that is not a valid record; the message is Dutch, for the user."""

    def __init__(self, line_number: int, problem: str) -> None:
        super().__init__(f"Regel {line_number}: {problem}")
        self.line_number = line_number
        self.problem = problem


@dataclass(frozen=True)
class Hint:
    a: str | int  # the later record (the new signal)
    b: str | int  # the earlier record it matches (the stored signal)
    sterkte: str
    soorten: tuple[str, ...]
    gedeeld: tuple[str, ...] = ()  # the kinds of soorten that link several identities

    def as_json(self, *, with_shared: bool = False) -> str:
        """The contract's line (a, b, sterkte, soorten); ``with_shared`` adds ``gedeeld``."""
        line: dict[str, object] = {
            "a": self.a,
            "b": self.b,
            "sterkte": self.sterkte,
            "soorten": list(self.soorten),
        }
        if with_shared:
            line["gedeeld"] = list(self.gedeeld)
        return json.dumps(line, ensure_ascii=False)


def throwaway_key() -> VersionedKey:
    """A random key for one evaluation run: never stored, never the configured keys."""
    return VersionedKey(version=0, secret=secrets.token_bytes(32))


def _date_of_birth(value: str, line_number: int) -> tuple[datetime.date | None, int | None]:
    value = value.strip()
    if not value:
        return None, None
    if len(value) == 4 and value.isdigit():
        if not 1900 <= int(value) <= 2100:  # as the intake form's "alleen geboortejaar"
            raise EvaluationInputError(
                line_number, f"geboortejaar {value} ligt niet tussen 1900 en 2100."
            )
        return None, int(value)
    try:
        if len(value) != 10:
            raise ValueError
        return datetime.date.fromisoformat(value), None
    except ValueError:
        raise EvaluationInputError(
            line_number,
            f"geboortedatum {value!r} is geen datum; gebruik JJJJ-MM-DD, JJJJ of laat het leeg.",
        ) from None


def parse_record(line: str, line_number: int) -> tuple[str | int, pseudonym.IdentifyingAttributes]:
    """One JSON line into (id, attributes); EvaluationInputError for a bad line."""
    try:
        data: Any = json.loads(line)
    except json.JSONDecodeError as exc:
        raise EvaluationInputError(line_number, f"geen geldige JSON ({exc.msg}).") from None
    if not isinstance(data, dict):
        raise EvaluationInputError(line_number, "verwacht een JSON-object per regel.")
    unknown = sorted(set(data) - set(INPUT_KEYS))
    if unknown:
        raise EvaluationInputError(
            line_number,
            f"onbekende sleutel(s) {', '.join(unknown)}; toegestaan: {', '.join(INPUT_KEYS)}.",
        )
    record_id = data.get("id")
    if isinstance(record_id, bool) or not isinstance(record_id, str | int) or record_id == "":
        raise EvaluationInputError(line_number, "'id' ontbreekt of is geen tekst of geheel getal.")
    texts: dict[str, str] = {}
    for key in (*_TEXT_KEYS, "geboortedatum"):
        value = data.get(key)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise EvaluationInputError(line_number, f"'{key}' moet tekst zijn (of leeg).")
        texts[key] = value
    dob, year = _date_of_birth(texts["geboortedatum"], line_number)
    attributes = pseudonym.IdentifyingAttributes(
        voornamen=texts["voornamen"],
        achternaam=texts["achternaam"],
        geboortedatum=dob,
        geboortejaar=year,
        land=texts["land"],
        werknaam=texts["werknaam"],
        telefoon=texts["telefoon"],
    )
    return record_id, attributes


def read_records(
    lines: Iterable[str],
) -> Iterator[tuple[str | int, pseudonym.IdentifyingAttributes]]:
    """The records of a JSON-lines input in order; blank lines are skipped, ids must be unique."""
    seen: set[str | int] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        record_id, attributes = parse_record(line, number)
        if record_id in seen:
            raise EvaluationInputError(number, f"id {record_id!r} komt al eerder voor.")
        seen.add(record_id)
        yield record_id, attributes


class MatchIndex:
    """In-memory stand-in for the PseudoniemToken table, with the intake's steps."""

    def __init__(self, key: VersionedKey | None = None) -> None:
        self.key = key or throwaway_key()
        self._rows: dict[str, list[tuple[int, str]]] = defaultdict(list)
        self._ids: list[str | int] = []
        self._identity: list[frozenset[str]] = []  # identity token values per position

    def __len__(self) -> int:
        return len(self._ids)

    def tokens(self, attributes: pseudonym.IdentifyingAttributes) -> list[pseudonym.Token]:
        """pseudonym.tokens_for with the throw-away key instead of the configured keys."""
        return [
            pseudonym.Token(kind, self.key.version, pseudonym._hmac(self.key, kind, value))
            for kind, value in pseudonym.token_values(attributes)
        ]

    def submit(
        self,
        record_id: str | int,
        attributes: pseudonym.IdentifyingAttributes,
        *,
        tiers: frozenset[str] = PROBABLE,
    ) -> list[Hint]:
        """As signaal_submit: a record without attributes gets no tokens; otherwise its tokens
        are stored and matched against the records before it (matching.matches_from_rows, as
        matching.probable_matches does on the database). ``tiers``: the strengths to return
        (the intake's hints: PROBABLE; with the network pairs: WITH_SHARED; calibration: all)."""
        if attributes.is_empty():
            return []
        tokens = self.tokens(attributes)
        kind_by_value = {t.value: t.kind for t in tokens}
        rows = [
            (position, kind, value)
            for value in kind_by_value
            for position, kind in self._rows.get(value, ())
        ]
        identities = {
            position: self._identity[position]
            for position, kind, _value in rows
            if kind in pseudonym.SHAREABLE
        }
        found = matching.matches_from_rows(rows, kind_by_value, identities)
        position = len(self._ids)
        self._ids.append(record_id)
        self._identity.append(
            frozenset(t.value for t in tokens if t.kind in matching.IDENTITY_KINDS)
        )
        for token in tokens:
            self._rows[token.value].append((position, token.kind))
        return [
            Hint(
                a=record_id,
                b=self._ids[m.signaal_id],
                sterkte=m.strength,
                soorten=m.kinds,
                gedeeld=m.shared,
            )
            for m in found
            if m.strength in tiers
        ]


def evaluate(
    records: Iterable[tuple[str | int, pseudonym.IdentifyingAttributes]],
    *,
    key: VersionedKey | None = None,
    tiers: frozenset[str] = PROBABLE,
) -> Iterator[Hint]:
    """The hints the intake would give when the records arrive in this order."""
    index = MatchIndex(key)
    for record_id, attributes in records:
        yield from index.submit(record_id, attributes, tiers=tiers)
