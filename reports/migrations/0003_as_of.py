# Reserved for as-of-date denominators (issue 18) (parallel work, 03/12/2026): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_reportjob_heartbeat")]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="as_of",
            field=models.DateField(blank=True, null=True, verbose_name="số liệu tính đến ngày"),
        ),
    ]
