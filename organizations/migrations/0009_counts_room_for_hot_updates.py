"""Room in organizations_organization's pages for the summary counters' updates (issue 13).

Every member added, moved or removed adds to the counters of its chi đoàn and each ancestor
(services.adjust_counts; a 10⁵-row import updates ~35,000 units in one statement). Full pages
made each of those a new row version in all twelve indexes (the trigram GIN among them); with
half of each page free the new version fits beside the old one and PostgreSQL updates no
index (a HOT update): the import's counter update measured 1.86 s → 0.87 s at 10⁶ members,
35,474 of 35,474 updates HOT. The table doubles (14 → 28 MB at 10⁶ members, a few dozen MB
nationally), which its indexed reads do not feel.

VACUUM FULL rewrites the existing rows into half-full pages (a fillfactor applies to pages
written after it is set). It cannot run in a transaction, hence ``atomic = False``; it locks the
table for the seconds it takes, as any migration that rewrites a table does. PostgreSQL only:
SQLite has no fillfactor."""

from django.db import migrations

TABLE = "organizations_organization"
FILLFACTOR = 50  # one spare version for every row of a page: an import touches nearly every unit


def _run(schema_editor, *statements: str) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


def leave_room(apps, schema_editor):
    _run(schema_editor, f"ALTER TABLE {TABLE} SET (fillfactor = {FILLFACTOR})", f"VACUUM FULL {TABLE}")


def fill_pages(apps, schema_editor):
    _run(schema_editor, f"ALTER TABLE {TABLE} RESET (fillfactor)", f"VACUUM FULL {TABLE}")


class Migration(migrations.Migration):
    atomic = False
    dependencies = [("organizations", "0008_history_edges")]
    operations = [migrations.RunPython(leave_room, fill_pages)]
