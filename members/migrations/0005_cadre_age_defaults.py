"""Default cadre age limits (QĐ 289-QĐ/TW, quy chế cán bộ Đoàn): rows an administrator edits."""

from django.db import migrations

SOURCE = "QĐ 289-QĐ/TW (mặc định, cần rà soát theo hướng dẫn hiện hành)"
# level code -> (max age on first appointment, max age while holding), for every title
DEFAULTS = {
    "chi-doan": (30, 35),
    "trung-gian": (30, 35),
    "co-so": (30, 35),
    "huyen": (30, 35),
    "tinh": (35, 40),
    "tw": (40, 45),
}
TITLES = ["bi_thu", "pho_bi_thu", "uy_vien_btv", "uy_vien_bch"]
# The grassroots (commune) secretary may be first appointed up to 35 (DOMAIN.md, seed 002).
OVERRIDES = {("co-so", "bi_thu"): (35, 35)}


def forwards(apps, schema_editor):
    Level = apps.get_model("organizations", "Level")
    CadreAgeLimit = apps.get_model("members", "CadreAgeLimit")
    for level in Level.objects.filter(code__in=DEFAULTS):
        for title in TITLES:
            first, holding = OVERRIDES.get((level.code, title), DEFAULTS[level.code])
            CadreAgeLimit.objects.get_or_create(
                title=title, level=level, organization=None,
                defaults={"max_age_first": first, "max_age_holding": holding, "source": SOURCE},
            )


class Migration(migrations.Migration):
    dependencies = [("members", "0004_lifecycle"), ("organizations", "0002_standard_levels")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
