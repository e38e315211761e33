"""Report jobs: a report is built by a Celery worker and kept as a row with its result and file."""

from django.conf import settings
from django.db import models

from organizations.models import Organization
from organizations.progress import is_dead


class ReportJob(models.Model):
    """One run of a report builder for a root unit and year(s) (DESIGN.md "Background work").

    The row is the result store: status, progress, timings, the page's data (``result``), the
    Vietnamese narrative and the .xlsx file. Re-running a job rewrites the same row and file."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang chạy"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Bị lỗi"

    FINISHED = (Status.DONE, Status.FAILED)

    kind = models.CharField("loại báo cáo", max_length=30)
    root = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="report_jobs", verbose_name="đơn vị")
    year = models.PositiveSmallIntegerField("năm")
    # The reference date the figures are counted at; empty = the rating period's lock date.
    as_of = models.DateField("số liệu tính đến ngày", null=True, blank=True)
    params = models.JSONField("tham số", default=dict, blank=True)  # {"years": [...], "root": code}
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="report_jobs",
        verbose_name="người yêu cầu",
    )
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("tiến độ (%)", default=0)
    created_at = models.DateTimeField("yêu cầu lúc", auto_now_add=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("tín hiệu cuối của worker", null=True, blank=True)  # progress.Heartbeat
    duration = models.DurationField("thời gian chạy", null=True, blank=True)
    error = models.TextField("lỗi", blank=True)
    # Why the PDF follow-up could not make the PDF (the workbook and the page stay); empty once made.
    pdf_error = models.TextField("lỗi tạo bản PDF", blank=True)
    # The day the figures were counted at: ``as_of`` or, left empty, the default the run resolved;
    # a column so that lists (page, API) never load ``result``.
    counted_as_of = models.DateField("số liệu đã tính đến ngày", null=True, blank=True)
    result = models.JSONField("kết quả", null=True, blank=True)
    narrative = models.TextField("báo cáo bằng lời", blank=True)
    file = models.FileField("tệp Excel", upload_to="reports/", blank=True)
    runs = models.PositiveSmallIntegerField("số lần chạy", default=0)
    seen_at = models.DateTimeField("đã xem lúc", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "báo cáo"
        verbose_name_plural = "các báo cáo"
        indexes = [models.Index(fields=["requested_by", "status"])]

    def __str__(self):
        return f"{self.kind_label} — {self.root} — {self.year}"

    @property
    def kind_label(self) -> str:
        from .kinds import label

        return label(self.kind)

    @property
    def years(self) -> list[int]:
        return list(self.params.get("years") or [self.year])

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_stuck(self) -> bool:
        """Running, but its worker stopped beating (killed, machine gone: a killed task is not
        requeued), so it may be run again (organizations.progress.is_dead)."""
        return self.status == self.Status.RUNNING and is_dead(self.heartbeat_at, self.started_at)

    @property
    def can_rerun(self) -> bool:
        return self.is_finished or self.is_stuck
