# Reserved for history edge cases (issue 18) (parallel work, 03/12/2026 evening): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("organizations", "0007_unit_history")]

    # A past placement is looked up by path prefix (a report's subtree cut, a new or moved unit's
    # path checked against history); the path's "C" collation lets LIKE 'prefix%' use the index.
    operations = [
        migrations.AddIndex(
            model_name="pastplacement",
            index=models.Index(fields=["path"], name="organizatio_pastpl_path_idx"),
        ),
    ]
