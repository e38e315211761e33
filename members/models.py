"""Member records. A member belongs to one chi đoàn at a time; moves are history rows."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone

from organizations.models import Organization, PastSpell
from organizations.progress import is_dead


def normalize_card(value: str | None) -> str | None:
    """One spelling of a card number, as the importer matches it: "dv 0001" is "DV0001"."""
    return "".join((value or "").split()).upper() or None


class Member(models.Model):
    class Gender(models.TextChoices):
        MALE = "nam", "Nam"
        FEMALE = "nu", "Nữ"
        OTHER = "khac", "Khác"

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang sinh hoạt"
        TRANSFERRING = "transferring", "Đang chuyển sinh hoạt"
        MATURED = "matured", "Đã trưởng thành"
        REMOVED = "removed", "Đã xóa tên"
        DECEASED = "deceased", "Đã mất"

    # No index of its own: the (branch, status) index below leads with it and serves every lookup.
    branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="members", verbose_name="chi đoàn", db_index=False
    )
    full_name = models.CharField("họ và tên", max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, default="")
    birth_date = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=5, choices=Gender.choices)
    ethnicity = models.CharField("dân tộc", max_length=50, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=50, blank=True, default="Không")
    # Unique by the constraints in Meta, not unique=True: that also builds a LIKE-pattern index
    # on PostgreSQL, never used (both are looked up whole) and written on every insert.
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True)
    card_number = models.CharField("số thẻ đoàn", max_length=30, null=True, blank=True)
    admitted_on = models.DateField("ngày vào Đoàn", null=True, blank=True)
    admitted_at = models.CharField("nơi vào Đoàn", max_length=255, blank=True)
    phone = models.CharField("số điện thoại", max_length=20, blank=True)
    email = models.EmailField("email", blank=True)
    address = models.CharField("địa chỉ", max_length=255, blank=True)
    education_level = models.CharField("trình độ học vấn", max_length=50, blank=True)
    qualification = models.CharField("trình độ chuyên môn", max_length=100, blank=True)
    political_theory = models.CharField("lý luận chính trị", max_length=50, blank=True)
    occupation = models.CharField("nghề nghiệp", max_length=100, blank=True)
    is_party_member = models.BooleanField("là đảng viên", default=False)
    party_joined_on = models.DateField("ngày vào Đảng", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    status_changed_on = models.DateField("ngày đổi trạng thái", null=True, blank=True)
    joined_branch_on = models.DateField("sinh hoạt tại chi đoàn từ", null=True, blank=True)
    # "Trưởng thành" at 30 unless the chi đoàn decides to keep the member (at most until 35).
    kept_until = models.DateField("giữ lại sinh hoạt đến", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = "đoàn viên"
        verbose_name_plural = "đoàn viên"
        indexes = [
            models.Index(fields=["branch", "status"]),
            # The same person without a CCCD: the import's matching and the form's warning look up
            # the chi đoàn, folded name and birth date together (a name alone matched ~1,000 rows).
            models.Index(fields=["branch", "name_folded", "birth_date"], name="member_person"),
            models.Index(fields=["birth_date"]),
            # A number typed in the search is a card number, a CCCD or a phone (selectors.roster):
            # the first two are unique (indexed), and without this the third scanned the nation.
            models.Index(fields=["phone"], name="member_phone"),
        ]
        constraints = [  # the names unique=True gave them, so existing databases keep theirs
            models.UniqueConstraint(fields=["citizen_id"], name="members_member_citizen_id_key"),
            models.UniqueConstraint(fields=["card_number"], name="members_member_card_number_key"),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        from organizations.text import fold

        self.name_folded = fold(self.full_name)
        if not self.citizen_id:
            self.citizen_id = None
        self.card_number = normalize_card(self.card_number)
        super().save(*args, **kwargs)

    @property
    def is_on_roll(self) -> bool:
        """Still counted on the chi đoàn's roster (a transfer out is pending until accepted)."""
        return self.status in ON_ROLL


# Statuses still counted on a chi đoàn's roster (the tree's totals, the ratings, the searches).
ON_ROLL = (Member.Status.ACTIVE, Member.Status.TRANSFERRING)


class MemberEvent(models.Model):
    """One step of a member's life in the union; transfers are history rows, never overwrites."""

    class Kind(models.TextChoices):
        ADMISSION = "admission", "Kết nạp"
        RECORDED = "recorded", "Nhập hồ sơ"
        TRANSFER_OUT = "transfer_out", "Chuyển sinh hoạt đi"
        TRANSFER_IN = "transfer_in", "Chuyển sinh hoạt đến"
        TRANSFER_REFUSED = "transfer_refused", "Chuyển sinh hoạt bị từ chối"
        TRANSFER_CANCELLED = "transfer_cancelled", "Hủy chuyển sinh hoạt"
        MATURED = "matured", "Trưởng thành"
        KEPT_AFTER_30 = "kept_after_30", "Giữ lại sinh hoạt sau 30 tuổi"
        REMOVED = "removed", "Xóa tên"
        DECEASED = "deceased", "Từ trần"
        MERGED = "merged", "Hợp nhất chi đoàn"
        EDITED = "edited", "Sửa thông tin"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="events", verbose_name="đoàn viên")
    kind = models.CharField("sự kiện", max_length=20, choices=Kind.choices)
    date = models.DateField("ngày")
    from_branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="từ chi đoàn"
    )
    to_branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="đến chi đoàn"
    )
    reason = models.TextField("lý do / ghi chú", blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người thực hiện",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = "sự kiện đoàn viên"
        verbose_name_plural = "lịch sử đoàn viên"
        # A return's diff reads the transfers written between two submissions (reports.returns
        # .reasons): by kind and time, not through every member's "recorded" row of the nation.
        indexes = [models.Index(fields=["kind", "created_at"], name="member_event_kind_time")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.date:%d/%m/%Y}"


class PastBranch(PastSpell):
    """A chi đoàn a member was in before a move (issue 18): from ``valid_from`` (None: since they
    were entered) until ``valid_to`` (the day they moved, exclusive). Only past spells are rows;
    the current chi đoàn is the member's ``branch``. Written by ``members.history.record_leaving``
    for every path that changes a member's chi đoàn (transfer, merge, re-import)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="past_branches")
    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = "chi đoàn cũ của đoàn viên"
        verbose_name_plural = "chi đoàn cũ của đoàn viên"
        indexes = [models.Index(fields=["member", "valid_to"])]

    def __str__(self):
        return f"{self.member_id}: {self.branch_id} đến {self.valid_to:%d/%m/%Y}"


class Transfer(models.Model):
    """Chuyển sinh hoạt: pending until the receiving chi đoàn accepts; the member stays on the
    sending roster meanwhile (status TRANSFERRING)."""

    class Status(models.TextChoices):
        PENDING = "pending", "Chờ tiếp nhận"
        ACCEPTED = "accepted", "Đã tiếp nhận"
        REFUSED = "refused", "Bị từ chối"
        CANCELLED = "cancelled", "Đã hủy"

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="transfers", verbose_name="đoàn viên")
    from_branch = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="+", verbose_name="chi đoàn đi"
    )
    to_branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="chi đoàn đến")
    reason = models.TextField("lý do", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name="người đề nghị"
    )
    requested_at = models.DateTimeField("ngày đề nghị", auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="người quyết định",
    )
    accepted_at = models.DateTimeField("ngày quyết định", null=True, blank=True)
    decision_note = models.TextField("ghi chú quyết định", blank=True)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.PENDING)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = "chuyển sinh hoạt"
        verbose_name_plural = "chuyển sinh hoạt"
        indexes = [models.Index(fields=["to_branch", "status"]), models.Index(fields=["from_branch", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=models.Q(status="pending"), name="one_pending_transfer"
            )
        ]

    def __str__(self):
        return f"{self.member} → {self.to_branch}"


class CadreTitle(models.TextChoices):
    SECRETARY = "bi_thu", "Bí thư"
    DEPUTY = "pho_bi_thu", "Phó Bí thư"
    STANDING = "uy_vien_btv", "Ủy viên Ban Thường vụ"
    COMMITTEE = "uy_vien_bch", "Ủy viên Ban Chấp hành"


class MemberPosition(models.Model):
    """A post a member holds in a unit's leadership (bí thư, phó bí thư, ủy viên BCH …)."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="positions", verbose_name="đoàn viên")
    title = models.CharField("chức danh", max_length=20, choices=CadreTitle.choices)
    unit = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+", verbose_name="tại đơn vị")
    since = models.DateField("từ ngày")
    until = models.DateField("đến ngày", null=True, blank=True)

    class Meta:
        ordering = ["-since", "-id"]
        verbose_name = "chức vụ đoàn viên"
        verbose_name_plural = "chức vụ đoàn viên"
        indexes = [models.Index(fields=["unit", "until"])]

    def __str__(self):
        return f"{self.get_title_display()} — {self.unit}"


class CadreAgeLimit(models.Model):
    """Cadre statute age limits (QĐ 289): a policy row per title and level, optionally for one
    subtree. Every applicable row is checked, so a subtree's row can only tighten the limit."""

    title = models.CharField("chức danh", max_length=20, choices=CadreTitle.choices)
    level = models.ForeignKey("organizations.Level", on_delete=models.CASCADE, verbose_name="cấp")
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="áp dụng cho đơn vị",
        help_text="để trống: áp dụng toàn quốc",
    )
    max_age_first = models.PositiveSmallIntegerField("tuổi tối đa khi tham gia lần đầu")
    max_age_holding = models.PositiveSmallIntegerField("tuổi tối đa khi đang đảm nhiệm")
    source = models.CharField("căn cứ", max_length=120, blank=True)

    class Meta:
        ordering = ["level__rank", "title"]
        verbose_name = "giới hạn tuổi cán bộ"
        verbose_name_plural = "giới hạn tuổi cán bộ"

    def __str__(self):
        return f"{self.get_title_display()} {self.level}: {self.max_age_first}/{self.max_age_holding}"


class ImportJob(models.Model):
    """One uploaded Excel file on its way in: checked by a worker (a dry run), shown to its uploader,
    and written by a worker once they confirm (members.import_jobs; DESIGN.md "Background work").

    The row is the result store the page polls: status, rows done of the total, the check's counts
    and errors. The file itself waits under MEDIA_ROOT/imports (members.uploads) and is removed once
    written, discarded, or a day old and never confirmed."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Chờ kiểm tra"
        CHECKING = "checking", "Đang kiểm tra"
        CHECKED = "checked", "Đã kiểm tra"
        WRITE_QUEUED = "write_queued", "Chờ ghi"
        WRITING = "writing", "Đang ghi"
        IMPORTED = "imported", "Đã nhập"
        FAILED = "failed", "Lỗi"
        DISCARDED = "discarded", "Đã hủy"

    BUSY = (Status.QUEUED, Status.CHECKING, Status.WRITE_QUEUED, Status.WRITING)
    WAITING = (Status.QUEUED, Status.WRITE_QUEUED)
    WORKER_HINT_AFTER = timedelta(seconds=15)
    MAX_KEPT_ERRORS = 10_000  # a 10⁵-row file can have 10⁵ errors; the first 10⁴ are kept, all are counted

    kind = models.CharField("loại dữ liệu", max_length=30)
    file_name = models.CharField("tên tệp", max_length=255)
    # The name under MEDIA_ROOT/imports (members.uploads), "" once the file is removed.
    stored = models.CharField("tệp lưu tạm", max_length=64, blank=True)
    options = models.JSONField("tùy chọn", default=dict, blank=True)  # {"year": 2025} for ratings
    # CASCADE, never SET_NULL: an importer given no user imports with the whole tree's rights.
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs", verbose_name="người tải lên"
    )
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.QUEUED)
    rows_done = models.PositiveIntegerField("số dòng đã xử lý", default=0)
    rows_total = models.PositiveIntegerField("tổng số dòng", default=0)
    created_count = models.PositiveIntegerField("số dòng mới", default=0)
    updated_count = models.PositiveIntegerField("số dòng cập nhật", default=0)
    error_count = models.PositiveIntegerField("số lỗi", default=0)
    errors = models.JSONField("lỗi", default=list, blank=True)  # [[row, column, message], …]
    message = models.TextField("thông báo", blank=True)  # why it failed or was removed, for the user
    created_at = models.DateTimeField("tải lên lúc", auto_now_add=True)
    queued_at = models.DateTimeField("xếp hàng lúc", null=True, blank=True)
    started_at = models.DateTimeField("bắt đầu lúc", null=True, blank=True)
    finished_at = models.DateTimeField("xong lúc", null=True, blank=True)
    confirmed_at = models.DateTimeField("xác nhận ghi lúc", null=True, blank=True)
    heartbeat_at = models.DateTimeField("tín hiệu cuối của worker", null=True, blank=True)  # progress.Heartbeat

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "việc nhập Excel"
        verbose_name_plural = "các việc nhập Excel"
        indexes = [models.Index(fields=["requested_by", "-created_at"]), models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return f"{self.file_name} ({self.get_status_display()})"

    @property
    def kind_label(self) -> str:
        from .importing import get_importer

        try:
            return get_importer(self.kind).label or self.kind
        except KeyError:
            return self.kind

    @property
    def is_busy(self) -> bool:
        """Queued or running: the page keeps polling."""
        return self.status in self.BUSY

    @property
    def percent(self) -> int | None:
        """Rows done as a percentage, or None while the importer has not said how many rows there are."""
        if not self.rows_total:
            return None
        return min(100, self.rows_done * 100 // self.rows_total)

    @property
    def no_worker_yet(self) -> bool:
        """Queued a while and no worker has taken it: the page says a worker may not be running."""
        waited = timezone.now() - (self.queued_at or timezone.now())
        return self.status in self.WAITING and waited > self.WORKER_HINT_AFTER

    @property
    def can_confirm(self) -> bool:
        return self.status == self.Status.CHECKED and not self.error_count and bool(self.stored)

    @property
    def can_discard(self) -> bool:
        return self.status not in (self.Status.WRITING, self.Status.IMPORTED, self.Status.DISCARDED)

    @property
    def is_stuck(self) -> bool:
        """Checking or writing, but its worker stopped beating: it died with the step
        (organizations.progress.is_dead), so the uploader may run the step again."""
        running = self.status in (self.Status.CHECKING, self.Status.WRITING)
        return running and is_dead(self.heartbeat_at, self.started_at)

    @property
    def can_rerun(self) -> bool:
        return self.status == self.Status.FAILED or self.is_stuck
