"""Pseudonymisation of identifying attributes into keyed match tokens (PRODUCT.md §6).

Attributes are normalised (case, diacritics, transliteration-friendly spelling, spacing, name
particles, token order, date formats) and turned into several HMAC-SHA256 tokens, each kind
domain-separated and keyed with PSEUDONYM_KEYS. The attributes themselves are never stored,
logged or returned: only these tokens leave this module.

Known limits: names must be entered in Latin script (no Cyrillic or Thai transliteration);
a typo in the date of birth is only caught when day and month are swapped; a phone number
written in national format (without +CC or 00CC) is read as Dutch, and also in the country of
the "land" field when that names a country. scripts/benchmark_matching.py measures the rule.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _

import jellyfish
import phonenumbers

from config.kernel.keys import VersionedKey

# Token kinds, strongest first. The value is the domain its HMAC input is prefixed with: a
# day/month-swapped date of birth is computed in the domain of the sorted-name token, so it
# meets the other record's ordinary token.
NAAM_GEB = "naam_geb"  # full name in the order entered + date of birth
NAAM_GESORTEERD_GEB = "naam_gesorteerd_geb"  # name tokens sorted + date of birth
TELEFOON = "telefoon"  # phone number in E.164
FONETISCH_GEB = "fonetisch_geb"  # phonetic family name + first initial + date of birth
GEB_OMGEWISSELD = "geb_omgewisseld"  # sorted names + date of birth with day and month swapped
NAAM_JAAR = "naam_jaar"  # sorted names + year of birth (record with a full date of birth)
# The same token of a record with only a year of birth: the stored kind tells the two apart, so
# that two records with different full dates of birth in the same year do not count as likely.
NAAM_ALLEEN_JAAR = "naam_alleen_jaar"
WERKNAAM = "werknaam"  # working name
NAAM = "naam"  # sorted names alone (weak: common names collide)

DOMAINS: dict[str, str] = {
    NAAM_GEB: NAAM_GEB,
    NAAM_GESORTEERD_GEB: NAAM_GESORTEERD_GEB,
    TELEFOON: TELEFOON,
    FONETISCH_GEB: FONETISCH_GEB,
    GEB_OMGEWISSELD: NAAM_GESORTEERD_GEB,
    NAAM_JAAR: NAAM_JAAR,
    NAAM_ALLEEN_JAAR: NAAM_JAAR,
    WERKNAAM: WERKNAAM,
    NAAM: NAAM,
}

# What the coordinator reads for each kind (never the internal token name).
KIND_LABELS: dict[str, Any] = {
    NAAM_GEB: _("naam en geboortedatum"),
    NAAM_GESORTEERD_GEB: _("naam (andere volgorde) en geboortedatum"),
    TELEFOON: _("telefoonnummer"),
    FONETISCH_GEB: _("naam die hetzelfde klinkt en geboortedatum"),
    GEB_OMGEWISSELD: _("naam en geboortedatum met dag en maand omgewisseld"),
    NAAM_JAAR: _("naam en geboortejaar"),
    NAAM_ALLEEN_JAAR: _("naam en geboortejaar"),
    WERKNAAM: _("werknaam"),
    NAAM: _("naam"),
}


def kind_label(kind: str) -> str:
    """The Dutch (or English) label of a token kind, for the coordinator's match hint."""
    return str(KIND_LABELS.get(kind, _("overig kenmerk")))


STRONG = frozenset({NAAM_GEB, NAAM_GESORTEERD_GEB, TELEFOON})
LIKELY = frozenset({FONETISCH_GEB, GEB_OMGEWISSELD, NAAM_JAAR, NAAM_ALLEEN_JAAR})
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

    @classmethod
    def take_from(cls, data: dict[str, Any]) -> IdentifyingAttributes:
        """The identifying attributes out of cleaned form or serializer data: they are removed
        from ``data``, so nothing downstream can store them by accident."""
        values = {name: data.pop(name, None) for name in IDENTIFYING_FIELDS}
        return cls(
            voornamen=values["voornamen"] or "",
            achternaam=values["achternaam"] or "",
            geboortedatum=values["geboortedatum"],
            geboortejaar=values["geboortejaar"],
            land=values["land"] or "",
            werknaam=values["werknaam"] or "",
            telefoon=values["telefoon"] or "",
        )

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


# The names of the identifying attributes, as forms, serializers and the JSON-lines input use them.
IDENTIFYING_FIELDS: tuple[str, ...] = tuple(f.name for f in fields(IdentifyingAttributes))


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


# Abbreviated particles (v.d., v/d, vd Berg): left out of the phonetic keys only, so the other
# tokens stay as they were for signals stored before.
_ABBREVIATED_PARTICLES = frozenset({"v", "d", "vd", "vdr"})


def _phonetic_first_word(text: str) -> tuple[str, set[str]]:
    """Phonetic key of the first name word (Zhivka/Zivka, Kowalski/Kovalski, Phromma/Fromma
    sound alike), and its possible initials as written and canonical (Phromma: p and f)."""
    words = [
        w
        for w in _ascii_letters(text).split()
        if w not in PARTICLES and w not in _ABBREVIATED_PARTICLES
    ]
    if not words:
        return "", set()
    canonical = canonical_word(words[0])
    key = jellyfish.metaphone(canonical.replace("sh", "s"))
    return key, {words[0][0], canonical[0]}


def _phone_e164(raw: str, region: str = "NL") -> str | None:
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@functools.cache
def _regions_by_country_name() -> dict[str, str]:
    """Country names in every Latin-script language phonenumbers knows, and ISO codes, to the
    region code (names that mean two regions are left out)."""
    from phonenumbers.geodata.locale import LOCALE_DATA

    found: dict[str, set[str]] = {}
    for region, names in LOCALE_DATA.items():
        for name in names.values():
            for _step in range(3):  # "*fr": the name in another language (some point to themselves)
                if name.startswith("*"):
                    name = names.get(name[1:], "")
            if name.startswith("*"):
                continue
            key = " ".join(_ascii_letters(name).split())
            if key and len(key) >= len(name) // 2:
                found.setdefault(key, set()).add(region)
        found.setdefault(region.lower(), set()).add(region)
    return {key: next(iter(regions)) for key, regions in found.items() if len(regions) == 1}


def _land_region(land: str) -> str | None:
    """The region of a free-text country ("Roemenië", "Romania", "RO", "Nigeria (Edo)")."""
    words = _ascii_letters(land).split()
    regions = _regions_by_country_name()
    for end in range(len(words), 0, -1):
        region = regions.get(" ".join(words[:end]))
        if region:
            return region
    return None


def _phones_e164(raw: str, land: str) -> list[str]:
    """The number read as Dutch; one written without an international prefix also in the
    country of "land" (0712 345 678 with land Roemenië is +40 712 345 678)."""
    phones = [_phone_e164(raw)]
    compact = re.sub(r"[^0-9+]", "", raw)
    region = _land_region(land) if land else None
    if region and region != "NL" and not compact.startswith(("+", "00")):
        phones.append(_phone_e164(raw, region))
    return [phone for phone in dict.fromkeys(phones) if phone]


def _name_variants(given: list[str], family: list[str]) -> list[list[str]]:
    """The name as entered, without extra given names, (for given and family names entered
    in each other's field) without extra "family" names, and first given name + first family
    name (María José García López / María García). Deduplicated, in a fixed order."""
    variants = [given[:1] + family, given + family, given + family[:1], given[:1] + family[:1]]
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
            values.append((NAAM_JAAR if dob else NAAM_ALLEEN_JAAR, f"{sorted_names}|{year}"))
    if dob and family and given:
        iso = dob.isoformat()
        phonetic = jellyfish.metaphone("".join(_ascii_letters(attributes.achternaam).split()))
        values.append((FONETISCH_GEB, f"{phonetic}|{given[0][0]}|{iso}"))
        # The first family word by sound + the given name's initial, and the first given name
        # by sound + the family name's initial: a typo or transliteration in one of the two
        # names, or names entered in each other's field, still meet the other record.
        family_key, family_initials = _phonetic_first_word(attributes.achternaam)
        given_key, given_initials = _phonetic_first_word(attributes.voornamen)
        for key, initials in ((family_key, given_initials), (given_key, family_initials)):
            if key:
                values.extend((FONETISCH_GEB, f"{key}|{i}|{iso}") for i in sorted(initials))
    werknaam = " ".join(name_tokens(attributes.werknaam))
    if werknaam:
        values.append((WERKNAAM, werknaam))
    if attributes.telefoon:
        values.extend(
            (TELEFOON, phone) for phone in _phones_e164(attributes.telefoon, attributes.land)
        )
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
    """The kind of one shared token: a swapped date of birth on either side makes it a swap.

    Names + year of birth count only when at least one of the two records has no full date
    of birth: two full dates that differ (no date token shared) leave only the name."""
    if GEB_OMGEWISSELD in (stored_kind, new_kind):
        return GEB_OMGEWISSELD
    if stored_kind == new_kind == NAAM_JAAR:
        return NAAM
    if NAAM_ALLEEN_JAAR in (stored_kind, new_kind):
        return NAAM_JAAR
    return stored_kind


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
