"""match_evaluate (issue 14): the intake's rule on a JSON-lines file, storing nothing."""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import CommandError, call_command

import pytest

from casus.signalen import evaluation, pseudonym

ANA = {
    "id": 1,
    "voornamen": "Ana",
    "achternaam": "Popescu",
    "geboortedatum": "1999-03-04",
    "land": "Roemenië",
    "werknaam": "",
    "telefoon": "",
}


def _write(tmp_path: Path, records: Sequence[Any]) -> Path:
    path = tmp_path / "records.jsonl"
    lines = [r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _run(path: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("match_evaluate", str(path), stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


# No django_db mark: the database is blocked for these tests, so any query fails them.


def test_output_format_one_json_line_per_hint(tmp_path: Path) -> None:
    later = {
        "id": "b-2",
        "voornamen": "Popescu",
        "achternaam": "Ana",
        "geboortedatum": "1999-03-04",
    }
    hints = _run(_write(tmp_path, [ANA, later]))
    assert hints == [{"a": "b-2", "b": 1, "sterkte": "sterk", "soorten": hints[0]["soorten"]}]
    assert "naam_gesorteerd_geb" in hints[0]["soorten"]
    assert all(kind in pseudonym.DOMAINS for kind in hints[0]["soorten"])


def test_tiers_and_order_of_kinds(tmp_path: Path) -> None:
    swapped = {**ANA, "id": 2, "geboortedatum": "1999-04-03"}
    year_only = {**ANA, "id": 3, "geboortedatum": "1999"}
    other_date = {**ANA, "id": 4, "geboortedatum": "1999-11-25"}
    hints = _run(_write(tmp_path, [ANA, swapped, year_only, other_date]))
    by_pair = {(h["a"], h["b"]): h for h in hints}
    # Day and month swapped, same full name: the calibrated table says 'sterk'.
    assert by_pair[(2, 1)]["sterkte"] == "sterk"
    assert by_pair[(2, 1)]["soorten"][:2] == ["geb_omgewisseld", "naam"]
    # A year of birth against a full date: a review hint.
    assert by_pair[(3, 1)]["sterkte"] == "waarschijnlijk"
    assert "naam_jaar" in by_pair[(3, 1)]["soorten"]
    # Two full dates of birth that differ, not by a typo: evidence against, never 'sterk'.
    assert by_pair.get((4, 1), {"sterkte": "geen"})["sterkte"] != "sterk"
    order = list(pseudonym.DOMAINS)
    for hint in hints:
        assert hint["soorten"] == sorted(hint["soorten"], key=order.index)


def test_a_record_matches_only_earlier_records(tmp_path: Path) -> None:
    other = {"id": 9, "voornamen": "Zsófia", "achternaam": "Nagy", "geboortedatum": "1990-01-01"}
    same = {**ANA, "id": 2}
    forward = _run(_write(tmp_path, [ANA, other, same]))
    assert [(h["a"], h["b"]) for h in forward] == [(2, 1)]
    backward = _run(_write(tmp_path, [same, other, ANA]))
    assert [(h["a"], h["b"]) for h in backward] == [(1, 2)]


def test_same_hints_as_the_function_in_file_order() -> None:
    records = [(1, pseudonym.IdentifyingAttributes(voornamen="Ana", achternaam="Pop"))]
    records.append((2, pseudonym.IdentifyingAttributes(voornamen="Ana", achternaam="Pop")))
    # Names alone are 'zwak' (namesakes): no hint, as at the intake.
    assert list(evaluation.evaluate(records)) == []


def test_records_without_attributes_get_no_tokens(tmp_path: Path) -> None:
    hints = _run(_write(tmp_path, [{"id": "leeg-1"}, {"id": "leeg-2"}, ANA, {**ANA, "id": 4}]))
    assert [(h["a"], h["b"]) for h in hints] == [(4, 1)]


def test_throwaway_key_is_not_the_configured_key() -> None:
    key = evaluation.throwaway_key()
    assert all(key.secret != configured.secret for configured in settings.PSEUDONYM_KEYS)
    index = evaluation.MatchIndex()
    attributes = pseudonym.IdentifyingAttributes(voornamen="Ana", achternaam="Popescu")
    stored = {t.value for t in pseudonym.tokens_for(attributes, all_keys=True)}
    assert stored.isdisjoint(t.value for t in index.tokens(attributes))
    # Same kinds and number of tokens as the intake computes.
    assert [t.kind for t in index.tokens(attributes)] == [
        t.kind for t in pseudonym.tokens_for(attributes)
    ]


PHONE_ONLY = [
    {"id": "vrouw-1", "voornamen": "Ioana", "achternaam": "Radu", "telefoon": "+31 6 1234 5678"},
    {"id": "vrouw-2", "voornamen": "Blessing", "achternaam": "Okafor", "telefoon": "0612345678"},
]
WERKNAAM_ONLY = [
    {"id": "w-1", "voornamen": "Nattaya", "achternaam": "Srisuk", "werknaam": "Candy"},
    {"id": "w-2", "werknaam": "Candy"},
]


def _run_with_shared(path: Path) -> list[dict[str, Any]]:
    out = io.StringIO()
    call_command("match_evaluate", str(path), "--gedeeld", stdout=out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_phone_only_pair_is_never_sterk(tmp_path: Path) -> None:
    """Two women (other names) on one phone: a booker's phone, no person match at all."""
    assert _run(_write(tmp_path, PHONE_ONLY)) == []
    assert _run_with_shared(_write(tmp_path, PHONE_ONLY)) == [
        {
            "a": "vrouw-2",
            "b": "vrouw-1",
            "sterkte": "gedeeld",
            "soorten": ["telefoon"],
            "gedeeld": ["telefoon"],
        }
    ]


def test_a_phone_alone_between_unnamed_reports_is_a_review_hint_at_most(tmp_path: Path) -> None:
    records = [
        {"id": "p-1", "telefoon": "+31 6 1234 5678"},
        {"id": "p-2", "telefoon": "06 1234 5678"},
    ]
    assert all(h["sterkte"] != "sterk" for h in _run(_write(tmp_path, records)))


def test_werknaam_only_pair_is_no_hint(tmp_path: Path) -> None:
    assert _run(_write(tmp_path, WERKNAAM_ONLY)) == []


def test_werknaam_and_phone_without_a_name_is_never_sterk(tmp_path: Path) -> None:
    """A working name + a phone (the second report names neither): 'waarschijnlijk' at most,
    for the coordinator to check; a booker's ring uses both for several women."""
    records = [
        {**WERKNAAM_ONLY[0], "telefoon": "+31 6 1234 5678"},
        {**WERKNAAM_ONLY[1], "telefoon": "06-12345678"},
    ]
    assert _run(_write(tmp_path, records)) == [
        {"a": "w-2", "b": "w-1", "sterkte": "waarschijnlijk", "soorten": ["telefoon", "werknaam"]}
    ]


def test_a_phone_that_links_two_identities_is_marked_shared(tmp_path: Path) -> None:
    """The same woman twice on a booker's phone that a third woman also gives: her pair is a
    person match, and the phone in it is marked as shared."""
    ioana = {"id": 1, "voornamen": "Ioana", "achternaam": "Radu", "geboortedatum": "1997-05-02"}
    phone = {"telefoon": "+31 6 1234 5678"}
    records = [
        {**ioana, **phone},
        {"id": 2, "voornamen": "Blessing", "achternaam": "Okafor", **phone},
        {**ioana, "id": 3, **phone},
    ]
    by_pair = {(h["a"], h["b"]): h for h in _run_with_shared(_write(tmp_path, records))}
    assert by_pair[(2, 1)]["sterkte"] == "gedeeld"
    assert by_pair[(3, 1)]["sterkte"] == "sterk"
    assert by_pair[(3, 1)]["gedeeld"] == ["telefoon"]
    assert by_pair[(3, 2)]["sterkte"] == "gedeeld"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("{niet json", "Regel 2: geen geldige JSON"),
        ("[1, 2]", "Regel 2: verwacht een JSON-object"),
        ('{"voornamen": "Ana"}', "Regel 2: 'id' ontbreekt"),
        ('{"id": 5, "geboortedatum": "04-03-1999"}', "Regel 2: geboortedatum '04-03-1999'"),
        ('{"id": 5, "geboortedatum": "1999-02-30"}', "Regel 2: geboortedatum"),
        ('{"id": 5, "geboortedatum": "0999"}', "Regel 2: geboortejaar 0999 ligt niet"),
        ('{"id": 5, "telefoon": 612345678}', "Regel 2: 'telefoon' moet tekst zijn"),
        ('{"id": 5, "bsn": "123456782"}', "Regel 2: onbekende sleutel(s) bsn"),
        ('{"id": 1}', "Regel 2: id 1 komt al eerder voor"),
    ],
)
def test_bad_line_gives_a_dutch_error_with_the_line_number(
    tmp_path: Path, line: str, expected: str
) -> None:
    path = _write(tmp_path, [json.dumps(ANA), line, json.dumps({**ANA, "id": 3})])
    out = io.StringIO()
    with pytest.raises(CommandError) as excinfo:
        call_command("match_evaluate", str(path), stdout=out)
    assert str(excinfo.value).startswith(expected)
    assert out.getvalue() == ""  # nothing printed before the whole file is valid


def test_bad_line_exits_non_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _write(tmp_path, [json.dumps(ANA), '{"id": 2, "geboortedatum": "gisteren"}'])
    with pytest.raises(SystemExit) as excinfo:
        from django.core.management import execute_from_command_line

        execute_from_command_line(["manage.py", "match_evaluate", str(path)])
    assert excinfo.value.code != 0
    assert "Regel 2: geboortedatum 'gisteren' is geen datum" in capsys.readouterr().err


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"Kan .* niet openen"):
        call_command("match_evaluate", str(tmp_path / "bestaat-niet.jsonl"))


@pytest.mark.django_db
def test_writes_nothing_to_the_database(tmp_path: Path) -> None:
    def counts() -> dict[str, int]:
        return {m._meta.label: m._default_manager.count() for m in apps.get_models()}

    before = counts()
    hints = _run(_write(tmp_path, [ANA, {**ANA, "id": 2}, *PHONE_ONLY]))
    assert len(hints) == 1  # the phone-only pair is a network's phone, no hint
    assert counts() == before
