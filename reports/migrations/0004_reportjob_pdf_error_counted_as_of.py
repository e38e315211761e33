"""Two columns a list can read without the job's built figures (``result``): the PDF follow-up's
error and the day the figures were counted at, filled for the jobs already built."""

from datetime import date

from django.db import migrations, models
from django.db.models.fields.json import KT


def counted_days(apps, schema_editor):
    ReportJob = apps.get_model("reports", "ReportJob")
    built = ReportJob.objects.exclude(result=None).values_list("pk", KT("result__as_of"))
    for pk, day in built.iterator(chunk_size=500):
        if day:
            ReportJob.objects.filter(pk=pk).update(counted_as_of=date.fromisoformat(day))


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_as_of")]

    operations = [
        migrations.AddField(
            model_name="reportjob",
            name="counted_as_of",
            field=models.DateField(blank=True, null=True, verbose_name="số liệu đã tính đến ngày"),
        ),
        migrations.AddField(
            model_name="reportjob",
            name="pdf_error",
            field=models.TextField(blank=True, verbose_name="lỗi tạo bản PDF"),
        ),
        migrations.RunPython(counted_days, migrations.RunPython.noop),
    ]
