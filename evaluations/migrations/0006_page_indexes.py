# Reserved for page indexes (issue 13) (parallel work, 03/12/2026 evening): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0004_grassroots")]

    operations = [
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["submission"],
                name="eval_assessment_waiting_batch",
            ),
        ),
    ]
