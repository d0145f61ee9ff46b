"""Benchmark of the pseudonymised match rule (casus.pseudonym) on a synthetic population.

Run from the project root:

    .venv/bin/python scripts/benchmark_matching.py [--people N] [--seed S] [--stored 100000]

With DATABASE_URL set (e.g. postgres://postgres@127.0.0.1:5432/ketenregie_bench) the database
timing runs on PostgreSQL, otherwise on SQLite. A throw-away test database is created and
destroyed; nothing is written to the project's own database.

What it does:

1. generates a synthetic population (deterministic by seed): Romanian, Bulgarian, Hungarian,
   Polish, Nigerian, Thai, Latin-American and Dutch people, with namesakes, twins, near-doubles
   and people who share a (controller's) phone number;
2. writes 2-4 reports per person as different professionals would enter them (exact,
   transliterated, typos, swapped fields, partial dates, phone or working name only, ...);
3. evaluates the product's rule pairwise (shared token kinds exactly as casus.intake computes
   them, via an inverted index) against a naive "single exact hash" baseline;
4. times the encoding of one record and the database lookup of one new record against
   --stored stored signals, the way casus.intake._store_tokens_and_match does it.

The synthetic names are fictitious combinations of common given and family names.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import hmac
import itertools
import logging
import os
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casus.signalen.pseudonym import IdentifyingAttributes

PROJECT_ROOT = Path(__file__).resolve().parent.parent
REFERENCE_DATE = datetime.date(2026, 1, 1)  # ages are computed against a fixed date

# --------------------------------------------------------------------------------------------
# Name lists (common given and family names per group; combinations are fictitious)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Group:
    code: str
    label: str
    given_f: tuple[str, ...]
    given_m: tuple[str, ...]
    family: tuple[str, ...]  # masculine/base form; see feminine()
    second_given: float  # share with a second given name (BG: patronymic)
    countries: tuple[str, ...]  # ISO regions of origin
    rules: tuple[tuple[str, tuple[str, ...]], ...]  # transliteration: regex -> replacements
    weight: float


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(",") if part.strip())


GROUPS: tuple[Group, ...] = (
    Group(
        "RO",
        "Romanian",
        _split(
            "Ioana, Maria, Elena, Andreea, Ana, Alexandra, Mihaela, Cristina, Gabriela, Daniela,"
            "Roxana, Florentina, Ștefania, Simona, Larisa, Bianca, Denisa, Alina, Georgiana,"
            "Nicoleta, Loredana, Ramona, Oana, Diana, Raluca, Violeta, Mădălina, Iulia, Cătălina,"
            "Corina"
        ),
        _split(
            "Mihai, Ionuț, Alexandru, Andrei, Florin, Constantin, Ștefan, Răzvan, Marius, Vasile"
        ),
        _split(
            "Popescu, Popa, Pop, Radu, Dumitru, Stoica, Stan, Gheorghe, Munteanu, Constantin,"
            "Ionescu, Matei, Ciobanu, Rusu, Mocanu, Lungu, Toma, Moldovan, Șerban, Țurcanu,"
            "Ardeleanu, Mărginean, Dinu, Chirilă, Bălan, Neagu, Văduva, Niță, Tănase, Sârbu,"
            "Olteanu, Câmpeanu"
        ),
        0.45,
        ("RO",),
        (
            ("ș", ("s", "sh", "ş")),
            ("ț", ("t", "ts", "ţ")),
            ("ă", ("a",)),
            ("â", ("a",)),
            ("î", ("i",)),
            (r"ai\b", ("ay",)),
            ("x", ("ks",)),
            (r"\bIu", ("Yu", "Ju")),
            (r"\bIo", ("Yo",)),
            ("ea", ("ia",)),
        ),
        0.18,
    ),
    Group(
        "BG",
        "Bulgarian",
        _split(
            "Maria, Ivana, Elena, Yordanka, Desislava, Gergana, Tsvetelina, Petya, Radostina,"
            "Zhivka, Milena, Snezhana, Vesela, Galina, Silviya, Nadezhda, Teodora, Kalina,"
            "Hristina, Yana, Stefka, Rumyana, Violeta, Daniela, Nikol, Viktoria, Aleksandra,"
            "Emilia, Svetla, Boryana"
        ),
        _split("Georgi, Ivan, Dimitar, Nikolay, Hristo, Stoyan, Petar, Todor, Yordan, Angel"),
        _split(
            "Ivanov, Georgiev, Dimitrov, Petrov, Nikolov, Hristov, Stoyanov, Todorov, Iliev,"
            "Vasilev, Atanasov, Petkov, Angelov, Kolev, Yordanov, Marinov, Popov, Stefanov,"
            "Zhivkov, Tsvetkov, Kostadinov, Mihaylov, Dobrev, Slavov, Asenov, Kirilov, Yankov,"
            "Tsonev, Radev, Bozhilov"
        ),
        0.40,
        ("BG",),
        (
            ("zh", ("j", "ž", "z")),
            ("ts", ("c", "tz")),
            (r"\bH", ("Kh", "Ch")),
            ("ya", ("ia", "ja")),
            (r"\bY", ("I", "J")),
            (r"y\b", ("i",)),
            ("ay", ("ai",)),
            ("iya", ("ia",)),
            (r"ov\b", ("off",)),
            (r"ova\b", ("owa",)),
        ),
        0.12,
    ),
    Group(
        "HU",
        "Hungarian",
        _split(
            "Eszter, Anna, Katalin, Erzsébet, Zsófia, Ildikó, Krisztina, Judit, Andrea, Éva,"
            "Mónika, Nikolett, Viktória, Tímea, Dóra, Réka, Boglárka, Noémi, Orsolya, Beáta,"
            "Szilvia, Enikő, Kitti, Petra, Gabriella, Brigitta, Henrietta, Adrienn, Bernadett,"
            "Csilla"
        ),
        _split("László, István, Zoltán, Gábor, Attila, Ferenc, Tamás, Balázs, Győző, Csaba"),
        _split(
            "Nagy, Kovács, Tóth, Szabó, Horváth, Varga, Kiss, Molnár, Németh, Farkas, Balogh,"
            "Papp, Takács, Juhász, Lakatos, Mészáros, Oláh, Rácz, Fekete, Szilágyi, Török,"
            "Fehér, Gál, Szűcs, Kocsis, Orsós, Pintér, Fodor, Szőke, Hegedűs, Lőrincz, Bíró"
        ),
        0.20,
        ("HU",),
        (
            ("ő", ("o", "oe", "ö")),
            ("ű", ("u", "ue", "ü")),
            ("ö", ("o", "oe")),
            ("ü", ("u", "ue")),
            ("á", ("a",)),
            ("é", ("e",)),
            ("ó", ("o",)),
            ("í", ("i",)),
            ("cs", ("ch",)),
            ("sz", ("s",)),
        ),
        0.12,
    ),
    Group(
        "PL",
        "Polish",
        _split(
            "Anna, Katarzyna, Małgorzata, Agnieszka, Barbara, Ewa, Magdalena, Joanna, Aleksandra,"
            "Monika, Justyna, Karolina, Natalia, Paulina, Weronika, Zofia, Dorota, Beata, Izabela,"
            "Sylwia, Marta, Patrycja, Żaneta, Łucja, Jadwiga, Urszula, Wiktoria, Grażyna, Bożena,"
            "Halina"
        ),
        _split(
            "Piotr, Krzysztof, Tomasz, Paweł, Michał, Łukasz, Marcin, Grzegorz, Wojciech, Jarosław"
        ),
        _split(
            "Nowak, Kowalski, Wiśniewski, Wójcik, Kowalczyk, Kamiński, Lewandowski, Zieliński,"
            "Szymański, Woźniak, Dąbrowski, Kozłowski, Jankowski, Mazur, Kwiatkowski, Krawczyk,"
            "Piotrowski, Grabowski, Pawłowski, Michalski, Nowicki, Adamczyk, Dudek, Zając,"
            "Wieczorek, Jabłoński, Król, Wróbel, Stępień, Górski, Sikora, Czarnecki"
        ),
        0.25,
        ("PL",),
        (
            ("ł", ("l",)),
            ("ż", ("z",)),
            ("ź", ("z",)),
            ("ś", ("s",)),
            ("ć", ("c",)),
            ("ń", ("n",)),
            ("ó", ("o",)),
            ("ą", ("a",)),
            ("ę", ("e",)),
            ("sz", ("sh",)),
            ("cz", ("ch",)),
            ("w", ("v",)),
            ("ks", ("x",)),
            ("yn", ("in",)),
        ),
        0.10,
    ),
    Group(
        "NG",
        "Nigerian",
        _split(
            "Blessing, Precious, Joy, Favour, Gift, Peace, Chioma, Ngozi, Adaeze, Chiamaka,"
            "Nneka, Ifeoma, Amaka, Funmilayo, Yetunde, Temitope, Aisha, Esther, Grace, Mercy,"
            "Patience, Osas, Ivie, Efe, Ese, Isoken, Omosede, Itohan, Eseosa, Ofure"
        ),
        _split("Osaretin, Eghosa, Uyi, Chukwuemeka, Emeka, Tunde, Segun, Ibrahim, Kelvin, Godwin"),
        _split(
            "Okafor, Okonkwo, Eze, Nwosu, Obi, Okeke, Adeyemi, Adebayo, Ogunleye, Balogun, Bello,"
            "Osagie, Osaghae, Igbinedion, Omoregie, Ehigiator, Aigbe, Edosomwan, Iyamu, Obasuyi,"
            "Ogbebor, Uwaifo, Idahosa, Osazuwa, Nosakhare, Ekhator, Omorogbe, Aghedo, Ighodaro,"
            "Okoro, Eromosele, Egharevba"
        ),
        0.40,
        ("NG",),
        (
            ("our", ("or",)),
            (r"zi\b", ("zie",)),
            (r"ma\b", ("mah",)),
            ("gh", ("g",)),
            ("kh", ("h", "k")),
            (r"ope\b", ("opé", "opeh")),
            ("ie", ("ye",)),
            (r"\bOsas\b", ("Osa",)),
        ),
        0.12,
    ),
    Group(
        "TH",
        "Thai",
        _split(
            "Siriporn, Nattaya, Kanya, Pornthip, Ratana, Supaporn, Wanida, Malee, Sunisa,"
            "Jintana, Kannika, Pimchanok, Chutima, Ladda, Nongnuch, Orathai, Suda, Thida,"
            "Duangjai, Araya, Kulap, Pranee, Rungnapa, Saowalak, Wilai, Yupin, Anong, Chanya,"
            "Kanokwan, Lamai"
        ),
        _split(
            "Somchai, Somsak, Anan, Prasert, Kittisak, Thanawat, Chaiwat, Surachai, Wichai, Sombat"
        ),
        _split(
            "Srisuk, Saetang, Wongsawat, Chaiyaporn, Sukprasert, Thongchai, Boonmee, Rattanakorn,"
            "Phromma, Kaewkhao, Srisawat, Intharasuk, Jaidee, Sangthong, Bunyasiri, Pongpanich,"
            "Siriwan, Charoenkul, Wattanapong, Kongkaew, Phetsri, Nakprasert, Yodsuwan, Manee,"
            "Ruangsri, Khamphan, Suwannarat, Thongdee, Boonyarat, Somboon"
        ),
        0.0,
        ("TH",),
        (
            ("porn", ("phon", "pon", "phorn")),
            ("ph", ("p",)),
            (r"\bP(?!h)", ("Ph",)),
            ("chai", ("chay", "jai")),
            ("th", ("t",)),
            (r"\bK", ("G",)),
            ("oo", ("u",)),
            (r"ee\b", ("i", "ie")),
            (r"\bSae", ("Sae-", "Sae ")),
            (r"\bSri", ("Si",)),
            (r"ert\b", ("oet", "oed")),
        ),
        0.08,
    ),
    Group(
        "LA",
        "Latin-American",
        _split(
            "María, Luisa, Valentina, Daniela, Camila, Gabriela, Carolina, Andrea, Paola, Yessica,"
            "Yuliana, Leidy, Katherine, Diana, Natalia, Sofía, Mariana, Alejandra, Lucía, Ximena,"
            "Ana, Rosa, Milagros, Yolanda, Guadalupe, Dayana, Johana, Estefanía, Ángela, Inés"
        ),
        _split("José, Juan, Carlos, Luis, Jesús, Andrés, Javier, Miguel, Ángel, Jhon"),
        _split(
            "García, Rodríguez, Martínez, Hernández, López, González, Pérez, Sánchez, Ramírez,"
            "Torres, Flores, Rivera, Gómez, Díaz, Muñoz, Rojas, Moreno, Jiménez, Vargas, Castro,"
            "Ortiz, Gutiérrez, Ruiz, Núñez, Peña, Mendoza, Castillo, Álvarez, Romero, Herrera,"
            "Ibáñez, Zúñiga"
        ),
        0.55,
        ("CO", "VE", "DO"),
        (
            ("á", ("a",)),
            ("é", ("e",)),
            ("í", ("i",)),
            ("ó", ("o",)),
            ("ú", ("u",)),
            ("ñ", ("n", "ni", "ny")),
            (r"\bY", ("J",)),
            (r"\bJh", ("J",)),
            (r"\bX", ("J",)),
            (r"\bEstef", ("Stef", "Esteph")),
            (r"\bÁ", ("A",)),
        ),
        0.08,
    ),
    Group(
        "NL",
        "Dutch",
        _split(
            "Sanne, Lisa, Emma, Anouk, Fleur, Femke, Lotte, Iris, Sophie, Julia, Eva, Noa, Sara,"
            "Tess, Roos, Britt, Kim, Demi, Chantal, Naomi, Esmée, Jasmijn, Mirthe, Sterre, Lieke,"
            "Anna, Maud, Romy, Zoë, Chloë"
        ),
        _split("Daan, Sem, Thijs, Jesse, Bram, Lars, Stijn, Ruben, Kevin, Dylan"),
        _split(
            "de Jong, Jansen, de Vries, van den Berg, van Dijk, Bakker, Janssen, Visser, Smit,"
            "Meijer, de Boer, Mulder, de Groot, Bos, Vos, Peters, Hendriks, van Leeuwen, Dekker,"
            "Brouwer, de Wit, Dijkstra, Smits, de Graaf, van der Meer, van der Linden, Kok,"
            "Jacobs, de Haan, Vermeulen, van den Heuvel, de Bruijn"
        ),
        0.50,
        ("NL",),
        (
            ("ij", ("y", "ei")),
            ("ë", ("e",)),
            ("é", ("e",)),
            (r"\bvan de[nr]\b", ("vd", "v.d.", "v/d")),
            (r"\bde\b", ("De",)),
            (r"ijk\b", ("ijck",)),
            (r"\bvan\b", ("Van",)),
        ),
        0.20,
    ),
)
GROUP_BY_CODE = {g.code: g for g in GROUPS}

BG_PATRONYMIC_F = _split(
    "Georgieva, Ivanova, Dimitrova, Nikolaeva, Hristova, Stoyanova, Petrova, Todorova,"
    "Yordanova, Angelova"
)
BG_PATRONYMIC_M = tuple(p[:-1] for p in BG_PATRONYMIC_F)

WORKING_NAMES = _split(
    "Roxy, Bella, Candy, Angel, Diamond, Jasmine, Lola, Nikki, Mimi, Kitty, Cherry, Destiny,"
    "Crystal, Princess, Honey, Sasha, Vanessa, Amber, Coco, Dolly, Ginger, Jade, Lexi, Luna,"
    "Mia, Nina, Paris, Ruby, Scarlett, Stella, Tiffany, Venus, Vicky, Barbie, Chanel, Daisy,"
    "Gigi, Kiki, Lily, Sweet Angel"
)

# Common names given deliberately to several different people (different dates of birth).
COMMON_NAMES = (
    ("LA", "María", "García"),
    ("RO", "Ana", "Popescu"),
    ("PL", "Anna", "Kowalski"),
    ("NG", "Blessing", "Okafor"),
    ("BG", "Maria", "Ivanov"),
    ("HU", "Eszter", "Nagy"),
    ("TH", "Siriporn", "Srisuk"),
    ("NL", "Sanne", "de Jong"),
)

LAND_NAMES = {
    "RO": ("Roemenië", "Roemenie", "Romania", "România", "RO"),
    "BG": ("Bulgarije", "Bulgaria", "BG"),
    "HU": ("Hongarije", "Hungary", "Magyarország", "HU"),
    "PL": ("Polen", "Poland", "Polska", "PL"),
    "NG": ("Nigeria", "NG", "Nigeria (Edo State)"),
    "TH": ("Thailand", "TH"),
    "CO": ("Colombia", "Colombië", "CO"),
    "VE": ("Venezuela", "VE"),
    "DO": ("Dominicaanse Republiek", "Dominican Republic", "DO"),
    "NL": ("Nederland", "NL"),
}


def feminine(group: str, family: str) -> str:
    if group == "PL":
        for masculine, feminine_form in (("dzki", "dzka"), ("cki", "cka"), ("ski", "ska")):
            if family.endswith(masculine):
                return family[: -len(masculine)] + feminine_form
    if group == "BG" and family.endswith(("ov", "ev")):
        return family + "a"
    return family


# --------------------------------------------------------------------------------------------
# Phone numbers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Phone:
    cc: str  # country calling code
    nsn: str  # national significant number
    trunk: str  # national prefix as written in the country
    region: str


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def make_phone(rng: random.Random, region: str) -> Phone:
    if region == "RO":
        return Phone("40", "7" + rng.choice("2345678") + _digits(rng, 7), "0", region)
    if region == "BG":
        return Phone("359", "8" + rng.choice("789") + _digits(rng, 7), "0", region)
    if region == "HU":
        return Phone("36", rng.choice(("20", "30", "70")) + _digits(rng, 7), "06", region)
    if region == "PL":
        return Phone("48", rng.choice("5678") + _digits(rng, 8), "", region)
    if region == "NG":
        prefix = rng.choice(("803", "806", "813", "816", "703", "706", "810", "905"))
        return Phone("234", prefix + _digits(rng, 7), "0", region)
    if region == "TH":
        return Phone(
            "66", rng.choice("689") + rng.choice("0123456789") + _digits(rng, 7), "0", region
        )
    if region == "CO":
        return Phone("57", "3" + rng.choice("0125") + _digits(rng, 8), "", region)
    if region == "VE":
        return Phone("58", rng.choice(("412", "414", "416", "424")) + _digits(rng, 7), "0", region)
    if region == "DO":
        return Phone("1", rng.choice(("809", "829", "849")) + _digits(rng, 7), "", region)
    return Phone("31", "6" + rng.choice("12345") + _digits(rng, 7), "0", "NL")


def _grouped(digits: str, rng: random.Random) -> str:
    sep = rng.choice((" ", " ", "-", ""))
    parts = [digits[i : i + 3] for i in range(0, len(digits), 3)]
    return sep.join(parts)


def format_phone(phone: Phone, rng: random.Random) -> tuple[str, str]:
    """The number as a professional writes it, and the format's name."""
    roll = rng.random()
    if roll < 0.35:
        return f"+{phone.cc} {_grouped(phone.nsn, rng)}", "+CC spaced"
    if roll < 0.50:
        return f"+{phone.cc}{phone.nsn}", "+CC compact"
    if roll < 0.70:
        return f"00{phone.cc}{rng.choice((' ', ''))}{_grouped(phone.nsn, rng)}", "00CC"
    if phone.region == "NL":
        return rng.choice(
            (f"06-{phone.nsn[1:]}", f"06 {phone.nsn[1:5]} {phone.nsn[5:]}", f"0{phone.nsn}")
        ), "national"
    return f"{phone.trunk}{_grouped(phone.nsn, rng)}", "national"


# --------------------------------------------------------------------------------------------
# Population and reports
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    pid: int
    group: str
    country: str
    female: bool
    given: list[str]
    family: list[str]  # one or two family names (Latin-American: paternal and maternal)
    dob: datetime.date
    phone: Phone | None
    werknaam: str
    relation: str = ""  # how this person was made to collide with another one
    related_to: int | None = None


@dataclass(frozen=True)
class Report:
    rid: int
    pid: int
    variation: str
    attributes: IdentifyingAttributes = field(repr=False)
    phone_format: str = ""


VARIATIONS: tuple[tuple[str, str, float], ...] = (
    ("exact", "exact (as on the ID document)", 35.0),
    ("diacritics", "diacritics dropped", 7.5),
    ("translit", "transliteration variant", 7.5),
    ("typo", "typo (1 character)", 10.0),
    ("swapped", "given/family swapped", 10.0),
    ("dob_missing", "date of birth missing", 5.0),
    ("dob_year", "only year of birth", 5.0),
    ("dob_swap", "day/month swapped", 5.0),
    ("phone_werknaam", "phone and/or working name only", 10.0),
    ("second_name", "second given/family name differs", 5.0),
)
VARIATION_LABEL = {code: label for code, label, _ in VARIATIONS}

_KEYBOARD = {
    "q": "wa", "w": "qes", "e": "wrd", "r": "etf", "t": "ryg", "y": "tuh", "u": "yij",
    "i": "uok", "o": "ipl", "p": "ol", "a": "qsz", "s": "adwx", "d": "sfe", "f": "dgr",
    "g": "fht", "h": "gjy", "j": "hku", "k": "jli", "l": "ko", "z": "xa", "x": "zcs",
    "c": "xvd", "v": "cbf", "b": "vng", "n": "bmh", "m": "nj",
}  # fmt: skip

_NO_DECOMPOSITION = str.maketrans({"ł": "l", "Ł": "L"})


def strip_diacritics(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    return unicodedata.normalize("NFC", "".join(c for c in text if not unicodedata.combining(c)))


def _apply_rule(text: str, pattern: str, replacement: str) -> str:
    def substitute(match: re.Match[str]) -> str:
        found = match.group(0)
        if found[:1].isupper() and replacement[:1].islower():
            return replacement[:1].upper() + replacement[1:]
        return replacement

    return re.sub(pattern, substitute, text, flags=re.IGNORECASE)


def transliterate(rng: random.Random, group: Group, texts: list[str]) -> list[str]:
    joined = "\n".join(texts)
    applicable = [rule for rule in group.rules if re.search(rule[0], joined, re.IGNORECASE)]
    if not applicable:
        return texts
    for pattern, replacements in rng.sample(applicable, k=min(len(applicable), rng.choice((1, 2)))):
        joined = _apply_rule(joined, pattern, rng.choice(replacements))
    if rng.random() < 0.5:  # typed on a Dutch keyboard: the rest loses its diacritics too
        joined = strip_diacritics(joined)
    return joined.split("\n")


def typo(rng: random.Random, word: str) -> str:
    letters = [i for i, c in enumerate(word) if c.isalpha()]
    for _ in range(20):
        kind = rng.random()
        position = rng.choice(letters[1:] if len(letters) > 2 and rng.random() < 0.9 else letters)
        char = word[position]
        if kind < 0.4:  # substitution by a neighbouring key
            neighbours = _KEYBOARD.get(strip_diacritics(char).lower(), "aeiou")
            new = rng.choice(neighbours)
            new = new.upper() if char.isupper() else new
            candidate = word[:position] + new + word[position + 1 :]
        elif kind < 0.7:  # deletion
            candidate = word[:position] + word[position + 1 :]
        else:  # transposition with the next character
            if position + 1 >= len(word):
                continue
            candidate = word[:position] + word[position + 1] + word[position] + word[position + 2 :]
            if position == 0:
                candidate = candidate[0].upper() + candidate[1:].lower()
        if candidate != word and len(candidate) >= 2:
            return candidate
    return word


def _age_dob(rng: random.Random, low: int = 16, high: int = 45) -> datetime.date:
    days = rng.randint(low * 365 + 5, high * 365 + 360)
    return REFERENCE_DATE - datetime.timedelta(days=days)


class PopulationBuilder:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.people: list[Person] = []

    def _group(self) -> Group:
        return self.rng.choices(GROUPS, weights=[g.weight for g in GROUPS])[0]

    def _new_person(self, group: Group, *, female: bool | None = None) -> Person:
        rng = self.rng
        female = rng.random() < 0.78 if female is None else female
        given_list = group.given_f if female else group.given_m
        given = [rng.choice(given_list)]
        if rng.random() < group.second_given:
            if group.code == "BG":
                given.append(rng.choice(BG_PATRONYMIC_F if female else BG_PATRONYMIC_M))
            else:
                second = rng.choice(given_list)
                if second != given[0]:
                    given.append(second)
        family = [rng.choice(group.family)]
        if group.code == "LA" and rng.random() < 0.8:
            maternal = rng.choice(group.family)
            if maternal != family[0]:
                family.append(maternal)
        if female:
            family = [feminine(group.code, f) for f in family]
        country = rng.choice(group.countries)
        phone = None
        if rng.random() < 0.55:
            region = country if group.code == "NL" or rng.random() < 0.5 else "NL"
            phone = make_phone(rng, region)
        werknaam = rng.choice(WORKING_NAMES) if female and rng.random() < 0.35 else ""
        person = Person(
            pid=len(self.people),
            group=group.code,
            country=country,
            female=female,
            given=given,
            family=family,
            dob=_age_dob(rng),
            phone=phone,
            werknaam=werknaam,
        )
        self.people.append(person)
        return person

    def build(self, n: int) -> list[Person]:
        rng = self.rng
        cluster_size = max(2, round(n / 400))
        for code, given, family in COMMON_NAMES:
            group = GROUP_BY_CODE[code]
            for _ in range(cluster_size):
                person = self._new_person(group, female=True)
                person.given = [given]
                person.family = [feminine(code, family)]
                person.relation = "common-name cluster"
        while len(self.people) < n:
            roll = rng.random()
            original = self._new_person(self._group())
            if len(self.people) >= n:
                break
            group = GROUP_BY_CODE[original.group]
            if roll < 0.010:  # twin: same family name and date of birth, other given name
                twin = self._new_person(group, female=original.female)
                twin.family = list(original.family)
                twin.dob = original.dob
                twin.relation, twin.related_to = "twin", original.pid
            elif roll < 0.015:  # near-double: same name, same year of birth, other day
                double = self._new_person(group, female=original.female)
                double.given, double.family = list(original.given), list(original.family)
                double.dob = original.dob.replace(day=rng.randint(1, 28))
                if double.dob == original.dob:
                    double.dob += datetime.timedelta(days=3)
                double.relation, double.related_to = (
                    "near-double (same name and year)",
                    original.pid,
                )
            elif roll < 0.025 and original.phone:  # controller's phone given for two people
                housemate = self._new_person(group)
                housemate.phone = original.phone
                housemate.relation, housemate.related_to = "shared phone", original.pid
        return self.people


class ReportWriter:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.reports: list[Report] = []
        self._weights = [w for _, _, w in VARIATIONS]
        self._codes = [c for c, _, _ in VARIATIONS]

    def _phone(self, person: Person) -> tuple[str, str]:
        assert person.phone is not None  # noqa: S101
        return format_phone(person.phone, self.rng)

    def _write(self, person: Person, variation: str) -> tuple[IdentifyingAttributes, str] | None:
        from casus.signalen.pseudonym import IdentifyingAttributes

        rng = self.rng
        group = GROUP_BY_CODE[person.group]
        given = " ".join(person.given)
        family = " ".join(person.family)
        dob: datetime.date | None = person.dob
        year: int | None = None
        land = rng.choice(LAND_NAMES[person.country]) if rng.random() < 0.5 else ""
        phone, phone_format = ("", "")
        if person.phone and rng.random() < 0.35:
            phone, phone_format = self._phone(person)
        werknaam = person.werknaam if person.werknaam and rng.random() < 0.3 else ""

        if variation == "exact":
            pass
        elif variation == "diacritics":
            new_given, new_family = strip_diacritics(given), strip_diacritics(family)
            if (new_given, new_family) == (given, family):
                return None
            given, family = new_given, new_family
        elif variation == "translit":
            new = transliterate(rng, group, [given, family])
            if new == [given, family]:
                return None
            given, family = new
        elif variation == "typo":
            if rng.random() < 0.5:
                family = typo(rng, family)
            else:
                words = given.split(" ")
                words[0] = typo(rng, words[0])
                given = " ".join(words)
        elif variation == "swapped":
            given, family = family, given
        elif variation == "dob_missing":
            dob = None
        elif variation == "dob_year":
            dob, year = None, person.dob.year
        elif variation == "dob_swap":
            if person.dob.day > 12 or person.dob.day == person.dob.month:
                return None
            dob = person.dob.replace(month=person.dob.day, day=person.dob.month)
        elif variation == "phone_werknaam":
            if not person.phone and not person.werknaam:
                return None
            given = family = ""
            dob = None
            choice = rng.random()
            phone, phone_format, werknaam = "", "", ""
            if person.phone and (not person.werknaam or choice < 0.7):
                phone, phone_format = self._phone(person)
            if person.werknaam and (not person.phone or choice >= 0.4):
                werknaam = person.werknaam
        elif variation == "second_name":
            if len(person.given) > 1:
                roll = rng.random()
                if roll < 0.6:
                    given = person.given[0]
                elif roll < 0.85:
                    given = person.given[1]
                else:
                    given = " ".join(reversed(person.given))
            elif len(person.family) > 1:
                family = person.family[0]
            else:
                return None
        attributes = IdentifyingAttributes(
            voornamen=given,
            achternaam=family,
            geboortedatum=dob,
            geboortejaar=year,
            land=land,
            werknaam=werknaam,
            telefoon=phone,
        )
        return attributes, phone_format

    def write_for(self, person: Person, count: int) -> list[Report]:
        written: list[Report] = []
        for _ in range(count):
            # A variation that cannot apply to this person (no diacritics to drop, a day above
            # 12, no second name, ...) is drawn again among the other variations, so that the
            # share of exact reports stays at its target; the realised mix is printed.
            variation = self.rng.choices(self._codes, weights=self._weights)[0]
            for _attempt in range(30):
                result = self._write(person, variation)
                if result is not None:
                    break
                variation = self.rng.choices(self._codes[1:], weights=self._weights[1:])[0]
            else:
                variation = "exact"
                result = self._write(person, variation)
            assert result is not None  # noqa: S101
            attributes, phone_format = result
            report = Report(len(self.reports), person.pid, variation, attributes, phone_format)
            self.reports.append(report)
            written.append(report)
        return written


def make_population(seed: int, n_people: int) -> tuple[list[Person], list[Report]]:
    rng = random.Random(seed)  # noqa: S311
    people = PopulationBuilder(rng).build(n_people)
    writer = ReportWriter(rng)
    for person in people:
        writer.write_for(person, rng.choice((2, 2, 3, 3, 3, 4)))
    reports = list(writer.reports)
    rng.shuffle(reports)  # arrival order
    return people, [replace(r, rid=i) for i, r in enumerate(reports)]


# --------------------------------------------------------------------------------------------
# Evaluation
# --------------------------------------------------------------------------------------------


def baseline_token(attributes: IdentifyingAttributes, secret: bytes) -> str | None:
    """A naive system: one HMAC over given+family+date of birth as entered."""
    given = attributes.voornamen.strip().lower()
    family = attributes.achternaam.strip().lower()
    if not given and not family:
        return None
    if attributes.geboortedatum:
        dob = attributes.geboortedatum.isoformat()
    else:
        dob = str(attributes.geboortejaar or "")
    message = f"{given}|{family}|{dob}".encode()
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


Pair = tuple[int, int]


def product_shared_kinds(reports: Sequence[Report]) -> dict[Pair, set[str]]:
    """Shared token kinds per pair of reports, exactly as casus.intake computes them: the
    earlier report is the stored one (its rows: kind and token), the later one looks up with
    all keys (kind by token value). An inverted index replaces the database."""
    from casus.signalen import pseudonym

    index: dict[str, list[tuple[int, str]]] = defaultdict(list)
    shared: dict[Pair, set[str]] = defaultdict(set)
    for report in reports:  # in arrival order
        lookup = pseudonym.tokens_for(report.attributes, all_keys=True)
        kind_by_value = {t.value: t.kind for t in lookup}
        for value, new_kind in kind_by_value.items():
            for other, stored_kind in index.get(value, ()):
                shared[(other, report.rid)].add(pseudonym.match_kind(stored_kind, new_kind))
        for token in pseudonym.tokens_for(report.attributes):
            index[token.value].append((report.rid, token.kind))
    return shared


def baseline_pairs(reports: Sequence[Report], secret: bytes) -> set[Pair]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for report in reports:
        token = baseline_token(report.attributes, secret)
        if token is not None:
            buckets[token].append(report.rid)
    return {pair for ids in buckets.values() for pair in itertools.combinations(sorted(ids), 2)}


@dataclass
class Scores:
    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def score(predicted: Iterable[Pair], positives: set[Pair], negatives: int) -> Scores:
    predicted = set(predicted)
    tp = len(predicted & positives)
    fp = len(predicted) - tp
    return Scores(tp=tp, fp=fp, fn=len(positives) - tp, tn=negatives - fp)


def _f(value: float) -> str:
    return f"{value:.3f}"


def _table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header], *[[str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = []
    for n, row in enumerate(cells):
        lines.append(
            "  ".join(
                c.ljust(widths[i]) if i == 0 else c.rjust(widths[i]) for i, c in enumerate(row)
            ).rstrip()
        )
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join("  " + line for line in lines)


def evaluate(people: list[Person], reports: list[Report], secret: bytes) -> dict[str, Any]:
    from casus.signalen import pseudonym

    by_pid = {p.pid: p for p in people}
    pid_of = {r.rid: r.pid for r in reports}
    variation_of = {r.rid: r.variation for r in reports}
    per_person: dict[int, list[int]] = defaultdict(list)
    for report in reports:
        per_person[report.pid].append(report.rid)
    positives = {
        pair for rids in per_person.values() for pair in itertools.combinations(sorted(rids), 2)
    }
    n = len(reports)
    all_pairs = n * (n - 1) // 2
    negatives = all_pairs - len(positives)

    shared = product_shared_kinds(reports)
    normalised = {(min(a, b), max(a, b)): kinds for (a, b), kinds in shared.items()}
    rule_pairs = {pair for pair, kinds in normalised.items() if pseudonym.is_probable_match(kinds)}
    strong_pairs = {
        pair for pair, kinds in normalised.items() if pseudonym.strength(kinds) == "sterk"
    }
    any_pairs = set(normalised)
    base_pairs = baseline_pairs(reports, secret)

    result: dict[str, Any] = {
        "reports": n,
        "people": len(people),
        "all_pairs": all_pairs,
        "positives": len(positives),
        "negatives": negatives,
        "rule": score(rule_pairs, positives, negatives),
        "strong": score(strong_pairs, positives, negatives),
        "any": score(any_pairs, positives, negatives),
        "baseline": score(base_pairs, positives, negatives),
    }

    # Recall per variation type: pairs of (exact, T), and pairs with T on either side.
    per_variation: list[list[object]] = []
    for code, label, target in VARIATIONS:
        vs_exact = [
            p
            for p in positives
            if sorted((variation_of[p[0]], variation_of[p[1]])) == sorted(("exact", code))
        ]
        either = [p for p in positives if code in (variation_of[p[0]], variation_of[p[1]])]
        share = sum(1 for r in reports if r.variation == code) / n

        def recall(pairs: list[Pair], predicted: set[Pair]) -> str:
            return _f(sum(1 for p in pairs if p in predicted) / len(pairs)) if pairs else "-"

        per_variation.append(
            [
                label,
                _f(target / 100),
                _f(share),
                len(vs_exact),
                recall(vs_exact, rule_pairs),
                recall(vs_exact, base_pairs),
                len(either),
                recall(either, rule_pairs),
                recall(either, base_pairs),
            ]
        )
    result["per_variation"] = per_variation

    # Recall by what the two reports carry: the ceiling of any token rule lies here.
    def carried(attributes: IdentifyingAttributes) -> tuple[bool, str]:
        has_name = bool(attributes.voornamen.strip() or attributes.achternaam.strip())
        if attributes.geboortedatum:
            return has_name, "full"
        return has_name, "year" if attributes.geboortejaar else "none"

    carried_by = {r.rid: carried(r.attributes) for r in reports}
    info_pairs: dict[str, list[Pair]] = defaultdict(list)
    for a, b in positives:
        (name_a, date_a), (name_b, date_b) = carried_by[a], carried_by[b]
        if not (name_a and name_b):
            info_pairs["one side no name (phone/working name only)"].append((a, b))
        elif "none" in (date_a, date_b):
            info_pairs["both a name, one side no date of birth"].append((a, b))
        elif date_a == date_b == "full":
            info_pairs["both name + full date of birth"].append((a, b))
        else:
            info_pairs["both name + date, one side only the year"].append((a, b))
    result["info_rows"] = [
        [
            name,
            len(pairs),
            _f(len(pairs) / len(positives)),
            _f(sum(1 for p in pairs if p in rule_pairs) / len(pairs)),
            _f(sum(1 for p in pairs if p in base_pairs) / len(pairs)),
        ]
        for name, pairs in sorted(info_pairs.items(), key=lambda kv: -len(kv[1]))
    ]

    # Recall per group of origin.
    group_rows = []
    for group in GROUPS:
        pairs = [p for p in positives if by_pid[pid_of[p[0]]].group == group.code]
        if pairs:
            found = sum(1 for p in pairs if p in rule_pairs)
            group_rows.append([group.label, len(pairs), _f(found / len(pairs))])
    result["group_rows"] = group_rows

    # Recall per phone format, for pairs whose only chance is the phone (phone-only report).
    phone_rows: list[list[object]] = []
    format_of = {r.rid: r.phone_format for r in reports}
    by_format: dict[str, list[Pair]] = defaultdict(list)
    for a, b in positives:
        for one, other in ((a, b), (b, a)):
            if variation_of[one] == "phone_werknaam" and format_of[one] and format_of[other]:
                by_format[f"{format_of[one]} vs {format_of[other]}"].append((a, b))
    for name in sorted(by_format):
        pairs = by_format[name]
        found = sum(1 for p in pairs if p in rule_pairs)
        phone_rows.append([name, len(pairs), _f(found / len(pairs))])
    result["phone_rows"] = phone_rows

    # Where the false positives come from: relation of the two people, and the shared kinds.
    def relation(pair: Pair) -> str:
        one, other = by_pid[pid_of[pair[0]]], by_pid[pid_of[pair[1]]]
        if one.related_to == other.pid or other.related_to == one.pid:
            return (one.relation if one.related_to == other.pid else other.relation) or "related"
        if one.relation == other.relation == "common-name cluster" and (
            one.given,
            one.family,
        ) == (other.given, other.family):
            return "common-name cluster"
        same_name = pseudonym.name_tokens(" ".join(one.given[:1] + one.family)) == (
            pseudonym.name_tokens(" ".join(other.given[:1] + other.family))
        )
        if same_name:
            return "accidental namesake"
        if one.phone and one.phone == other.phone:
            return "shared phone (accidental)"
        if one.werknaam and one.werknaam == other.werknaam:
            return "same working name"
        return "other"

    false_positives = sorted(rule_pairs - positives)
    result["fp_relation"] = Counter(relation(p) for p in false_positives)
    result["fp_kinds"] = Counter(
        "+".join(sorted(normalised[p], key=list(pseudonym.DOMAINS).index)) for p in false_positives
    )
    negatives_by_relation: Counter[str] = Counter()
    for pair in any_pairs - positives:
        negatives_by_relation[relation(pair)] += 1
    result["neg_any_relation"] = negatives_by_relation

    # Population make-up.
    name_counts = Counter(
        (p.group, tuple(pseudonym.name_tokens(" ".join(p.given[:1] + p.family)))) for p in people
    )
    result["namesake_pairs"] = sum(c * (c - 1) // 2 for c in name_counts.values())
    result["relations"] = Counter(p.relation for p in people if p.relation)
    result["groups"] = Counter(p.group for p in people)
    return result


# --------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------


def _ms_stats(seconds: Sequence[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"mean {statistics.fmean(ms):.3f} ms, p95 {p95:.3f} ms (n={len(ms)})"


def time_encoding(reports: Sequence[Report], count: int) -> tuple[str, str, Counter[int]]:
    from casus.signalen import pseudonym

    sample = [r.attributes for r in reports if r.variation != "phone_werknaam"][:count]
    for attributes in sample[:50]:  # warm-up
        pseudonym.tokens_for(attributes)
    durations = []
    sizes: Counter[int] = Counter()
    for attributes in sample:
        start = time.perf_counter()
        tokens = pseudonym.tokens_for(attributes)
        durations.append(time.perf_counter() - start)
        sizes[len(tokens)] += 1
    all_sizes = Counter(len(pseudonym.tokens_for(r.attributes)) for r in reports)
    return _ms_stats(durations), _size_summary(sizes), all_sizes


def _size_summary(sizes: Counter[int]) -> str:
    values = list(sizes.elements())
    return (
        f"tokens per record: mean {statistics.fmean(values):.3f}, "
        f"min {min(values)}, max {max(values)}"
    )


def bench_database(seed: int, stored: int, probes: int, out: Callable[[str], None]) -> None:
    from django.db import connection, transaction

    from casus.models import Bron, PseudoniemToken, Sector, Signaal, Zichtbaarheid
    from casus.signalen import pseudonym
    from casus.signalen import services as intake
    from partners.models import PartnerKind, Role
    from partners.services import partner_create, user_create

    settings_dict = connection.settings_dict
    vendor = connection.vendor
    if vendor == "sqlite":
        test_name = str(
            Path(tempfile.gettempdir()) / f"ketenregie_matchbench_{os.getpid()}.sqlite3"
        )
    else:
        test_name = f"test_{settings_dict['NAME']}_matchbench"
    settings_dict.setdefault("TEST", {})["NAME"] = test_name
    out(f"  database: {vendor} (test database {test_name}, created for this run)")
    started = time.perf_counter()
    old_name = connection.creation.create_test_db(
        verbosity=0, autoclobber=True, serialize=False, keepdb=False
    )
    try:
        out(f"  test database created and migrated in {time.perf_counter() - started:.3f} s")
        partner = partner_create(name="Benchmark partner", kind=PartnerKind.ZORG)
        user = user_create(username="benchmark", partner=partner, role=Role.MEDEWERKER)
        lijst = intake.active_signalenlijst()

        # Stored signals: a separate synthetic population of about `stored` reports.
        rng = random.Random(seed + 1)  # noqa: S311
        builder = PopulationBuilder(rng)
        writer = ReportWriter(rng)
        people: list[Person] = []
        while len(writer.reports) < stored:
            person = builder._new_person(builder._group())
            people.append(person)
            writer.write_for(person, rng.choice((2, 2, 3, 3, 3, 4)))
        stored_reports = writer.reports[:stored]
        pid_of_signal: dict[int, int] = {}

        def new_signaal() -> Signaal:
            return Signaal(
                partner=partner,
                auteur=user,
                rol=user.role,
                datum_waargenomen=REFERENCE_DATE,
                bron=Bron.SPREEKUUR,
                sector=Sector.CLUB,
                lijst=lijst,
                omschrijving="Benchmark",
                zichtbaarheid=Zichtbaarheid.KETEN,
            )

        started = time.perf_counter()
        token_rows = 0
        chunk = 2000
        for offset in range(0, len(stored_reports), chunk):
            batch = stored_reports[offset : offset + chunk]
            with transaction.atomic():
                signals = Signaal.objects.bulk_create(
                    [new_signaal() for _ in batch], batch_size=500
                )
                pid_of_signal.update(
                    (signaal.pk, report.pid) for signaal, report in zip(signals, batch, strict=True)
                )
                rows = [
                    PseudoniemToken(
                        signaal_id=signaal.pk,
                        soort=t.kind,
                        sleutelversie=t.key_version,
                        token=t.value,
                    )
                    for signaal, report in zip(signals, batch, strict=True)
                    for t in pseudonym.tokens_for(report.attributes)
                ]
                PseudoniemToken.objects.bulk_create(rows, batch_size=1000)
                token_rows += len(rows)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out(
            f"  inserted {Signaal.objects.count()} signals and {token_rows} token rows "
            f"({token_rows / len(stored_reports):.3f} per signal) in "
            f"{time.perf_counter() - started:.3f} s"
        )

        # Probes: half are new reports of stored people, half of new people.
        probe_rng = random.Random(seed + 2)  # noqa: S311
        probe_writer = ReportWriter(probe_rng)
        probe_builder = PopulationBuilder(probe_rng)
        probe_reports: list[Report] = []
        for person in probe_rng.sample(people, probes // 2):
            probe_reports += probe_writer.write_for(person, 1)
        for i in range(probes - probes // 2):
            person = probe_builder._new_person(probe_builder._group())
            person.pid = -1 - i  # not a stored person
            probe_reports += probe_writer.write_for(person, 1)

        def lookup(attributes: IdentifyingAttributes) -> dict[int, str]:
            lookup_tokens = pseudonym.tokens_for(attributes, all_keys=True)
            kind_by_value = {t.value: t.kind for t in lookup_tokens}
            shared: dict[int, set[str]] = defaultdict(set)
            for other_id, kind, value in (
                PseudoniemToken.objects.filter(token__in=list(kind_by_value))
                .exclude(signaal_id=0)
                .values_list("signaal_id", "soort", "token")
            ):
                shared[other_id].add(pseudonym.match_kind(kind, kind_by_value[value]))
            return {other: pseudonym.strength(kinds) for other, kinds in shared.items()}

        plan = (
            PseudoniemToken.objects.filter(token__in=["0" * 64, "1" * 64])
            .exclude(signaal_id=0)
            .values_list("signaal_id", "soort", "token")
            .explain()
        )
        out("  query plan: " + " | ".join(line.strip() for line in plan.splitlines()[:4]))
        for report in probe_reports[:20]:  # warm-up
            lookup(report.attributes)
        durations: list[float] = []
        hits = Counter[str]()
        shared_signals = []
        for n, report in enumerate(probe_reports):
            start = time.perf_counter()
            hints = lookup(report.attributes)
            durations.append(time.perf_counter() - start)
            shared_signals.append(len(hints))
            probable = {o for o, s in hints.items() if s in {"sterk", "waarschijnlijk"}}
            known = n < probes // 2
            same = {o for o in probable if pid_of_signal.get(o) == report.pid}
            if known:
                hits["known"] += 1
                hits["known_found"] += bool(same)
            hits["false_hints"] += len(probable - same)
            hits["probes_with_false"] += bool(probable - same)
        out(
            f"  lookup (tokens_for all keys + token__in query + grouping + strength), "
            f"{len(probe_reports)} new records: {_ms_stats(durations)}"
        )
        out(
            f"    new reports of stored people that found one of that person's signals: "
            f"{hits['known_found']} of {hits['known']}; probes with a probable hint to another "
            f"person's signal: {hits['probes_with_false']} of {len(probe_reports)}"
        )
        out(
            f"    signals sharing any token (one MatchHint row each, 'zwak' included): mean "
            f"{statistics.fmean(shared_signals):.3f}, max {max(shared_signals)} per new record"
        )

        # The real service function, with the insert of the new tokens and hints.
        durations = []
        for report in probe_reports:
            signaal = Signaal.objects.bulk_create([new_signaal()])[0]
            start = time.perf_counter()
            with transaction.atomic():
                intake._store_tokens_and_match(signaal, report.attributes)
            durations.append(time.perf_counter() - start)
        out(
            f"  casus.intake._store_tokens_and_match (insert tokens + lookup + insert hints, "
            f"one transaction): {_ms_stats(durations)}"
        )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=False)
        out("  test database destroyed")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--people", type=int, default=2000, help="people in the population")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--stored", type=int, default=100_000, help="stored signals (database)")
    parser.add_argument("--probes", type=int, default=200, help="new records to look up")
    parser.add_argument("--encode", type=int, default=1000, help="records to time tokens_for on")
    parser.add_argument("--skip-db", action="store_true", help="skip the database timing")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from django.conf import settings

    logging.disable(logging.INFO)  # the services log partner/user creation

    def out(line: str = "") -> None:
        print(line, flush=True)

    total_start = time.perf_counter()
    out("Ketenregie match benchmark (casus.pseudonym)")
    out("=" * 78)
    out(f"seed {args.seed}, people {args.people}, settings {os.environ['DJANGO_SETTINGS_MODULE']}")

    started = time.perf_counter()
    people, reports = make_population(args.seed, args.people)
    out(f"population generated in {time.perf_counter() - started:.3f} s")
    started = time.perf_counter()
    result = evaluate(people, reports, settings.PSEUDONYM_KEYS[0].secret)
    out(f"pairwise evaluation in {time.perf_counter() - started:.3f} s")

    out()
    out("1. Population")
    out("-" * 78)
    groups = result["groups"]
    out(
        "  people: "
        + str(result["people"])
        + " ("
        + ", ".join(f"{g.label} {groups[g.code]}" for g in GROUPS)
        + ")"
    )
    relations = result["relations"]
    out(
        "  deliberate collisions: "
        + ", ".join(f"{name} {count}" for name, count in sorted(relations.items()))
    )
    out(f"  person pairs with the same first given name + family name: {result['namesake_pairs']}")
    out(f"  reports: {result['reports']} (2-4 per person)")
    out(
        f"  report pairs: {result['all_pairs']}; positive (same person) "
        f"{result['positives']}; negative {result['negatives']}"
    )

    out()
    out("2. Precision and recall over all report pairs")
    out("-" * 78)
    rows = []
    for key, label in (
        ("baseline", "baseline: single exact hash (given|family|dob as entered)"),
        ("strong", "product tokens, 'sterk' only"),
        ("rule", "PRODUCT RULE is_probable_match (sterk + waarschijnlijk)"),
        ("any", "product tokens, any shared token (incl. 'zwak')"),
    ):
        s: Scores = result[key]
        rows.append([label, _f(s.precision), _f(s.recall), _f(s.f1), s.tp, s.fp, s.fn, s.tn])
    out(_table(rows, ["", "precision", "recall", "F1", "TP", "FP", "FN", "TN"]))
    rule: Scores = result["rule"]
    met = rule.recall >= 0.95 and rule.precision >= 0.99
    out(
        f"  aim (recall >= 0.950 at precision >= 0.990): "
        f"{'MET' if met else 'NOT MET'} (recall {_f(rule.recall)}, precision {_f(rule.precision)})"
    )

    out()
    out("3. Recall per variation type (positive pairs)")
    out("-" * 78)
    out(
        _table(
            result["per_variation"],
            [
                "variation",
                "target",
                "share",
                "pairs vs exact",
                "rule",
                "baseline",
                "pairs any",
                "rule",
                "baseline",
            ],
        )
    )
    out(
        "  ('pairs vs exact': the other report is exact; 'pairs any': the variation on either side)"
    )
    out()
    out("  by what both reports carry (a token rule cannot link reports that share no attribute")
    out("  beyond a name or a working name without admitting namesakes):")
    out(
        _table(
            result["info_rows"],
            ["positive pairs", "pairs", "share", "rule recall", "baseline"],
        )
    )
    out()
    out("  by group of origin:")
    out(_table(result["group_rows"], ["group", "pairs", "rule recall"]))
    if result["phone_rows"]:
        out()
        out("  phone-or-working-name-only reports vs a report with a phone, by phone format:")
        out(_table(result["phone_rows"], ["formats", "pairs", "rule recall"]))

    out()
    out("4. False positives of the product rule")
    out("-" * 78)
    fp_relation = result["fp_relation"]
    neg_relation = result["neg_any_relation"]
    rows = [
        [name, fp_relation.get(name, 0), neg_relation.get(name, 0)]
        for name in sorted(set(fp_relation) | set(neg_relation))
    ]
    out(_table(rows, ["relation of the two people", "FP (probable)", "share any token"]))
    out("  shared token kinds of the false positives:")
    rows = [[kinds, count] for kinds, count in result["fp_kinds"].most_common(12)]
    out(_table(rows, ["kinds", "FP"]) if rows else "  (none)")

    out()
    out("5. Timing")
    out("-" * 78)
    started = time.perf_counter()
    encode_stats, size_stats, _ = time_encoding(reports, args.encode)
    out(f"  encode one record (tokens_for, newest key): {encode_stats}")
    out(f"  {size_stats}")
    if args.skip_db:
        out("  database timing skipped (--skip-db)")
    else:
        bench_database(args.seed, args.stored, args.probes, out)

    out()
    out(f"total run time {time.perf_counter() - total_start:.3f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
