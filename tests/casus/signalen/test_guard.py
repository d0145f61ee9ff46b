"""The identifier guard: what it must catch, what ordinary professional text it must leave alone."""

from __future__ import annotations

import datetime
import itertools
from pathlib import Path

from django.core.exceptions import ValidationError
from django.utils import timezone

import phonenumbers
import pytest
import time_machine
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from casus.signalen.guard import Finding, check_free_text, elfproef, find_identifiers, iban_valid

CORPUS_PATH = Path(__file__).with_name("corpus_nl.txt")
CORPUS = [
    line.strip() for line in CORPUS_PATH.read_text(encoding="utf-8").splitlines() if line.strip()
]

# Sentences around an identifier: start, middle, end, punctuation, parentheses, after a newline.
CONTEXTS = [
    "{x} staat in het dossier.",
    "Zij gaf {x} op tijdens het gesprek.",
    "Genoteerd door de wijkagent: {x}",
    "Genoteerd door de wijkagent: {x}.",
    "Gegevens (zie {x}) zijn nagevraagd.",
    "Eerste regel van de notitie.\n{x} volgens de GGD.",
    "Bekend: {x}, {x2}; verder niets.",
]

# (kind, fragment written in the text, part of the fragment that must be covered by the finding)
POSITIVE_EXAMPLES = [
    ("bsn", "123456782", None),
    ("bsn", "1234.56.782", None),
    ("bsn", "123 456 782", None),
    ("bsn", "111222333", None),
    ("telefoon", "06-12345678", None),
    ("telefoon", "06 1234 5678", None),
    ("telefoon", "+31 6 12345678", None),
    ("telefoon", "0031612345678", None),
    ("telefoon", "058-2345678", None),
    ("telefoon", "+40 721 234 567", None),
    ("telefoon", "+359 88 123 4567", None),
    ("telefoon", "+234 803 123 4567", None),
    ("telefoon", "+66 81 234 5678", None),
    ("telefoon", "+31 (0)6 12345678", None),
    ("email", "jan.devries@example.nl", None),
    ("email", "escort_lisa+werk@mail.example.com", None),
    ("email", "info(at)example.org", None),
    ("iban", "NL91ABNA0417164300", None),
    ("iban", "NL91 ABNA 0417 1643 00", None),
    ("iban", "nl91abna0417164300", None),
    ("iban", "DE89 3704 0044 0532 0130 00", None),
    ("iban", "RO49 AAAA 1B31 0075 9384 0000", None),
    ("iban", "BE68539007547034", None),
    ("postcode_huisnummer", "8911 AB 12", None),
    ("postcode_huisnummer", "1234AB 12a", None),
    ("postcode_huisnummer", "8911AB 12", None),
    ("postcode_huisnummer", "Weaze 12, 8911 AB Leeuwarden", "12, 8911 AB"),
    ("postcode_huisnummer", "Nieuwestad 3-2, 8911 CL", "3-2, 8911 CL"),
    ("postcode_huisnummer", "8911 AB, huisnummer 7", None),
    ("geboortedatum", "geboren op 12-03-1998", "12-03-1998"),
    ("geboortedatum", "geb. 3/7/2001", "3/7/2001"),
    ("geboortedatum", "geboortedatum 1999-11-02", "1999-11-02"),
    ("geboortedatum", "DOB 12 March 1998", "12 March 1998"),
    ("geboortedatum", "geboren 4 mei 2006", "4 mei 2006"),
    ("geboortedatum", "° 21.08.1994", "21.08.1994"),
    ("geboortedatum", "geb. 12-03-98", "12-03-98"),
    ("geboortedatum", "12 maart 1998", None),
    ("geboortedatum", "30-01-1987", None),
    ("kenteken", "AB-12-34", None),
    ("kenteken", "12-34-XY", None),
    ("kenteken", "12-AB-34", None),
    ("kenteken", "GB-12-ZT", None),
    ("kenteken", "12-ABC-3", None),
    ("kenteken", "1-ABC-23", None),
    ("kenteken", "XT-123-B", None),
    ("kenteken", "K-123-BB", None),
    ("kenteken", "GBB-12-K", None),
    ("kenteken", "8-GB-123", None),
    ("kenteken", "123-BB-8", None),
    ("kenteken", "gx-12-34", None),
    ("kenteken", "GX1234", None),
]


def _covering(findings: list[Finding], kind: str, start: int, end: int) -> bool:
    return any(f.kind == kind and f.start <= start and f.end >= end for f in findings)


@pytest.mark.parametrize("context", CONTEXTS)
@pytest.mark.parametrize(("kind", "fragment", "covered"), POSITIVE_EXAMPLES)
def test_identifier_is_found_anywhere_in_a_sentence(
    kind: str, fragment: str, covered: str | None, context: str
) -> None:
    other = "een onbekende sector"
    text = context.format(x=fragment, x2=other)
    needle = covered or fragment
    start = text.index(fragment) + fragment.index(needle)
    findings = find_identifiers(text)
    assert _covering(findings, kind, start, start + len(needle)), (text, findings)
    assert all(f.label.startswith("een ") for f in findings)


NEGATIVE_EXAMPLES = [
    "€ 1.250 contant aangetroffen.",
    "Gesprek om 14:30 uur, daarna om 9.30 uur.",
    "Op 12-03-2026 gesproken met cliënte.",
    "Op 12 maart 2026 besproken.",
    "Vonnis van 14-05-2012 is bekend.",
    "Sinds 01-01-2010 in Nederland.",
    "Casus K-2026-0001 en DEMO-001 zijn gekoppeld.",
    "Verdenking art. 273f Sr.",
    "Gezien op de A7 en de N31.",
    "Sinds COVID-19 minder klanten.",
    "Sinds 2019 werkzaam in de club.",
    "Zij woont in 8911 AB en werkt op de Weaze.",
    "Het adres 1234 AB ligt in het centrum.",
    "Ongeveer 25 jaar, 3 tot 5 keer per week, kamer 12.",
    "Nummer 123456789 voldoet niet aan de elfproef.",
    "Referentie 1234567890 is tien cijfers.",
    "Een rekening NL91ABNA0417164301 met een foute controle.",
    "Meld Misdaad Anoniem 0800-7000 of de politie via 0900-8844.",
    "De gemeente is bereikbaar via 14 058.",
    "Afspraak op 1-jan-26 bevestigd.",
    "Een 1-op-1 gesprek en 100-en-1 vragen.",
    "24UURS opvang en 18PLUS-club.",
    "Bij acuut gevaar 112 bellen.",
    "Van 1 april 2026 tot en met 31 maart 2027.",
    "Plan van aanpak 2026–2028 en 40 % minder meldingen.",  # noqa: RUF001
    "Dwangsom € 123.456.782 is een bedrag.",
    "Zie www.example.nl en @ketenregie op sociale media.",
]


@pytest.mark.parametrize("text", NEGATIVE_EXAMPLES)
def test_ordinary_professional_text_is_not_flagged(text: str) -> None:
    assert find_identifiers(text) == []


def test_offsets_are_sorted_non_overlapping_and_exact() -> None:
    text = (
        "BSN 123456782, bel 06-12345678 of mail jan@example.nl; IBAN NL91ABNA0417164300, "
        "woont Weaze 12, 8911 AB, geb. 12-03-1998, auto AB-12-34."
    )
    findings = find_identifiers(text)
    assert [(f.kind, text[f.start : f.end]) for f in findings] == [
        ("bsn", "123456782"),
        ("telefoon", "06-12345678"),
        ("email", "jan@example.nl"),
        ("iban", "NL91ABNA0417164300"),
        ("postcode_huisnummer", "12, 8911 AB"),
        ("geboortedatum", "12-03-1998"),
        ("kenteken", "AB-12-34"),
    ]
    assert [f.label for f in findings] == [
        "een BSN",
        "een telefoonnummer",
        "een e-mailadres",
        "een IBAN",
        "een postcode met huisnummer",
        "een geboortedatum",
        "een kenteken",
    ]


def test_elfproef_and_mod97_helpers() -> None:
    assert elfproef("123456782")
    assert not elfproef("123456789")
    assert not elfproef("000000000")
    assert iban_valid("NL91ABNA0417164300")
    assert not iban_valid("NL91ABNA0417164301")
    assert not iban_valid("NL91ABNA041716430")  # wrong length for NL


def test_plausible_birth_date_rule_uses_today() -> None:
    with time_machine.travel(datetime.datetime(2026, 6, 15, 12, tzinfo=datetime.UTC), tick=False):
        assert timezone.localdate() == datetime.date(2026, 6, 15)
        # 12 to 100 years before today: a plausible date of birth.
        assert find_identifiers("Cliënte, 15-06-2014, verblijft in de opvang.")
        assert find_identifiers("Cliënte, 16-06-1925, verblijft in de opvang.")
        # Younger than 12 or older than 100, without a birth cue: an event date.
        assert not find_identifiers("Cliënte, 16-06-2014, verblijft in de opvang.")
        assert not find_identifiers("Cliënte, 15-06-1925, verblijft in de opvang.")
        # With a cue, any existing date is a date of birth (a baby's too).
        assert find_identifiers("Haar dochter is geboren op 02-05-2026.")
        assert find_identifiers("Op 02-05-2014 is haar zoon geboren.")
        assert not find_identifiers("geboren op 31-02-2001 volgens het formulier")


# --- property tests -----------------------------------------------------------------------------

SEPARATORS = [(" ", " "), (": ", ". "), (" (", ") "), ("\n", "\n"), (", ", ", "), (" ", ".")]
CONSONANTS = "BDFGHJKLNPRSTVXZ"
MONTH_ABBREVIATIONS = {"JAN", "FEB", "MRT", "MAR", "APR", "MEI", "MAY", "JUN", "JUL", "AUG"}
MONTH_ABBREVIATIONS |= {"SEP", "OKT", "OCT", "NOV", "DEC"}
SIDECODES = [
    "XX-99-99", "99-99-XX", "99-XX-99", "XX-99-XX", "XX-XX-99", "99-XX-XX", "99-XXX-9",
    "9-XXX-99", "XX-999-X", "X-999-XX", "XXX-99-X", "X-99-XXX", "9-XX-999", "999-XX-9",
]  # fmt: skip
PROPERTY_SETTINGS = settings(max_examples=60, deadline=None)


@st.composite
def embedded(draw: st.DrawFn, identifiers: st.SearchStrategy[str]) -> tuple[str, int, int]:
    """An identifier between two random corpus sentences; returns text and its span."""
    identifier = draw(identifiers)
    before, after = draw(st.sampled_from(SEPARATORS))
    prefix = draw(st.sampled_from(CORPUS)) + before
    text = prefix + identifier + after + draw(st.sampled_from(CORPUS))
    return text, len(prefix), len(prefix) + len(identifier)


@st.composite
def bsns(draw: st.DrawFn) -> str:
    digits = draw(st.lists(st.integers(0, 9), min_size=8, max_size=8))
    check = sum(w * d for w, d in zip(range(9, 1, -1), digits, strict=True)) % 11
    assume(check < 10 and any(digits))
    value = "".join(map(str, [*digits, check]))
    assert elfproef(value)
    layout = draw(st.sampled_from(["compact", "4-2-3 dot", "4-2-3 space", "3-3-3 space"]))
    if layout == "compact":
        return value
    if layout.startswith("4-2-3"):
        separator = "." if layout.endswith("dot") else " "
        return separator.join([value[:4], value[4:6], value[6:]])
    return " ".join([value[:3], value[3:6], value[6:]])


@st.composite
def nl_mobiles(draw: st.DrawFn) -> str:
    subscriber = str(draw(st.integers(1, 5))) + draw(st.from_regex(r"[0-9]{7}", fullmatch=True))
    assume(phonenumbers.is_valid_number(phonenumbers.parse("06" + subscriber, "NL")))
    layouts = [
        "06-{s}",
        "06 {a} {b}",
        "06{s}",
        "+31 6 {s}",
        "+316{s}",
        "0031 6 {s}",
        "(06) {s}",
        "+31 (0)6 {s}",
        "06-{c} {d} {e}",
    ]
    layout = draw(st.sampled_from(layouts))
    return layout.format(
        s=subscriber,
        a=subscriber[:4],
        b=subscriber[4:],
        c=subscriber[:3],
        d=subscriber[3:6],
        e=subscriber[6:],
    )


def _iban_check_digits(country: str, bban: str) -> str:
    numeric = "".join(str(int(char, 36)) for char in bban + country + "00")
    return f"{98 - int(numeric) % 97:02d}"


@st.composite
def nl_ibans(draw: st.DrawFn) -> str:
    bank = draw(st.sampled_from(["ABNA", "RABO", "INGB", "SNSB", "TRIO", "ASNB", "KNAB", "BUNQ"]))
    account = draw(st.from_regex(r"[0-9]{10}", fullmatch=True))
    iban = "NL" + _iban_check_digits("NL", bank + account) + bank + account
    assert iban_valid(iban)
    layout = draw(st.sampled_from(["compact", "groups", "lower"]))
    if layout == "groups":
        return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))
    return iban.lower() if layout == "lower" else iban


emails = st.builds(
    lambda local, domain, tld: f"{local}@{domain}.{tld}",
    st.from_regex(r"[a-z][a-z0-9_+-]{0,10}(\.[a-z0-9]{1,8})?", fullmatch=True),
    st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?(\.[a-z]{2,8})?", fullmatch=True),
    st.sampled_from(["nl", "com", "org", "eu", "ro", "bg", "info"]),
)


@st.composite
def plates(draw: st.DrawFn) -> str:
    sidecode = draw(st.sampled_from(SIDECODES))
    groups = []
    for group in sidecode.split("-"):
        alphabet = CONSONANTS if group[0] == "X" else "0123456789"
        groups.append("".join(draw(st.sampled_from(alphabet)) for _ in group))
    assume(not MONTH_ABBREVIATIONS & set(groups))
    layout = draw(st.sampled_from(["upper", "lower", "compact"]))
    if layout == "compact":
        compact = "".join(groups)
        assume(not (sidecode == "99-99-XX" and compact[0] != "0"))  # that is a postcode
        return compact
    plate = "-".join(groups)
    return plate.lower() if layout == "lower" else plate


@st.composite
def birth_dates(draw: st.DrawFn) -> str:
    today = timezone.localdate()
    born = draw(
        st.dates(
            # Every date in this range is 12 to 100 years ago, whatever today is.
            min_value=datetime.date(today.year - 99, 1, 1),
            max_value=datetime.date(today.year - 13, 1, 1),
        )
    )
    months = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus"]
    months += ["september", "oktober", "november", "december"]
    written = draw(
        st.sampled_from(
            [
                f"{born.day}-{born.month}-{born.year}",
                f"{born:%d-%m-%Y}",
                f"{born.day}/{born.month}/{born.year}",
                f"{born:%Y-%m-%d}",
                f"{born.day} {months[born.month - 1]} {born.year}",
            ]
        )
    )
    cue = draw(st.sampled_from(["geboren op ", "geb. ", "geboortedatum: ", "DOB ", ""]))
    return cue + written


@st.composite
def addresses(draw: st.DrawFn) -> str:
    digits = draw(st.integers(1000, 9999))
    letters = draw(st.from_regex(r"[A-Z]{2}", fullmatch=True))
    assume(letters not in {"SA", "SD", "SS"})
    number = str(draw(st.integers(1, 999))) + draw(st.sampled_from(["", "a", "B", "-2"]))
    postcode = draw(st.sampled_from([f"{digits} {letters}", f"{digits}{letters}"]))
    street = draw(st.sampled_from(["Weaze", "Nieuwestad", "Oude Oosterstraat", "Stationsweg"]))
    return draw(st.sampled_from([f"{postcode} {number}", f"{street} {number}, {postcode}"]))


def _assert_found(kind: str, case: tuple[str, int, int]) -> None:
    text, start, end = case
    findings = find_identifiers(text)
    if kind in {"postcode_huisnummer", "geboortedatum"}:
        # The finding covers the address or the date, not the street name or the cue word.
        assert any(f.kind == kind and start <= f.start and f.end == end for f in findings), (
            text[start:end],
            text,
            findings,
        )
    else:
        assert _covering(findings, kind, start, end), (text[start:end], text, findings)


@PROPERTY_SETTINGS
@given(embedded(bsns()))
def test_property_valid_bsn_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("bsn", case)


@PROPERTY_SETTINGS
@given(embedded(nl_mobiles()))
def test_property_nl_mobile_number_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("telefoon", case)


@PROPERTY_SETTINGS
@given(embedded(nl_ibans()))
def test_property_valid_iban_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("iban", case)


@PROPERTY_SETTINGS
@given(embedded(emails))
def test_property_email_address_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("email", case)


@PROPERTY_SETTINGS
@given(embedded(plates()))
def test_property_licence_plate_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("kenteken", case)


@PROPERTY_SETTINGS
@given(embedded(birth_dates()))
def test_property_birth_date_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("geboortedatum", case)


@PROPERTY_SETTINGS
@given(embedded(addresses()))
def test_property_postcode_with_house_number_is_found(case: tuple[str, int, int]) -> None:
    _assert_found("postcode_huisnummer", case)


@PROPERTY_SETTINGS
@given(embedded(st.from_regex(r"[1-9][0-9]{8}", fullmatch=True).filter(lambda v: not elfproef(v))))
def test_property_nine_digits_failing_the_elfproef_are_no_bsn(case: tuple[str, int, int]) -> None:
    text, _, _ = case
    assert not [f for f in find_identifiers(text) if f.kind == "bsn"]


@PROPERTY_SETTINGS
@given(
    embedded(nl_ibans().map(lambda iban: iban[:2] + f"{(int(iban[2:4]) + 1) % 100:02d}" + iban[4:]))
)
def test_property_iban_with_wrong_check_digits_is_no_iban(case: tuple[str, int, int]) -> None:
    text, _, _ = case
    assert not [f for f in find_identifiers(text) if f.kind == "iban"]


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=200))
def test_property_findings_are_sorted_and_disjoint_for_any_text(text: str) -> None:
    findings = find_identifiers(text)
    for finding in findings:
        assert 0 <= finding.start < finding.end <= len(text)
    for first, second in itertools.pairwise(findings):
        assert first.end <= second.start


# --- false positives on ordinary professional text ----------------------------------------------


def test_corpus_false_positive_rate(capsys: pytest.CaptureFixture[str]) -> None:
    assert len(CORPUS) >= 200
    flagged = {line: find_identifiers(line) for line in CORPUS}
    flagged = {line: findings for line, findings in flagged.items() if findings}
    rate = len(flagged) / len(CORPUS)
    with capsys.disabled():
        print(f"\nguard false positives: {len(flagged)}/{len(CORPUS)} ({rate:.1%})")
        for line, findings in flagged.items():
            print("  ", [(f.kind, line[f.start : f.end]) for f in findings], line)
    assert rate <= 0.01


# --- the validation message ---------------------------------------------------------------------


def test_check_free_text_accepts_clean_text() -> None:
    check_free_text("Op 12 maart 2026 besproken; € 150 per nacht, K-2026-0001.", field="tekst")
    check_free_text("", field="tekst")


def test_check_free_text_names_kinds_and_positions_without_the_identifier() -> None:
    text = "Cliënte is bereikbaar op 06-12345678 en haar BSN is 123456782."
    with pytest.raises(ValidationError) as raised:
        check_free_text(text, field="omschrijving")
    errors = raised.value.message_dict
    assert list(errors) == ["omschrijving"]
    assert len(errors["omschrijving"]) == 1
    message = errors["omschrijving"][0]
    assert message == (
        "Deze tekst bevat een telefoonnummer (teken 26–36: ‘06…’) en een BSN (teken 53–61: "  # noqa: RUF001
        "‘12…’). Haal directe identificerende gegevens weg; beschrijf de situatie zonder "  # noqa: RUF001
        "namen, nummers of adressen."
    )
    assert text[25:36] == "06-12345678" and text[52:61] == "123456782"  # 1-based in the message
    for identifier in ("06-12345678", "12345678", "123456782", "3456"):
        assert identifier not in message
    assert raised.value.error_dict["omschrijving"][0].code == "direct_identifier"


def test_check_free_text_never_echoes_any_kind() -> None:
    identifiers = [
        "jan.devries@example.nl",
        "NL91ABNA0417164300",
        "Weaze 12, 8911 AB",
        "geb. 12-03-1998",
        "AB-12-34",
        "+40 721 234 567",
    ]
    text = "Notitie: " + "; ".join(identifiers) + "."
    with pytest.raises(ValidationError) as raised:
        check_free_text(text, field="notitie")
    message = raised.value.message_dict["notitie"][0]
    for label in ("een e-mailadres", "een IBAN", "een postcode met huisnummer"):
        assert label in message
    assert "en nog 1 ander gegeven" in message  # five are named, the rest counted
    findings = find_identifiers(text)
    assert len(findings) == len(identifiers)
    for finding in findings:
        # At most the first two characters are shown, as a hint.
        assert text[finding.start + 2 : finding.end] not in message
        assert text[finding.start + 1 : finding.start + 4] not in message


def test_guard_is_fast_on_a_long_text() -> None:
    text = "\n".join(CORPUS * 4)
    findings = find_identifiers(text)
    assert findings == []
