"""Verify the audit log: the hash chain, its blocks and the signed checkpoints.

Exit 0 when everything holds; non-zero naming each problem (the first broken entry, a block that
does not match, a checkpoint the chain no longer holds: cut off or recomputed)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit.sealing import seal_all
from audit.selectors import chain_report


class Command(BaseCommand):
    help = (
        "Controleert de hashketen, de blokken en de ondertekende controlepunten van het auditlog."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--no-seal",
            action="store_true",
            help="Eerst niets verzegelen (alleen lezen); anders wordt eerst verzegeld wat wacht.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        sealed = 0 if options["no_seal"] else seal_all()
        report = chain_report()
        seconds = time.perf_counter() - started
        if not report.intact:
            raise CommandError(
                "Auditlog klopt niet:\n"
                + "\n".join(f"- {problem}" for problem in report.problems)
                + f"\n{report.chain.checked} gebeurtenissen vóór de eerste breuk zijn in orde."
            )
        latest = report.latest_checkpoint
        checkpoint = (
            f"laatste controlepunt {latest.checkpoint.seq} ({latest.checkpoint.created_at}) klopt"
            if latest is not None and latest.checkpoint is not None
            else "nog geen controlepunt"
        )
        self.stdout.write(
            f"Auditketen intact: {report.chain.checked} gebeurtenissen en {report.blocks.checked} "
            f"blokken gecontroleerd in {seconds:.2f} s ({sealed} eerst verzegeld); {checkpoint}; "
            f"kop {report.chain.head}"
        )
