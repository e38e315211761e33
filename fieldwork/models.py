"""The "1+2" field-visit regime (Hướng dẫn 03-HD/TWĐTN-BTC; Thái Nguyên 37-HD/TĐTN-TCKT).

Full-time provincial staff spend a minimum number of days a year at the grassroots: each quarter
a staff member plans visits (``StaffPlan`` + ``PlannedVisit``) and registers them with the
department head; the department merges them (``DepartmentPlan``) and registers them with the
Standing office through the organisation department; the Standing office approves or returns
them. Unplanned visits need consent first. After each visit a ``VisitReport``; at quarter end a
``QuarterReport`` per staff member and a ``DepartmentQuarterReport``; at year end the tally.

Departments (ban) are not nodes of the organisation tree: they are rows of a province."""

from django.conf import settings
from django.db import models

from organizations.models import Level, Organization


class FieldworkPolicy(models.Model):
    """Per year and subtree: the minimum days and the plan and report deadlines. A policy at a
    lower node may only tighten the one above it (more days, fewer days to plan or to report):
    checked in services."""

    year = models.PositiveSmallIntegerField("năm")
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="đơn vị")
    minimum_days = models.PositiveSmallIntegerField("số ngày tối thiểu/năm", default=60)
    report_late_days = models.PositiveSmallIntegerField("hạn báo cáo sau chuyến đi (ngày)", default=10)
    # Step 1 says "đầu mỗi quý" (seed 004) without a day: the number is the province's to set.
    plan_deadline_days = models.PositiveSmallIntegerField("số ngày đầu quý để nộp kế hoạch", default=10)
    note = models.CharField("căn cứ", max_length=255, blank=True)

    class Meta:
        verbose_name = "quy định đi cơ sở"
        verbose_name_plural = "quy định đi cơ sở"
        constraints = [models.UniqueConstraint(fields=["year", "organization"], name="one_fieldwork_policy")]

    def __str__(self):
        return f"Quy định đi cơ sở {self.year} — {self.organization}"


class LevelQuota(models.Model):
    """An optional split of the minimum by level visited (e.g. 30 chi đoàn, 20 cơ sở, 10 huyện)."""

    policy = models.ForeignKey(FieldworkPolicy, on_delete=models.CASCADE, related_name="quotas")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, related_name="+", verbose_name="cấp đến")
    minimum_days = models.PositiveSmallIntegerField("số ngày tối thiểu")

    class Meta:
        verbose_name = "số ngày theo cấp"
        verbose_name_plural = "số ngày theo cấp"
        constraints = [models.UniqueConstraint(fields=["policy", "level"], name="one_quota_per_level")]

    def __str__(self):
        return f"{self.level}: {self.minimum_days} ngày"


class Department(models.Model):
    """A ban of the province: Ban Xây dựng Đoàn / Tổ chức, Ban Tuyên giáo, Ban Phong trào, Văn phòng…"""

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="fieldwork_departments", verbose_name="tỉnh đoàn"
    )
    name = models.CharField("tên ban", max_length=120)
    head = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="headed_departments",
        verbose_name="trưởng ban",
    )
    # Step 2: department plans reach the Standing office through this department.
    is_organisation_department = models.BooleanField("là Ban Tổ chức / Xây dựng Đoàn", default=False)

    class Meta:
        ordering = ["organization", "name"]
        verbose_name = "ban"
        verbose_name_plural = "các ban"
        constraints = [models.UniqueConstraint(fields=["organization", "name"], name="unique_department_name")]

    def __str__(self):
        return self.name


class StaffAssignment(models.Model):
    """A staff member's place in a department for one year: whether the regime applies to them."""

    class PostKind(models.TextChoices):
        MOVEMENT = "movement", "Cán bộ làm công tác Đoàn, Hội, Đội"
        DRIVER = "driver", "Lái xe"
        ACCOUNTANT = "accountant", "Kế toán"
        CLERK = "clerk", "Văn thư"
        OTHER = "other", "Khác (không thuộc diện)"

    class Exemption(models.TextChoices):
        NONE = "", "Không miễn"
        STUDY = "study", "Đi học từ 6 tháng trở lên"
        SICKNESS = "sickness", "Ốm đau dài ngày"
        MATERNITY = "maternity", "Nghỉ thai sản"

    year = models.PositiveSmallIntegerField("năm")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="fieldwork_assignments", verbose_name="cán bộ"
    )
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="assignments", verbose_name="ban")
    post_kind = models.CharField("vị trí", max_length=12, choices=PostKind.choices, default=PostKind.MOVEMENT)
    exemption = models.CharField("miễn đi cơ sở", max_length=12, choices=Exemption.choices, default="", blank=True)
    exemption_reason = models.CharField("lý do miễn", max_length=255, blank=True)

    class Meta:
        ordering = ["department__name", "user__last_name", "user__first_name"]
        verbose_name = "cán bộ đi cơ sở"
        verbose_name_plural = "cán bộ đi cơ sở"
        constraints = [models.UniqueConstraint(fields=["year", "user"], name="one_assignment_per_year")]

    def __str__(self):
        return f"{staff_name(self.user)} — {self.department} ({self.year})"

    @property
    def is_eligible(self) -> bool:
        """Movement staff without an exemption: the ones counted in the completion rate."""
        return self.post_kind == self.PostKind.MOVEMENT and not self.exemption


def staff_name(user) -> str:
    return user.get_full_name() or user.username


class VisitContent(models.TextChoices):
    SURVEY = "survey", "Khảo sát chuyên đề"
    ACTIVITY = "activity", "Phối hợp tổ chức hoạt động"
    INSPECTION = "inspection", "Kiểm tra, giám sát"
    MEETING = "meeting", "Dự họp BCH/BTV, sinh hoạt chi đoàn"


class StaffPlan(models.Model):
    """Step 1: one staff member's visits for one quarter, registered with the department head."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Đang lập"
        SUBMITTED = "submitted", "Đã đăng ký với trưởng ban"
        MERGED = "merged", "Đã tổng hợp vào kế hoạch ban"
        APPROVED = "approved", "Đã được phê duyệt"
        RETURNED = "returned", "Bị trả lại"

    assignment = models.ForeignKey(StaffAssignment, on_delete=models.PROTECT, related_name="plans")
    quarter = models.PositiveSmallIntegerField("quý")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT)
    department_plan = models.ForeignKey(
        "DepartmentPlan", on_delete=models.SET_NULL, null=True, blank=True, related_name="staff_plans"
    )
    submitted_at = models.DateTimeField("ngày đăng ký", null=True, blank=True)
    # Registered after the policy's first days of the quarter; set once, at the first registration.
    is_late = models.BooleanField("nộp kế hoạch muộn", default=False)
    return_reason = models.TextField("lý do trả lại", blank=True)

    class Meta:
        ordering = ["assignment__year", "quarter"]
        verbose_name = "kế hoạch đi cơ sở của cán bộ"
        verbose_name_plural = "kế hoạch đi cơ sở của cán bộ"
        constraints = [models.UniqueConstraint(fields=["assignment", "quarter"], name="one_plan_per_quarter")]

    def __str__(self):
        return f"Kế hoạch quý {self.quarter}/{self.assignment.year} — {staff_name(self.assignment.user)}"

    @property
    def is_editable(self) -> bool:
        return self.status in (self.Status.DRAFT, self.Status.RETURNED)


class DepartmentPlan(models.Model):
    """Steps 2–3: the department's merged plan for a quarter, on its way to the Standing office."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", "Đã gửi Ban Tổ chức"
        FORWARDED = "forwarded", "Đã trình Thường trực"
        APPROVED = "approved", "Đã phê duyệt"
        RETURNED = "returned", "Bị trả lại"

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="plans")
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.SUBMITTED)
    submitted_at = models.DateTimeField("ngày đăng ký", null=True, blank=True)
    decided_at = models.DateTimeField("ngày quyết định", null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    return_reason = models.TextField("lý do trả lại", blank=True)

    class Meta:
        ordering = ["-year", "-quarter", "department__name"]
        verbose_name = "kế hoạch đi cơ sở của ban"
        verbose_name_plural = "kế hoạch đi cơ sở của ban"
        constraints = [models.UniqueConstraint(fields=["department", "year", "quarter"], name="one_department_plan")]

    def __str__(self):
        return f"Kế hoạch quý {self.quarter}/{self.year} — {self.department}"


class PlannedVisit(models.Model):
    """A visit to a unit: planned in a quarter plan, or requested outside the plan (step 4)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Theo kế hoạch"
        REQUESTED = "requested", "Đột xuất — chờ Thường trực đồng ý"
        CONSENTED = "consented", "Đột xuất — đã được đồng ý"
        REFUSED = "refused", "Đột xuất — không đồng ý"

    assignment = models.ForeignKey(StaffAssignment, on_delete=models.PROTECT, related_name="visits")
    plan = models.ForeignKey(StaffPlan, on_delete=models.CASCADE, null=True, blank=True, related_name="visits")
    status = models.CharField("loại", max_length=12, choices=Status.choices, default=Status.PLANNED)
    target = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="fieldwork_visits", verbose_name="đơn vị đến"
    )
    content = models.CharField("nội dung", max_length=12, choices=VisitContent.choices)
    starts_on = models.DateField("từ ngày")
    ends_on = models.DateField("đến ngày")
    days = models.PositiveSmallIntegerField("số ngày")
    purpose = models.TextField("mục đích, nội dung cụ thể")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField("ý kiến của Thường trực", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_on", "pk"]
        verbose_name = "chuyến đi cơ sở"
        verbose_name_plural = "chuyến đi cơ sở"
        indexes = [models.Index(fields=["starts_on"])]

    def __str__(self):
        return (
            f"{staff_name(self.assignment.user)} đến {self.target.name} "
            f"{self.starts_on:%d/%m/%Y}–{self.ends_on:%d/%m/%Y} ({self.get_content_display().lower()})"
        )

    @property
    def quarter(self) -> int:
        return (self.starts_on.month - 1) // 3 + 1


class VisitReport(models.Model):
    """Step 6: results and days actually spent, reported after the visit; late when later than
    the policy's number of days after the visit's last day (10 in Thái Nguyên)."""

    visit = models.OneToOneField(PlannedVisit, on_delete=models.CASCADE, related_name="report")
    results = models.TextField("kết quả")
    days_spent = models.PositiveSmallIntegerField("số ngày thực tế")
    reported_on = models.DateField("ngày báo cáo")
    is_late = models.BooleanField("báo cáo muộn", default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo chuyến đi"
        verbose_name_plural = "báo cáo chuyến đi"

    def __str__(self):
        return f"Báo cáo: {self.visit}"


class QuarterReport(models.Model):
    """Step 6, quarter end: one staff member's quarter, compiled from their visit reports."""

    assignment = models.ForeignKey(StaffAssignment, on_delete=models.PROTECT, related_name="quarter_reports")
    quarter = models.PositiveSmallIntegerField("quý")
    visits = models.PositiveSmallIntegerField("số chuyến")
    days = models.PositiveSmallIntegerField("số ngày")
    notes = models.TextField("tự đánh giá, kiến nghị", blank=True)
    submitted_at = models.DateTimeField("ngày nộp", auto_now_add=True)

    class Meta:
        verbose_name = "báo cáo quý của cán bộ"
        verbose_name_plural = "báo cáo quý của cán bộ"
        constraints = [models.UniqueConstraint(fields=["assignment", "quarter"], name="one_quarter_report")]

    def __str__(self):
        return f"Báo cáo quý {self.quarter}/{self.assignment.year} — {staff_name(self.assignment.user)}"


class DepartmentQuarterReport(models.Model):
    """Step 6: the department consolidates its staff's quarter reports."""

    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="quarter_reports")
    year = models.PositiveSmallIntegerField("năm")
    quarter = models.PositiveSmallIntegerField("quý")
    staff_reported = models.PositiveSmallIntegerField("số cán bộ đã báo cáo")
    staff_total = models.PositiveSmallIntegerField("số cán bộ")
    days = models.PositiveSmallIntegerField("tổng số ngày")
    notes = models.TextField("nhận xét của ban", blank=True)
    consolidated_at = models.DateTimeField(auto_now=True)
    consolidated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = "báo cáo quý của ban"
        verbose_name_plural = "báo cáo quý của ban"
        constraints = [models.UniqueConstraint(fields=["department", "year", "quarter"], name="one_department_report")]

    def __str__(self):
        return f"Báo cáo quý {self.quarter}/{self.year} — {self.department}"
