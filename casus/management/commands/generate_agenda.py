"""Generate (or regenerate) the concept agenda of one ketenoverleg now."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casus.models import Overleg
from casus.overleg.tasks import generate_agenda


class Command(BaseCommand):
    help = "Genereert de concept-agenda van een ketenoverleg (idempotent; een vastgestelde agenda blijft staan)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("overleg_id", type=int)

    def handle(self, *args: Any, **options: Any) -> None:
        overleg_id = options["overleg_id"]
        if not Overleg.objects.filter(pk=overleg_id).exists():
            raise CommandError(f"Er is geen overleg met nummer {overleg_id}.")
        items = generate_agenda(overleg_id)
        status = Overleg.objects.get(pk=overleg_id).get_status_display()
        self.stdout.write(f"Overleg {overleg_id}: {items} agendapunten; status: {status}.")
