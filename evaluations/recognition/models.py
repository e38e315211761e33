"""Đoàn cơ sở "3 chủ động" (Hướng dẫn 08-HD/TWĐTN-BTC 2018; 18-HD/TWĐTN-BTC 2023–2027).

A province runs one ``Campaign`` a year with its own criteria set (the standard three "chủ động"
or a variant such as Bạc Liêu's four) and deadlines; each đoàn cơ sở ``Registration`` goes
draft → submitted → accepted → evaluated → recognised / not recognised, decided by the unit
directly above in a ``Decision``; the province reviews decisions and may ``Flag`` them.
Every state change goes through ``services``; these models only hold data and invariants.
"""

from datetime import date
from pathlib import PurePosixPath

from django.conf import settings
from django.db import models

from organizations.models import Organization
from organizations.pdfdocs import RenderedPdf

USER = settings.AUTH_USER_MODEL

# The guidance's standard criteria (08-HD/TWĐTN-BTC; seed 003) and Bạc Liêu's variant (seed 001).
# They are only the defaults a new campaign starts from: the province edits its own rows.
STANDARD_CRITERIA = [
    (
        "Chủ động quản lý đoàn viên, nắm bắt tình hình thanh niên",
        "Chủ động thực hiện quản lý đoàn viên và chăm lo, nắm bắt tình hình thanh niên ở địa phương, đơn vị.",
    ),
    (
        "Chủ động xây dựng và thực hiện kế hoạch công tác",
        "Chủ động xây dựng và tổ chức thực hiện chương trình, kế hoạch công tác của đoàn cơ sở.",
    ),
    (
        "Chủ động tham mưu với cấp ủy, phối hợp với các tổ chức liên quan",
        "Chủ động tham mưu với cấp ủy đảng, phối hợp với chính quyền, các đoàn thể và cơ quan liên quan.",
    ),
]
FOUR_CRITERIA = [
    ("Chủ động nắm bắt tình hình", "Chủ động nắm bắt tình hình đoàn viên, thanh niên trên địa bàn, đơn vị."),
    ("Chủ động xây dựng kế hoạch công tác", "Chủ động xây dựng kế hoạch công tác của đoàn cơ sở."),
    ("Chủ động thực hiện nhiệm vụ", "Chủ động tổ chức thực hiện nhiệm vụ theo kế hoạch đã xây dựng."),
    (
        "Chủ động tham mưu, phối hợp",
        "Chủ động tham mưu với cấp ủy đảng, phối hợp với các tổ chức liên quan trong triển khai công tác thanh niên.",
    ),
]
CRITERIA_VARIANTS = {"3": STANDARD_CRITERIA, "4": FOUR_CRITERIA}


def default_registration_deadline(year: int) -> date:
    """Registrations reach the district by 10/10 of the year before (08-HD/TWĐTN-BTC)."""
    return date(year - 1, 10, 10)


def default_report_deadline(year: int) -> date:
    """The district reports registrations to the province by 15/10 of the year before."""
    return date(year - 1, 10, 15)


class Campaign(models.Model):
    """One year's "3 chủ động" at one province: the policy row holding its criteria and deadlines."""

    year = models.PositiveSmallIntegerField("năm công nhận")
    province = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="tỉnh đoàn")
    name = models.CharField("tên đợt", max_length=200)
    registration_deadline = models.DateField("hạn đăng ký của đoàn cơ sở")
    report_deadline = models.DateField("hạn cấp huyện báo cáo tỉnh")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        ordering = ["-year", "province__path"]
        verbose_name = "đợt “3 chủ động”"
        verbose_name_plural = "các đợt “3 chủ động”"
        constraints = [models.UniqueConstraint(fields=["province", "year"], name="recognition_one_campaign_a_year")]

    def __str__(self):
        return self.name


class CampaignCriterion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="criteria")
    number = models.PositiveSmallIntegerField("số thứ tự")
    title = models.CharField("tiêu chí", max_length=200)
    description = models.TextField("nội dung", blank=True)
    sub_criteria = models.TextField("tiêu chí cụ thể do tỉnh quy định", blank=True)

    class Meta:
        ordering = ["campaign", "number"]
        verbose_name = "tiêu chí “chủ động”"
        verbose_name_plural = "các tiêu chí “chủ động”"
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="recognition_criterion_number")]

    def __str__(self):
        return f"{self.number}. {self.title}"


class Decision(models.Model):
    """Quyết định công nhận đoàn cơ sở "3 chủ động", issued by the unit directly above."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="decisions")
    issued_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị ban hành"
    )
    number = models.CharField("số quyết định", max_length=60)
    signed_on = models.DateField("ngày ký")
    signer = models.CharField("người ký", max_length=120)
    created_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_on", "-id"]
        verbose_name = "quyết định công nhận"
        verbose_name_plural = "các quyết định công nhận"
        constraints = [models.UniqueConstraint(fields=["issued_by", "number"], name="recognition_decision_number")]

    def __str__(self):
        return f"Quyết định số {self.number} ngày {self.signed_on:%d/%m/%Y}"


class Registration(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Đang soạn"
        SUBMITTED = "submitted", "Đã gửi đăng ký"
        ACCEPTED = "accepted", "Đã tiếp nhận"
        RETURNED = "returned", "Trả lại để bổ sung"
        EVALUATED = "evaluated", "Đã đánh giá"
        RECOGNISED = "recognised", "Được công nhận"
        NOT_RECOGNISED = "not_recognised", "Không được công nhận"

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="registrations")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đoàn cơ sở"
    )
    # The unit directly above when the registration was made: the district, or the province for
    # a đoàn trực thuộc tỉnh. It follows, evaluates and decides (08-HD/TWĐTN-BTC).
    receiving_unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị tiếp nhận"
    )
    status = models.CharField("trạng thái", max_length=16, choices=Status.choices, default=Status.DRAFT)
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    is_late = models.BooleanField("đăng ký muộn", default=False)
    cadre = models.ForeignKey(
        USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name="cán bộ theo dõi"
    )
    decision = models.ForeignKey(
        "Decision", on_delete=models.PROTECT, null=True, blank=True, related_name="registrations"
    )
    decision_reason = models.TextField("lý do (khi không công nhận)", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["organization__path"]
        verbose_name = "đăng ký “3 chủ động”"
        verbose_name_plural = "các đăng ký “3 chủ động”"
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organization"], name="recognition_one_registration")
        ]
        indexes = [models.Index(fields=["campaign", "status"]), models.Index(fields=["receiving_unit", "status"])]

    def __str__(self):
        return f"{self.organization} — {self.campaign.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)

    @property
    def is_decided(self) -> bool:
        return self.status in (self.Status.RECOGNISED, self.Status.NOT_RECOGNISED)


class RegistrationPlan(models.Model):
    """The đoàn cơ sở's plan for one criterion."""

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="plans")
    criterion = models.ForeignKey(CampaignCriterion, on_delete=models.PROTECT, related_name="+")
    text = models.TextField("kế hoạch thực hiện", blank=True)

    class Meta:
        ordering = ["criterion__number"]
        constraints = [models.UniqueConstraint(fields=["registration", "criterion"], name="recognition_one_plan")]

    def __str__(self):
        return f"Kế hoạch tiêu chí {self.criterion.number} — {self.registration}"


def attachment_path(instance: "PlanAttachment", filename: str) -> str:
    """Files live under MEDIA_ROOT/recognition/<year>/<registration>/ and are served by a scoped view."""
    name = PurePosixPath(filename).name[-100:]
    return f"recognition/{instance.registration.campaign.year}/{instance.registration_id}/{name}"


class PlanAttachment(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="attachments")
    criterion = models.ForeignKey(CampaignCriterion, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField("tệp", upload_to=attachment_path, max_length=255)
    original_name = models.CharField("tên tệp", max_length=255)
    size = models.PositiveIntegerField("dung lượng", default=0)
    uploaded_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name


class FollowUp(models.Model):
    """A follow-up note or an inspection visit during the year."""

    class Kind(models.TextChoices):
        NOTE = "note", "Ghi chép theo dõi"
        INSPECTION = "inspection", "Kiểm tra tại cơ sở"

    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="followups")
    kind = models.CharField("loại", max_length=12, choices=Kind.choices, default=Kind.NOTE)
    on_date = models.DateField("ngày")
    participants = models.CharField("người thực hiện", max_length=255)
    findings = models.TextField("nội dung, kết quả")
    # A "1+2" field visit logged in the fieldwork app to this unit (DESIGN.md: evaluations may read fieldwork).
    fieldwork_visit = models.ForeignKey(
        "fieldwork.PlannedVisit",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="chuyến đi cơ sở liên quan",
    )
    author = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on_date", "-id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.on_date:%d/%m/%Y}"


class CriterionEvaluation(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="evaluations")
    criterion = models.ForeignKey(CampaignCriterion, on_delete=models.PROTECT, related_name="+")
    met = models.BooleanField("đạt")
    evidence = models.TextField("minh chứng")
    evaluated_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    evaluated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["criterion__number"]
        constraints = [models.UniqueConstraint(fields=["registration", "criterion"], name="recognition_one_score")]

    def __str__(self):
        return f"Tiêu chí {self.criterion.number}: {'đạt' if self.met else 'không đạt'}"


class Flag(models.Model):
    """The province's standing office or inspection committee questions a district's decision."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="flags")
    note = models.TextField("nội dung")
    raised_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    is_resolved = models.BooleanField("đã xử lý", default=False)
    resolution = models.TextField("kết quả xử lý", blank=True)
    resolved_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["is_resolved", "-raised_at"]

    def __str__(self):
        return f"Ý kiến về {self.decision}"


class RegistrationReport(models.Model):
    """The district's report of its registrations to the province (due 15/10 of the year before)."""

    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="reports")
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị báo cáo")
    sent_at = models.DateTimeField("gửi lúc")
    sent_by = models.ForeignKey(USER, on_delete=models.SET_NULL, null=True, related_name="+")
    is_late = models.BooleanField("báo cáo muộn", default=False)
    registrant_count = models.PositiveIntegerField("số đơn vị đăng ký", default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "unit"], name="recognition_one_report")]

    def __str__(self):
        return f"Báo cáo đăng ký {self.campaign.year} — {self.unit}"


def document_path(instance: "RenderedDocument", filename: str) -> str:
    return f"recognition/documents/{instance.campaign_year}/{filename}"


class RenderedDocument(RenderedPdf):
    """A PDF of a recognition decision or of an evaluation's minutes, rendered by a worker (issue
    15, ``organizations.pdfdocs``). ``digest`` fingerprints the document's text: a changed decision
    or evaluation asks for a new rendering rather than serving a stale one. Served by a scoped
    view, never by URL."""

    class Kind(models.TextChoices):
        DECISION = "decision", "Quyết định công nhận"
        MINUTES = "minutes", "Biên bản kiểm tra, đánh giá"

    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    file = models.FileField("tệp", upload_to=document_path, max_length=255, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "văn bản PDF"
        verbose_name_plural = "các văn bản PDF"
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="decision", decision__isnull=False, registration__isnull=True)
                    | models.Q(kind="minutes", decision__isnull=True, registration__isnull=False)
                ),
                name="recognition_document_one_target",
            )
        ]
        indexes = [models.Index(fields=["decision", "kind"]), models.Index(fields=["registration", "kind"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.get_status_display()})"

    @property
    def campaign_year(self) -> int:
        target = self.decision or self.registration
        return target.campaign.year
