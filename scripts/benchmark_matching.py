"""Harsh benchmark of the match rule, measured THROUGH ``manage.py match_evaluate`` (issue 14).

Run from the project root:

    .venv/bin/python scripts/benchmark_matching.py [--persons N] [--seed S]
        [--population train|test|heldout|all] [--stored 100000] [--probes 500] [--jsonl DIR]

What it does:

1. generates a synthetic population of women (deterministic by seed) of nine origins
   (Romanian, Bulgarian, Ukrainian, Hungarian, Polish, Nigerian, Thai, Latin-American, Dutch)
   with twins, namesakes with close dates of birth and "bookers" whose phone is used for
   several women;
2. writes 1-4 reports per person, each perturbed as a professional would enter it (shares
   below); the train population uses seed S, the test population seed S + 1000, the held-out
   population seed S + 2000 with a perturbation mix drawn at random (seeded) from the defaults,
   not printed unless --show-heldout-mix (calibrate on train, check on test and held-out);
3. writes the reports as JSON lines (in a shuffled arrival order) and runs the
   ``match_evaluate`` management command on them: the product's normalisation, tokens (a
   throw-away key) and rule, each report matched only against the reports before it;
4. prints precision/recall for 'sterk' and for all hints, per perturbation kind, the size of
   the review band ('waarschijnlijk' hints per 1,000 reports), the share of false 'sterk' pairs
   that share only a phone, and the encode + match time per report against an in-memory index
   of --stored records (casus.signalen.evaluation.MatchIndex, the command's own index).

Report perturbations (each report independently; the first report of a person too). A report
is clean with probability 35 % (CLEAN_SHARE; 5 % of those leave out the date of birth, counted
as dob_missing), otherwise it gets one perturbation (80 %) or two (20 %) drawn with these
weights (PERTURBATIONS below is the source of truth). 15 % of the reports are typed in capitals,
70 % carry the working name if there is one, 70 % the country in some spelling.

    dob_digit 6       one digit of the date of birth off (1994 -> 1984, 14 -> 17)
    dob_day 5         date of birth one day off
    dob_swap 5        day and month swapped (only possible when the day is <= 12)
    dob_year 6        only the year of birth
    dob_missing 8     no date of birth
    werknaam_only 6   only the working name (and the phone if one is known)
    nickname 7        a short form of the given name per origin (Katarzyna/Kasia,
                      Aleksandra/Ola, Mihaela/Miha, Blessing/Bless; Thai: the nickname)
    given_in_family 4 the given name typed into the family field (voornamen empty)
    swapped 5         given and family name in each other's field
    translit 9        another Latin transliteration of a Cyrillic or Thai-script name
                      (Bulgarian, Ukrainian, Thai; other origins: national spelling rules)
    typo 8            one typing error in a given or family name
    diacritics 5      diacritics dropped
    second_name 4     a second given name or family name added or left out
    phone_format 5    the phone written in another format (national, 00, +)
    booker_phone      not drawn: a woman in a booker's ring gives the booker's phone in
                      BOOKER_PHONE_SHARE of her reports (instead of her own or none)

Population (constants below): 15 % of the women are in a booker's ring (RING_SHARE; rings of
2-5 women of any origin sharing one controller phone, which each gives in 35 % of her reports,
BOOKER_PHONE_SHARE); 1.5 % of persons get a twin (same family name, date of birth and country,
other given name; 60 % work for the same booker); 2 % get a namesake (same first given and
family name, date of birth 1-40 days apart (70 %) or elsewhere in the same year); 50 % have an
own phone (given in 70 % of the reports), 45 % a working name (Thai women: their nickname, 70 %).
Reports per person: 1 (35 %), 2 (35 %), 3 (20 %), 4 (10 %).

A pair of reports of one person is counted under every perturbation either report carries
("exact" when neither carries one). Precision per perturbation is over the hints where either
report carries it. The synthetic names are fictitious combinations of common names.
Old options: --people is --persons; --encode and --skip-db still work (--skip-db skips timing).
"""

from __future__ import annotations

import argparse
import datetime
import io
import itertools
import json
import os
import random
import re
import statistics
import sys
import tempfile
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
    Group(
        "UA",
        "Ukrainian",
        _split(
            "Olena, Yuliia, Kateryna, Nataliia, Oksana, Tetiana, Iryna, Svitlana, Anastasiia,"
            "Olha, Mariia, Viktoriia, Alina, Daria, Khrystyna, Sofiia, Yana, Liudmyla, Halyna,"
            "Valentyna"
        ),
        _split("Oleksandr, Andrii, Serhii, Dmytro, Yurii, Volodymyr, Mykola, Vasyl, Ihor, Oleh"),
        _split(
            "Shevchenko, Kovalenko, Bondarenko, Tkachenko, Kravchenko, Melnyk, Shevchuk, Boiko,"
            "Kovalchuk, Oliinyk, Tkachuk, Savchenko, Rudenko, Moroz, Lysenko, Marchenko,"
            "Polishchuk, Kharchenko, Zhuk, Hrytsenko"
        ),
        0.15,
        ("UA",),
        (
            ("ii", ("i", "iy", "ij", "y")),
            ("kh", ("h", "ch")),
            (r"\bH", ("G",)),
            ("iu", ("yu", "ju", "u")),
            ("ia", ("ya", "ja", "a")),
            ("shch", ("sch", "shtch")),
            ("zh", ("j", "z", "sh")),
            ("oi", ("oy", "oj")),
            ("y", ("i",)),
            ("ch", ("tch", "tsch")),
        ),
        0.06,
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
    "UA": ("Oekraïne", "Oekraine", "Ukraine", "UA"),
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
    if region == "UA":
        prefix = rng.choice(("50", "63", "66", "67", "68", "93", "97"))
        return Phone("380", prefix + _digits(rng, 7), "0", region)
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


# --------------------------------------------------------------------------------------------
# Shares (documented in the module docstring)
# --------------------------------------------------------------------------------------------

CLEAN_SHARE = 0.35
PERTURBATIONS: dict[str, float] = {
    "dob_digit": 6.0,
    "dob_day": 5.0,
    "dob_swap": 5.0,
    "dob_year": 6.0,
    "dob_missing": 8.0,
    "werknaam_only": 6.0,
    "nickname": 7.0,
    "given_in_family": 4.0,
    "swapped": 5.0,
    "translit": 9.0,
    "typo": 8.0,
    "diacritics": 5.0,
    "second_name": 4.0,
    "phone_format": 5.0,
}
RING_SHARE = 0.15
BOOKER_PHONE_SHARE = 0.35
TWIN_SHARE = 0.015
NAMESAKE_SHARE = 0.02
OWN_PHONE_SHARE = 0.5
WERKNAAM_SHARE = 0.45
THAI_NICKNAME_WERKNAAM = 0.7
REPORTS_PER_PERSON = ((1, 35), (2, 35), (3, 20), (4, 10))
SEED_OFFSET = {"train": 0, "test": 1000, "heldout": 2000}

NICKNAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "PL": {
        "Katarzyna": ("Kasia", "Kaśka"), "Aleksandra": ("Ola", "Ala"), "Małgorzata": ("Gosia",),
        "Agnieszka": ("Aga",), "Magdalena": ("Magda",), "Joanna": ("Asia",),
        "Barbara": ("Basia",), "Weronika": ("Wera",), "Anna": ("Ania",), "Zofia": ("Zosia",),
        "Izabela": ("Iza",), "Patrycja": ("Pati",), "Wiktoria": ("Wika",), "Monika": ("Monia",),
        "Natalia": ("Natka",), "Justyna": ("Justa",),
    },
    "RO": {
        "Mihaela": ("Miha", "Mihaiela"), "Alexandra": ("Ale", "Alexa"), "Andreea": ("Andra",),
        "Gabriela": ("Gabi",), "Daniela": ("Dana",), "Cristina": ("Cristi",),
        "Florentina": ("Flori",), "Ștefania": ("Fani",), "Georgiana": ("Geo",),
        "Nicoleta": ("Nico",), "Loredana": ("Lori",), "Mădălina": ("Mada",),
        "Cătălina": ("Cati",), "Elena": ("Ela",), "Ioana": ("Ionela",),
    },
    "BG": {
        "Yordanka": ("Dana",), "Desislava": ("Desi",), "Tsvetelina": ("Tsveti",),
        "Radostina": ("Rada",), "Snezhana": ("Sneja",), "Nadezhda": ("Nadya",),
        "Teodora": ("Dora", "Teddy"), "Hristina": ("Hrisi",), "Aleksandra": ("Sasha",),
        "Viktoria": ("Viki",), "Rumyana": ("Rumi",), "Boryana": ("Bori",),
        "Galina": ("Galya",), "Silviya": ("Silvi",),
    },
    "UA": {
        "Anastasiia": ("Nastia", "Nastya"), "Kateryna": ("Katia", "Katya"), "Olena": ("Lena",),
        "Oleksandra": ("Sasha",), "Yuliia": ("Yulia",), "Tetiana": ("Tania",),
        "Nataliia": ("Natasha",), "Svitlana": ("Sveta",), "Mariia": ("Masha",),
        "Daria": ("Dasha",), "Viktoriia": ("Vika",), "Sofiia": ("Sonia",), "Olha": ("Olia",),
    },
    "HU": {
        "Erzsébet": ("Erzsi",), "Zsófia": ("Zsófi",), "Katalin": ("Kati",),
        "Krisztina": ("Kriszti",), "Ildikó": ("Ildi",), "Mónika": ("Móni",),
        "Viktória": ("Viki",), "Gabriella": ("Gabi",), "Boglárka": ("Bogi",),
        "Orsolya": ("Orsi",), "Szilvia": ("Szilvi",), "Eszter": ("Eszti",), "Judit": ("Jutka",),
        "Éva": ("Évi",),
    },
    "NG": {
        "Blessing": ("Bless",), "Precious": ("Presh",), "Favour": ("Fave",), "Chioma": ("Chi",),
        "Chiamaka": ("Amaka",), "Adaeze": ("Ada",), "Funmilayo": ("Funmi",),
        "Yetunde": ("Yetty",), "Temitope": ("Tope",), "Ifeoma": ("Ify",), "Omosede": ("Sede",),
        "Patience": ("Pat",), "Isoken": ("Iso",), "Itohan": ("Ito",),
    },
    "LA": {
        "Guadalupe": ("Lupe",), "Alejandra": ("Ale",), "Estefanía": ("Fany",),
        "Yolanda": ("Yoli",), "Valentina": ("Vale",), "Gabriela": ("Gaby",),
        "Carolina": ("Caro",), "Mariana": ("Mari",), "Milagros": ("Mila",), "Daniela": ("Dani",),
    },
    "NL": {"Sophie": ("Soof",), "Julia": ("Juul",), "Jasmijn": ("Jas",), "Femke": ("Fem",)},
}  # fmt: skip
THAI_NICKNAMES = _split(
    "Noi, Ploy, Fon, Nok, Pim, Joy, Mint, Bee, Nan, Am, Goy, Lek, Nid, Aom, Ying, Kwan, Ning,"
    "Porn, Tukta, Jiab, Fah, Gift, Mai, Nam, Oil, Pla, Som, Toey, Tik, Wan"
)


# --------------------------------------------------------------------------------------------
# Population
# --------------------------------------------------------------------------------------------


@dataclass
class Person:
    pid: int
    group: Group
    country: str
    given: list[str]
    family: list[str]
    dob: datetime.date
    phone: Phone | None
    werknaam: str
    nickname: str  # Thai nickname (other origins: "")
    booker: Phone | None = None
    relation: dict[int, str] = field(default_factory=dict)  # other pid -> twin/namesake


@dataclass(frozen=True)
class Report:
    rid: str
    pid: int
    kinds: frozenset[str]
    record: dict[str, str]


def _group(rng: random.Random) -> Group:
    return rng.choices(GROUPS, weights=[g.weight for g in GROUPS])[0]


def _family(rng: random.Random, group: Group) -> list[str]:
    family = [feminine(group.code, rng.choice(group.family))]
    if group.code == "LA":
        family.append(rng.choice(group.family))
    return family


def _given(rng: random.Random, group: Group) -> list[str]:
    given = [rng.choice(group.given_f)]
    if rng.random() < group.second_given:
        if group.code == "BG":
            given.append(rng.choice(BG_PATRONYMIC_F))
        else:
            second = rng.choice(group.given_f)
            if second != given[0]:
                given.append(second)
    return given


def _werknaam(rng: random.Random, group: Group, nickname: str) -> str:
    if group.code == "TH" and rng.random() < THAI_NICKNAME_WERKNAAM:
        return nickname
    return rng.choice(WORKING_NAMES) if rng.random() < WERKNAAM_SHARE else ""


def new_person(rng: random.Random, pid: int) -> Person:
    group = _group(rng)
    nickname = rng.choice(THAI_NICKNAMES) if group.code == "TH" else ""
    return Person(
        pid=pid,
        group=group,
        country=rng.choice(group.countries),
        given=_given(rng, group),
        family=_family(rng, group),
        dob=_age_dob(rng, 17, 45),
        phone=make_phone(rng, rng.choice(group.countries))
        if rng.random() < OWN_PHONE_SHARE
        else None,
        werknaam=_werknaam(rng, group, nickname),
        nickname=nickname,
    )


def make_people(rng: random.Random, n: int) -> list[Person]:
    people: list[Person] = []
    while len(people) < n:
        person = new_person(rng, len(people))
        people.append(person)
        roll = rng.random()
        if roll < TWIN_SHARE and len(people) < n:
            twin = new_person(rng, len(people))
            twin.group, twin.country = person.group, person.country
            twin.family, twin.dob = list(person.family), person.dob
            twin.given = _given(rng, person.group)
            while twin.given[0] == person.given[0]:
                twin.given = _given(rng, person.group)
            twin.nickname = rng.choice(THAI_NICKNAMES) if person.group.code == "TH" else ""
            twin.werknaam = _werknaam(rng, person.group, twin.nickname)
            twin.relation[person.pid] = person.relation[twin.pid] = "twin"
            people.append(twin)
        elif roll < TWIN_SHARE + NAMESAKE_SHARE and len(people) < n:
            other = new_person(rng, len(people))
            other.group, other.country = person.group, person.country
            other.given = [person.given[0], *other.given[1:]]
            other.family = list(person.family[:1]) + other.family[1:]
            if rng.random() < 0.7:
                other.dob = person.dob + datetime.timedelta(
                    days=rng.choice((-1, 1)) * rng.randint(1, 40)
                )
            else:
                other.dob = datetime.date(person.dob.year, rng.randint(1, 12), rng.randint(1, 28))
            other.relation[person.pid] = person.relation[other.pid] = "namesake"
            people.append(other)
    # Bookers: rings of 2-5 women of any origin sharing a controller's phone.
    members = [p for p in people if rng.random() < RING_SHARE]
    rng.shuffle(members)
    first = 0
    while first < len(members):
        size = rng.randint(2, 5)
        booker = make_phone(rng, "NL" if rng.random() < 0.7 else members[first].country)
        for member in members[first : first + size]:
            member.booker = booker
        first += size
    for person in people:  # a twin usually works for the same booker as her sister
        for other_pid, relation in person.relation.items():
            sister = people[other_pid]
            if relation == "twin" and person.booker and not sister.booker and rng.random() < 0.6:
                sister.booker = person.booker
    return people


# --------------------------------------------------------------------------------------------
# Reports
# --------------------------------------------------------------------------------------------


def _dob_digit(rng: random.Random, dob: datetime.date) -> datetime.date:
    text = dob.isoformat()
    for _ in range(30):
        position = rng.choice([i for i, c in enumerate(text) if c.isdigit() and i >= 2])
        new = text[:position] + rng.choice("0123456789") + text[position + 1 :]
        try:
            changed = datetime.date.fromisoformat(new)
        except ValueError:
            continue
        if changed != dob and 1950 <= changed.year <= 2010:
            return changed
    return dob + datetime.timedelta(days=10)


def _phone_text(rng: random.Random, phone: Phone, reformat: bool) -> str:
    text, _ = format_phone(phone, rng)
    if reformat:  # another format than the canonical "+CC" one
        for _ in range(10):
            other, name = format_phone(phone, rng)
            if name != "+CC spaced":
                return other
    return text


def _perturbations(rng: random.Random, person: Person, mix: dict[str, float]) -> set[str]:
    if rng.random() < CLEAN_SHARE:
        return set()
    possible = dict(mix)
    if person.dob.day > 12 or person.dob.day == person.dob.month:
        possible.pop("dob_swap", None)
    if person.phone is None and person.booker is None:
        possible.pop("phone_format", None)
    if person.group.code not in NICKNAMES and person.group.code != "TH":
        possible.pop("nickname", None)
    chosen: set[str] = set()
    for _ in range(1 if rng.random() < 0.8 else 2):
        names = list(possible)
        pick = rng.choices(names, weights=[possible[k] for k in names])[0]
        chosen.add(pick)
        possible.pop(pick)
        for exclusive in (
            {"dob_digit", "dob_day", "dob_swap", "dob_year", "dob_missing"},
            {"swapped", "given_in_family", "werknaam_only"},
        ):
            if pick in exclusive:
                for other in exclusive:
                    possible.pop(other, None)
    return chosen


def write_report(rng: random.Random, person: Person, rid: str, mix: dict[str, float]) -> Report:
    kinds = _perturbations(rng, person, mix)
    given = list(person.given)
    family = list(person.family)
    if "nickname" in kinds:
        if person.group.code == "TH":
            given = [person.nickname]
        else:
            short = NICKNAMES[person.group.code].get(given[0])
            if short:
                given = [rng.choice(short)]
            else:
                kinds.discard("nickname")
    if "second_name" in kinds:
        if len(given) > 1:
            given = given[:1]
        elif len(family) > 1:
            family = family[:1]
        elif rng.random() < 0.5:
            given.append(rng.choice(person.group.given_f))
        else:
            family.append(feminine(person.group.code, rng.choice(person.group.family)))
    given_text, family_text = " ".join(given), " ".join(family)
    if "translit" in kinds:
        given_text, family_text = transliterate(rng, person.group, [given_text, family_text])
    if "typo" in kinds:
        if rng.random() < 0.5:
            family_text = typo(rng, family_text)
        else:
            given_text = typo(rng, given_text)
    if "diacritics" in kinds:
        given_text, family_text = strip_diacritics(given_text), strip_diacritics(family_text)
    if "swapped" in kinds:
        given_text, family_text = family_text, given_text
    if "given_in_family" in kinds:
        given_text, family_text = "", f"{given_text} {family_text}"
    if rng.random() < 0.15:  # a professional types in capitals
        given_text, family_text = given_text.upper(), family_text.upper()
    dob: str = person.dob.isoformat()
    if "dob_digit" in kinds:
        dob = _dob_digit(rng, person.dob).isoformat()
    elif "dob_day" in kinds:
        dob = (person.dob + datetime.timedelta(days=rng.choice((-1, 1)))).isoformat()
    elif "dob_swap" in kinds:
        dob = datetime.date(person.dob.year, person.dob.day, person.dob.month).isoformat()
    elif "dob_year" in kinds:
        dob = str(person.dob.year)
    elif "dob_missing" in kinds or (not kinds and rng.random() < 0.05):
        dob = ""  # also left out now and then on an otherwise clean report
        kinds.add("dob_missing")
    phone: Phone | None = person.phone
    if person.booker is not None and rng.random() < BOOKER_PHONE_SHARE:
        phone = person.booker
        kinds.add("booker_phone")
    elif phone is not None and rng.random() < 0.3:
        phone = None  # not asked or not given this time
    phone_text = _phone_text(rng, phone, "phone_format" in kinds) if phone else ""
    werknaam = person.werknaam if rng.random() < 0.7 else ""
    if "werknaam_only" in kinds:
        werknaam = person.werknaam or person.nickname or rng.choice(WORKING_NAMES)
        given_text = family_text = dob = ""
    land = rng.choice(LAND_NAMES[person.country]) if rng.random() < 0.7 else ""
    record = {
        "id": rid,
        "voornamen": given_text,
        "achternaam": family_text,
        "geboortedatum": dob,
        "land": land,
        "werknaam": werknaam,
        "telefoon": phone_text,
    }
    return Report(rid, person.pid, frozenset(kinds), record)


def heldout_mix(seed: int) -> dict[str, float]:
    """The held-out mix: every default weight scaled by a seeded random factor (0.1-3)."""
    rng = random.Random(f"heldout-mix-{seed}")  # noqa: S311
    return {k: w * rng.uniform(0.1, 3.0) for k, w in PERTURBATIONS.items()}


def make_population(
    seed: int, persons: int, mix: dict[str, float] | None = None
) -> tuple[list[Person], list[Report]]:
    rng = random.Random(seed)  # noqa: S311
    people = make_people(rng, persons)
    counts, weights = zip(*REPORTS_PER_PERSON, strict=True)
    reports: list[Report] = []
    for person in people:
        for n in range(rng.choices(counts, weights=weights)[0]):
            reports.append(
                write_report(rng, person, f"r{seed}-{person.pid}-{n}", mix or PERTURBATIONS)
            )
    rng.shuffle(reports)  # the order in which the reports arrive
    return people, reports


# --------------------------------------------------------------------------------------------
# Evaluation through match_evaluate
# --------------------------------------------------------------------------------------------


def run_match_evaluate(reports: Sequence[Report], directory: Path) -> list[dict[str, Any]]:
    """Write the reports as JSON lines and run the management command on the file."""
    from django.core.management import call_command

    path = directory / "reports.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for report in reports:
            handle.write(json.dumps(report.record, ensure_ascii=False) + "\n")
    out = io.StringIO()
    call_command("match_evaluate", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def _f(value: float | None) -> str:
    return "   -  " if value is None else f"{value:.3f}"


def _ratio(a: int, b: int) -> float | None:
    return a / b if b else None


def _table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    widths = [max(len(str(x)) for x in column) for column in zip(header, *rows, strict=True)]
    lines = ["  " + "  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True))]
    for row in rows:
        lines.append(
            "  "
            + "  ".join(
                str(x).rjust(w) if i else str(x).ljust(w)
                for i, (x, w) in enumerate(zip(row, widths, strict=True))
            )
        )
    return "\n".join(lines)


Pair = frozenset[str]


def report_table(
    people: list[Person], reports: list[Report], hints: list[dict[str, Any]], out: Any
) -> None:
    by_id = {r.rid: r for r in reports}
    per_person: dict[int, list[Report]] = defaultdict(list)
    for r in reports:
        per_person[r.pid].append(r)
    true_pairs: set[Pair] = {
        frozenset((a.rid, b.rid))
        for rs in per_person.values()
        for a, b in itertools.combinations(rs, 2)
    }
    strength: dict[Pair, str] = {}
    kinds_of: dict[Pair, tuple[str, ...]] = {}
    for h in hints:
        pair = frozenset((str(h["a"]), str(h["b"])))
        strength[pair] = h["sterkte"]
        kinds_of[pair] = tuple(h["soorten"])
    sterk = {p for p, s in strength.items() if s == "sterk"}
    allh = set(strength)

    def pair_kinds(pair: Pair) -> frozenset[str]:
        a, b = (by_id[x] for x in pair)
        return (a.kinds | b.kinds) or frozenset({"exact"})

    out(
        f"  persons {len(people)}, reports {len(reports)}, true pairs {len(true_pairs)}, hints {len(allh)}"
    )
    relations = Counter(r for p in people for r in p.relation.values())
    rings = Counter(p.booker for p in people if p.booker)
    out(
        f"  twin pairs {relations['twin'] // 2}, namesake pairs {relations['namesake'] // 2}, "
        f"bookers {len(rings)} (women in rings {sum(rings.values())})"
    )
    out()
    rows = []
    for label, predicted in (("sterk", sterk), ("all hints", allh)):
        tp = len(predicted & true_pairs)
        rows.append(
            [
                label,
                _f(_ratio(tp, len(predicted))),
                _f(_ratio(tp, len(true_pairs))),
                tp,
                len(predicted) - tp,
                len(true_pairs) - tp,
            ]
        )
    out(_table(rows, ["tier", "precision", "recall", "TP", "FP", "FN"]))
    review = sum(1 for s in strength.values() if s == "waarschijnlijk")
    out(
        f"  review band: {review} 'waarschijnlijk' hints = {1000 * review / len(reports):.1f} per 1,000 reports"
    )
    false_sterk = sterk - true_pairs
    phone_only = sum(1 for p in false_sterk if kinds_of[p] == ("telefoon",))
    out(
        f"  false 'sterk' pairs sharing only a phone: {phone_only} of {len(false_sterk)} "
        f"({_f(_ratio(phone_only, len(false_sterk)))})"
    )
    out()
    out("  per perturbation kind (pairs where either report carries it):")
    labels = ["exact", *PERTURBATIONS, "booker_phone"]
    true_by: dict[str, set[Pair]] = defaultdict(set)
    for pair in true_pairs:
        for k in pair_kinds(pair):
            true_by[k].add(pair)
    hint_by: dict[str, set[Pair]] = defaultdict(set)
    for pair in allh:
        for k in pair_kinds(pair):
            hint_by[k].add(pair)
    rows = []
    for k in labels:
        t = true_by[k]
        hs = hint_by[k]
        s_hs = hs & sterk
        rows.append(
            [
                k,
                len(t),
                _f(_ratio(len(s_hs & t), len(s_hs))),
                _f(_ratio(len(t & sterk), len(t))),
                _f(_ratio(len(hs & t), len(hs))),
                _f(_ratio(len(t & allh), len(t))),
            ]
        )
    out(_table(rows, ["perturbation", "true pairs", "sterk P", "sterk R", "all P", "all R"]))
    out()
    out("  false hints by relation of the two persons and shared kinds:")
    fp = Counter[tuple[str, str, str]]()
    for pair in allh - true_pairs:
        a, b = (by_id[x] for x in pair)
        pa = people[a.pid]
        relation = pa.relation.get(b.pid) or (
            "same booker"
            if pa.booker is not None and pa.booker == people[b.pid].booker
            else "other"
        )
        fp[(relation, strength[pair], "+".join(kinds_of[pair]))] += 1
    rows = [[*key, n] for key, n in fp.most_common(15)]
    out(_table(rows, ["relation", "sterkte", "soorten", "pairs"]) if rows else "  (none)")


# --------------------------------------------------------------------------------------------
# Timing: encode + match per report against an index of --stored records
# --------------------------------------------------------------------------------------------


def _ms(seconds: Sequence[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[int(0.95 * (len(ms) - 1))]
    return f"mean {statistics.fmean(ms):.3f} ms, p95 {p95:.3f} ms (n={len(ms)})"


def bench_timing(seed: int, stored: int, probes: int, encode: int, out: Any) -> None:
    from casus.signalen import evaluation

    persons = max(100, stored * 10 // 21)  # ~2.1 reports per person
    started = time.perf_counter()
    _, reports = make_population(seed + 5000, persons)
    while len(reports) < stored + probes:
        persons += persons // 4 + 100
        _, reports = make_population(seed + 5000, persons)
    records = [evaluation.parse_record(json.dumps(r.record), n) for n, r in enumerate(reports, 1)]
    out(f"  generated {len(records)} records in {time.perf_counter() - started:.1f} s")
    index = evaluation.MatchIndex()
    started = time.perf_counter()
    for record_id, attributes in records[:stored]:
        index.submit(record_id, attributes)
    loaded = time.perf_counter() - started
    out(f"  index of {len(index)} stored records built through MatchIndex.submit in {loaded:.1f} s")
    durations = []
    for _record_id, attributes in records[stored : stored + encode]:
        start = time.perf_counter()
        index.tokens(attributes)
        durations.append(time.perf_counter() - start)
    out(f"  encode one report (normalisation + tokens): {_ms(durations)}")
    durations = []
    hints = 0
    for record_id, attributes in records[stored : stored + probes]:
        start = time.perf_counter()
        hints += len(index.submit(record_id, attributes))
        durations.append(time.perf_counter() - start)
    out(f"  encode + match + store one report against {stored}+ records: {_ms(durations)}")
    out(f"    hints per probe: {hints / max(1, len(durations)):.2f}")


# --------------------------------------------------------------------------------------------
# Main
# --------------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", "--people", dest="persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--population", choices=("train", "test", "heldout", "all"), default="test")
    parser.add_argument("--stored", type=int, default=100_000, help="records in the timing index")
    parser.add_argument("--probes", type=int, default=500, help="reports to time against it")
    parser.add_argument("--encode", type=int, default=1000, help="reports to time encoding on")
    parser.add_argument("--skip-db", "--skip-timing", dest="skip_timing", action="store_true")
    parser.add_argument("--show-heldout-mix", action="store_true")
    parser.add_argument("--jsonl", type=Path, help="keep the JSON-lines files in this directory")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()

    def out(line: str = "") -> None:
        print(line, flush=True)

    total = time.perf_counter()
    out("Ketenregie match benchmark, through manage.py match_evaluate")
    out("=" * 78)
    names = ("train", "test", "heldout") if args.population == "all" else (args.population,)
    for name in names:
        seed = args.seed + SEED_OFFSET[name]
        mix = heldout_mix(args.seed) if name == "heldout" else PERTURBATIONS
        out()
        out(f"{name} population: seed {seed}, persons {args.persons}")
        out("-" * 78)
        if name == "heldout" and args.show_heldout_mix:
            out("  held-out mix: " + ", ".join(f"{k} {w:.1f}" for k, w in mix.items()))
        elif name == "heldout":
            out("  held-out mix hidden (do not tune on it; --show-heldout-mix prints it)")
        started = time.perf_counter()
        people, reports = make_population(seed, args.persons, mix)
        out(f"  generated in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        if args.jsonl:
            directory = args.jsonl / name
            directory.mkdir(parents=True, exist_ok=True)
            hints = run_match_evaluate(reports, directory)
        else:
            with tempfile.TemporaryDirectory() as tmp:
                hints = run_match_evaluate(reports, Path(tmp))
        out(f"  match_evaluate in {time.perf_counter() - started:.1f} s")
        report_table(people, reports, hints, out)
    out()
    out("timing (in-memory index of match_evaluate; the database look-up is not measured)")
    out("-" * 78)
    if args.skip_timing:
        out("  skipped (--skip-db / --skip-timing)")
    else:
        bench_timing(args.seed, args.stored, args.probes, args.encode, out)
    out()
    out(f"total run time {time.perf_counter() - total:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
