"""Translations: a complete English catalogue, formal Dutch overrides, and both languages served.

The .po files are read with the small parser below (no extra dependency); only the makemessages
check needs GNU gettext and is skipped, saying why, on a machine without it.
"""

from __future__ import annotations

import ast
import gettext
import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

import pytest

from partners.models import User
from tests.conftest import TEST_START, login_with_password
from tests.factories import UserFactory

LOCALE_DIR = Path(settings.BASE_DIR) / "locale"
EN_PO = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
NL_PO = LOCALE_DIR / "nl" / "LC_MESSAGES" / "django.po"
NL_OVERRIDES = LOCALE_DIR / "nl" / "overrides.po"

# The directories `makemessages` skips (see locale/README.md); tests are not translated.
IGNORED_TOP_DIRS = {".venv", "staticfiles", "static", "tests", "locale", "node_modules", "build"}
SOURCE_SUFFIXES = {".py", ".html", ".txt"}

INFORMAL = re.compile(r"\b(je|jij|jou|jouw|jezelf|jullie)\b", re.IGNORECASE)
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]")


@pytest.fixture(autouse=True)
def _restore_language() -> Iterator[None]:
    """LocaleMiddleware leaves the request's language active in the thread: an English request
    here must not make a later test's gettext() outside a request answer in English."""
    previous = translation.get_language()
    yield
    if previous:
        translation.activate(previous)
    else:
        translation.deactivate()


# --- A small .po reader ------------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return f"{self.msgctxt}\x04{self.msgid}" if self.msgctxt is not None else self.msgid

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None


_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr)(?:\[(\d+)\])?\s+(".*")$')


def read_po(path: Path) -> list[Entry]:
    """All entries of a .po file, header first. Entries are separated by blank lines (as
    gettext writes them); comment-only blocks and obsolete (#~) entries are left out."""
    entries: list[Entry] = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8")):
        entry = Entry()
        target: tuple[str, int] | None = None
        for raw in block.splitlines():
            line = raw.strip()
            if line.startswith("#,"):
                entry.flags |= {flag.strip() for flag in line[2:].split(",") if flag.strip()}
            elif not line or line.startswith("#"):
                continue
            elif match := _KEYWORD.match(line):
                keyword, index, literal = match.groups()
                target = (keyword, int(index or 0))
                value = ast.literal_eval(literal)
                if keyword == "msgstr":
                    entry.msgstr[target[1]] = value
                else:
                    setattr(entry, keyword, value)
            elif line.startswith('"') and target is not None:
                value = ast.literal_eval(line)
                if target[0] == "msgstr":
                    entry.msgstr[target[1]] += value
                else:
                    setattr(entry, target[0], getattr(entry, target[0]) + value)
            else:
                raise ValueError(f"{path}: cannot read line {raw!r}")
        if target is not None:
            entries.append(entry)
    return entries


def messages(path: Path) -> list[Entry]:
    return [entry for entry in read_po(path) if not entry.is_header]


def header(path: Path) -> Entry:
    first = read_po(path)[0]
    assert first.is_header, f"{path} has no header entry"
    return first


def untranslated_or_fuzzy(entries: list[Entry]) -> list[str]:
    problems = []
    for entry in entries:
        forms = 2 if entry.msgid_plural is not None else 1
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {entry.msgid!r}")
        elif len(entry.msgstr) < forms or not all(entry.msgstr.values()):
            problems.append(f"untranslated: {entry.msgid!r}")
    return problems


# --- (a) the catalogues themselves --------------------------------------------------------------


def test_the_parser_reads_plurals_and_continuation_lines():
    entries = {entry.msgid: entry for entry in messages(EN_PO)}
    lockout = entries["U kunt het om %(time)s uur opnieuw proberen (over %(minutes)s minuut)."]
    assert lockout.msgid_plural is not None
    assert set(lockout.msgstr) == {0, 1}
    assert "python-format" in lockout.flags
    long_ones = [msgid for msgid in entries if len(msgid) > 100]
    assert long_ones, "expected some wrapped (multi-line) msgids in the catalogue"


def test_every_english_msgid_is_translated_and_not_fuzzy():
    entries = messages(EN_PO)
    assert len(entries) > 100
    assert "fuzzy" not in header(EN_PO).flags
    assert untranslated_or_fuzzy(entries) == []


def test_english_translations_keep_every_placeholder():
    wrong = []
    for entry in messages(EN_PO):
        sources = [entry.msgid] + ([entry.msgid_plural] if entry.msgid_plural else [])
        for index, text in entry.msgstr.items():
            source = sources[min(index, len(sources) - 1)]
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                wrong.append((entry.msgid, text))
    assert wrong == []


def test_english_translations_are_english():
    """A msgstr left in Dutch (copied msgid) is a missed translation, not a translation."""
    identical = {
        entry.msgid
        for entry in messages(EN_PO)
        if entry.msgstr.get(0) == entry.msgid and len(entry.msgid.split()) > 2
    }
    assert identical == set()


def test_our_dutch_texts_address_the_user_formally():
    """Ketenregie says "u" and "uw": our msgids (the Dutch UI) and the Dutch overrides."""
    informal = [entry.msgid for entry in messages(EN_PO) if INFORMAL.search(entry.msgid)]
    informal += [
        text for entry in messages(NL_PO) for text in entry.msgstr.values() if INFORMAL.search(text)
    ]
    assert informal == []


def test_dutch_catalogue_is_generated_from_the_overrides():
    """locale/nl/LC_MESSAGES/django.po = msgcat of locale/nl/overrides.po (locale/README.md)."""

    def as_dict(path: Path) -> dict[str, tuple[str | None, dict[int, str]]]:
        return {e.key: (e.msgid_plural, e.msgstr) for e in messages(path)}

    assert as_dict(NL_PO) == as_dict(NL_OVERRIDES)
    assert untranslated_or_fuzzy(messages(NL_PO)) == []
    assert header(NL_PO).msgstr[0] == header(NL_OVERRIDES).msgstr[0]


def _third_party_msgids() -> set[str]:
    """The current msgids of Django's auth app and django-allauth (their English catalogues)."""
    import django.contrib.auth

    import allauth

    catalogues = [
        Path(django.contrib.auth.__file__).parent / "locale/en/LC_MESSAGES/django.po",
        Path(allauth.__file__).parent / "locale/en/LC_MESSAGES/django.po",
    ]
    return {entry.msgid for path in catalogues for entry in messages(path)}


def test_every_dutch_override_still_exists_upstream():
    """After a Django or allauth upgrade a changed msgid would silently stop being overridden."""
    missing = {entry.msgid for entry in messages(NL_OVERRIDES)} - _third_party_msgids()
    assert missing == set()


@pytest.mark.parametrize("po_path", [EN_PO, NL_PO], ids=["en", "nl"])
def test_committed_mo_file_matches_its_po(po_path: Path):
    """The compiled catalogue is committed (no gettext needed to run) and must be current:
    run compilemessages after every change to a .po file."""
    mo_path = po_path.with_suffix(".mo")
    assert mo_path.is_file(), f"{mo_path} is missing: run compilemessages"
    with mo_path.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog  # type: ignore[attr-defined]

    expected: dict[object, str] = {}
    for entry in messages(po_path):
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue
        if entry.msgid_plural is None:
            expected[entry.key] = entry.msgstr[0]
        else:
            expected.update({(entry.key, n): text for n, text in entry.msgstr.items()})
    actual = {key: value for key, value in compiled.items() if key != ""}
    assert actual == expected, f"{mo_path} is out of date: run compilemessages"


# --- (b) nothing new is left untranslated -------------------------------------------------------


def _copy_translatable_sources(target: Path) -> None:
    base = Path(settings.BASE_DIR)
    for path in base.rglob("*"):
        relative = path.relative_to(base)
        top = relative.parts[0]
        if (
            top in IGNORED_TOP_DIRS
            or any(part.startswith(".") or part == "__pycache__" for part in relative.parts)
            or top.endswith(".egg-info")
            or not path.is_file()
            or path.suffix not in SOURCE_SUFFIXES
        ):
            continue
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


@pytest.mark.skipif(
    not all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq")),
    reason="GNU gettext (xgettext, msgmerge, msguniq) is not installed: makemessages cannot run",
)
def test_makemessages_finds_nothing_untranslated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Run makemessages on a copy of the sources, merged into a copy of our en catalogue.

    A copy, because makemessages writes temporary files next to the templates it reads and
    writes into the locale directory; the project's own files stay untouched.
    """
    _copy_translatable_sources(tmp_path)
    locale = tmp_path / "locale"
    (locale / "en" / "LC_MESSAGES").mkdir(parents=True)
    shutil.copyfile(EN_PO, locale / "en" / "LC_MESSAGES" / "django.po")
    monkeypatch.chdir(tmp_path)

    with override_settings(LOCALE_PATHS=[locale]):
        call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)

    extracted = messages(locale / "en" / "LC_MESSAGES" / "django.po")
    assert len(extracted) >= len(messages(EN_PO)) * 0.9, "makemessages found too little"
    problems = untranslated_or_fuzzy(extracted)
    assert problems == [], (
        "New or changed texts need an English translation in locale/en/LC_MESSAGES/django.po "
        "(see locale/README.md): " + "; ".join(problems)
    )


# --- (c) the English pages ---------------------------------------------------------------------


def test_switching_to_english_shows_the_english_home_page(mfa_client: Callable[..., Client]):
    user: User = UserFactory.create(mfa=True)
    client = mfa_client(user)
    assert "Welkom," in client.get("/").content.decode()

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302

    html = client.get("/").content.decode()
    assert '<html lang="en"' in html
    assert f"Welcome, {user.username}" in html
    assert "Report a signal" in html
    assert "Welkom" not in html

    client.post(reverse("set_language"), {"language": "nl", "next": "/"})
    assert "Welkom," in client.get("/").content.decode()


def test_login_page_in_english_by_accept_language(client: Client):
    response = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en"' in html
    assert "Log in with your username and password." in html
    assert "Inloggen" not in html


def test_wrong_password_error_in_english(client: Client):
    UserFactory.create(username="bestaand", mfa=True)
    response = login_with_password(
        client, "bestaand", "niet-het-wachtwoord-1", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "The username and/or password you specified are not correct." in (
        response.content.decode()
    )


# --- (d) formal Dutch from third-party code ----------------------------------------------------


def test_dutch_login_error_for_a_wrong_password_is_formal(client: Client):
    UserFactory.create(username="bestaand", mfa=True)
    response = login_with_password(client, "bestaand", "niet-het-wachtwoord-1")

    errors = [str(error) for error in response.context["form"].non_field_errors()]
    assert errors == ["Uw gebruikersnaam of wachtwoord is onjuist."]
    assert not INFORMAL.search(errors[0])
    assert errors[0] in response.content.decode()


def test_dutch_password_change_errors_are_formal(mfa_client: Callable[..., Client]):
    client = mfa_client(UserFactory.create(mfa=True))
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": "niet-het-wachtwoord", "password1": "kort", "password2": "anders"},
    )
    assert response.status_code == 200
    errors = [str(e) for errors in response.context["form"].errors.values() for e in errors]
    assert "Voer uw huidige wachtwoord in." in errors
    assert not [error for error in errors if INFORMAL.search(error)], errors


# --- The lockout page says when to try again ------------------------------------------------------
# After AXES_FAILURE_LIMIT failures the account waits LOGIN_ACCOUNT_FIRST_DELAY (doubling after each
# further failure, see tests/test_lockout.py); the page gives the clock time and the minutes left.


def _lock_out(client: Client, time_machine, **extra: str):
    time_machine.move_to(TEST_START, tick=False)  # 09:00 in Amsterdam
    user = UserFactory.create(mfa=True)
    response = None
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = login_with_password(client, user.username, "helemaal-niet-juist-1", **extra)
    assert response is not None and response.status_code == 429
    return response


@override_settings(LOGIN_ACCOUNT_FIRST_DELAY=timedelta(minutes=3))
def test_lockout_page_says_the_configured_minutes(client: Client, time_machine):
    html = _lock_out(client, time_machine).content.decode()
    assert "U kunt het om 09:03 uur opnieuw proberen (over 3 minuten)." in html


@override_settings(LOGIN_ACCOUNT_FIRST_DELAY=timedelta(minutes=1))
def test_lockout_page_uses_the_singular_for_one_minute(client: Client, time_machine):
    html = _lock_out(client, time_machine).content.decode()
    assert "U kunt het om 09:01 uur opnieuw proberen (over 1 minuut)." in html


@override_settings(
    LOGIN_ACCOUNT_FIRST_DELAY=timedelta(minutes=45), LOGIN_ACCOUNT_MAX_DELAY=timedelta(minutes=60)
)
def test_lockout_page_in_english(client: Client, time_machine):
    html = _lock_out(client, time_machine, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Temporarily blocked" in html
    assert "You can try again at 09:45 (in 45 minutes)." in html
