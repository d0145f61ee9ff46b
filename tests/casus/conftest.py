"""The authorization matrix's closing note: how many cases were checked, per actor."""

from __future__ import annotations

import pytest


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    per_test: dict[str, tuple[int, int]] = {}
    for outcome in ("passed", "failed"):
        for report in terminalreporter.stats.get(outcome, []):
            properties = dict(getattr(report, "user_properties", []))
            if "matrix_cases" in properties and report.when == "call":
                name = report.nodeid.rsplit("::", 1)[-1]
                per_test[name] = (properties["matrix_cases"], properties["matrix_mismatches"])
    if not per_test:
        return
    total = sum(cases for cases, _ in per_test.values())
    off = sum(mismatches for _, mismatches in per_test.values())
    terminalreporter.section("authorization matrix")
    for name, (cases, mismatches) in sorted(per_test.items()):
        terminalreporter.write_line(f"{name}: {cases} cases, {mismatches} mismatches")
    terminalreporter.write_line(f"total: {total} cases checked, {off} mismatches")
