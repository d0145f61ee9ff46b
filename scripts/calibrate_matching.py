"""Fit the match rule's pattern table on the TRAIN population only (issue 14).

Run from the project root:

    .venv/bin/python scripts/calibrate_matching.py [--persons 20000] [--seed 1] [--write]

It generates the training population of scripts/benchmark_matching.py (seed S, the default
perturbation mix; the test population is S + 1000 and the held-out one S + 2000, never read
here), runs every report through match_evaluate's own index (casus.signalen.evaluation, a
throw-away key) and collects, for every pair of reports that share at least one token, its
pattern: which token kinds agree, and which of them are shared by several identities (a
network's phone, marked '*'). Then, over the patterns seen at least MIN_SUPPORT times, in
order of their (smoothed) precision on train:

- 'sterk': a pattern joins while the tier's cumulative precision stays >= STERK_TARGET and
  its own precision >= STERK_FLOOR; patterns the fixed limits keep out of 'sterk' (a phone
  and/or working name alone; two differing full dates) are skipped;
- 'waarschijnlijk': the remaining patterns join while all hints together stay >= ALL_TARGET
  in precision and the pattern's own precision >= REVIEW_FLOOR;
- everything else is 'zwak'.

The targets carry a margin over the issue's operating points (sterk precision >= 0.98; all
hints recall >= 0.88 at precision >= 0.90) because a pattern's train precision is an estimate.
A pattern without a single false pair on train that contains a 'sterk' pattern (and has the
same evidence against) is 'sterk' too: more agreement is not less evidence.
With --write the table goes to casus/signalen/match_rule_table.json (pinned, reviewed in git).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TABLE = PROJECT_ROOT / "casus" / "signalen" / "match_rule_table.json"

MIN_SUPPORT = 5
STERK_TARGET = 0.99
STERK_FLOOR = 0.90
ALL_TARGET = 0.92
REVIEW_FLOOR = 0.30


def _precision(tp: int, fp: int) -> float:
    return (tp + 0.5) / (tp + fp + 1)  # smoothed: a pattern seen 3 times is not "1.000"


def collect(seed: int, persons: int) -> tuple[Counter[str], Counter[str], int, int]:
    """Per pattern: true and false pairs on the train population; true pairs; reports."""
    sys.path.insert(0, str(PROJECT_ROOT / "scripts"))
    import benchmark_matching as bench  # the benchmark's generator, same code

    from casus.signalen import evaluation, pseudonym

    # The patterns do not depend on the table being fitted: read none while collecting.
    pseudonym._table_tier = lambda features: "zwak"  # type: ignore[assignment]
    people, reports = bench.make_population(seed, persons, bench.PERTURBATIONS)
    del people
    records = [evaluation.parse_record(json.dumps(r.record), n) for n, r in enumerate(reports, 1)]
    pid = {r.rid: r.pid for r in reports}
    per_person = Counter(r.pid for r in reports)
    true_pairs = sum(n * (n - 1) // 2 for n in per_person.values())
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    for hint in evaluation.evaluate(records, tiers=evaluation.ALL_TIERS):
        key = pseudonym.pattern_key(hint.soorten, hint.gedeeld)
        if pid[str(hint.a)] == pid[str(hint.b)]:
            tp[key] += 1
        else:
            fp[key] += 1
    return tp, fp, true_pairs, len(reports)


def _never_sterk(key: str) -> bool:
    from casus.signalen import pseudonym

    kinds = {k.rstrip("*") for k in key.split("+")}
    return kinds <= pseudonym.SHAREABLE or (
        pseudonym.GEB_VERSCHILT in kinds and not kinds & pseudonym.NEAR_DATE
    )


def fit(tp: Counter[str], fp: Counter[str], true_pairs: int) -> dict[str, tuple[str, int, int]]:
    patterns = [
        k
        for k in set(tp) | set(fp)
        if tp[k] + fp[k] >= MIN_SUPPORT and not all(p.endswith("*") for p in k.split("+"))
    ]
    patterns.sort(key=lambda k: (-_precision(tp[k], fp[k]), -(tp[k] + fp[k]), k))
    tier = dict.fromkeys(patterns, "zwak")
    s_tp = s_fp = 0
    for k in patterns:
        if _never_sterk(k) or _precision(tp[k], fp[k]) < STERK_FLOOR:
            continue
        if (s_tp + tp[k]) / (s_tp + s_fp + tp[k] + fp[k]) >= STERK_TARGET:
            tier[k] = "sterk"
            s_tp, s_fp = s_tp + tp[k], s_fp + fp[k]
    a_tp, a_fp = s_tp, s_fp
    for k in patterns:
        if tier[k] == "sterk" or _precision(tp[k], fp[k]) < REVIEW_FLOOR:
            continue
        if (a_tp + tp[k]) / (a_tp + a_fp + tp[k] + fp[k]) >= ALL_TARGET:
            tier[k] = "waarschijnlijk"
            a_tp, a_fp = a_tp + tp[k], a_fp + fp[k]
    sterk = [frozenset(k.split("+")) for k in patterns if tier[k] == "sterk"]
    for k in patterns:
        features = frozenset(k.split("+"))
        against = "geb_verschilt" in features
        if (
            tier[k] != "sterk"
            and fp[k] == 0
            and not _never_sterk(k)
            and any(s <= features and ("geb_verschilt" in s) == against for s in sterk)
        ):
            if tier[k] == "waarschijnlijk":
                a_tp -= tp[k]
            tier[k] = "sterk"
            s_tp += tp[k]
            a_tp += tp[k]
    print(
        f"  train: sterk P {s_tp / max(1, s_tp + s_fp):.3f} R {s_tp / true_pairs:.3f}; "
        f"all hints P {a_tp / max(1, a_tp + a_fp):.3f} R {a_tp / true_pairs:.3f} "
        f"(patterns {len(patterns)}, true pairs {true_pairs})"
    )
    return {k: (tier[k], tp[k], fp[k]) for k in sorted(patterns)}


def write(table: dict[str, tuple[str, int, int]], seed: int, persons: int) -> None:
    document = {
        "about": (
            "The match rule's pattern table, fitted by scripts/calibrate_matching.py on the "
            "train population only; do not edit by hand. Key: the agreeing token kinds of a "
            "pair, sorted, '+'-joined ('*': shared by several identities). Value: [tier, true "
            "pairs, false pairs] on train. Regenerate: .venv/bin/python "
            "scripts/calibrate_matching.py --write"
        ),
        "train_seed": seed,
        "train_persons": persons,
        "targets": {
            "min_support": MIN_SUPPORT,
            "sterk_target": STERK_TARGET,
            "sterk_floor": STERK_FLOOR,
            "all_target": ALL_TARGET,
            "review_floor": REVIEW_FLOOR,
        },
        "patterns": {key: list(row) for key, row in table.items()},
    }
    TABLE.write_text(json.dumps(document, indent=1, sort_keys=False) + "\n", encoding="utf-8")
    print(f"  wrote {len(table)} patterns to {TABLE.relative_to(PROJECT_ROOT)}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(PROJECT_ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
    import django

    django.setup()
    started = time.perf_counter()
    tp, fp, true_pairs, reports = collect(args.seed, args.persons)
    print(
        f"  train population seed {args.seed}: {reports} reports in "
        f"{time.perf_counter() - started:.1f} s"
    )
    table = fit(tp, fp, true_pairs)
    for key, (tier, t, f) in sorted(table.items(), key=lambda kv: -(kv[1][1] + kv[1][2]))[:40]:
        print(f"    {tier:14} {t:6} {f:6}  {key}")
    if args.write:
        write(table, args.seed, args.persons)
    return 0


if __name__ == "__main__":
    sys.exit(main())
