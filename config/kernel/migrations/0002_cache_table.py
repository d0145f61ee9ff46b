"""The database cache's table (rate-limit counters and short locks live in the database, so a
Redis outage does not stop anyone from signing in)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("kernel", "0001_outbox")]

    operations = [migrations.RunPython(create_cache_table, migrations.RunPython.noop)]
