"""Chi đoàn cơ sở is a tổ chức cơ sở Đoàn (issue 15; organizations 0005 gives it a level of its
own): the subject type "grassroots" is named for both, "Tổ chức cơ sở Đoàn", and the own rating of a
unit that 0005 moved to the chi đoàn cơ sở level, typed "branch" while it was an intermediate unit,
is now what it is rated as: "grassroots" (the report counts it among the tổ chức cơ sở Đoàn).
Backwards: those ratings are typed "branch" again."""

from django.db import migrations, models

CHOICES = [
    ("member", "Đoàn viên"),
    ("branch", "Chi đoàn"),
    ("grassroots", "Tổ chức cơ sở Đoàn"),
    ("upper", "Đoàn cấp trên cơ sở"),
    ("collective", "Tập thể lãnh đạo (BCH/BTV)"),
]
LEVEL = "chi-doan-co-so"


def _retype(apps, before: str, after: str) -> None:
    Assessment = apps.get_model("evaluations", "Assessment")
    own = Assessment.objects.filter(
        organization__level__code=LEVEL, organization_id=models.F("unit_id"), subject_type=before
    )
    own.update(subject_type=after)


def forwards(apps, schema_editor):
    _retype(apps, "branch", "grassroots")


def backwards(apps, schema_editor):
    _retype(apps, "grassroots", "branch")


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0003_scale_indexes"),
        ("organizations", "0005_grassroots_levels"),
    ]

    operations = [
        migrations.AlterField(
            model_name="assessment",
            name="subject_type",
            field=models.CharField(choices=CHOICES, max_length=12, verbose_name="đối tượng"),
        ),
        migrations.AlterField(
            model_name="quotalock",
            name="subject_type",
            field=models.CharField(choices=CHOICES, max_length=12),
        ),
        migrations.AlterField(
            model_name="ratingpolicy",
            name="subject_type",
            field=models.CharField(choices=CHOICES, max_length=12, verbose_name="đối tượng"),
        ),
        migrations.RunPython(forwards, backwards),
    ]
