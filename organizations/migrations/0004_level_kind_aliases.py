"""Level and kind aliases: the words officers type in an import's "Cấp" and "Loại hình" columns,
seeded for the standard rows (0002); an administrator edits them in the admin."""

from django.db import migrations, models

ALIASES = {
    "Level": {
        "tinh": ["Tỉnh đoàn", "Thành đoàn", "Đoàn Khối", "Đoàn trực thuộc Trung ương"],
        "huyen": ["Huyện đoàn", "Quận đoàn", "Thị đoàn", "Đoàn cấp trên cơ sở"],
        "co-so": ["Đoàn cơ sở"],
        # one word each, so a later level of its own for chi đoàn cơ sở takes its word along
        "trung-gian": ["Chi đoàn cơ sở", "Đoàn bộ phận", "Liên chi đoàn"],
        "chi-doan": ["Chi đoàn"],
    },
    "UnitKind": {
        "dia-ban-dan-cu": ["Địa bàn dân cư", "Địa bàn"],
        "co-quan": ["Cơ quan", "Đơn vị hành chính"],
        "doanh-nghiep": ["Doanh nghiệp"],
        "truong-hoc": ["Trường học", "Trường"],
        "luc-luong-vu-trang": ["Lực lượng vũ trang", "LLVT"],
        "don-vi-su-nghiep": ["Đơn vị sự nghiệp", "Sự nghiệp"],
    },
}


def forwards(apps, schema_editor):
    for model_name, by_code in ALIASES.items():
        model = apps.get_model("organizations", model_name)
        for code, words in by_code.items():
            model.objects.filter(code=code).update(aliases=words)


def aliases_field():
    return models.JSONField(
        blank=True,
        default=list,
        help_text="mỗi dòng một tên, như cán bộ gõ trong tệp nhập",
        verbose_name="tên gọi khác",
    )


class Migration(migrations.Migration):
    dependencies = [("organizations", "0003_audit_entry_permanent")]

    operations = [
        *(
            migrations.AddField(model_name=name, name="aliases", field=aliases_field())
            for name in ("level", "unitkind")
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
