"""The identifier guard against formatting tricks (issue 12): disguised identifiers are refused,
ordinary professional sentences are not.

Data files next to this module:

``guard_corpus_nl.txt``
    Ordinary Dutch (and some English) sentences of the kind chain partners write, many of them
    number-heavy; none may be refused.
``guard_disguised_nl.txt``
    Disguised identifiers in a sentence. The ``[tuned]`` part must be refused line by line; the
    ``[held-out]`` part was written before the normalisation and not used to tune it, so only
    its catch rate is pinned (see scripts/guard_evaluate.py for the figures).
"""

from __future__ import annotations

import datetime
import itertools
import re
from pathlib import Path

from django.core.exceptions import ValidationError

import phonenumbers
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casus.signalen.guard import Finding, check_free_text, elfproef, find_identifiers, iban_valid

HERE = Path(__file__).parent
CORPUS_PATH = HERE / "guard_corpus_nl.txt"
DISGUISED_PATH = HERE / "guard_disguised_nl.txt"


def read_lines(path: Path) -> list[str]:
    """Non-empty lines that are not ``#`` comments; ``\\uXXXX`` escapes decoded."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), line))
    return lines


def read_disguised(path: Path = DISGUISED_PATH) -> dict[str, list[str]]:
    parts: dict[str, list[str]] = {}
    current = None
    for line in read_lines(path):
        if re.fullmatch(r"\[[a-z-]+\]", line):
            current = parts.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return parts


CORPUS = read_lines(CORPUS_PATH)
DISGUISED = read_disguised()
TUNED = DISGUISED["tuned"]
HELD_OUT = DISGUISED["held-out"]
#: The held-out catch rate measured once, after the normalisation was written: 41/42 (the miss
#: is a BSN with middle dots, ``7·8·6·…``). Pinned as a floor so it cannot silently drop;
#: changing the guard to catch the rest would make that part tuned, so add new held-out lines.
HELD_OUT_FLOOR = 0.95


def refused(text: str) -> bool:
    try:
        check_free_text(text, field="omschrijving")
    except ValidationError:
        return True
    return False


# --- the data files -----------------------------------------------------------------------------


def test_corpus_is_large_and_varied() -> None:
    assert len(CORPUS) >= 500
    assert len(set(CORPUS)) == len(CORPUS), "duplicate sentences in the corpus"
    assert sum(bool(re.search(r"[0-9]", line)) for line in CORPUS) >= 300  # number-heavy


def test_no_ordinary_sentence_is_refused() -> None:
    flagged = {
        line: [(f.kind, line[f.start : f.end]) for f in find_identifiers(line)] for line in CORPUS
    }
    assert {line: found for line, found in flagged.items() if found} == {}


def test_no_ordinary_sentence_is_refused_when_joined() -> None:
    """Sentences run together in one note: numbers at the seams must not fold into an id."""
    for separator in (" ", "\n"):
        text = separator.join(CORPUS)
        found = [(f.kind, text[f.start : f.end]) for f in find_identifiers(text)]
        assert found == []


@pytest.mark.parametrize("text", TUNED)
def test_disguised_identifier_is_refused(text: str) -> None:
    assert find_identifiers(text), text
    assert refused(text)


def test_held_out_catch_rate_does_not_drop() -> None:
    caught = sum(refused(text) for text in HELD_OUT)
    assert len(HELD_OUT) >= 40
    assert caught / len(HELD_OUT) >= HELD_OUT_FLOOR, f"{caught}/{len(HELD_OUT)}"


# --- the message for a disguised identifier -----------------------------------------------------


def test_message_names_kind_field_and_position_of_a_disguised_identifier() -> None:
    text = "Bel haar op nul zes twaalf vierendertig zesenvijftig achtenzeventig."
    with pytest.raises(ValidationError) as raised:
        check_free_text(text, field="omschrijving")
    assert list(raised.value.message_dict) == ["omschrijving"]
    message = raised.value.message_dict["omschrijving"][0]
    first = text.index("nul") + 1
    last = len(text) - 1
    assert message == (
        f"Deze tekst bevat een telefoonnummer (teken {first}–{last}: ‘nu…’). "  # noqa: RUF001
        "Haal directe identificerende gegevens weg; beschrijf de situatie zonder namen, "
        "nummers of adressen."
    )
    assert raised.value.error_dict["omschrijving"][0].code == "direct_identifier"


def test_offsets_point_at_the_text_as_written() -> None:
    text = "BSN 111\u200b222\u200b333, mail jan [at] voorbeeld [dot] nl, kenteken \uff27\uff38\uff0d\uff11\uff12\uff0d\uff13\uff14."
    found = [(f.kind, text[f.start : f.end]) for f in find_identifiers(text)]
    assert found == [
        ("bsn", "111\u200b222\u200b333"),
        ("email", "jan [at] voorbeeld [dot] nl"),
        ("kenteken", "\uff27\uff38\uff0d\uff11\uff12\uff0d\uff13\uff14"),
    ]


def test_message_never_echoes_a_disguised_identifier() -> None:
    text = "Nummer 1 1 1 2 2 2 3 3 3 en IBAN NL91-ABNA-0417-1643-00."
    with pytest.raises(ValidationError) as raised:
        check_free_text(text, field="notitie")
    message = raised.value.message_dict["notitie"][0]
    assert "een BSN" in message and "een IBAN" in message
    for fragment in ("1 2 2", "2 3 3", "0417", "1643", "ABNA"):
        assert fragment not in message


@pytest.mark.parametrize(
    "text",
    [
        "Op 12 3 keer gezien, 2 van de 3 vrouwen.",
        "Tussen 22.00 en 02.00 uur, kamer 12, € 150,-.",
        "Dwangsom € 111 222 333 opgelegd.",
        "Bedrag 111.222.333 euro in beslag genomen.",
        "Referentie K-111-222-333 en v1.1.1.222.333.",
        "Op 01-02-2026 10 keer gebeld en op 2026-01-02 12 keer.",
        "een twee drie",
        "Zij telde een, twee, drie, vier en hield op.",
        "She stayed at booking.com hotels.",
        "In 2024 en 12 andere jaren; in 2025 is 14 keer gemeld.",
        "12 km 34 minuten rijden, om 12 KM 34 te halen.",
        "Dossier nr1234 en tv1234 zijn geen kentekens.",
        "Op dit punt nl is niets bekend; de 12 vrouwen en 3 mannen.",
        "Ketenregie @ketenregie. De volgende keer meer.",
        "Controles na 06 12 18 24 30 en 36 maanden.",
        "In week 06 07 08 09 10 is er extra toezicht.",
    ],
)
def test_near_misses_are_not_refused(text: str) -> None:
    assert find_identifiers(text) == []


# --- property tests: generated identifiers, then disguised --------------------------------------

EVASION_SETTINGS = settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.filter_too_much]
)

ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
DIGIT_SCRIPTS = {
    "ascii": 0x30,
    "fullwidth": 0xFF10,
    "arabic-indic": 0x0660,
    "persian": 0x06F0,
    "devanagari": 0x0966,
    "bengali": 0x09E6,
    "thai": 0x0E50,
}
DUTCH_DIGITS = ["nul", "een", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"]
ENGLISH_DIGITS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
DUTCH_TEENS = ["tien", "elf", "twaalf", "dertien", "veertien", "vijftien", "zestien"]
DUTCH_TEENS += ["zeventien", "achttien", "negentien"]
DUTCH_TENS = ["", "", "twintig", "dertig", "veertig", "vijftig", "zestig", "zeventig"]
DUTCH_TENS += ["tachtig", "negentig"]
ENGLISH_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty"]
ENGLISH_TENS += ["ninety"]
CONSONANTS = "BDFGHJKLNPRSTVXZ"
SIDECODES = [
    "XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9",
    "9-XXX-99", "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9",
]  # fmt: skip
MONTH_ABBREVIATIONS = {"jan", "feb", "mrt", "mar", "apr", "mei", "may", "jun", "jul", "aug"}
MONTH_ABBREVIATIONS |= {"sep", "okt", "oct", "nov", "dec"}
#: Letter groups the guard reads as abbreviations or words, not as plates or postcodes.
NOT_PLATE_LETTERS = {"nr", "nrs", "tv", "pc", "km", "kg", "mg", "ml", "cm", "mm", "hd", "mp"}
NOT_PLATE_LETTERS |= {"dvd", "cd", "vs", "bv", "nv", "cv", "ch", "ph", "tk", "st", "th", "sms"}
NOT_PLATE_LETTERS |= {"gb", "mb", "kb", "tb", "kw", "mhz", "ghz", "ggd", "bsn", "kvk", "cjg"}
NOT_PLATE_LETTERS |= {"zzp", "bhv", "mdt", "wpg", "zsm", "tbs", "pv", "wrs", "sr", "fg"}
POSTCODE_WORDS = frozenset(
    str.split(
        "sa sd ss en in op is om er te al nu zo ze we je of na ik ja uw ex de da di du la le el et "
        "at on to by an as be do go he if it me my no or so up us am pm km cm mm kg mg ml cl dl "
        "st nr ca vs bv nv jr sr ct pp tv pc ok hr ha ma di wo do vr za cq ie eh oh ah au ai pa oe "
        "ui ei wc id ad mt pv hi ax"
    )
)
SENTENCES = [
    ("Volgens de buurvrouw is het", "en dat is doorgegeven."),
    ("Genoteerd door de wijkagent:", ""),
    ("Zij gaf", "op tijdens het gesprek van 12 maart."),
    ("Op een briefje stond", ", aldus de GGD."),
    ("Her contact is", "according to the outreach worker."),
]


@st.composite
def in_sentence(draw: st.DrawFn, identifiers: st.SearchStrategy[str]) -> str:
    """The disguised identifier in an ordinary sentence, sometimes after a corpus sentence."""
    before, after = draw(st.sampled_from(SENTENCES))
    lead = draw(st.sampled_from(["", *CORPUS])) if draw(st.booleans()) else ""
    return " ".join(part for part in (lead, before, draw(identifiers), after) if part)


def map_digits(draw: st.DrawFn, value: str) -> str:
    """Digits in another script: all of them or a random mix."""
    scripts = list(DIGIT_SCRIPTS.values())
    if draw(st.booleans()):
        base = draw(st.sampled_from(scripts))
        return "".join(chr(base + int(c)) if c.isdigit() else c for c in value)
    return "".join(
        chr(draw(st.sampled_from(scripts)) + int(c)) if c.isdigit() else c for c in value
    )


def insert_invisible(draw: st.DrawFn, value: str) -> str:
    """Zero-width characters or soft hyphens at random places inside the identifier."""
    positions = draw(st.lists(st.integers(1, max(1, len(value) - 1)), max_size=4))
    chars = list(value)
    for position in sorted(positions, reverse=True):
        chars.insert(position, draw(st.sampled_from(ZERO_WIDTH)))
    return "".join(chars)


def change_case(draw: st.DrawFn, value: str) -> str:
    mode = draw(st.sampled_from(["keep", "lower", "upper", "random"]))
    if mode == "lower":
        return value.lower()
    if mode == "upper":
        return value.upper()
    if mode == "random":
        return "".join(c.upper() if draw(st.booleans()) else c.lower() for c in value)
    return value


def looks_like_date(groups: list[str]) -> bool:
    """Three neighbouring groups d-m-yyyy or yyyy-m-d: the guard leaves those alone."""
    for a, b, c in zip(groups, groups[1:], groups[2:], strict=False):
        for day, month, year in ((a, b, c), (c, b, a)):
            if len(day) <= 2 and len(month) <= 2 and len(year) == 4:
                try:
                    datetime.date(int(year), int(month), int(day))
                except ValueError:
                    continue
                if 1900 <= int(year) <= 2099:
                    return True
    return False


def group_digits(draw: st.DrawFn, digits: str, *, slashes: bool = True) -> str:
    """Digits in groups, joined by random separators (-, _, ., spaces, or all slashes).

    Groups are either single digits or two to four digits: how people write numbers (the
    guard does not fold "5670 - 8 469", which mixes them). Slashes only throughout.
    """
    if draw(st.booleans()) and draw(st.booleans()):
        groups = list(digits)
    else:
        groups, rest = [], digits
        while rest:
            size = draw(st.integers(2, 4))
            if len(rest) - size == 1:
                size += 1
            groups.append(rest[:size])
            rest = rest[size:]
    assume(not looks_like_date(groups))
    steps = {int(b) - int(a) for a, b in itertools.pairwise(groups)}
    assume(len(groups) < 4 or len(steps) > 1 or steps == {0})  # "06 12 18 24 30" enumerates
    if slashes and draw(st.integers(0, 5)) == 0:
        return "/".join(groups)
    separators = ["-", "_", ".", " ", " - ", "  ", " . "]
    joined = groups[0]
    for group in groups[1:]:
        joined += draw(st.sampled_from(separators)) + group
    return joined


def spell_digits(draw: st.DrawFn, digits: str) -> str:
    """Digits as Dutch or English words, one by one or two by two (``vierendertig``)."""
    english = draw(st.booleans())
    units = ENGLISH_DIGITS if english else DUTCH_DIGITS
    words, rest = [], digits
    while rest:
        pair = rest[:2]
        # "twenty one" is 21, so an English tens word is only used with its unit.
        usable = not english or pair[0] == "1" or pair[1:] not in {"", "0"}
        if len(pair) == 2 and pair[0] != "0" and usable and draw(st.booleans()):
            tens, unit = int(pair[0]), int(pair[1])
            if tens == 1:
                words.append(
                    ["ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
                     "seventeen", "eighteen", "nineteen"][unit] if english else DUTCH_TEENS[unit]
                )  # fmt: skip
            elif english:
                words.append(ENGLISH_TENS[tens] + (f" {units[unit]}" if unit else ""))
            elif unit:
                joiner = "ën" if DUTCH_DIGITS[unit].endswith("e") else "en"
                words.append(DUTCH_DIGITS[unit] + joiner + DUTCH_TENS[tens])
            else:
                words.append(DUTCH_TENS[tens])
            rest = rest[2:]
        else:
            words.append(units[int(rest[0])])
            rest = rest[1:]
    if not english and draw(st.booleans()):
        words = ["één" if word == "een" else word for word in words]
    separator = draw(st.sampled_from([" ", ", ", "-", " - "]))
    return (
        change_case(draw, separator.join(words)) if draw(st.booleans()) else separator.join(words)
    )


def disguise_digits(draw: st.DrawFn, digits: str, *, spellable: bool = True) -> str:
    """One or more of: grouping, other digit scripts, invisible characters, words."""
    if spellable and draw(st.integers(0, 3)) == 0:
        return spell_digits(draw, digits)
    value = group_digits(draw, digits) if draw(st.booleans()) else digits
    if draw(st.booleans()):
        value = map_digits(draw, value)
    if draw(st.booleans()) or value == digits:
        value = insert_invisible(draw, value)
    return value


@st.composite
def valid_bsns(draw: st.DrawFn) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
    assume(check < 10 and any(digits))
    value = "".join(map(str, [*digits, check]))
    assert elfproef(value)
    return value


@st.composite
def disguised_bsns(draw: st.DrawFn) -> str:
    return disguise_digits(draw, draw(valid_bsns()))


@st.composite
def disguised_mobiles(draw: st.DrawFn) -> str:
    subscriber = str(draw(st.integers(1, 5))) + draw(st.from_regex(r"[0-9]{7}", fullmatch=True))
    assume(phonenumbers.is_valid_number(phonenumbers.parse("06" + subscriber, "NL")))
    if draw(st.integers(0, 4)) == 0:
        prefix = draw(st.sampled_from(["+31 6 ", "+31-6-", "+316", "0031 6 ", "+31_6_"]))
        grouped = group_digits(draw, subscriber, slashes=False)
        return insert_invisible(draw, map_digits(draw, prefix + grouped))
    return disguise_digits(draw, "06" + subscriber)


def _iban_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


@st.composite
def disguised_ibans(draw: st.DrawFn) -> str:
    country, bban = draw(
        st.sampled_from(
            [
                ("NL", "{bank}{d10}"),
                ("DE", "{d18}"),
                ("BE", "{d12}"),
                ("RO", "{bank}{d16}"),
                ("BG", "{bank}{d14}"),
            ]
        )
    )
    bank = draw(st.sampled_from(["ABNA", "RABO", "INGB", "SNSB", "TRIO", "BUNQ", "BTRL", "UNCR"]))
    bban = bban.format(
        bank=bank,
        d10=draw(st.from_regex(r"[0-9]{10}", fullmatch=True)),
        d12=draw(st.from_regex(r"[0-9]{12}", fullmatch=True)),
        d14=draw(st.from_regex(r"[0-9]{14}", fullmatch=True)),
        d16=draw(st.from_regex(r"[0-9]{16}", fullmatch=True)),
        d18=draw(st.from_regex(r"[0-9]{18}", fullmatch=True)),
    )
    iban = country + _iban_check_digits(country, bban) + bban
    assert iban_valid(iban)
    mode = draw(st.sampled_from(["fours", "random", "compact"]))
    if mode == "fours":
        separator = draw(st.sampled_from(["-", "_", ".", "/", " - ", " "]))
        value = separator.join(iban[i : i + 4] for i in range(0, len(iban), 4))
    elif mode == "random":
        value, rest = "", iban
        while rest:
            size = draw(st.integers(2, 5))
            value += rest[:size] + (
                draw(st.sampled_from(["-", "_", ".", " "])) if rest[size:] else ""
            )
            rest = rest[size:]
    else:
        value = iban
    value = change_case(draw, value)
    if draw(st.booleans()):
        value = map_digits(draw, value)
    if draw(st.booleans()) or value == iban:
        value = insert_invisible(draw, value)
    return value


LOCAL_PARTS = st.from_regex(r"[a-z]{2,8}([._][a-z0-9]{1,6})?", fullmatch=True).filter(
    lambda local: local not in {"at", "is", "me", "it", "us", "her", "him", "was", "met", "ad"}
)
DOMAINS = st.from_regex(r"[a-z]{3,10}(-[a-z]{2,6})?", fullmatch=True).filter(
    lambda domain: domain not in {"dot", "punt", "at"}
)
TLDS = st.sampled_from(["nl", "com", "org", "net", "eu", "be", "de", "ro", "bg", "info"])
AT_SPELLINGS = [
    " at ",
    " AT ",
    " [at] ",
    "[at]",
    " (at) ",
    "(at)",
    "{at}",
    " apenstaartje ",
    " @ ",
    "\uff20",
    "@",
]
DOT_SPELLINGS = [
    " dot ",
    " DOT ",
    " [dot] ",
    "[dot]",
    " (dot) ",
    " punt ",
    "(punt)",
    "{dot}",
    "\uff0e",
]


@st.composite
def disguised_emails(draw: st.DrawFn) -> str:
    local, domain, tld = draw(LOCAL_PARTS), draw(DOMAINS), draw(TLDS)
    at = draw(st.sampled_from(AT_SPELLINGS))
    dot = draw(st.sampled_from([*DOT_SPELLINGS, "."]))
    value = local + at + domain + dot + tld
    if at.strip() in {"@", "\uff20"} and dot == ".":
        value = insert_invisible(draw, value)  # plain form: hide it with invisible characters
    elif draw(st.booleans()):
        value = insert_invisible(draw, value)
    return change_case(draw, value) if draw(st.booleans()) else value


@st.composite
def disguised_postcodes(draw: st.DrawFn) -> str:
    digits = str(draw(st.integers(1000, 9999)))
    letters = draw(st.from_regex(r"[A-Z]{2}", fullmatch=True))
    case = draw(st.sampled_from(["lower", "mixed", "upper"]))
    if case == "lower":
        letters = letters.lower()
    elif case == "mixed":
        letters = letters[0] + letters[1].lower()
    assume(letters.upper() not in {"SA", "SD", "SS"} and letters.lower() not in POSTCODE_WORDS)
    number = str(draw(st.integers(1, 299))) + draw(st.sampled_from(["", "a", "B"]))
    separator = draw(st.sampled_from(["", " ", "-", "_", "."]))
    between = draw(st.sampled_from([" ", ", ", "-", " nr. "]))
    value = digits + separator + letters + between + number
    if draw(st.booleans()):
        value = map_digits(draw, value)
    if draw(st.booleans()) or case == "upper":
        value = insert_invisible(draw, value)
    return value


@st.composite
def disguised_plates(draw: st.DrawFn) -> str:
    sidecode = draw(st.sampled_from(SIDECODES))
    groups = []
    for group in sidecode.split("-"):
        alphabet = CONSONANTS if group[0] == "X" else "0123456789"
        groups.append("".join(draw(st.sampled_from(alphabet)) for _ in group))
    letter_groups = {group.lower() for group in groups if group.isalpha()}
    assume(not letter_groups & (MONTH_ABBREVIATIONS | NOT_PLATE_LETTERS))
    mode = draw(st.sampled_from(["hyphen", "compact", "spaced"]))
    if mode == "hyphen":
        value = change_case(draw, "-".join(groups))
    elif mode == "compact":
        value = "".join(groups)
        assume(not (sidecode == "99-99-XX" and value[0] != "0"))  # that is a postcode
        value = change_case(draw, value)
    else:
        value = draw(st.sampled_from([" ", ".", "_"])).join(groups)  # spaced: capitals only
    if draw(st.booleans()):
        value = map_digits(draw, value)
    if draw(st.booleans()) or value == "-".join(groups):
        value = insert_invisible(draw, value)
    return value


def _kinds(text: str) -> set[str]:
    return {finding.kind for finding in find_identifiers(text)}


def _assert_refused(text: str, kind: str) -> None:
    findings: list[Finding] = find_identifiers(text)
    assert any(f.kind == kind for f in findings), (text, findings)
    assert refused(text)


@EVASION_SETTINGS
@given(in_sentence(disguised_bsns()))
def test_property_disguised_bsn_is_refused(text: str) -> None:
    _assert_refused(text, "bsn")


@EVASION_SETTINGS
@given(in_sentence(disguised_mobiles()))
def test_property_disguised_mobile_number_is_refused(text: str) -> None:
    _assert_refused(text, "telefoon")


@EVASION_SETTINGS
@given(in_sentence(disguised_ibans()))
def test_property_disguised_iban_is_refused(text: str) -> None:
    _assert_refused(text, "iban")


@EVASION_SETTINGS
@given(in_sentence(disguised_emails()))
def test_property_disguised_email_address_is_refused(text: str) -> None:
    _assert_refused(text, "email")


@EVASION_SETTINGS
@given(in_sentence(disguised_postcodes()))
def test_property_disguised_postcode_with_house_number_is_refused(text: str) -> None:
    _assert_refused(text, "postcode_huisnummer")


@EVASION_SETTINGS
@given(in_sentence(disguised_plates()))
def test_property_disguised_licence_plate_is_refused(text: str) -> None:
    _assert_refused(text, "kenteken")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(CORPUS), min_size=1, max_size=4),
    st.sampled_from([" ", "\n", " - ", ". "]),
)
def test_property_ordinary_sentences_stay_accepted_in_any_combination(
    sentences: list[str], separator: str
) -> None:
    text = separator.join(sentences)
    assert _kinds(text) == set(), text
