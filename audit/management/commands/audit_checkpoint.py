"""Set a signed checkpoint of the audit chain now, or make a new signing key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from audit import checkpoints
from audit.tasks import checkpoint


class Command(BaseCommand):
    help = (
        "Zet nu een ondertekend controlepunt van de auditketen (of maak met --new-key een sleutel)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--new-key",
            action="store_true",
            help="Druk een nieuwe AUDIT_SIGNING_KEY af en de bijbehorende AUDIT_VERIFY_KEY.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new_key"]:
            private, public = checkpoints.generate_key_pair()
            self.stdout.write(f"AUDIT_SIGNING_KEY={private}\nAUDIT_VERIFY_KEY={public}")
            return
        seq = checkpoint()
        if seq is None:
            raise CommandError("Geen controlepunt gezet: AUDIT_SIGNING_KEY is niet ingesteld.")
        self.stdout.write(
            f"Controlepunt gezet bij volgnummer {seq} in {checkpoints.checkpoint_dir()}"
        )
