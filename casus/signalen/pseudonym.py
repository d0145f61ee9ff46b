"""Pseudonymisation of identifying attributes into keyed match tokens (PRODUCT.md §6).

Attributes are normalised (case, diacritics, transliteration-friendly spelling, spacing, name
particles, token order, date formats) and turned into several HMAC-SHA256 tokens, each kind
domain-separated and keyed with PSEUDONYM_KEYS. The attributes themselves are never stored,
logged or returned: only these tokens leave this module.

Which combination of agreeing kinds makes a hint 'sterk' or 'waarschijnlijk' is not set by
hand: strength() reads the pattern table in match_rule_table.json, fitted on a labelled synthetic
training population by scripts/calibrate_matching.py (docs/matching.md has the rule, the
figures and the limits).

Known limits: Cyrillic names are transliterated with a fixed table (below); Thai script is
not romanised (enter Thai names in Latin script); a phone number written in national format
(without +CC or 00CC) is read as Dutch, and also in the country of the "land" field when that
names a country. scripts/benchmark_matching.py measures the rule.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import hmac
import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from pathlib import Path
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
# Keys for the errors professionals make (issue 14), each in its own domain:
GEB_DAG = "geb_dag"  # names + a pair of adjacent days containing the date (one day off)
GEB_CIJFER = "geb_cijfer"  # names + the date with one digit masked (one digit off)
BIJNAAM_GEB = "bijnaam_geb"  # names with the given name as its full form (Kasia: Katarzyna)
ACHTERNAAM_GEB = "achternaam_geb"  # first family name by sound + date of birth (no given name)
# The working name as given name + family name + date of birth, in the sorted-name domain:
# a Thai woman's nickname (her working name) meets the report that gives it as her name.
WERKNAAM_NAAM_GEB = "werknaam_naam_geb"
# Not a token: names and year agree while both records carry a full date of birth and the
# dates differ (evidence against; match_kind of two naam_jaar tokens).
GEB_VERSCHILT = "geb_verschilt"

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
    GEB_DAG: GEB_DAG,
    GEB_CIJFER: GEB_CIJFER,
    BIJNAAM_GEB: BIJNAAM_GEB,
    ACHTERNAAM_GEB: ACHTERNAAM_GEB,
    WERKNAAM_NAAM_GEB: NAAM_GESORTEERD_GEB,
    GEB_VERSCHILT: NAAM_JAAR,  # never emitted; here for the order of kinds
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
    GEB_DAG: _("naam en geboortedatum met één dag verschil"),
    GEB_CIJFER: _("naam en geboortedatum met één cijfer verschil"),
    BIJNAAM_GEB: _("roepnaam of volledige voornaam en geboortedatum"),
    ACHTERNAAM_GEB: _("achternaam en geboortedatum"),
    WERKNAAM_NAAM_GEB: _("werknaam als voornaam en geboortedatum"),
    GEB_VERSCHILT: _("naam en geboortejaar, maar een andere geboortedatum"),
}


# What the coordinator reads for each tier of a hint (never the internal name).
TIER_LABELS: dict[str, Any] = {
    "sterk": _("sterke match: waarschijnlijk dezelfde persoon"),
    "waarschijnlijk": _("mogelijk dezelfde persoon, controleer"),
    "gedeeld": _("gedeeld telefoonnummer of werknaam: mogelijk een netwerk, geen persoonsmatch"),
}
# A phone or working name that several identities share reads as what it is.
SHARED_KIND_LABELS: dict[str, Any] = {
    TELEFOON: _("gedeeld telefoonnummer"),
    WERKNAAM: _("gedeelde werknaam"),
}


TIER_SHORT_LABELS: dict[str, Any] = {
    "sterk": _("sterke match"),
    "waarschijnlijk": _("mogelijke match"),
    "gedeeld": _("gedeeld nummer of werknaam"),
}


def tier_label(tier: str, *, short: bool = False) -> str:
    return str((TIER_SHORT_LABELS if short else TIER_LABELS).get(tier, tier))


# What a stronger agreeing kind already says, for the coordinator's reading: (when any of
# these agree, leave out those). The full name with the same date says the sorted name, the
# sound, the family name and the near-date keys; a near date says the dates differ.
_IMPLIED: tuple[tuple[frozenset[str], frozenset[str]], ...] = (
    (frozenset({NAAM_GEB}), frozenset({NAAM_GESORTEERD_GEB})),
    (
        frozenset({NAAM_GEB, NAAM_GESORTEERD_GEB}),
        frozenset(
            {FONETISCH_GEB, ACHTERNAAM_GEB, BIJNAAM_GEB, GEB_DAG, GEB_CIJFER, GEB_OMGEWISSELD}
        ),
    ),
    (frozenset({FONETISCH_GEB, BIJNAAM_GEB}), frozenset({ACHTERNAAM_GEB})),
    (frozenset({GEB_OMGEWISSELD, GEB_DAG}), frozenset({GEB_CIJFER})),
    (frozenset({GEB_OMGEWISSELD, GEB_DAG, GEB_CIJFER}), frozenset({GEB_VERSCHILT})),
    (frozenset(set(DOMAINS) - {NAAM, TELEFOON, WERKNAAM}), frozenset({NAAM})),
)


def kind_labels(kinds: Iterable[str], shared: Iterable[str] = ()) -> list[str]:
    """The labels of a hint's agreeing kinds in words, each once, without what a stronger
    kind already says; a phone or working name that several identities share as shared."""
    present = list(kinds)
    dropped: set[str] = set()
    for stronger, implied in _IMPLIED:
        if stronger & set(present):
            dropped |= implied
    marked = set(shared)
    labels = (
        str(SHARED_KIND_LABELS[kind])
        if kind in marked and kind in SHARED_KIND_LABELS
        else kind_label(kind)
        for kind in present
        if kind not in dropped
    )
    return list(dict.fromkeys(labels))


def kind_label(kind: str) -> str:
    """The Dutch (or English) label of a token kind, for the coordinator's match hint."""
    return str(KIND_LABELS.get(kind, _("overig kenmerk")))


# A phone number or working name is not the person's own: a controller's phone serves several
# women and working names are reused. Agreement on these alone is never 'sterk'.
SHAREABLE = frozenset({TELEFOON, WERKNAAM})
# Kinds that say the two full dates of birth are the same.
SAME_DATE = frozenset(
    {NAAM_GEB, NAAM_GESORTEERD_GEB, FONETISCH_GEB, BIJNAAM_GEB, ACHTERNAAM_GEB, WERKNAAM_NAAM_GEB}
)
# Kinds that say the two dates are close (one day, one digit, day and month swapped).
NEAR_DATE = frozenset({GEB_DAG, GEB_CIJFER, GEB_OMGEWISSELD})
TIERS = ("zwak", "gedeeld", "waarschijnlijk", "sterk")  # weakest first
# The tiers that say "probably the same person" (a hint, the agenda's match rule); 'gedeeld'
# is a network's phone or working name, shown apart, never a person match.
PERSON_MATCH_TIERS = ("sterk", "waarschijnlijk")

PARTICLES = frozenset(
    {"van", "de", "der", "den", "het", "ter", "ten", "te", "la", "le", "di", "da", "dos",
     "del", "della", "el", "al", "bin", "ben", "von", "zu", "mac", "mc", "st"}
)  # fmt: skip

_SPECIAL = str.maketrans(
    {"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l", "đ": "d", "ı": "i", "þ": "th", "ð": "d"}
)
# Cyrillic to Latin, after the national passport transliterations (Bulgarian 2009 law,
# Ukrainian KMU 55/2010, Russian ICAO 9303); a text with і, ї, є or ґ is read as Ukrainian
# (г is h there). Deterministic: the same Cyrillic name always gives the same Latin letters,
# which then go through the same spelling rules as a name typed in Latin script.
_CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ye",
    "ж": "zh", "з": "z", "и": "i", "і": "i", "ї": "yi", "й": "y", "к": "k", "л": "l",
    "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f",
    "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "a", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya",
}  # fmt: skip
_CYRILLIC_RU_BG = str.maketrans(_CYRILLIC)
_CYRILLIC_UK = str.maketrans({**_CYRILLIC, "г": "h", "и": "y", "щ": "shch"})
_UKRAINIAN_LETTERS = frozenset("іїєґ")

# Short forms of common given names per origin (issue 14): the forms a woman gives herself or a
# professional writes down, pinned here and kept short on purpose. Full form: its short forms.
# Sources: the common diminutives in Polish (Kasia, Gosia), Romanian (Miha, Oana), Bulgarian,
# Ukrainian and Russian (Sasha, Nastya), Hungarian (Kati, Erzsi), Nigerian English (Bless,
# Presh) and Spanish (Lupe) usage as listed in the Wiktionary diminutive entries of each name.
_NICKNAMES: dict[str, tuple[str, ...]] = {
    "katarzyna": ("kasia", "kaska"), "malgorzata": ("gosia",), "agnieszka": ("aga",),
    "magdalena": ("magda",), "joanna": ("asia",), "barbara": ("basia",), "anna": ("ania",),
    "zofia": ("zosia",), "aleksandra": ("ola", "ala", "sasha", "ale", "alexa"),
    "oleksandra": ("sasha",), "mihaela": ("miha",), "ioana": ("oana",),
    "maria": ("mariana", "masha", "mari"), "mariia": ("masha",), "gabriela": ("gabi", "gaby"),
    "gabriella": ("gabi",), "daniela": ("dana", "dani"), "elena": ("lena", "ela"),
    "olena": ("lena",), "kateryna": ("katia", "katya"), "ekaterina": ("katya", "katia"),
    "anastasiia": ("nastia", "nastya"), "anastasia": ("nastia", "nastya"), "daria": ("dasha",),
    "nataliia": ("natasha",), "natalia": ("natasha", "natka"), "svitlana": ("sveta",),
    "svetlana": ("sveta",), "tetiana": ("tania", "tanya"), "tatiana": ("tania", "tanya"),
    "viktoria": ("viki", "vika"), "viktoriia": ("vika",), "wiktoria": ("wika",),
    "teodora": ("dora",), "desislava": ("desi",), "nadezhda": ("nadya",),
    "erzsebet": ("erzsi",), "katalin": ("kati",), "krisztina": ("kriszti",),
    "zsofia": ("zsofi",), "blessing": ("bless",), "precious": ("presh",),
    "favour": ("fave",), "temitope": ("tope",), "funmilayo": ("funmi",), "ifeoma": ("ify",),
    "guadalupe": ("lupe",), "alejandra": ("ale",), "valentina": ("vale",),
}  # fmt: skip

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
    text = text.lower()
    if any("\u0400" <= ch <= "\u04ff" for ch in text):  # Cyrillic script
        ukrainian = not _UKRAINIAN_LETTERS.isdisjoint(text)
        text = text.translate(_CYRILLIC_UK if ukrainian else _CYRILLIC_RU_BG)
    text = unicodedata.normalize("NFKD", text.translate(_SPECIAL))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[^a-z ]+", " ", text.replace("-", " ").replace("'", " "))


def canonical_word(word: str) -> str:
    for source, target in _SPELLING:
        word = word.replace(source, target)
    return re.sub(r"(.)\1+", r"\1", word)  # double letters: Anna/Ana, Mattheus/Matheus


def name_tokens(text: str) -> list[str]:
    return [canonical_word(w) for w in _ascii_letters(text).split() if w not in PARTICLES]


@functools.cache
def _full_forms() -> dict[str, tuple[str, ...]]:
    """Canonical given name -> the canonical full forms it is (a short form of)."""
    found: dict[str, set[str]] = {}
    for full, shorts in _NICKNAMES.items():
        key = canonical_word(full)
        for form in (full, *shorts):
            found.setdefault(canonical_word(form), set()).add(key)
    return {name: tuple(sorted(keys)) for name, keys in found.items()}


def _masked_dates(iso: str) -> list[str]:
    """The date with each digit after the century masked in turn: two dates that differ in
    one digit (1994/1984, 14/17) share one masked form."""
    return [iso[:i] + "*" + iso[i + 1 :] for i in (2, 3, 5, 6, 8, 9)]


def _day_pairs(dob: datetime.date) -> list[str]:
    """The two pairs of adjacent days that contain the date: dates one day apart share one."""
    one = datetime.timedelta(days=1)
    pairs = []
    for first in (dob - one, dob):
        if datetime.date.min < first < datetime.date.max:
            pairs.append(f"{first.isoformat()}/{(first + one).isoformat()}")
    return pairs


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
            if position == 0:
                values.extend((GEB_DAG, f"{sorted_names}|{pair}") for pair in _day_pairs(dob))
                values.extend(
                    (GEB_CIJFER, f"{sorted_names}|{masked}") for masked in _masked_dates(iso)
                )
                if given:
                    for full in _full_forms().get(given[0], ()):
                        names_full = " ".join(sorted([full, *family]))
                        values.append((BIJNAAM_GEB, f"{names_full}|{iso}"))
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
    if dob and family:
        # The family name by sound + date of birth alone: a nickname not in the table, or a
        # given name with a typo (twins share it too: the calibrated table weighs that).
        family_key, _initials = _phonetic_first_word(attributes.achternaam)
        if family_key:
            values.append((ACHTERNAAM_GEB, f"{family_key}|{dob.isoformat()}"))
    werknaam_words = name_tokens(attributes.werknaam)
    werknaam = " ".join(werknaam_words)
    if werknaam:
        values.append((WERKNAAM, werknaam))
        if dob and family:
            as_given = " ".join(sorted([*werknaam_words, *family]))
            values.append((WERKNAAM_NAAM_GEB, f"{as_given}|{dob.isoformat()}"))
    if attributes.telefoon:
        values.extend(
            (TELEFOON, phone) for phone in _phones_e164(attributes.telefoon, attributes.land)
        )
    # One token per HMAC input: a kind computed in another kind's domain (werknaam as given
    # name) is left out where it coincides with a token already there.
    unique: dict[tuple[str, str], tuple[str, str]] = {}
    for kind, value in values:
        unique.setdefault((DOMAINS[kind], value), (kind, value))
    return list(unique.values())


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
    """The kind of one shared token: a swapped date of birth on either side makes it a swap,
    a working name used as given name on either side makes it that.

    Names + year of birth of two records that both carry a full date of birth mean the dates
    differ (geb_verschilt: evidence against) unless a same-date kind agrees too (settle_kinds)."""
    if GEB_OMGEWISSELD in (stored_kind, new_kind):
        return GEB_OMGEWISSELD
    if WERKNAAM_NAAM_GEB in (stored_kind, new_kind):
        return WERKNAAM_NAAM_GEB
    if stored_kind == new_kind == NAAM_JAAR:
        return GEB_VERSCHILT
    if NAAM_ALLEEN_JAAR in (stored_kind, new_kind):
        return NAAM_JAAR
    return stored_kind


def settle_kinds(kinds: Iterable[str]) -> frozenset[str]:
    """The agreeing kinds of a pair: geb_verschilt only when no same-date kind agrees."""
    found = set(kinds)
    if GEB_VERSCHILT in found and found & SAME_DATE:
        found.discard(GEB_VERSCHILT)
        found.add(NAAM)
    return frozenset(found)


def pattern_key(kinds: Iterable[str], shared: Iterable[str] = ()) -> str:
    """The calibration table's key of a pair: its agreeing kinds, sorted, joined with '+'; a
    kind that several identities share (a network's phone) carries a '*'."""
    marked = set(shared)
    return "+".join(sorted(f"{k}*" if k in marked else k for k in set(kinds)))


RULE_TABLE = Path(__file__).with_name("match_rule_table.json")


@functools.cache
def rule_table() -> dict[frozenset[str], str]:
    """The calibrated pattern table (match_rule_table.json): pattern -> tier."""
    document = json.loads(RULE_TABLE.read_text(encoding="utf-8"))
    return {frozenset(key.split("+")): row[0] for key, row in document["patterns"].items()}


@functools.cache
def _table_tier(features: frozenset[str]) -> str:
    """The calibrated tier of a pattern; an unseen pattern gets the best tier of the seen
    patterns it contains that have the same evidence against (geb_verschilt)."""
    table = rule_table()
    if features in table:
        return table[features]
    against = GEB_VERSCHILT in features
    best = "zwak"
    for known, tier in table.items():
        if (
            known <= features
            and (GEB_VERSCHILT in known) == against
            and TIERS.index(tier) > TIERS.index(best)
        ):
            best = tier
    return best


def strength(kinds: Iterable[str], shared: Iterable[str] = ()) -> str:
    """'sterk', 'waarschijnlijk', 'gedeeld' or 'zwak', from the token kinds two records share
    (``shared``: those of them that link several identities, see matching.probable_matches).

    The tier comes from the calibrated pattern table (match_rule_table.json), with three fixed
    limits on top: a phone number and/or working name alone is never 'sterk'; two full dates
    of birth that differ, and not by a typo, are never 'sterk'; a pair that agrees only on
    shared tokens, or is weak but shares a network's token, is 'gedeeld' (not a person match)."""
    agreeing = settle_kinds(kinds)
    network = frozenset(shared) & agreeing
    if not agreeing:
        return "zwak"
    if agreeing <= network:
        return "gedeeld"
    tier = _table_tier(frozenset(pattern_key(agreeing, network).split("+")))
    if tier == "sterk" and (
        agreeing <= SHAREABLE or (GEB_VERSCHILT in agreeing and not agreeing & NEAR_DATE)
    ):
        tier = "waarschijnlijk"
    if tier in {"zwak", "gedeeld"}:
        return "gedeeld" if network else "zwak"
    return tier


def is_probable_match(kinds: Iterable[str], shared: Iterable[str] = ()) -> bool:
    """The product's rule: probably the same person (used for hints and the benchmark)."""
    return strength(kinds, shared) in PERSON_MATCH_TIERS
