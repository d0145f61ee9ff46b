"""Purge expired signals and casussen (PRODUCT.md §6); with --dry-run a report for the FG."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from audit.models import AuditAction
from audit.services import event_record
from casus.avg import retention


class Command(BaseCommand):
    help = (
        "Verwijdert verlopen signalen en casussen; met --dry-run alleen een overzicht voor de FG."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Niets verwijderen; alleen tonen wat zou gaan."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        dry_run = options["dry_run"]
        report = retention.purge_expired(dry_run=dry_run)
        if dry_run:
            event_record(
                action=AuditAction.RETENTION_REPORT, object_type="retentie", object_ref="dry-run"
            )
        verb = "zou verwijderen" if dry_run else "verwijderd"
        self.stdout.write(f"Casussen {verb}: {len(report.casussen)}")
        for referentie in report.casussen:
            self.stdout.write(f"  {referentie}")
        self.stdout.write(f"Signalen {verb}: {len(report.signalen)}")
        for pk in report.signalen:
            self.stdout.write(f"  S{pk}")
        if report.held_casussen:
            self.stdout.write(
                f"Vastgehouden door een bewaarplicht: {', '.join(report.held_casussen)}"
            )
