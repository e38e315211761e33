from django.db import migrations


def trigram_index(apps, schema_editor):
    # Diacritic-free name search over millions of members (PostgreSQL only).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS member_name_folded_trgm ON members_member USING gin (name_folded gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("members", "0002_initial")]

    operations = [migrations.RunPython(trigram_index, migrations.RunPython.noop)]
