"""The union's usual levels and unit kinds, as rows an administrator may extend."""

from django.db import migrations

LEVELS = [
    # code, name, rank, is_branch, is_grassroots, allowed parent codes
    ("tw", "Trung ương Đoàn", 0, False, False, []),
    ("tinh", "Tỉnh đoàn, Thành đoàn, Đoàn Khối, đoàn trực thuộc Trung ương", 1, False, False, ["tw"]),
    ("huyen", "Huyện, quận, thị, thành đoàn và tương đương", 2, False, False, ["tinh"]),
    ("co-so", "Đoàn cơ sở", 3, False, True, ["tinh", "huyen"]),
    ("trung-gian", "Chi đoàn cơ sở, Đoàn bộ phận", 4, False, False, ["co-so"]),
    ("chi-doan", "Chi đoàn", 5, True, False, ["co-so", "trung-gian"]),
]
KINDS = [
    ("dia-ban-dan-cu", "Địa bàn dân cư"),
    ("co-quan", "Cơ quan, đơn vị hành chính"),
    ("doanh-nghiep", "Doanh nghiệp"),
    ("truong-hoc", "Trường học"),
    ("luc-luong-vu-trang", "Lực lượng vũ trang"),
    ("don-vi-su-nghiep", "Đơn vị sự nghiệp"),
]


def forwards(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    UnitKind = apps.get_model("organizations", "UnitKind")
    by_code = {}
    for code, name, rank, is_branch, is_grassroots, _ in LEVELS:
        by_code[code], _ = Level.objects.update_or_create(
            code=code, defaults={"name": name, "rank": rank, "is_branch": is_branch, "is_grassroots": is_grassroots}
        )
    for code, *_, parents in LEVELS:
        by_code[code].allowed_parents.set([by_code[p] for p in parents])
    for code, name in KINDS:
        UnitKind.objects.update_or_create(code=code, defaults={"name": name})


def trigram_index(apps, schema_editor):
    # Diacritic-free search at national scale: a trigram GIN index on the folded name (PostgreSQL).
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            "CREATE INDEX IF NOT EXISTS org_name_folded_trgm ON organizations_organization "
            "USING gin (name_folded gin_trgm_ops)"
        )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0001_initial")]

    operations = [
        migrations.RunPython(forwards, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, migrations.RunPython.noop),
    ]
