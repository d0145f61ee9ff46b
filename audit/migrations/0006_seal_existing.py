"""Seal the events recorded before sealing existed: their chain is kept as it was (each already
links to its predecessor in id order), so their place in the chain is their id, and they form one
block."""

import hashlib

from django.db import migrations

GENESIS_HASH = "0" * 64


def _root(leaves):
    # audit.sealing.merkle_root, frozen here as migrations must not import changing code.
    if not leaves:
        return GENESIS_HASH
    level = [hashlib.sha256(b"\x00" + bytes.fromhex(leaf)).digest() for leaf in leaves]
    while len(level) > 1:
        paired = [
            hashlib.sha256(b"\x01" + level[i] + level[i + 1]).digest()
            for i in range(0, len(level) - 1, 2)
        ]
        if len(level) % 2:
            paired.append(level[-1])
        level = paired
    return level[0].hex()


def forward(apps, schema_editor):
    AuditEvent = apps.get_model("audit", "AuditEvent")
    AuditBlock = apps.get_model("audit", "AuditBlock")
    events = AuditEvent.objects.filter(seq__isnull=True).exclude(hash="").order_by("id")
    if not events.exists():
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET seq = id WHERE seq IS NULL AND hash <> ''")
    rows = list(events.model.objects.filter(seq__isnull=False).order_by("seq").values_list("seq", "hash"))
    first, last = rows[0][0], rows[-1][0]
    root = _root([row[1] for row in rows])
    block = hashlib.sha256(f"{GENESIS_HASH}\x1e{first}\x1f{last}\x1f{root}".encode()).hexdigest()
    AuditBlock.objects.create(
        first_seq=first, last_seq=last, merkle_root=root, previous_hash=GENESIS_HASH, hash=block
    )


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_roles")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
