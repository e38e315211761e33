"""Returns to the level above ("báo cáo gửi cấp trên", issue 18).

A ``Return`` is a report an officer of the root submitted: its figures frozen as data (the
report's JSON, ``reports.serialize``: tables, narrative, charts), numbered per (kind, root, year),
with who sent it, when, to which unit (the root's parent) and the due date it was measured
against. The receiving unit accepts it or sends it back with a reason; a corrected return is a
new version and the old ones stay readable. Only ``returns.services`` changes these rows.

``ReturnDeadline``: the date returns of one kind and year are due at a unit from the units under
it, for kinds that have no deadline of their own (ratings use ``evaluations.RatingDeadline``)."""

from django.conf import settings
from django.db import models

from organizations.models import Organization
from reports.models import ReportJob


class Return(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Chờ tiếp nhận"
        ACCEPTED = "accepted", "Đã tiếp nhận"
        RETURNED = "returned", "Bị trả lại"
        SUPERSEDED = "superseded", "Đã có bản thay thế"

    class Source(models.TextChoices):
        JOB = "job", "Báo cáo đã lập"
        LIVE = "live", "Số liệu trực tiếp"
        CHILDREN = "children", "Tổng hợp từ báo cáo của đơn vị trực thuộc"

    kind = models.CharField("loại báo cáo", max_length=30)
    root = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="returns", verbose_name="đơn vị gửi")
    year = models.PositiveSmallIntegerField("năm")
    version = models.PositiveSmallIntegerField("bản số")
    receiver = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="received_returns",
        verbose_name="đơn vị nhận",
    )
    as_of = models.DateField("số liệu tính đến ngày", null=True, blank=True)
    data = models.JSONField("số liệu đã chốt")  # reports.serialize.to_json of the ReportData
    source = models.CharField("nguồn số liệu", max_length=10, choices=Source.choices, default=Source.LIVE)
    job = models.ForeignKey(
        ReportJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="từ báo cáo"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="người gửi"
    )
    submitted_at = models.DateTimeField("gửi lúc")
    due_on = models.DateField("hạn gửi", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField("xử lý lúc", null=True, blank=True)
    decision_reason = models.TextField("lý do trả lại", blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = "báo cáo gửi cấp trên"
        verbose_name_plural = "các báo cáo gửi cấp trên"
        constraints = [
            models.UniqueConstraint(fields=["kind", "root", "year", "version"], name="one_return_version"),
        ]
        indexes = [models.Index(fields=["receiver", "status"]), models.Index(fields=["kind", "year", "status"])]

    def __str__(self):
        return f"{self.kind_label} năm {self.year} — {self.root} — bản {self.version}"

    @property
    def kind_label(self) -> str:
        from reports.kinds import label

        return label(self.kind)

    @property
    def is_late(self) -> bool:
        from django.utils import timezone

        return self.due_on is not None and timezone.localtime(self.submitted_at).date() > self.due_on

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def footer(self) -> str:
        """What the printed workbook and PDF carry at their foot (issue 18)."""
        from django.utils import timezone

        at = timezone.localtime(self.submitted_at)
        return f"Báo cáo gửi cấp trên — bản số {self.version}, gửi lúc {at:%H:%M} ngày {at:%d/%m/%Y}"


class ReturnDeadline(models.Model):
    """Hạn gửi báo cáo: returns of ``kind`` for ``year`` from units under ``organization`` are due
    by ``due_on``. A lower unit may set an earlier date for its own subtree, never a later one:
    the earliest along the path applies (DESIGN.md: lower levels tighten, never loosen)."""

    kind = models.CharField("loại báo cáo", max_length=30)
    year = models.PositiveSmallIntegerField("năm")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị nhận báo cáo"
    )
    due_on = models.DateField("hạn gửi")

    class Meta:
        verbose_name = "hạn gửi báo cáo"
        verbose_name_plural = "các hạn gửi báo cáo"
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "organization"], name="one_return_deadline"),
        ]

    def __str__(self):
        return f"{self.kind} {self.year} — {self.organization}: {self.due_on:%d/%m/%Y}"
