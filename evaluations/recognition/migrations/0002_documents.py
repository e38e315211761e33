# Recognition documents (issue 15): the PDFs of decisions and evaluation minutes a worker renders.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import evaluations.recognition.models


class Migration(migrations.Migration):
    dependencies = [
        ("recognition", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RenderedDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "kind",
                    models.CharField(
                        choices=[("decision", "Quyết định công nhận"), ("minutes", "Biên bản kiểm tra, đánh giá")],
                        max_length=10,
                        verbose_name="loại",
                    ),
                ),
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
                (
                    "file",
                    models.FileField(
                        blank=True,
                        max_length=255,
                        upload_to=evaluations.recognition.models.document_path,
                        verbose_name="tệp",
                    ),
                ),
                ("pages", models.PositiveSmallIntegerField(default=0, verbose_name="số trang")),
                ("error", models.TextField(blank=True)),
                ("requested_at", models.DateTimeField(auto_now_add=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                (
                    "decision",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="recognition.decision",
                    ),
                ),
                (
                    "registration",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="recognition.registration",
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
            ],
            options={
                "verbose_name": "văn bản PDF",
                "verbose_name_plural": "các văn bản PDF",
                "ordering": ["-requested_at", "-id"],
                "indexes": [
                    models.Index(fields=["decision", "kind"], name="recognition_decisio_fef459_idx"),
                    models.Index(fields=["registration", "kind"], name="recognition_registr_c9db75_idx"),
                ],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("decision__isnull", False), ("kind", "decision"), ("registration__isnull", True)),
                            models.Q(("decision__isnull", True), ("kind", "minutes"), ("registration__isnull", False)),
                            _connector="OR",
                        ),
                        name="recognition_document_one_target",
                    )
                ],
            },
        ),
    ]
