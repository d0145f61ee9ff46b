"""Re-encrypt everything encrypted at rest with the newest FIELD_ENCRYPTION_KEYS key.

After putting a new key first in FIELD_ENCRYPTION_KEYS, run this; then the old key can be
removed. Batched, restartable and idempotent: values already under the newest key are skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, models, transaction

from allauth.mfa.models import Authenticator

from casus.fields import EncryptedTextField
from config.kernel import crypto
from partners.auth import TOTP_PURPOSE


def _stale(stored: str | None, current: int) -> bool:
    return bool(stored) and crypto.key_version_of(stored or "") != current


def _raw_batches(
    model: type[models.Model], columns: list[str], batch_size: int
) -> Iterator[list[tuple[Any, ...]]]:
    """(pk, *stored values) without decrypting, in pk order, batch by batch (keyset paging)."""
    quote = connection.ops.quote_name
    pk_column = str(model._meta.pk.column)  # a primary key always has its column
    selected = ", ".join(quote(c) for c in [pk_column, *columns])
    sql = (
        f"SELECT {selected} FROM {quote(model._meta.db_table)} "  # noqa: S608 - names from the model  # nosec B608
        f"WHERE {quote(pk_column)} > %s ORDER BY {quote(pk_column)} LIMIT %s"
    )
    last = 0
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


class Command(BaseCommand):
    help = "Versleutelt alle versleutelde velden opnieuw met de nieuwste sleutel."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)
        parser.add_argument("--dry-run", action="store_true", help="Alleen tellen, niets wijzigen.")

    def handle(self, *args: Any, **options: Any) -> None:
        current = crypto.current_version()
        dry_run = options["dry_run"]
        total = 0
        for model in apps.get_models():
            fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]
            if not fields:
                continue
            changed = 0
            for rows in _raw_batches(model, [str(f.column) for f in fields], options["batch_size"]):
                stale_rows = {
                    row[0]: [
                        f.attname
                        for f, value in zip(fields, row[1:], strict=True)
                        if _stale(value, current)
                    ]
                    for row in rows
                }
                stale_rows = {pk: names for pk, names in stale_rows.items() if names}
                changed += len(stale_rows)
                if dry_run or not stale_rows:
                    continue
                with transaction.atomic():
                    for obj in model._default_manager.select_for_update().filter(pk__in=stale_rows):
                        # Saving writes the decrypted value again, now under the newest key.
                        obj.save(update_fields=stale_rows[obj.pk])
            total += changed
            self.stdout.write(f"{model._meta.label}: {changed}")
        changed = 0
        for authenticator in Authenticator.objects.filter(type=Authenticator.Type.TOTP):
            secret = authenticator.data.get("secret", "")
            if _stale(secret, current):
                changed += 1
                if not dry_run:
                    plain = crypto.decrypt(secret, purpose=TOTP_PURPOSE)
                    authenticator.data["secret"] = crypto.encrypt(plain, purpose=TOTP_PURPOSE)
                    authenticator.save(update_fields=["data"])
        total += changed
        self.stdout.write(f"mfa.Authenticator: {changed}")
        verb = "te herversleutelen" if dry_run else "herversleuteld"
        self.stdout.write(
            self.style.SUCCESS(f"{total} rijen {verb}; nieuwste sleutelversie {current}.")
        )
