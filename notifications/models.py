"""Notifications a person receives (the inbox row is the in-app channel), their email
preferences, the reminder schedule of a deadline source and the record of escalations sent.

Depends on ``organizations`` and ``django.contrib.auth`` only: higher apps call
``notifications.services.notify``; this app never imports them."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from organizations.models import Organization


class Kind(models.TextChoices):
    DUE_SOON = "due_soon", "sắp đến hạn"
    OVERDUE = "overdue", "quá hạn"
    ESCALATION = "escalation", "tổng hợp gửi cấp trên"
    RETURNED = "returned", "hồ sơ bị trả lại"
    LEVEL_CHANGED = "level_changed", "mức xếp loại được đổi"
    APPROVED = "approved", "đã duyệt"
    DECIDED = "decided", "đã có quyết định"
    JOB_DONE = "job_done", "công việc đã xong"
    JOB_FAILED = "job_failed", "công việc bị lỗi"
    REQUESTED = "requested", "đề xuất chờ quyết định"
    IMPORT_CHECKED = "import_checked", "tệp nhập đã kiểm tra"
    IMPORT_WRITTEN = "import_written", "tệp nhập đã ghi"


class Notification(models.Model):
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    title = models.CharField("tiêu đề", max_length=255)
    body = models.TextField("nội dung", blank=True)
    link = models.CharField("đường dẫn", max_length=500)  # site-relative; emails prefix DOANHUB_SITE_URL
    due_on = models.DateField("hạn", null=True, blank=True)
    # What happened, e.g. "rating:7:due:2026-10-31:T-3": one notification per recipient and event,
    # so a second run of the reminders (or a retried task) sends nothing twice.
    event_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "thông báo"
        verbose_name_plural = "các thông báo"
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["recipient", "event_key"], name="one_notification_per_event")]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title


class Preference(models.Model):
    """How a person wants email: none, each notification at once, or one digest a day."""

    class Mode(models.TextChoices):
        IMMEDIATE = "immediate", "Gửi ngay từng thông báo"
        DIGEST = "digest", "Gộp thành một email mỗi ngày"

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_pref")
    email_enabled = models.BooleanField("nhận thông báo qua email", default=True)
    email_mode = models.CharField("cách gửi email", max_length=10, choices=Mode.choices, default=Mode.IMMEDIATE)

    class Meta:
        verbose_name = "tùy chọn thông báo"
        verbose_name_plural = "các tùy chọn thông báo"

    def __str__(self):
        return f"{self.user}: {self.get_email_mode_display() if self.email_enabled else 'không nhận email'}"


class ReminderPolicy(models.Model):
    """The schedule of one deadline source's period (e.g. "rating:7"); without a row, the
    settings' defaults (DOANHUB_REMINDER_DAYS_BEFORE, DOANHUB_ESCALATE_AFTER_DAYS)."""

    source_key = models.CharField("nguồn hạn", max_length=80, unique=True)
    days_before = models.CharField("nhắc trước hạn (ngày)", max_length=40, default="7,3,1")
    overdue_every = models.PositiveSmallIntegerField("nhắc quá hạn mỗi (ngày)", default=7)
    escalate_after = models.PositiveSmallIntegerField("báo cấp trên sau (ngày quá hạn)", default=3)

    class Meta:
        verbose_name = "lịch nhắc hạn"
        verbose_name_plural = "các lịch nhắc hạn"

    def __str__(self):
        return f"{self.source_key}: trước {self.days_before} ngày, cấp trên sau {self.escalate_after} ngày"

    def clean(self):
        """The days before are what ``reminders.schedule_for`` reads: whole numbers and commas."""
        parts = [part.strip() for part in self.days_before.split(",")]
        if not all(part.isdigit() for part in parts):
            raise ValidationError(
                {"days_before": f"“{self.days_before}”: ghi các số ngày cách nhau bởi dấu phẩy, ví dụ 7,3,1."}
            )
        if self.overdue_every < 1 or self.escalate_after < 1:
            raise ValidationError("Số ngày nhắc quá hạn và số ngày báo cấp trên phải từ 1 trở lên.")


class Escalation(models.Model):
    """A late obligation reported to the level above, once per step (1: parent, 2: the level above
    it). A unit's obligation is the unit's (``ref`` empty); a person's is told apart by ``ref``
    ("staff-12"), since several staff members' obligations share a unit."""

    source_key = models.CharField(max_length=80)
    unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    ref = models.CharField(max_length=80, blank=True, default="")
    step = models.PositiveSmallIntegerField()
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source_key", "unit", "step", "ref"], name="one_escalation_per_step")
        ]

    def __str__(self):
        return f"{self.source_key} · {self.unit_id}{f' · {self.ref}' if self.ref else ''} · bước {self.step}"
