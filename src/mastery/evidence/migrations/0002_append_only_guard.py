"""The database refuses UPDATE and DELETE on the evidence ledger (see ledger_guard.py)."""

from django.db import migrations

from mastery.evidence import ledger_guard


def install(apps, schema_editor):
    ledger_guard.install(schema_editor)


def remove(apps, schema_editor):
    ledger_guard.remove(schema_editor)


class Migration(migrations.Migration):
    dependencies = [("evidence", "0001_initial")]

    operations = [migrations.RunPython(install, remove)]
