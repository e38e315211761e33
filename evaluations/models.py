"""The annual quality rating (kiểm điểm, đánh giá, xếp loại chất lượng, Hướng dẫn 33-HD/TWĐTN-BTC).

Data map (for readers such as the reports app):

- ``RatingPeriod``: one per year and root organisation (a province or TW), with a deadline per
  tree level (``RatingDeadline``) and a lock date.
- ``RatingPolicy``: per period, organisation subtree and subject type: quota for "excellent",
  eligibility rules. The effective policy of a unit merges the policies of its ancestors, lower
  levels only tightening (``evaluations.policies.effective_policy``).
- ``CriteriaFrame``/``Criterion``: the criteria of a policy; a lower unit adds criteria.
- ``Assessment``: one per period and subject. ``unit`` is the organisation the subject belongs
  to (a member's chi đoàn; an organisation itself) and is what scoping and rollups use
  (``unit__path``); ``approving_unit`` is the unit that decides. ``final_level`` is set only once
  the rating is approved (status approved/locked): reports count ``final_level`` of assessments
  whose status is in ``Assessment.DECIDED``.
- ``Submission``: a unit's batch (its members' assessments and its own self-assessment) sent to
  the level above, with the meeting's minutes.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from members.models import Member
from organizations.models import Level, Organization
from organizations.pdfdocs import RenderedPdf


class RatingLevel(models.TextChoices):
    """The four levels, the same for every subject (Hướng dẫn 33); codes are the standard ones."""

    HTXSNV = "HTXSNV", "Hoàn thành xuất sắc nhiệm vụ"
    HTTNV = "HTTNV", "Hoàn thành tốt nhiệm vụ"
    HTNV = "HTNV", "Hoàn thành nhiệm vụ"
    KHTNV = "KHTNV", "Không hoàn thành nhiệm vụ"


# Best first; "good or better" is the first two.
LEVEL_ORDER = [RatingLevel.HTXSNV, RatingLevel.HTTNV, RatingLevel.HTNV, RatingLevel.KHTNV]
GOOD_OR_BETTER = (RatingLevel.HTXSNV, RatingLevel.HTTNV)


class SubjectType(models.TextChoices):
    MEMBER = "member", "Đoàn viên"
    BRANCH = "branch", "Chi đoàn"
    GRASSROOTS = "grassroots", "Tổ chức cơ sở Đoàn"  # đoàn cơ sở and chi đoàn cơ sở (Điều lệ Đoàn)
    UPPER = "upper", "Đoàn cấp trên cơ sở"
    COLLECTIVE = "collective", "Tập thể lãnh đạo (BCH/BTV)"


ORG_SUBJECTS = (SubjectType.BRANCH, SubjectType.GRASSROOTS, SubjectType.UPPER, SubjectType.COLLECTIVE)


class RatingPeriod(models.Model):
    """Đợt đánh giá, xếp loại of one year, for the subtree under ``root`` (e.g. a province)."""

    year = models.PositiveSmallIntegerField("năm")
    root = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rating_periods", verbose_name="đơn vị ban hành"
    )
    title = models.CharField("tên đợt", max_length=200, blank=True)
    opens_on = models.DateField("ngày bắt đầu")
    locks_on = models.DateField("ngày khóa kết quả")
    is_locked = models.BooleanField("đã khóa", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "root__path"]
        verbose_name = "đợt xếp loại"
        verbose_name_plural = "các đợt xếp loại"
        constraints = [models.UniqueConstraint(fields=["root", "year"], name="one_period_per_root_year")]

    def __str__(self):
        return self.title or f"Xếp loại chất lượng năm {self.year} — {self.root}"

    def clean(self):
        if self.opens_on and self.locks_on and self.locks_on < self.opens_on:
            raise ValidationError({"locks_on": "Ngày khóa phải sau ngày bắt đầu."})


class RatingDeadline(models.Model):
    """Hạn hoàn thành per tree level, e.g. chi đoàn by 31/10, cơ sở by 10/11 (seed 000: all by 15/11)."""

    period = models.ForeignKey(RatingPeriod, on_delete=models.CASCADE, related_name="deadlines")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name="cấp")
    due_on = models.DateField("hạn hoàn thành")

    class Meta:
        ordering = ["due_on"]
        verbose_name = "hạn xếp loại"
        verbose_name_plural = "các hạn xếp loại"
        constraints = [models.UniqueConstraint(fields=["period", "level"], name="one_deadline_per_level")]

    def __str__(self):
        return f"{self.level}: {self.due_on:%d/%m/%Y}"


class RatingPolicy(models.Model):
    """The rules of one subject type in one subtree for one period. Lower levels tighten only
    ("không thấp hơn khung tiêu chí của cấp trên"): validated against the merged parent policy."""

    class QuotaBasis(models.TextChoices):
        ALL_RATED = "all", "Tỷ lệ trên tổng số được xếp loại"
        GOOD_OR_BETTER = "good", "Tỷ lệ trên số xếp loại tốt trở lên"

    period = models.ForeignKey(RatingPeriod, on_delete=models.CASCADE, related_name="policies")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="áp dụng cho đơn vị"
    )
    subject_type = models.CharField("đối tượng", max_length=12, choices=SubjectType.choices)
    quota_basis = models.CharField(
        "cách tính chỉ tiêu", max_length=5, choices=QuotaBasis.choices, default=QuotaBasis.ALL_RATED
    )
    quota_percent = models.DecimalField(
        "tỷ lệ HTXSNV tối đa (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="Để trống: không giới hạn",
    )
    allow_over_quota = models.BooleanField("cho phép vượt chỉ tiêu", default=False)
    min_months_in_branch = models.PositiveSmallIntegerField("số tháng sinh hoạt liên tục tối thiểu", default=6)
    exclude_party_members = models.BooleanField("không xếp loại đoàn viên là đảng viên", default=False)
    require_recognition_for_excellent = models.BooleanField("HTXSNV phải đạt “3 chủ động”", default=False)
    min_participation_excellent = models.DecimalField(
        "tỷ lệ tham gia sinh hoạt tối thiểu để HTXSNV (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    notes = models.TextField("ghi chú", blank=True)

    class Meta:
        ordering = ["period", "organization__path", "subject_type"]
        verbose_name = "quy định xếp loại"
        verbose_name_plural = "các quy định xếp loại"
        constraints = [
            models.UniqueConstraint(
                fields=["period", "organization", "subject_type"], name="one_policy_per_unit_subject"
            )
        ]

    def __str__(self):
        return f"{self.get_subject_type_display()} — {self.organization} ({self.period.year})"

    def clean(self):
        from .policies import tightening_errors

        if self.period_id and self.organization_id:
            errors = tightening_errors(self)
            if errors:
                raise ValidationError(errors)


class CriteriaFrame(models.Model):
    """Khung tiêu chí of a policy, with optional point thresholds per level (a 100-point card)."""

    policy = models.OneToOneField(RatingPolicy, on_delete=models.CASCADE, related_name="frame")
    name = models.CharField("tên khung", max_length=200)
    excellent_min_points = models.DecimalField(
        "điểm tối thiểu HTXSNV", max_digits=6, decimal_places=2, null=True, blank=True
    )
    good_min_points = models.DecimalField("điểm tối thiểu HTTNV", max_digits=6, decimal_places=2, null=True, blank=True)
    completed_min_points = models.DecimalField(
        "điểm tối thiểu HTNV", max_digits=6, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = "khung tiêu chí"
        verbose_name_plural = "các khung tiêu chí"

    def __str__(self):
        return self.name


class Criterion(models.Model):
    frame = models.ForeignKey(CriteriaFrame, on_delete=models.CASCADE, related_name="criteria")
    group = models.CharField("nhóm tiêu chí", max_length=200)
    text = models.CharField("tiêu chí", max_length=500)
    max_points = models.DecimalField("điểm tối đa", max_digits=6, decimal_places=2, null=True, blank=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "tiêu chí"
        verbose_name_plural = "các tiêu chí"

    def __str__(self):
        return self.text


class Status(models.TextChoices):
    DRAFT = "draft", "Đang nhập"
    SUBMITTED = "submitted", "Đã gửi, chờ duyệt"
    RETURNED = "returned", "Bị trả lại"
    APPROVED = "approved", "Đã công nhận"
    LOCKED = "locked", "Đã khóa"


class Submission(models.Model):
    """A unit's batch sent to the level above: its members' assessments and its own
    self-assessment, with the minutes of the meeting that reviewed them."""

    Status = Status

    period = models.ForeignKey(RatingPeriod, on_delete=models.CASCADE, related_name="submissions")
    unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rating_submissions", verbose_name="đơn vị"
    )
    approving_unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị xét duyệt"
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    meeting_on = models.DateField("ngày họp", null=True, blank=True)
    attendance = models.PositiveIntegerField("số có mặt", null=True, blank=True)
    attendance_total = models.PositiveIntegerField("tổng số triệu tập", null=True, blank=True)
    votes_for = models.PositiveIntegerField("số tán thành", null=True, blank=True)
    votes_against = models.PositiveIntegerField("số không tán thành", null=True, blank=True)
    minutes_note = models.TextField("tóm tắt biên bản", blank=True)
    # Who signs the meeting's minutes (biên bản họp chi đoàn): the one who chaired it (usually the
    # bí thư) and the one who wrote it; blank leaves the line for a hand-written name.
    chair_name = models.CharField("người chủ trì", max_length=100, blank=True)
    clerk_name = models.CharField("thư ký", max_length=100, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField("gửi lúc", null=True, blank=True)
    return_reason = models.TextField("lý do trả lại", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["unit__path"]
        verbose_name = "hồ sơ xếp loại"
        verbose_name_plural = "các hồ sơ xếp loại"
        constraints = [models.UniqueConstraint(fields=["period", "unit"], name="one_submission_per_unit")]
        # The waiting batches alone (the approval queue, the home inbox): a few thousand of a
        # period's tens of thousands nationally, found without reading the others (issue 13).
        indexes = [
            models.Index(
                fields=["period", "unit"], condition=Q(status=Status.SUBMITTED), name="eval_submission_waiting"
            )
        ]

    def __str__(self):
        return f"{self.unit} — {self.period.year}"

    @property
    def is_editable(self) -> bool:
        return self.status in (Status.DRAFT, Status.RETURNED)


class Assessment(models.Model):
    """One subject's rating in one period: self-review, marks, proposal, decision."""

    Status = Status
    DECIDED = (Status.APPROVED, Status.LOCKED)
    EDITABLE = (Status.DRAFT, Status.RETURNED)

    period = models.ForeignKey(RatingPeriod, on_delete=models.CASCADE, related_name="assessments")
    subject_type = models.CharField("đối tượng", max_length=12, choices=SubjectType.choices)
    member = models.ForeignKey(Member, on_delete=models.PROTECT, null=True, blank=True, related_name="assessments")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assessments_as_subject",
        verbose_name="tổ chức được xếp loại",
    )
    # The unit the subject belongs to (a member's chi đoàn, an organisation itself): scoping and
    # rollups go through unit__path.
    unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="rating_assessments", verbose_name="đơn vị"
    )
    approving_unit = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị công nhận"
    )
    submission = models.ForeignKey(
        Submission, on_delete=models.SET_NULL, null=True, blank=True, related_name="assessments"
    )
    self_review = models.TextField("tự kiểm điểm", blank=True)
    comment = models.TextField("nhận xét của chi đoàn/đơn vị", blank=True)
    previous_unit_comment = models.TextField("nhận xét của đơn vị cũ (chuyển đến)", blank=True)
    marks = models.JSONField("điểm theo tiêu chí", default=dict, blank=True)  # {"<criterion id>": points}
    participation_percent = models.DecimalField(
        "tỷ lệ tham gia sinh hoạt (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    points = models.DecimalField("tổng điểm", max_digits=6, decimal_places=2, null=True, blank=True)
    proposed_level = models.CharField("mức đề xuất", max_length=6, choices=RatingLevel.choices, blank=True)
    final_level = models.CharField(
        "mức được công nhận", max_length=6, choices=RatingLevel.choices, blank=True, db_index=True
    )
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.DRAFT)
    decision_number = models.CharField("số quyết định", max_length=50, blank=True)
    decision_on = models.DateField("ngày quyết định", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField("công nhận lúc", null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField("số lần mở lại", default=0)
    imported = models.BooleanField("nhập từ Excel", default=False)
    note = models.TextField("ghi chú", blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["unit__path", "subject_type", "member__name_folded"]
        verbose_name = "phiếu xếp loại"
        verbose_name_plural = "các phiếu xếp loại"
        indexes = [
            models.Index(fields=["period", "subject_type", "status"]),
            models.Index(fields=["period", "approving_unit", "subject_type"]),
            # Subjects still waiting for a decision, by the unit that decides them (the queue
            # starts from the decider's subtree, issue 13).
            models.Index(
                fields=["approving_unit", "submission"],
                condition=Q(status=Status.SUBMITTED),
                name="eval_assessment_waiting",
            ),
            # The same subjects by batch: "does this batch still wait?" for a superuser's queue,
            # who has no decider subtree to start from (a hash of the nation's 153,384 waiting
            # subjects took 145 ms at 10⁶ members; an index-only probe per waiting batch, 6 ms).
            models.Index(
                fields=["submission"], condition=Q(status=Status.SUBMITTED), name="eval_assessment_waiting_batch"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "member"], condition=Q(member__isnull=False), name="one_rating_per_member"
            ),
            models.UniqueConstraint(
                fields=["period", "organization", "subject_type"],
                condition=Q(organization__isnull=False),
                name="one_rating_per_org",
            ),
            models.CheckConstraint(
                condition=(Q(subject_type="member", member__isnull=False, organization__isnull=True))
                | (~Q(subject_type="member") & Q(member__isnull=True, organization__isnull=False)),
                name="assessment_has_one_subject",
            ),
        ]

    def __str__(self):
        return f"{self.subject_name} — {self.period.year}"

    @property
    def subject_name(self) -> str:
        if self.member_id:
            return self.member.full_name
        prefix = "BCH " if self.subject_type == SubjectType.COLLECTIVE else ""
        return f"{prefix}{self.organization.name}"

    @property
    def is_editable(self) -> bool:
        return self.status in self.EDITABLE

    @property
    def is_decided(self) -> bool:
        return self.status in self.DECIDED

    @property
    def shown_level(self) -> str:
        """What the entry row shows: the decided level once decided (a lowered level must not
        leave the old proposal in the select), else the proposal."""
        return self.final_level if self.is_decided and self.final_level else self.proposed_level


class QuotaLock(models.Model):
    """A row per (period, approving unit, subject type), locked with SELECT … FOR UPDATE while an
    approval checks the quota, so two approvers acting at once cannot both pass it."""

    period = models.ForeignKey(RatingPeriod, on_delete=models.CASCADE, related_name="+")
    approving_unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    subject_type = models.CharField(max_length=12, choices=SubjectType.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["period", "approving_unit", "subject_type"], name="one_quota_lock")
        ]

    def __str__(self):
        return f"{self.approving_unit_id}/{self.subject_type}/{self.period_id}"


class FlagDismissal(models.Model):
    """An approver's "bỏ qua" of one integrity flag on one batch (``evaluations.integrity``): the
    flag never blocks a decision; a dismissed one stays shown, as dismissed, with who and why."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="flag_dismissals")
    code = models.CharField("dấu hiệu", max_length=30)
    message = models.TextField("nội dung lúc bỏ qua")  # the numbers the approver saw
    reason = models.TextField("lý do bỏ qua")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    at = models.DateTimeField("lúc", auto_now_add=True)

    class Meta:
        verbose_name = "dấu hiệu đã bỏ qua"
        verbose_name_plural = "các dấu hiệu đã bỏ qua"
        constraints = [models.UniqueConstraint(fields=["submission", "code"], name="one_dismissal_per_flag")]

    def __str__(self):
        return f"{self.submission_id}/{self.code}"


def review_minutes_path(instance: "ReviewMinutes", filename: str) -> str:
    return f"evaluations/minutes/{instance.submission.period.year}/{filename}"


class ReviewMinutes(RenderedPdf):
    """The PDF of a chi đoàn's rating review meeting's minutes ("Biên bản họp chi đoàn đánh giá,
    xếp loại đoàn viên"), from its sent batch, rendered by a worker (``organizations.pdfdocs``,
    issue 15); served by a scoped view, never by URL."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="+")
    file = models.FileField("tệp", upload_to=review_minutes_path, max_length=255, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "biên bản họp xếp loại (PDF)"
        verbose_name_plural = "các biên bản họp xếp loại (PDF)"
        indexes = [models.Index(fields=["submission", "-requested_at"], name="eval_minutes_latest")]

    def __str__(self):
        return f"Biên bản họp — {self.submission} ({self.get_status_display()})"
