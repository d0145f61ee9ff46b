"""Pseudonymisation of identifying attributes into keyed match tokens (PRODUCT.md §6).

Attributes are normalised (case, diacritics, transliteration-friendly spelling, spacing, name
particles, token order, date formats) and turned into several HMAC-SHA256 tokens, each kind
domain-separated and keyed with PSEUDONYM_KEYS. The attributes themselves are never stored,
logged or returned: only these tokens leave this module.

Known limits: names must be entered in Latin script (no Cyrillic or Thai transliteration);
a typo in the date of birth is only caught when day and month are swapped.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings

import jellyfish
import phonenumbers

from config.keys import VersionedKey

# Token kinds, strongest first. The value is the domain its HMAC input is prefixed with: a
# day/month-swapped date of birth is computed in the domain of the sorted-name token, so it
# meets the other record's ordinary token.
NAAM_GEB = "naam_geb"  # full name in the order entered + date of birth
NAAM_GESORTEERD_GEB = "naam_gesorteerd_geb"  # name tokens sorted + date of birth
TELEFOON = "telefoon"  # phone number in E.164
FONETISCH_GEB = "fonetisch_geb"  # phonetic family name + first initial + date of birth
GEB_OMGEWISSELD = "geb_omgewisseld"  # sorted names + date of birth with day and month swapped
NAAM_JAAR = "naam_jaar"  # sorted names + year of birth
WERKNAAM = "werknaam"  # working name
NAAM = "naam"  # sorted names alone (weak: common names collide)

DOMAINS: dict[str, str] = {
    NAAM_GEB: NAAM_GEB,
    NAAM_GESORTEERD_GEB: NAAM_GESORTEERD_GEB,
    TELEFOON: TELEFOON,
    FONETISCH_GEB: FONETISCH_GEB,
    GEB_OMGEWISSELD: NAAM_GESORTEERD_GEB,
    NAAM_JAAR: NAAM_JAAR,
    WERKNAAM: WERKNAAM,
    NAAM: NAAM,
}

STRONG = frozenset({NAAM_GEB, NAAM_GESORTEERD_GEB, TELEFOON})
LIKELY = frozenset({FONETISCH_GEB, GEB_OMGEWISSELD, NAAM_JAAR})
WEAK = frozenset({WERKNAAM, NAAM})

PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "la", "le", "di", "da", "dos",
     "del", "della", "el", "al", "bin", "ben", "von", "zu", "mac", "mc", "st"}
)  # fmt: skip

_SPECIAL = str.maketrans(
    {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}  # noqa: RUF001
)
# Spelling that varies between transliterations of the same name (Aleksandra/Alexandra,
# Mihai/Mihay, Wojcik/Vojcik, Christophe/Kristof).
_SPELLING = (
    ("sch", "s"),
    ("ph", "f"),
    ("th", "t"),
    ("ck", "k"),
    ("ch", "k"),
    ("x", "ks"),
    ("q", "k"),
    ("w", "v"),
    ("y", "i"),
    ("c", "k"),
    ("z", "s"),
)


@dataclass(frozen=True)
class IdentifyingAttributes:
    """What a professional may enter about a person; lives only for the request."""

    voornamen: str = ""
    achternaam: str = ""
    geboortedatum: datetime.date | None = None
    geboortejaar: int | None = None
    land: str = ""
    werknaam: str = ""
    telefoon: str = ""

    def __repr__(self) -> str:  # never print the attributes themselves
        return "IdentifyingAttributes(<redacted>)"

    def is_empty(self) -> bool:
        return not any(
            [
                self.voornamen,
                self.achternaam,
                self.geboortedatum,
                self.geboortejaar,
                self.werknaam,
                self.telefoon,
            ]
        )


@dataclass(frozen=True)
class Token:
    kind: str
    key_version: int
    value: str = field(repr=False)


def _ascii_letters(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.lower().translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z ]+", " ", text.replace("-", " ").replace("'", " "))


def canonical_word(word: str) -> str:
    for source, target in _SPELLING:
        word = word.replace(source, target)
    return re.sub(r"(.)\1+", r"\1", word)  # double letters: Anna/Ana, Mattheus/Matheus


def name_tokens(text: str) -> list[str]:
    return [canonical_word(w) for w in _ascii_letters(text).split() if w not in PARTICLES]


def _phone_e164(raw: str) -> str | None:
    try:
        number = phonenumbers.parse(raw, "NL")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _name_variants(given: list[str], family: list[str]) -> list[list[str]]:
    """The name as entered, without extra given names, and (for given and family names entered
    in each other's field) without extra "family" names. Deduplicated, in a fixed order."""
    variants = [given[:1] + family, given + family, given + family[:1]]
    unique: list[list[str]] = []
    for variant in variants:
        if variant and sorted(variant) not in [sorted(v) for v in unique]:
            unique.append(variant)
    return unique


def token_values(attributes: IdentifyingAttributes) -> list[tuple[str, str]]:
    """The normalised, unkeyed values per token kind (internal: never stored or logged).

    A kind may have several values (name variants); a record matches another when any value
    of a kind coincides."""
    given = name_tokens(attributes.voornamen)
    family = name_tokens(attributes.achternaam)
    dob = attributes.geboortedatum
    year = dob.year if dob else attributes.geboortejaar
    values: list[tuple[str, str]] = []
    for position, names in enumerate(_name_variants(given, family)):
        ordered = " ".join(names)
        sorted_names = " ".join(sorted(names))
        if len(names) >= 2:
            values.append((NAAM, sorted_names))
        if dob:
            iso = dob.isoformat()
            if position == 0:
                values.append((NAAM_GEB, f"{ordered}|{iso}"))
            values.append((NAAM_GESORTEERD_GEB, f"{sorted_names}|{iso}"))
            if dob.day <= 12 and dob.day != dob.month:
                swapped = datetime.date(dob.year, dob.day, dob.month).isoformat()
                values.append((GEB_OMGEWISSELD, f"{sorted_names}|{swapped}"))
        if year and len(names) >= 2:
            values.append((NAAM_JAAR, f"{sorted_names}|{year}"))
    if dob and family and given:
        phonetic = jellyfish.metaphone("".join(_ascii_letters(attributes.achternaam).split()))
        values.append((FONETISCH_GEB, f"{phonetic}|{given[0][0]}|{dob.isoformat()}"))
    werknaam = " ".join(name_tokens(attributes.werknaam))
    if werknaam:
        values.append((WERKNAAM, werknaam))
    phone = _phone_e164(attributes.telefoon) if attributes.telefoon else None
    if phone:
        values.append((TELEFOON, phone))
    return list(dict.fromkeys(values))


def _hmac(key: VersionedKey, kind: str, value: str) -> str:
    message = f"ketenregie:pseudoniem:{DOMAINS[kind]}\x1f{value}".encode()
    return hmac.new(key.secret, message, hashlib.sha256).hexdigest()


def tokens_for(attributes: IdentifyingAttributes, *, all_keys: bool = False) -> list[Token]:
    """Tokens with the newest key (to store), or with every configured key (to look up
    signals stored before a key rotation)."""
    keys: Iterable[VersionedKey] = (
        settings.PSEUDONYM_KEYS if all_keys else settings.PSEUDONYM_KEYS[:1]
    )
    values = token_values(attributes)
    return [
        Token(kind, key.version, _hmac(key, kind, value)) for key in keys for kind, value in values
    ]


def match_kind(stored_kind: str, new_kind: str) -> str:
    """The kind of one shared token: a swapped date of birth on either side makes it a swap."""
    return GEB_OMGEWISSELD if GEB_OMGEWISSELD in (stored_kind, new_kind) else stored_kind


def strength(kinds: Iterable[str]) -> str:
    """'sterk', 'waarschijnlijk' or 'zwak', from the token kinds two records share."""
    shared = set(kinds)
    if shared & STRONG:
        return "sterk"
    if shared & LIKELY or len(shared & WEAK) >= 2:
        return "waarschijnlijk"
    return "zwak"


def is_probable_match(kinds: Iterable[str]) -> bool:
    """The product's rule: probably the same person (used for hints and the benchmark)."""
    return strength(kinds) in {"sterk", "waarschijnlijk"}
