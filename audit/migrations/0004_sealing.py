"""Sealed chain: events are inserted unchained and sealed afterwards (audit.sealing), in blocks."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_anchor")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="seq",
            field=models.BigIntegerField(
                blank=True, null=True, unique=True, verbose_name="volgnummer in de keten"
            ),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="previous_hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="vorige hash"),
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="hash",
            field=models.CharField(blank=True, max_length=64, verbose_name="hash"),
        ),
        migrations.AddIndex(
            model_name="auditevent",
            index=models.Index(
                condition=models.Q(("seq__isnull", True)), fields=["id"], name="audit_unsealed"
            ),
        ),
        migrations.RenameField(
            model_name="auditanchor", old_name="purged_through_id", new_name="purged_through_seq"
        ),
        migrations.AlterField(
            model_name="auditanchor",
            name="purged_through_seq",
            field=models.BigIntegerField(verbose_name="verwijderd tot en met volgnummer"),
        ),
        migrations.AlterModelOptions(
            name="auditanchor",
            options={
                "ordering": ["-purged_through_seq"],
                "verbose_name": "ankerpunt auditketen",
                "verbose_name_plural": "ankerpunten auditketen",
            },
        ),
        migrations.CreateModel(
            name="AuditBlock",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("first_seq", models.BigIntegerField(unique=True, verbose_name="eerste volgnummer")),
                ("last_seq", models.BigIntegerField(unique=True, verbose_name="laatste volgnummer")),
                ("merkle_root", models.CharField(max_length=64, verbose_name="Merkle-wortel")),
                ("previous_hash", models.CharField(max_length=64, verbose_name="hash van het vorige blok")),
                ("hash", models.CharField(max_length=64, unique=True, verbose_name="blokhash")),
                ("sealed_at", models.DateTimeField(default=django.utils.timezone.now, verbose_name="verzegeld op")),
            ],
            options={
                "verbose_name": "auditblok",
                "verbose_name_plural": "auditblokken",
                "ordering": ["first_seq"],
            },
        ),
    ]
