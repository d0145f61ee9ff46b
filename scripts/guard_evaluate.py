"""Figures for the identifier guard (casus.signalen.guard) on its evaluation data.

Run from the project root:

    .venv/bin/python scripts/guard_evaluate.py [--verbose]

It prints

1. caught/total on the disguised identifiers of tests/casus/signalen/guard_disguised_nl.txt,
   the ``[tuned]`` part (used while building the normalisation) and the ``[held-out]`` part
   (written before it and not used to tune it) separately;
2. false positives/total on the ordinary sentences of tests/casus/signalen/guard_corpus_nl.txt
   and, for comparison, on the older tests/casus/signalen/corpus_nl.txt.

With ``--verbose`` it also lists the identifiers that got through and the sentences that were
refused. Nothing is written anywhere.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA = PROJECT_ROOT / "tests" / "casus" / "signalen"
DISGUISED_PATH = DATA / "guard_disguised_nl.txt"
CORPUS_PATHS = (DATA / "guard_corpus_nl.txt", DATA / "corpus_nl.txt")


def read_lines(path: Path) -> list[str]:
    """Non-empty lines that are not ``#`` comments, with ``\\uXXXX`` escapes decoded."""
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            lines.append(re.sub(r"\\u([0-9a-fA-F]{4})", lambda m: chr(int(m.group(1), 16)), line))
    return lines


def read_parts(path: Path) -> dict[str, list[str]]:
    """The ``[part]`` sections of the disguised list."""
    parts: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in read_lines(path):
        if re.fullmatch(r"\[[a-z-]+\]", line):
            current = parts.setdefault(line[1:-1], [])
        elif current is not None:
            current.append(line)
    return parts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--verbose", action="store_true", help="list misses and false positives")
    args = parser.parse_args(argv)

    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    from casus.signalen.guard import find_identifiers

    def show(text: str) -> str:
        return text.encode("unicode_escape").decode("ascii") if not text.isascii() else text

    for part, lines in read_parts(DISGUISED_PATH).items():
        missed = [line for line in lines if not find_identifiers(line)]
        caught = len(lines) - len(missed)
        print(f"disguised [{part}]: caught {caught}/{len(lines)} ({caught / len(lines):.1%})")
        if args.verbose:
            for line in missed:
                print(f"    missed: {show(line)}")
    for path in CORPUS_PATHS:
        lines = read_lines(path)
        refused = {line: find_identifiers(line) for line in lines}
        refused = {line: found for line, found in refused.items() if found}
        rate = len(refused) / len(lines)
        name = path.relative_to(PROJECT_ROOT)
        print(
            f"ordinary sentences {name}: false positives {len(refused)}/{len(lines)} ({rate:.1%})"
        )
        if args.verbose:
            for line, found in refused.items():
                kinds = ", ".join(f"{f.kind} {line[f.start : f.end]!r}" for f in found)
                print(f"    refused ({kinds}): {show(line)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
