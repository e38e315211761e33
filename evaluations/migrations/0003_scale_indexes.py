# Reserved for national-scale pages (issue 13) (parallel work, 03/12/2026): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("evaluations", "0002_flag_dismissal")]

    # Partial indexes over what still waits for a decision: the approval queue and the home
    # inbox read these rows only, a few percent of a period's batches and subjects.
    operations = [
        migrations.AddIndex(
            model_name="assessment",
            index=models.Index(
                condition=models.Q(("status", "submitted")),
                fields=["approving_unit", "submission"],
                name="eval_assessment_waiting",
            ),
        ),
        migrations.AddIndex(
            model_name="submission",
            index=models.Index(
                condition=models.Q(("status", "submitted")), fields=["period", "unit"], name="eval_submission_waiting"
            ),
        ),
    ]
