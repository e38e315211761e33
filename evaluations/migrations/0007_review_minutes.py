# The chi đoàn's rating review minutes (issue 15): who chaired and who wrote the meeting's minutes,
# and the worker's PDF of them (organizations.pdfdocs). Reserved file, filled (chain kept linear).
import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import evaluations.models


class Migration(migrations.Migration):
    dependencies = [
        ("evaluations", "0006_page_indexes"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="submission",
            name="chair_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="người chủ trì"),
        ),
        migrations.AddField(
            model_name="submission",
            name="clerk_name",
            field=models.CharField(blank=True, max_length=100, verbose_name="thư ký"),
        ),
        migrations.CreateModel(
            name="ReviewMinutes",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("digest", models.CharField(max_length=64)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("queued", "Đang chờ"),
                            ("running", "Đang tạo"),
                            ("done", "Đã xong"),
                            ("failed", "Lỗi"),
                        ],
                        default="queued",
                        max_length=8,
                        verbose_name="trạng thái",
                    ),
                ),
                ("pages", models.PositiveSmallIntegerField(default=0, verbose_name="số trang")),
                ("error", models.TextField(blank=True)),
                ("requested_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "file",
                    models.FileField(
                        blank=True, max_length=255, upload_to=evaluations.models.review_minutes_path, verbose_name="tệp"
                    ),
                ),
                (
                    "requested_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "submission",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="+", to="evaluations.submission"
                    ),
                ),
            ],
            options={
                "verbose_name": "biên bản họp xếp loại (PDF)",
                "verbose_name_plural": "các biên bản họp xếp loại (PDF)",
                "ordering": ["-requested_at", "-id"],
                "indexes": [models.Index(fields=["submission", "-requested_at"], name="eval_minutes_latest")],
            },
        ),
    ]
