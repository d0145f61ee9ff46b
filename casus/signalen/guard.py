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
    and not an amount (``€`` right before it). Limit: about one in eleven arbitrary nine-digit
    numbers passes the elfproef, so an unrelated nine-digit number can be flagged.
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

Findings never overlap: where two rules match the same characters the more specific kind wins
(e-mail, IBAN, address, date of birth, plate, BSN, then phone number).
"""

from __future__ import annotations

import datetime
import re
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
        # The matcher keeps an opening parenthesis of the sentence: "(+31612345678)".
        if text[start] == "(" and ")" not in text[start:end]:
            start += 1
        yield "telefoon", start, end


# --- e-mail -------------------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![\w.%+-])"
    r"[\w%+-]+(?:\.[\w%+-]+)*"  # local part, no leading, trailing or double dots
    r"(?:@|\s?[\[(]\s?(?:at|apenstaart)\s?[\])]\s?)"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}"
    r"(?![\w-])",
    re.IGNORECASE,
)


def _find_email(text: str) -> Iterator[Span]:
    for match in _EMAIL_RE.finditer(text):
        yield "email", match.start(), match.end()


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


# --- postcode + house number --------------------------------------------------------------------

_POSTCODE = (
    r"(?<![\w-])[1-9][0-9]{3}"
    r"(?:\s?(?!SA|SD|SS)[A-Z]{2}|(?!sa|sd|ss)[a-z]{2})"
    r"(?![\w])"
)
_HOUSE_NUMBER = r"[0-9]{1,4}(?:\s?-\s?[0-9]{1,4}|[ -]?[A-Za-z](?![\w]))?"
_POSTCODE_THEN_NUMBER_RE = re.compile(
    _POSTCODE
    + r"(?:\s*,\s*|\s+)(?:(?:nr|no|huisnummer|huisnr)\.?\s*)?"
    + _HOUSE_NUMBER
    + r"(?![0-9])(?![.,:][0-9])(?!\s*(?:%|(?:uur|jaar|keer|euro|procent|personen|vrouwen|mannen"
    + r"|meldingen|signalen|kamers|panden|woningen|adressen)\b))"
)
_NUMBER_THEN_POSTCODE_RE = re.compile(
    r"(?<![\w.,:/-])" + _HOUSE_NUMBER + r"\s*,?\s+(?:te\s+)?" + _POSTCODE
)


def _find_postcode_house_number(text: str) -> Iterator[Span]:
    """A postcode *with* a house number; a postcode alone is an area and is not flagged."""
    for pattern in (_POSTCODE_THEN_NUMBER_RE, _NUMBER_THEN_POSTCODE_RE):
        for match in pattern.finditer(text):
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


def _find_plates(text: str) -> Iterator[Span]:
    for match in _PLATE_HYPHEN_RE.finditer(text):
        letters = re.sub(r"[^A-Za-z]", "", match.group())
        groups = match.group().lower().split("-")
        if not (letters.isupper() or letters.islower()):
            continue
        if any(group in _MONTH_ABBREVIATIONS for group in groups):
            continue  # 1-jan-26 is a date
        if letters.islower() and set(letters) & set("aeiou"):
            continue  # Dutch plates use no vowels; 100-en-1 is prose
        yield "kenteken", match.start(), match.end()
    for match in _PLATE_COMPACT_RE.finditer(text):
        value = match.group()
        if value != value.upper() or _POSTCODE_SHAPE_RE.fullmatch(value):
            continue
        if set(value) & set("AEIOU"):
            continue  # Dutch plates use no vowels; 18PLUS or 24UURS are words

        yield "kenteken", match.start(), match.end()


# --- public API ---------------------------------------------------------------------------------


def find_identifiers(text: str) -> list[Finding]:
    """All direct identifiers in ``text``, sorted by position and never overlapping."""
    if not text:
        return []
    today = timezone.localdate()
    candidates: list[Span] = [
        *_find_email(text),
        *_find_iban(text),
        *_find_postcode_house_number(text),
        *_find_birth_dates(text, today),
        *_find_plates(text),
        *_find_bsn(text),
        *_find_phone(text),
    ]
    candidates.sort(key=lambda span: (KINDS.index(span[0]), span[1] - span[2], span[1]))
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
