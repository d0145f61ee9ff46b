"""Identifier guard: keeps direct identifiers out of the free-text fields (PRODUCT.md §6).

Free text (signal descriptions, bijdragen, afspraken, meeting notes) is shared between chain
partners, so it must describe a situation without naming the person. This module finds the direct
identifiers that can be recognised reliably and rejects a text that contains them. Precision
matters as much as recall: a guard that blocks ordinary professional sentences (meeting dates,
amounts, times, case references, statute articles, ages, years) gets worked around.

What is detected, and the rules (each with its known limits):

``bsn``
    Exactly nine digits, compact (``123456782``) or in groups 4-2-3 / 3-3-3 separated by one
    consistent space or dot, that pass the elfproef (9·d1 + 8·d2 + … + 2·d8 - 1·d9 ≡ 0 mod 11,
    not all zeros). Not part of a longer number or reference (``K-123456782``, ``1.123456782``)
    and not an amount (``€`` right before it, ``euro`` or ``,-`` right after it). Other
    groupings (``111-222-333``, ``111 222.333``, digit by digit) are found by folding, below.
    Limit: about one in eleven arbitrary nine-digit numbers passes the elfproef, so an
    unrelated nine-digit number can be flagged.
``telefoon``
    ``phonenumbers.PhoneNumberMatcher`` with region NL and leniency VALID: Dutch numbers in
    every usual notation (``06-12345678``, ``+31 6 12345678``, ``0031612345678``,
    ``058-2345678``) and international numbers with ``+`` or ``00`` (Romania, Bulgaria,
    Nigeria, Thailand, …). Dutch service numbers of organisations (toll-free 0800, premium rate
    090x, shared cost 084x/087x, the 088 company numbers and the municipal 14 0xx numbers) are
    not personal identifiers and are not flagged. Limit: foreign numbers written without ``+`` or
    ``00`` are read as Dutch and usually not found.
``email``
    A pragmatic address pattern (local part, ``@`` or ``(at)``/``[at]``, dotted domain with a
    letter TLD). Limit: fully obfuscated forms (``jan punt de vries at gmail punt com``) pass.
``iban``
    Two letters, two check digits and the BBAN, compact or in groups of four, validated with the
    ISO 13616 mod-97 check and, for the countries in :data:`IBAN_LENGTHS`, the national length
    (15 to 34 characters otherwise).
``postcode_huisnummer``
    A Dutch postcode (four digits not starting with 0, optional space, two letters other than
    SA, SD, SS; lowercase letters only when written without a space) *together with* a house
    number: ``8911 AB 12``, ``8911AB 12a``, ``8911 AB, nr. 12`` or ``Weaze 12, 8911 AB``.
    A postcode on its own (``in 8911 AB``) describes an area, not an address, and is not
    flagged; a street with a house number but without a postcode is not flagged either.
``geboortedatum``
    A full, existing date (``d-m-yyyy``, ``dd/mm/yyyy``, ``d.m.yyyy``, ``yyyy-mm-dd``,
    ``12 maart 1998`` with Dutch or English month names, two-digit years only after a cue) is
    flagged when

    1. a birth cue (``geboren``, ``geboorte``, ``geb.``, ``geboortedatum``, ``geboortedag``, ``DOB``,
       ``date of birth``, ``born``, ``°``) stands at most three words before it, or
       ``geboren``/``born`` at most three words after it; or
    2. it lies 12 to 100 years before today (a plausible date of birth; meeting and event dates
       are recent), unless the word right before it marks an event (``op``, ``sinds``,
       ``vanaf``, ``van``, ``per``, ``tot``, ``d.d.``, …).

    So "Op 12-03-2026 gesproken" passes, "geb. 12-03-2026" is flagged and "cliënte,
    12-03-1998, verblijft …" is flagged. Limit: an old event date without an event word
    ("vonnis 14-05-2012") is flagged; a birth date written after "op" without a cue passes.
``kenteken``
    The fourteen Dutch sidecodes (``XX-99-99`` … ``999-XX-9``) with hyphens, letters all
    uppercase or all lowercase (lowercase only without vowels: ``100-en-1`` is prose); without hyphens only six uppercase characters in a sidecode
    shape, without vowels (Dutch plates use none) and not shaped like a postcode (``1234AB``). Month abbreviations
    (``1-jan-26``) are dates, not plates. ``K-2026-0001``, ``DEMO-001``, ``COVID-19``, ``A7``
    and ``art. 273f`` do not match any sidecode.

Formatting does not hide an identifier. Every rule runs on the text as written and on
normalised views of it (:func:`_views`); findings are mapped back to the characters as written:

1. *Characters*: Unicode NFKC (full-width digits, letters and at sign), format characters
   (category Cf: zero-width space and joiners, soft hyphen, word joiner, BOM, direction marks)
   removed, every Unicode decimal digit (Arabic-Indic, Persian, Devanagari, …) mapped to ASCII,
   dashes (category Pd) to ``-`` and spaces (category Zs) to a plain space.
2. *Spelled numbers*: a run of Dutch or English number words (``nul zes twaalf
   vierendertig``, ``zero six one two``, ``oh``, ``double five``, ``plus eenendertig``) becomes
   digits when it has at least :data:`MIN_SPELLED_WORDS` number words and
   :data:`MIN_SPELLED_DIGITS` digits, so "een", "twee keer" or "drie of vier" stay prose.

On every view, digit groups separated by ``-``, ``_``, ``.``, ``/`` or spaces (``111-222-333``,
``111 222.333``, ``1 1 1 2 2 2 3 3 3``, ``06_12_34_56_78``) are folded and the joined digits
are validated as a BSN (elfproef) or a phone number (``phonenumbers``, personal numbers only);
a run that holds a date (``12-03-2026``), follows ``€`` or is part of a reference is not folded.
Spelled e-mail addresses (``jan at voorbeeld dot nl``, ``[at]``, ``{at}``, ``apenstaartje``,
``punt``, ``[dot]``, spaces around ``@``) need a known top-level domain. IBANs may be grouped
with any of those separators (known country, mod-97, at least eight digits); a postcode may be
written in lower case or with a separator (``8911 ab 12``, ``8911-AB-12``) unless its letters
form a common word (``2024 en 12``); a plate may be in mixed case or spaced (``Gx-12-34``,
``gx1234``, ``GX 12 34``) when it has no vowels.

Limits of the normalisation: separators other than ``-_./`` and spaces (a middle dot ``·``,
a comma) do not join digit groups; groups that mix single digits with longer ones
(``5670 - 8 469``) and runs of four or more numbers in equal steps (``06 12 18 24 30``) are
not folded, nor is a run that contains a date; "twenty one" is read as 21, never as 20 and 1;
a spelled-out e-mail address with an unusual top-level domain passes. Folding itself costs
precision: about one in eleven unrelated nine-digit joins passes the elfproef, so a text that
puts several numbers side by side with only spaces between them can be refused.

Findings never overlap: where two rules match the same characters the more specific kind wins
(e-mail, IBAN, address, date of birth, plate, then BSN or phone number, the longer of the two).
"""

from __future__ import annotations

import datetime
import itertools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext, ngettext

import phonenumbers
from phonenumbers import Leniency, PhoneNumberMatcher, PhoneNumberType

__all__ = ["Finding", "check_free_text", "elfproef", "find_identifiers", "iban_valid"]


@dataclass(frozen=True)
class Finding:
    """One direct identifier in a text: what it is and where (``text[start:end]``)."""

    kind: str
    start: int
    end: int
    label: str


# Order = precedence when two findings overlap (the more specific pattern first).
KINDS = (
    "email",
    "iban",
    "postcode_huisnummer",
    "geboortedatum",
    "kenteken",
    "bsn",
    "telefoon",
)


def _precedence(kind: str) -> int:
    """BSN and phone number rank equal, so the longer wins: in ``0`` + zero-width space +
    ``630448784`` the nine digits pass the elfproef, but all ten are a phone number."""
    return KINDS.index("bsn") if kind == "telefoon" else KINDS.index(kind)


def _label(kind: str) -> str:
    labels = {
        "bsn": gettext("een BSN"),
        "telefoon": gettext("een telefoonnummer"),
        "email": gettext("een e-mailadres"),
        "iban": gettext("een IBAN"),
        "postcode_huisnummer": gettext("een postcode met huisnummer"),
        "geboortedatum": gettext("een geboortedatum"),
        "kenteken": gettext("een kenteken"),
    }
    return labels[kind]


Span = tuple[str, int, int]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- BSN ----------------------------------------------------------------------------------------

_BSN_RE = re.compile(
    r"[0-9]{9}"
    r"|[0-9]{4}(?P<s1>[ .])[0-9]{2}(?P=s1)[0-9]{3}"
    r"|[0-9]{3}(?P<s2>[ .])[0-9]{3}(?P=s2)[0-9]{3}"
)


def elfproef(digits: str) -> bool:
    """True when nine digits pass the BSN 11-test (and are not all zeros)."""
    if len(digits) != 9 or not digits.isascii() or not digits.isdigit() or int(digits) == 0:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(w * int(d) for w, d in zip(weights, digits, strict=True)) % 11 == 0


def _part_of_longer_token(text: str, start: int, end: int, *, grouped: bool) -> bool:
    """The candidate continues a number, reference or word on either side."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    if before[-1:].isalnum() or re.fullmatch(r"[0-9][.,/-]", before):
        return True
    if re.fullmatch(r"[A-Za-z]-", before):  # a reference such as K-123456782
        return True
    if after[:1].isalnum() or re.match(r"[.,/-][0-9]", after):
        return True
    return grouped and bool(re.fullmatch(r"[0-9] ", before) or re.match(r" [0-9]", after))


def _find_bsn(text: str) -> Iterator[Span]:
    for match in _BSN_RE.finditer(text):
        start, end = match.span()
        grouped = match.group("s1") is not None or match.group("s2") is not None
        if _part_of_longer_token(text, start, end, grouped=grouped):
            continue
        if re.search(r"(€|eur|euro)\s*$", text[max(0, start - 6) : start], re.IGNORECASE):
            continue
        if _AMOUNT_AFTER_RE.match(text[end : end + 6]):
            continue  # 111.222.333 euro
        if elfproef(re.sub(r"[ .]", "", match.group())):
            yield "bsn", start, end


# --- phone numbers ------------------------------------------------------------------------------

# Numbers of organisations, not of persons: 0800, 090x, 084x/087x, 088 and the municipal 14 0xx.
_SERVICE_NUMBER_TYPES = {
    PhoneNumberType.TOLL_FREE,
    PhoneNumberType.PREMIUM_RATE,
    PhoneNumberType.SHARED_COST,
    PhoneNumberType.UAN,
}


def _find_phone(text: str) -> Iterator[Span]:
    for match in PhoneNumberMatcher(text, "NL", leniency=Leniency.VALID):
        number = match.number
        if (
            phonenumbers.region_code_for_number(number) == "NL"
            and phonenumbers.number_type(number) in _SERVICE_NUMBER_TYPES
        ):
            continue
        start, end = match.start, match.end
        parts = _GROUP_SPLIT_RE.split(re.sub(r"[^0-9 \t\-_./]", " ", match.raw_string).strip())
        if _holds_date(parts[0::2], parts[1::2], 0, len(parts[0::2]) - 1):
            continue  # "01-02-2026 10" is a date and a count, not 010-2202610
        if _enumeration(parts[0::2]):
            continue  # "na 06 12 18 24 30 maanden"
        # The matcher keeps an opening parenthesis of the sentence: "(+31612345678)".
        if text[start] == "(" and ")" not in text[start:end]:
            start += 1
        yield "telefoon", start, end


# --- digit groups folded together -------------------------------------------------------------

_GROUP_SEPARATOR = r"[ \t\-_./]{1,3}"
_DIGIT_RUN_RE = re.compile(r"[0-9]+(?:" + _GROUP_SEPARATOR + r"[0-9]+)+")
_GROUP_SPLIT_RE = re.compile("(" + _GROUP_SEPARATOR + ")")
_AMOUNT_BEFORE_RE = re.compile(r"(?:€|\beur|\beuro)\s*$", re.IGNORECASE)
_AMOUNT_AFTER_RE = re.compile(r"\s*(?:,-|,[0-9]|€|eur\b|euro\b)", re.IGNORECASE)


def _is_date(day: str, month: str, year: str) -> bool:
    if len(day) > 2 or len(month) > 2 or len(year) != 4 or not 1900 <= int(year) <= 2099:
        return False
    try:
        datetime.date(int(year), int(month), int(day))
    except ValueError:
        return False
    return True


def _holds_date(groups: list[str], separators: list[str], first: int, last: int) -> bool:
    """Three consecutive groups written as a date (``12-03-2026``, ``2026/03/12``)."""
    for index in range(first, last - 1):
        between = separators[index].strip(), separators[index + 1].strip()
        if between[0] != between[1] or between[0] not in {"-", "/", "."}:
            continue
        a, b, c = groups[index : index + 3]
        if _is_date(a, b, c) or _is_date(c, b, a):
            return True
    return False


def _phone_number(digits: str, *, plus: bool) -> bool:
    """Joined digits that form a valid personal phone number."""
    if plus:
        candidate = "+" + digits
    elif digits.startswith("00"):
        candidate = "+" + digits[2:]
    elif digits.startswith("0") and len(digits) == 10:
        candidate = digits
    else:
        return False
    try:
        number = phonenumbers.parse(candidate, "NL")
    except phonenumbers.NumberParseException:
        return False
    if not phonenumbers.is_valid_number(number):
        return False
    return not (
        phonenumbers.region_code_for_number(number) == "NL"
        and phonenumbers.number_type(number) in _SERVICE_NUMBER_TYPES
    )


def _folded_kind(digits: str, *, plus: bool) -> str | None:
    if not plus and len(digits) == 9 and elfproef(digits):
        return "bsn"
    if 9 <= len(digits) <= 15 and _phone_number(digits, plus=plus):
        return "telefoon"
    return None


def _enumeration(groups: list[str]) -> bool:
    """Four or more numbers in equal steps: "na 06 12 18 24 30 maanden", "week 3 4 5 6 7"."""
    values = [int(group) for group in groups if group.isdigit()]
    steps = {later - earlier for earlier, later in itertools.pairwise(values)}
    return len(values) >= 4 and len(values) == len(groups) and len(steps) == 1 and steps != {0}


def _plausible_grouping(groups: list[str], separators: list[str], *, international: bool) -> bool:
    """How people write one number in groups: digit by digit, or in groups of two or more.

    Neighbouring unrelated numbers ("5670 - 8 469") mix single digits with longer groups; a
    slash is a ratio or a date unless it separates every group; four or more groups in equal
    steps are an enumeration. After an international prefix the country code does not count
    and one single digit may stand among longer groups (the ``6`` in ``+31 6 12 34 56 78``).
    """
    slashes = [separator.strip() == "/" for separator in separators]
    if any(slashes) and not all(slashes):
        return False
    if international:
        groups = groups[1:]  # after the country code: "+31 6 12 34 56 78", "+31 6 1 2 3 …"
    if _enumeration(groups):
        return False
    singles = sum(len(group) == 1 for group in groups)
    return singles in {0, len(groups)} or (international and singles == 1)


def _find_folded_numbers(text: str, spelled: tuple[tuple[int, int], ...] = ()) -> Iterator[Span]:
    """Digit groups joined across ``-_./`` and spaces: ``111-222-333``, ``06_12_34_56_78``.

    The joined digits must pass the elfproef or be a valid personal phone number. Every
    contiguous stretch of groups is tried (the longest valid one from each start), but a
    stretch that is not the whole run must be cut at a space ("kamer 12 06_12_34_56_78"),
    never inside a dotted or hyphenated number. Within ``spelled`` (digits that were number
    words) any grouping counts: "nul zes twaalf" is 0 6 12.
    """
    for run in _DIGIT_RUN_RE.finditer(text):
        start, end = run.span()
        before, after = text[max(0, start - 2) : start], text[end : end + 2]
        if before[-1:].isalnum() or before[-1:] == "_" or re.fullmatch(r"\w[-./]", before):
            continue  # v1.2.3, K-123-456-782: part of a reference
        if after[:1].isalnum() or after[:1] == "_" or re.fullmatch(r"[-./,][0-9A-Za-z]", after):
            continue
        parts = _GROUP_SPLIT_RE.split(run.group())
        groups, separators = parts[0::2], parts[1::2]
        offsets = [start]
        for group, separator in zip(groups, separators, strict=False):
            offsets.append(offsets[-1] + len(group) + len(separator))
        first = 0
        while first < len(groups) - 1:
            hit = None
            if first == 0 or _cuttable(separators[first - 1]):
                hit = _folded_stretch(text, groups, separators, offsets, first, spelled)
            if hit is None:
                first += 1
                continue
            kind, span_start, span_end, first = hit
            yield kind, span_start, span_end


def _cuttable(separator: str) -> bool:
    """A stretch may start or end at a separator with a space: "kamer 12. 111-222-333"."""
    return " " in separator or "\t" in separator


def _folded_stretch(
    text: str,
    groups: list[str],
    separators: list[str],
    offsets: list[int],
    first: int,
    spelled: tuple[tuple[int, int], ...],
) -> tuple[str, int, int, int] | None:
    """The longest valid stretch of groups from ``first``: kind, span and the next group.

    Longest, because the first nine digits of a phone number can pass the elfproef too.
    """
    digits = groups[first]
    best = None
    for last in range(first + 1, len(groups)):
        digits += groups[last]
        if len(digits) > 15:
            break
        if last < len(groups) - 1 and not _cuttable(separators[last]):
            continue
        span_start, span_end = offsets[first], offsets[last] + len(groups[last])
        plus = text[span_start - 1 : span_start] == "+"
        kind = _folded_kind(digits, plus=plus)
        if kind is None or _holds_date(groups, separators, first, last):
            continue
        international = plus or digits.startswith("00")
        if not any(a <= span_start and span_end <= b for a, b in spelled) and not (
            _plausible_grouping(
                groups[first : last + 1], separators[first:last], international=international
            )
        ):
            continue
        if _AMOUNT_BEFORE_RE.search(text[max(0, span_start - 6) : span_start]):
            continue
        if _AMOUNT_AFTER_RE.match(text[span_end : span_end + 6]):
            continue
        best = kind, span_start - plus, span_end, last + 1
    return best


# --- e-mail -------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])"
    r"[\w%+-]+(?:\.[\w%+-]+)*"  # local part, no leading, trailing or double dots
    r"(?:@|\s?[\[(]\s?(?:at|apenstaart)\s?[\])]\s?)"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![\w-])",
    re.IGNORECASE,
)


_SPACE = r"[ \t]"
_AT_SPELLED = (
    rf"{_SPACE}*@{_SPACE}*"
    rf"|{_SPACE}*[\[({{<]{_SPACE}*(?:at|a|@|apenstaartje|apenstaart){_SPACE}*[\])}}>]{_SPACE}*"
    rf"|{_SPACE}+(?:at|apenstaartje|apenstaart){_SPACE}+"
)
_DOT_SPELLED = (
    rf"{_SPACE}*\.{_SPACE}*"
    rf"|{_SPACE}*[\[({{<]{_SPACE}*(?:dot|punt|\.){_SPACE}*[\])}}>]{_SPACE}*"
    rf"|{_SPACE}+(?:dot|punt){_SPACE}+"
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_EMAIL_SPELLED_RE = re.compile(
    r"(?<![\w.%+-])(?P<local>[\w%+-]+(?:\.[\w%+-]+)*)"
    rf"(?P<at>{_AT_SPELLED})"
    rf"(?P<domain>(?:{_LABEL}(?:{_DOT_SPELLED}))+)"
    r"(?P<tld>[a-z]{2,24})(?![\w-])",
    re.IGNORECASE,
)
_DOT_SPELLED_RE = re.compile(_DOT_SPELLED, re.IGNORECASE)
#: Top-level domains accepted after a spelled-out ``at`` or ``dot`` (mail providers' and the
#: countries of the people chain partners meet); a plain ``naam@domein.tld`` takes any TLD.
KNOWN_TLDS = _words(
    "nl be de fr uk eu com org net info biz io me co app email online live xyz site "
    "ro bg pl hu cz sk lt lv ee si hr rs ua ru md al es it pt gr at ch se no dk fi ie "
    "ng gh th ph vn cn br us ca au tr ma"
)
#: English words that stand before "at" in prose ("she was seen at hotel.com").
_PROSE_BEFORE_AT = _words(
    "is was were are be been seen met meet meets found stay stays stayed live lives lived "
    "work works worked working ad ads advertised advertises advertising listed online "
    "her him them us me it look looked posted appears appeared active arrived booked "
    "available profile profiles here there staying room rooms page site website account "
    "accounts advert adverts advertisement shop sold offered offers bought ordered "
    "registered job jobs employed hired signed"
)


def _find_email(text: str) -> Iterator[Span]:
    for match in _EMAIL_RE.finditer(text):
        yield "email", match.start(), match.end()
    for match in _EMAIL_SPELLED_RE.finditer(text):
        if _spelled_email_plausible(match):
            yield "email", match.start(), match.end()


def _spelled_email_plausible(match: re.Match[str]) -> bool:
    """A spelled-out address needs a known TLD; plain prose around it is not an address."""
    tld = match.group("tld")
    if tld.lower() not in KNOWN_TLDS:
        return False
    at = match.group("at").strip().lower()
    if at == "at" and match.group("local").lower() in _PROSE_BEFORE_AT:
        return False
    dots = [dot.group() for dot in _DOT_SPELLED_RE.finditer(match.group("domain"))]
    last_dot = dots[-1] if dots else "."
    if last_dot.strip() == "." and last_dot != ".":
        # "ketenregie. De" ends a sentence; "voorbeeld . nl" is spaced on both sides.
        if not (last_dot.startswith((" ", "\t")) and last_dot.endswith((" ", "\t"))):
            return False
        if tld != tld.lower():
            return False
    return True


# --- IBAN ---------------------------------------------------------------------------------------

#: National IBAN lengths from the ISO 13616 registry; other country codes: 15 to 34 characters.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22,
    "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28,
    "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
    "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20,
    "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18,
    "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "SA": 24,
    "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip

_IBAN_START_RE = re.compile(r"(?<![A-Za-z0-9])[A-Za-z]{2}[0-9]{2}")


def iban_valid(compact: str) -> bool:
    """ISO 13616 check of an IBAN without spaces: length for the country, then mod 97 == 1."""
    compact = compact.upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}", compact):
        return False
    expected = IBAN_LENGTHS.get(compact[:2])
    if expected is not None and len(compact) != expected:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(char, 36)) for char in rearranged)) % 97 == 1


def _find_iban(text: str) -> Iterator[Span]:
    for match in _IBAN_START_RE.finditer(text):
        start, position, compact = match.start(), match.start(), ""
        best_end = None
        while position < len(text) and len(compact) < 34:
            char = text[position]
            if char.isascii() and char.isalnum():
                compact += char
                position += 1
                at_boundary = position == len(text) or not text[position].isalnum()
                if at_boundary and len(compact) >= 15 and iban_valid(compact):
                    best_end = position
            elif (
                char in " \u00a0"
                and len(compact) % 4 == 0
                and text[position + 1 : position + 2].isalnum()
            ):
                position += 1  # a space between groups of four
            else:
                break
        if best_end is not None:
            yield "iban", start, best_end
    yield from _find_iban_grouped(text)


_IBAN_GROUPED_START_RE = re.compile(
    r"(?<![A-Za-z0-9])(?P<country>[A-Za-z]{2})(?:"
    + _GROUP_SEPARATOR
    + r")?[0-9](?:"
    + _GROUP_SEPARATOR
    + r")?[0-9]"
)
_IBAN_SEPARATOR_RE = re.compile(_GROUP_SEPARATOR)
#: A grouped IBAN needs this many digits in its account part (``de 12 vrouwen`` has two).
MIN_IBAN_BBAN_DIGITS = 8


def _find_iban_grouped(text: str) -> Iterator[Span]:
    """An IBAN of a known country grouped at will: ``NL91-ABNA-0417-1643-00``, ``NL 91 ABNA …``.

    After the first digit of the account part, a group of letters only is a following word
    ("… 9493 according to"), not part of the IBAN.
    """
    for match in _IBAN_GROUPED_START_RE.finditer(text):
        expected = IBAN_LENGTHS.get(match.group("country").upper())
        if expected is None:
            continue
        start, position = match.start(), match.start()
        groups = [""]
        while position < len(text) and sum(map(len, groups)) < expected:
            char = text[position]
            if char.isascii() and char.isalnum():
                groups[-1] += char
                position += 1
                continue
            separator = _IBAN_SEPARATOR_RE.match(text, position)
            if separator is None or not groups[-1]:
                break
            following = text[separator.end() : separator.end() + 1]
            if not (following.isascii() and following.isalnum()):
                break
            position = separator.end()
            groups.append("")
        compact = "".join(groups)
        at_boundary = position == len(text) or not text[position].isalnum()
        if not at_boundary or len(compact) != expected or not iban_valid(compact):
            continue
        if sum(char.isdigit() for char in compact[4:]) < MIN_IBAN_BBAN_DIGITS:
            continue
        seen_digits = 0
        for group in groups:
            if group.isalpha() and seen_digits > 2:  # country letters and check digits first
                break
            seen_digits += sum(char.isdigit() for char in group)
        else:
            yield "iban", start, position


# --- postcode + house number --------------------------------------------------------------------

_POSTCODE = (
    r"(?<![\w-])[1-9][0-9]{3}"
    r"(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})"
    r"(?![\w])"
)
_HOUSE_NUMBER = r"[0-9]{1,4}(?:\s?-\s?[0-9]{1,4}|[ -]?[A-Za-z](?![\w]))?"
_AFTER_HOUSE_NUMBER = (
    r"(?![0-9])(?![.,:][0-9])(?!\s*(?:%|(?:uur|jaar|keer|euro|procent|personen|vrouwen|mannen"
    r"|meldingen|signalen|kamers|panden|woningen|adressen)\b))"
)
_POSTCODE_THEN_NUMBER_RE = re.compile(
    _POSTCODE
    + r"(?:\s*,\s*|\s+)(?:(?:nr|no|huisnummer|huisnr)\.?\s*)?"
    + _HOUSE_NUMBER
    + _AFTER_HOUSE_NUMBER
)
_NUMBER_THEN_POSTCODE_RE = re.compile(
    r"(?<![\w.,:/-])" + _HOUSE_NUMBER + r"\s*,?\s+(?:te\s+)?" + _POSTCODE
)
# Lower or mixed case, or a separator inside: "8911 ab 12", "8911-AB-12", "Weaze 12, 8911 ab".
_POSTCODE_RELAXED = r"(?<![\w-])[1-9][0-9]{3}[ \-_.]?(?P<letters>[A-Za-z]{2})(?![\w])"
_POSTCODE_RELAXED_THEN_NUMBER_RE = re.compile(
    _POSTCODE_RELAXED
    + r"(?:\s*,\s*|\s+|[-_.])(?:(?:nr|no|huisnummer|huisnr)\.?\s*)?"
    + _HOUSE_NUMBER
    + _AFTER_HOUSE_NUMBER,
    re.IGNORECASE,
)
_NUMBER_THEN_POSTCODE_RELAXED_RE = re.compile(
    r"(?<![\w.,:/-])" + _HOUSE_NUMBER + r"\s*,?\s+(?:te\s+)?" + _POSTCODE_RELAXED
)
#: Two letters after four digits that are a word or a unit, not a postcode ("in 2024 en 12").
_POSTCODE_WORDS = _words(
    "sa sd ss en in op is om er te al nu zo ze we je of na ik ja uw ex de da di du la le el et "
    "at on to by an as be do go he if it me my no or so up us am pm km cm mm kg mg ml cl dl "
    "st nr ca vs bv nv jr sr ct pp tv pc ok hr ha ma di wo do vr za cq ie eh oh ah au ai pa oe "
    "ui ei wc id ad mt pv hi ax"
)


def _postcode_letters_ok(letters: str) -> bool:
    if letters.isupper():
        return letters not in {"SA", "SD", "SS"}
    return letters.lower() not in _POSTCODE_WORDS


def _find_postcode_house_number(text: str) -> Iterator[Span]:
    """A postcode *with* a house number; a postcode alone is an area and is not flagged."""
    for pattern in (_POSTCODE_THEN_NUMBER_RE, _NUMBER_THEN_POSTCODE_RE):
        for match in pattern.finditer(text):
            yield "postcode_huisnummer", match.start(), match.end()
    for pattern in (_POSTCODE_RELAXED_THEN_NUMBER_RE, _NUMBER_THEN_POSTCODE_RELAXED_RE):
        for match in pattern.finditer(text):
            if _postcode_letters_ok(match.group("letters")):
                yield "postcode_huisnummer", match.start(), match.end()


# --- dates of birth -----------------------------------------------------------------------------

_MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "february": 2, "feb": 2,
    "maart": 3, "march": 3, "mrt": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "augustus": 8, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}  # fmt: skip
_MONTH_ALTERNATION = "|".join(sorted(_MONTHS, key=len, reverse=True))

_DATE_RES = (
    re.compile(
        r"(?<![\w/.-])(?P<d>[0-9]{1,2})(?P<sep>[-/.])(?P<m>[0-9]{1,2})(?P=sep)"
        r"(?P<y>[0-9]{4}|[0-9]{2})(?![\w/-]|\.[0-9])"
    ),
    re.compile(
        r"(?<![\w/.-])(?P<y>[0-9]{4})-(?P<m>[0-9]{1,2})-(?P<d>[0-9]{1,2})(?![\w/-]|\.[0-9])"
    ),
    re.compile(
        rf"(?<![\w.,-])(?P<d>[0-9]{{1,2}})(?:e|ste|de)?\s+(?P<mon>{_MONTH_ALTERNATION})\.?"
        r"\s+(?P<y>[0-9]{4})(?![\w-])",
        re.IGNORECASE,
    ),
)
_BIRTH_CUE_BEFORE_RE = re.compile(
    r"(?:\bgeboren\b|\bgeboorte\b|\bgeb\b\.?|\bgeboortedatum\b|\bgeboortedag\b|\bd\.?o\.?b\b\.?"
    r"|\bdate\s+of\s+birth\b|\bborn\b|°)",
    re.IGNORECASE,
)
_BIRTH_CUE_AFTER_RE = re.compile(r"^\W*(?:\w+\W+){0,3}?(?:geboren|born)\b", re.IGNORECASE)
_EVENT_WORDS = {
    "op", "sinds", "vanaf", "per", "tot", "t/m", "tm", "tussen", "en", "d.d.", "dd", "datum",
    "van", "voor", "na", "rond", "omstreeks", "on", "since",
}  # fmt: skip
MIN_BIRTH_AGE = 12
MAX_BIRTH_AGE = 100


def _age_on(birth: datetime.date, today: datetime.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _birth_cue_before(text: str, start: int) -> bool:
    window = text[max(0, start - 80) : start]
    cues = list(_BIRTH_CUE_BEFORE_RE.finditer(window))
    if not cues:
        return False
    words_between = re.findall(r"\w+", window[cues[-1].end() :])
    return len(words_between) <= 3


def _event_word_before(text: str, start: int) -> bool:
    words = text[max(0, start - 20) : start].split()
    return bool(words) and words[-1].lower().strip("(,:;") in _EVENT_WORDS


def _find_birth_dates(text: str, today: datetime.date) -> Iterator[Span]:
    for pattern in _DATE_RES:
        for match in pattern.finditer(text):
            start, end = match.span()
            parts = match.groupdict()
            month = _MONTHS[parts["mon"].lower()] if parts.get("mon") else int(parts["m"])
            year = int(parts["y"])
            cue = _birth_cue_before(text, start) or bool(
                _BIRTH_CUE_AFTER_RE.match(text[end : end + 60])
            )
            if len(parts["y"]) == 2:
                if not cue:
                    continue
                year += 1900 if year > today.year % 100 else 2000
            try:
                date = datetime.date(year, month, int(parts["d"]))
            except ValueError:
                continue
            age = _age_on(date, today)
            plausible_birth = MIN_BIRTH_AGE <= age <= MAX_BIRTH_AGE
            if cue or (plausible_birth and not _event_word_before(text, start)):
                yield "geboortedatum", start, end


# --- licence plates -----------------------------------------------------------------------------

SIDECODES = (
    "XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9",
    "9-XXX-99", "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9",
)  # fmt: skip


def _sidecode_regex(sidecode: str, *, separator: str) -> str:
    groups = []
    for group in sidecode.split("-"):
        kind = "[A-Za-z]" if group[0] == "X" else "[0-9]"
        groups.append(f"{kind}{{{len(group)}}}")
    return separator.join(groups)


_PLATE_HYPHEN_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(_sidecode_regex(code, separator="-") for code in SIDECODES)
    + r")(?![\w]|-\w)"
)
_PLATE_COMPACT_RE = re.compile(
    r"(?<![\w-])(?:"
    + "|".join(_sidecode_regex(code, separator="") for code in SIDECODES)
    + r")(?![\w-])"
)
_MONTH_ABBREVIATIONS = {name for name in _MONTHS if len(name) == 3}
_POSTCODE_SHAPE_RE = re.compile(r"[1-9][0-9]{3}[A-Za-z]{2}")


# Lookahead, so that "is GX 12 34" is tried at "GX" too after "is GX 12" was rejected.
_PLATE_SPACED_RES = tuple(
    re.compile(
        r"(?<![\w.-])(?=(?P<plate>"
        + "|".join(_sidecode_regex(code, separator=separator) for code in SIDECODES)
        + r")(?![\w]|[.-]\w))"
    )
    for separator in (" ", r"\.", "_")
)
#: Letter groups that are abbreviations or units, not plates (``nr1234``, ``12 KM 34``); checked
#: for lower-case compact and for spaced plates, not for the usual ``XX-99-99`` notation.
_NOT_PLATE_LETTERS = _words(
    "nr nrs tv pc km kg mg ml cm mm hd mp dvd cd vs bv nv cv ch ph tk st th sms gb mb kb tb kw "
    "mhz ghz ggd bsn kvk cjg zzp bhv mdt wpg zsm tbs pv wrs sr fg"
)


def _find_plates(text: str) -> Iterator[Span]:
    for match in _PLATE_HYPHEN_RE.finditer(text):
        letters = re.sub(r"[^A-Za-z]", "", match.group())
        groups = match.group().lower().split("-")
        if any(group in _MONTH_ABBREVIATIONS for group in groups):
            continue  # 1-jan-26 is a date
        if not letters.isupper() and set(letters.lower()) & set("aeiou"):
            continue  # Dutch plates use no vowels; 100-en-1 is prose
        yield "kenteken", match.start(), match.end()
    for match in _PLATE_COMPACT_RE.finditer(text):
        value = match.group()
        if _POSTCODE_SHAPE_RE.fullmatch(value) or set(value.upper()) & set("AEIOU"):
            continue  # 1234AB is a postcode; 18PLUS or 24UURS are words (no vowels on plates)
        if value != value.upper():
            letter_groups = re.findall(r"[A-Za-z]+", value.lower())
            if set(letter_groups) & (_NOT_PLATE_LETTERS | _MONTH_ABBREVIATIONS):
                continue
        yield "kenteken", match.start(), match.end()
    for pattern in _PLATE_SPACED_RES:
        for match in pattern.finditer(text):
            value = match.group("plate")
            if value != value.upper() or set(value) & set("AEIOU"):
                continue  # spaced plates only in capitals: "12 km 34" is a distance
            if set(re.findall(r"[a-z]+", value.lower())) & _NOT_PLATE_LETTERS:
                continue  # "12 KM 34", "3 GB 128": units
            yield "kenteken", match.start("plate"), match.end("plate")


# --- normalised views ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _View:
    """A rewritten text with, per character, the span of the original text it stands for."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]
    spelled: tuple[tuple[int, int], ...] = ()  # spans of digits that were number words

    def original(self, start: int, end: int) -> tuple[int, int]:
        return self.starts[start], self.ends[end - 1]


def _ascii_digit(char: str) -> str:
    decimal = unicodedata.decimal(char, None)
    return char if decimal is None else str(decimal)


def _normalise_characters(text: str) -> _View:
    """NFKC, format characters removed, Unicode digits as ASCII, dashes and spaces unified."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for index, char in enumerate(text):
        if char.isascii():
            replacement = char
        else:
            category = unicodedata.category(char)
            if category == "Cf":
                continue  # zero-width space/joiners, soft hyphen, word joiner, BOM, …
            if category == "Pd":
                replacement = "-"
            elif category == "Zs":
                replacement = " "
            elif unicodedata.decimal(char, None) is not None:
                replacement = _ascii_digit(char)
            else:
                normalised = unicodedata.normalize("NFKC", char)
                replacement = "".join(
                    _ascii_digit(part) if not part.isascii() else part for part in normalised
                )
        for part in replacement:
            chars.append(part)
            starts.append(index)
            ends.append(index + 1)
    return _View("".join(chars), tuple(starts), tuple(ends))


# Spelled-out digits. A run of number words becomes digits only when it is long enough to be a
# BSN or a phone number: "een", "twee keer" and "drie of vier" stay words.
MIN_SPELLED_WORDS = 3
MIN_SPELLED_DIGITS = 8

_UNITS = {
    "nul": 0, "een": 1, "twee": 2, "drie": 3, "vier": 4,
    "vijf": 5, "zes": 6, "zeven": 7, "acht": 8, "negen": 9,
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4,
    "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
}  # fmt: skip
_ENGLISH_UNITS = frozenset(("one", "two", "three", "four", "five", "six", "seven", "eight", "nine"))
_TEENS = {
    "tien": 10, "elf": 11, "twaalf": 12, "dertien": 13, "veertien": 14, "vijftien": 15,
    "zestien": 16, "zeventien": 17, "achttien": 18, "negentien": 19,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_DUTCH_TENS = {
    "twintig": 20, "dertig": 30, "veertig": 40, "vijftig": 50,
    "zestig": 60, "zeventig": 70, "tachtig": 80, "negentig": 90,
}  # fmt: skip
_ENGLISH_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_REPEATS = {"dubbel": 2, "double": 2, "driedubbel": 3, "triple": 3, "tripel": 3}
_DUTCH_COMPOUND_RE = re.compile(
    r"(een|twee|drie|vier|vijf|zes|zeven|acht|negen)e?n(" + "|".join(_DUTCH_TENS) + ")"
)
_TOKEN_RE = re.compile(r"[^\W\d_]+|[0-9]+")
_TOKEN_GAP_RE = re.compile(r"[ \t,;:/_.-]*")


def _fold_word(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str  # folded word, or the digits of a digit token
    joined: bool  # only a separator gap from the previous token


def _number_value(token: _Token) -> str | None:
    """The digits one token stands for on its own (``twaalf`` → ``12``), or None."""
    word = token.word
    if word.isdigit():
        return word if len(word) <= 10 else None
    if word in _UNITS:
        return str(_UNITS[word])
    if word in _TEENS:
        return str(_TEENS[word])
    if word in _DUTCH_TENS:
        return str(_DUTCH_TENS[word])
    if word in _ENGLISH_TENS:
        return str(_ENGLISH_TENS[word])
    compound = _DUTCH_COMPOUND_RE.fullmatch(word)
    if compound:
        return str(_DUTCH_TENS[compound.group(2)] + _UNITS[compound.group(1)])
    return None


def _read_group(tokens: list[_Token], index: int) -> tuple[str, int] | None:
    """The digits of the number starting at ``tokens[index]`` and how many tokens it used."""
    token = tokens[index]
    following = tokens[index + 1 : index + 3]
    joined = [other for other in following if other.joined]
    if token.word in _REPEATS and joined and joined[0] is following[0]:
        value = _number_value(joined[0])
        if value is not None and len(value) == 1:
            return value * _REPEATS[token.word], 2
        return None
    value = _number_value(token)
    if value is None:
        return None
    if (
        token.word in _ENGLISH_TENS
        and following
        and following[0].joined
        and following[0].word in _ENGLISH_UNITS
    ):  # twenty two → 22
        return str(_ENGLISH_TENS[token.word] + _UNITS[following[0].word]), 2
    if (
        token.word in _UNITS
        and token.word not in _ENGLISH_UNITS
        and len(following) == 2
        and all(other.joined for other in following)
        and following[0].word == "en"
        and following[1].word in _DUTCH_TENS
    ):  # vier en dertig → 34
        return str(_DUTCH_TENS[following[1].word] + _UNITS[token.word]), 3
    return value, 1


def _spelled_runs(text: str) -> Iterator[tuple[int, int, list[tuple[int, int, str]]]]:
    """Runs of number words (and digit groups) long enough to be an identifier."""
    tokens: list[_Token] = []
    previous_end = None
    for match in _TOKEN_RE.finditer(text):
        joined = previous_end is not None and bool(
            _TOKEN_GAP_RE.fullmatch(text, previous_end, match.start())
        )
        tokens.append(_Token(match.start(), match.end(), _fold_word(match.group()), joined))
        previous_end = match.end()
    index = 0
    while index < len(tokens):
        groups: list[tuple[int, int, str]] = []
        words = 0
        plus = tokens[index].word == "plus"
        position = index + 1 if plus else index
        while position < len(tokens):
            if groups and not tokens[position].joined:
                break
            if plus and not groups and not tokens[position].joined:
                break
            group = _read_group(tokens, position)
            if group is None:
                break
            digits, used = group
            last = tokens[position + used - 1]
            groups.append((tokens[position].start, last.end, digits))
            words += not tokens[position].word.isdigit()
            position += used
        total = sum(len(digits) for _, _, digits in groups)
        if words >= MIN_SPELLED_WORDS and total >= MIN_SPELLED_DIGITS:
            if plus:
                _, first_end, first_digits = groups[0]
                groups[0] = (tokens[index].start, first_end, "+" + first_digits)
            yield groups[0][0], groups[-1][1], groups
            index = position
        else:
            index = max(position, index + 1) if groups else index + 1


def _spell_out_digits(view: _View) -> _View | None:
    """The view with spelled-out numbers as digit groups (``nul zes twaalf`` → ``0 6 12``)."""
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    copied = 0
    spelled: list[tuple[int, int]] = []
    for run_start, run_end, groups in _spelled_runs(view.text):
        chars.extend(view.text[copied:run_start])
        starts.extend(view.starts[copied:run_start])
        ends.extend(view.ends[copied:run_start])
        spelled_start = len(chars)
        for number, (start, end, digits) in enumerate(groups):
            if number:
                chars.append(" ")
                starts.append(view.starts[start])
                ends.append(view.starts[start])
            for digit in digits:
                chars.append(digit)
                starts.append(view.starts[start])
                ends.append(view.ends[end - 1])
        spelled.append((spelled_start, len(chars)))
        copied = run_end
    if not spelled:
        return None
    chars.extend(view.text[copied:])
    starts.extend(view.starts[copied:])
    ends.extend(view.ends[copied:])
    return _View("".join(chars), tuple(starts), tuple(ends), tuple(spelled))


def _views(text: str) -> list[_View]:
    """The text as written and its normalised views (only those that differ)."""
    identity = range(len(text))
    views = [_View(text, tuple(identity), tuple(index + 1 for index in identity))]
    normalised = _normalise_characters(text)
    if normalised.text != text:
        views.append(normalised)
    spelled = _spell_out_digits(normalised)
    if spelled is not None:
        views.append(spelled)
    return views


def _find_in(view: _View, today: datetime.date) -> list[Span]:
    text = view.text
    return [
        *_find_email(text),
        *_find_iban(text),
        *_find_postcode_house_number(text),
        *_find_birth_dates(text, today),
        *_find_plates(text),
        *_find_bsn(text),
        *_find_folded_numbers(text, view.spelled),
        *_find_phone(text),
    ]


# --- public API ---------------------------------------------------------------------------------


def find_identifiers(text: str) -> list[Finding]:
    """All direct identifiers in ``text``, sorted by position and never overlapping."""
    if not text:
        return []
    today = timezone.localdate()
    candidates: list[Span] = []
    for view in _views(text):
        for kind, start, end in _find_in(view, today):
            candidates.append((kind, *view.original(start, end)))
    candidates.sort(key=lambda span: (_precedence(span[0]), span[1] - span[2], span[1]))
    chosen: list[Span] = []
    for kind, start, end in candidates:
        if all(end <= other_start or start >= other_end for _, other_start, other_end in chosen):
            chosen.append((kind, start, end))
    chosen.sort(key=lambda span: span[1])
    return [
        Finding(kind=kind, start=start, end=end, label=_label(kind)) for kind, start, end in chosen
    ]


#: How many findings the message names one by one; the rest are counted.
MAX_NAMED_FINDINGS = 5


def _masked_hint(text: str, finding: Finding) -> str:
    """The first two characters and an ellipsis: enough to find it, too little to leak it."""
    return text[finding.start : finding.start + 2] + "…"


def check_free_text(text: str, *, field: str) -> None:
    """Raise ``ValidationError({field: [message]})`` when ``text`` contains direct identifiers.

    The message names each kind found with its position (1-based, first and last character,
    as a user counts) and at most a masked hint, never the identifier itself: validation
    messages end up in HTML and logs.
    """
    findings = find_identifiers(text)
    if not findings:
        return
    described = [
        gettext("%(label)s (teken %(first)d–%(last)d: ‘%(hint)s’)")  # noqa: RUF001
        % {
            "label": finding.label,
            "first": finding.start + 1,
            "last": finding.end,
            "hint": _masked_hint(text, finding),
        }
        for finding in findings[:MAX_NAMED_FINDINGS]
    ]
    remaining = len(findings) - MAX_NAMED_FINDINGS
    if remaining > 0:
        described.append(
            ngettext(
                "nog %(count)d ander gegeven",
                "nog %(count)d andere gegevens",
                remaining,
            )
            % {"count": remaining}
        )
    if len(described) == 1:
        listing = described[0]
    else:
        listing = gettext("%(items)s en %(last)s") % {
            "items": ", ".join(described[:-1]),
            "last": described[-1],
        }
    message = gettext(
        "Deze tekst bevat %(findings)s. Haal directe identificerende gegevens weg; "
        "beschrijf de situatie zonder namen, nummers of adressen."
    ) % {"findings": listing}
    raise ValidationError({field: [ValidationError(message, code="direct_identifier")]})
