# Reserved for notifications (issue 16) (parallel work, 03/12/2026): fill in this file's operations rather than
# adding a new migration, so that the chain stays linear while several changes land at once.
# Filled: the events of an unplanned visit request and of an import, and a person's obligations
# ("1+2") told apart in the escalation record by ``ref``.
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [
        migrations.RemoveConstraint(
            model_name="escalation",
            name="one_escalation_per_step",
        ),
        migrations.AddField(
            model_name="escalation",
            name="ref",
            field=models.CharField(blank=True, default="", max_length=80),
        ),
        migrations.AlterField(
            model_name="notification",
            name="kind",
            field=models.CharField(
                choices=[
                    ("due_soon", "sắp đến hạn"),
                    ("overdue", "quá hạn"),
                    ("escalation", "tổng hợp gửi cấp trên"),
                    ("returned", "hồ sơ bị trả lại"),
                    ("level_changed", "mức xếp loại được đổi"),
                    ("approved", "đã duyệt"),
                    ("decided", "đã có quyết định"),
                    ("job_done", "công việc đã xong"),
                    ("job_failed", "công việc bị lỗi"),
                    ("requested", "đề xuất chờ quyết định"),
                    ("import_checked", "tệp nhập đã kiểm tra"),
                    ("import_written", "tệp nhập đã ghi"),
                ],
                max_length=20,
                verbose_name="loại",
            ),
        ),
        migrations.AddConstraint(
            model_name="escalation",
            constraint=models.UniqueConstraint(
                fields=("source_key", "unit", "step", "ref"), name="one_escalation_per_step"
            ),
        ),
    ]
