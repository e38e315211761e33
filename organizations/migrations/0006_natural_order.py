# Natural Vietnamese order (issue 15): the ICU collation and the given-name function that
# organizations.collation orders by (its names are repeated here: a migration stays as written).
# SQLite registers both on each connection instead (organizations.collation.register_sqlite).
from django.db import migrations

CREATE = (
    "CREATE COLLATION IF NOT EXISTS vn_natural (provider = icu, locale = 'vi-u-kn-true')",
    # tên: the last word of a full name; IMMUTABLE, so an index may be built on it.
    "CREATE OR REPLACE FUNCTION vn_given_name(text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE"
    " AS $$ SELECT regexp_replace(btrim($1), '^.*\\s', '') $$",
    # The roster's order (members.selectors.name_order), so a province's first page walks an
    # index rather than sorting its million members. Here, not in members: it needs both above.
    "CREATE INDEX IF NOT EXISTS members_member_vn_order ON members_member"
    " ((vn_given_name(full_name) COLLATE vn_natural), (full_name COLLATE vn_natural), id)",
)
DROP = (
    "DROP INDEX IF EXISTS members_member_vn_order",
    "DROP FUNCTION IF EXISTS vn_given_name(text)",
    "DROP COLLATION IF EXISTS vn_natural",
)


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for sql in statements:
                schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("organizations", "0005_grassroots_levels"), ("members", "0001_initial")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
