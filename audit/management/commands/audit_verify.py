"""Verify the audit hash chain: exit 0 when intact, non-zero naming the first broken entry."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from audit.selectors import chain_verify


class Command(BaseCommand):
    help = "Controleert de hashketen van het auditlog."

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = chain_verify()
        seconds = time.perf_counter() - started
        if not result.intact:
            raise CommandError(
                f"Auditketen verbroken bij gebeurtenis #{result.broken_id} "
                f"({result.reason}); {result.checked} gebeurtenissen ervoor zijn in orde."
            )
        self.stdout.write(
            f"Auditketen intact: {result.checked} gebeurtenissen gecontroleerd in {seconds:.2f} s; "
            f"kop {result.head}"
        )
