# Reserved for as-of-date denominators (issue 18) (parallel work, 03/12/2026): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
#
# Nothing to backfill: no past path was kept before this table (a move's audit entry names the
# old parent, not the paths of its subtree), so every unit is taken to have always hung where it
# hangs now; moves from here on keep their old paths.
import django.db.models.deletion
from django.db import migrations, models

import organizations.fields


class Migration(migrations.Migration):
    dependencies = [("organizations", "0006_natural_order")]

    operations = [
        migrations.CreateModel(
            name="PastPlacement",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("path", organizations.fields.PathField(max_length=255)),
                ("valid_from", models.DateField(blank=True, null=True, verbose_name="từ ngày")),
                ("valid_to", models.DateField(verbose_name="đến ngày")),
                (
                    "unit",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="past_placements",
                        to="organizations.organization",
                    ),
                ),
            ],
            options={
                "verbose_name": "vị trí cũ của đơn vị",
                "verbose_name_plural": "vị trí cũ của các đơn vị",
                "indexes": [models.Index(fields=["unit", "valid_to"], name="organizatio_unit_id_4fd7f7_idx")],
            },
        ),
    ]
