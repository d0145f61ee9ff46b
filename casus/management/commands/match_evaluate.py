"""match_evaluate FILE: the hints the intake would give on a JSON-lines file (issue 14)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from casus.signalen import evaluation


class Command(BaseCommand):
    help = (
        "Evalueert de matchregel op een JSON-lines-bestand (één record per regel, sleutels id, "
        "voornamen, achternaam, geboortedatum, land, werknaam, telefoon) in bestandsvolgorde, "
        "met een wegwerpsleutel; slaat niets op en drukt per hint een JSON-regel af "
        '{"a": id, "b": id, "sterkte": ..., "soorten": [...]} (a is het latere record).'
        " Een telefoonnummer of werknaam alleen is nooit 'sterk'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="JSON-lines-bestand, of - voor standaardinvoer.")
        parser.add_argument(
            "--gedeeld",
            action="store_true",
            help="Druk ook de paren met sterkte 'gedeeld' af (alleen een telefoonnummer of "
            "werknaam die meerdere identiteiten delen; geen persoonsmatch) en geef elke regel "
            'de sleutel "gedeeld": de soorten die meerdere identiteiten verbinden.',
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: str = options["file"]
        try:
            handle = sys.stdin if path == "-" else open(path, encoding="utf-8")  # noqa: SIM115
        except OSError as exc:
            raise CommandError(f"Kan {path} niet openen: {exc.strerror}.") from None
        try:
            records = list(evaluation.read_records(handle))
        except evaluation.EvaluationInputError as exc:
            raise CommandError(str(exc)) from None
        except UnicodeDecodeError:
            raise CommandError(f"{path} is geen UTF-8-tekst.") from None
        finally:
            if handle is not sys.stdin:
                handle.close()
        tiers = evaluation.WITH_SHARED if options["gedeeld"] else evaluation.PROBABLE
        for hint in evaluation.evaluate(records, tiers=tiers):
            self.stdout.write(hint.as_json(with_shared=options["gedeeld"]))
