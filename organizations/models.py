"""The organisation tree, its levels and kinds as data, posts (who holds which role where),
and the audit trail every app writes to."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from treebeard.mp_tree import MP_Node

from .fields import PathField
from .text import clean_text, fold


class NamedByOfficers(models.Model):
    """A lookup row named in an import's cell by its code, its name or one of its ``aliases``, the
    words officers type ("Huyện đoàn", "Quận đoàn" for the district level), matched folded (case,
    diacritics, spaces). Aliases are data an administrator edits; one word names one row only."""

    aliases = models.JSONField(
        "tên gọi khác", default=list, blank=True, help_text="mỗi dòng một tên, như cán bộ gõ trong tệp nhập"
    )

    class Meta:
        abstract = True

    def words(self) -> list[str]:
        """What an import names this row by, as an error lists them: its aliases, else its name."""
        return list(self.aliases) or [self.name]

    @classmethod
    def lookup_table(cls, rows) -> dict:
        """Folded code, name and alias -> row, for reading a whole file's cells without queries."""
        return {fold(word): row for row in rows for word in (row.code, row.name, *row.aliases)}

    def clean(self):
        super().clean()
        kept = {}  # folded -> the first spelling typed: "Trường" and "trường" are one word
        for word in filter(None, (clean_text(w) for w in self.aliases if isinstance(w, str))):
            kept.setdefault(fold(word), word)
        self.aliases = list(kept.values())
        taken = self.lookup_table(type(self).objects.exclude(pk=self.pk))
        clashes = [f"“{word}” đã là tên của “{taken[fold(word)].name}”" for word in self.aliases if fold(word) in taken]
        if clashes:
            raise ValidationError({"aliases": f"Mỗi tên chỉ gọi một {self._meta.verbose_name}: {'; '.join(clashes)}."})


class Level(NamedByOfficers):
    """A level of the tree (Trung ương, tỉnh, huyện, đoàn cơ sở, chi đoàn cơ sở, đoàn bộ phận, chi đoàn).

    Rows, not fixed depths: the 2025 reform removed the district level in many provinces, so a
    cơ sở may sit directly under a province. ``allowed_parents`` says where a unit may hang. What a
    level makes a unit is read from its flags (``organizations.levels``): a chi đoàn cơ sở has both."""

    code = models.SlugField("mã cấp", max_length=20, unique=True)
    name = models.CharField("tên cấp", max_length=100)
    rank = models.PositiveSmallIntegerField(
        "thứ bậc", help_text="0 là cao nhất; dùng để sắp xếp và gộp báo cáo theo cấp"
    )
    is_branch = models.BooleanField("có đoàn viên (chi đoàn, chi đoàn cơ sở)", default=False)
    is_grassroots = models.BooleanField(
        "là tổ chức cơ sở Đoàn (đoàn cơ sở, chi đoàn cơ sở: công nhận xếp loại đoàn viên)", default=False
    )
    allowed_parents = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="allowed_children", verbose_name="cấp trên hợp lệ"
    )

    class Meta:
        ordering = ["rank", "code"]
        verbose_name = "cấp tổ chức"
        verbose_name_plural = "các cấp tổ chức"

    def __str__(self):
        return self.name

    @property
    def rates_collective(self) -> bool:
        """Its BCH is rated too (Hướng dẫn 33): every unit but a plain chi đoàn; a chi đoàn cơ sở
        is a tổ chức cơ sở Đoàn, so its BCH is rated as a đoàn cơ sở's is."""
        return self.is_grassroots or not self.is_branch


class UnitKind(NamedByOfficers):
    """Loại hình: địa bàn dân cư, cơ quan, doanh nghiệp, trường học, lực lượng vũ trang, …"""

    code = models.SlugField("mã loại hình", max_length=30, unique=True)
    name = models.CharField("tên loại hình", max_length=100)

    class Meta:
        ordering = ["name"]
        verbose_name = "loại hình"
        verbose_name_plural = "các loại hình"

    def __str__(self):
        return self.name


class Organization(MP_Node):
    class Status(models.TextChoices):
        ACTIVE = "active", "Đang hoạt động"
        MERGED = "merged", "Đã hợp nhất"
        DISSOLVED = "dissolved", "Đã giải thể"

    path = PathField(max_length=255, unique=True)
    code = models.CharField("mã đơn vị", max_length=40, unique=True)
    name = models.CharField("tên đơn vị", max_length=255)
    name_folded = models.CharField(max_length=255, db_index=True, editable=False, default="")
    level = models.ForeignKey(Level, on_delete=models.PROTECT, verbose_name="cấp")
    kind = models.ForeignKey(UnitKind, on_delete=models.PROTECT, null=True, blank=True, verbose_name="loại hình")
    founded_on = models.DateField("ngày thành lập", null=True, blank=True)
    ended_on = models.DateField("ngày giải thể/hợp nhất", null=True, blank=True)
    status = models.CharField("trạng thái", max_length=12, choices=Status.choices, default=Status.ACTIVE)
    merged_into = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="hợp nhất vào"
    )
    # Summary counts for the whole subtree, kept by services (never counted per row in a list:
    # a per-node descendant count is a correlated LIKE each, see DESIGN.md).
    members_total = models.PositiveIntegerField("số đoàn viên", default=0)
    units_total = models.PositiveIntegerField("số đơn vị trực thuộc", default=0)
    branches_total = models.PositiveIntegerField("số chi đoàn", default=0)

    class Meta:
        verbose_name = "đơn vị"
        verbose_name_plural = "các đơn vị"
        indexes = [models.Index(fields=["level", "status"])]

    def __str__(self):
        return self.name

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def parent(self) -> "Organization | None":
        """The unit directly above (one indexed lookup by path)."""
        if self.depth <= 1:
            return None
        return Organization.objects.select_related("level").filter(path=self.path[: -self.steplen]).first()

    def direct_children(self):
        return Organization.objects.filter(path__startswith=self.path, depth=self.depth + 1)

    def ancestor_paths(self) -> list[str]:
        """Paths of this node's ancestors, root first (no query)."""
        step = self.steplen
        return [self.path[: i * step] for i in range(1, self.depth)]

    def save(self, *args, **kwargs):
        from .text import fold

        self.name_folded = fold(f"{self.name} {self.code}")
        super().save(*args, **kwargs)


class Post(models.Model):
    """A role a user holds at a node. The user sees the subtree under the node and acts by role."""

    class Role(models.TextChoices):
        SECRETARY = "secretary", "Bí thư"
        STAFF = "staff", "Cán bộ chuyên trách"
        APPROVER = "approver", "Thường trực / Ban Thường vụ"
        ADMIN = "admin", "Quản trị viên"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="posts", verbose_name="đơn vị"
    )
    role = models.CharField("vai trò", max_length=12, choices=Role.choices)
    title = models.CharField("chức danh", max_length=120, blank=True)
    started_on = models.DateField("từ ngày", null=True, blank=True)
    ended_on = models.DateField("đến ngày", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "chức vụ"
        verbose_name_plural = "các chức vụ"
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], condition=Q(ended_on__isnull=True), name="one_open_post"
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.organization}"


class AuditTrailIsPermanent(Exception):
    """Raised on any attempt to change or remove an audit entry."""


PERMANENT = "Nhật ký thao tác không thể sửa hay xóa: mỗi dòng là bằng chứng ai đã làm gì, khi nào."


class AuditEntryQuerySet(models.QuerySet):
    # The trail answers "who changed this, when, why" long after the fact (DESIGN.md "Audit"): a
    # bulk delete would erase that answer, from the admin, a shell or a bug alike. (Bulk update
    # stays: deleting a user or unit sets ``by``/``organization`` to NULL through it.)
    def delete(self):
        raise AuditTrailIsPermanent(PERMANENT)


class AuditEntry(models.Model):
    """Who, when, from, to and why, for every workflow transition in every app. Rows are only
    ever added (``audit.record``); deleting one, or saving one again, raises ``AuditTrailIsPermanent``."""

    at = models.DateTimeField("thời điểm", auto_now_add=True, db_index=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, verbose_name="người thực hiện"
    )
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, related_name="+")
    # PROTECT: removing a stale content type must not take its audit entries with it.
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    action = models.CharField("thao tác", max_length=50)
    from_state = models.CharField("từ", max_length=255, blank=True)
    to_state = models.CharField("thành", max_length=255, blank=True)
    reason = models.TextField("lý do", blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        verbose_name = "nhật ký"
        verbose_name_plural = "nhật ký"

    def __str__(self):
        return f"{self.at:%d/%m/%Y %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AuditTrailIsPermanent(PERMANENT)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsPermanent(PERMANENT)


class PastSpell(models.Model):
    """A past period of something that changes (a unit's path, a member's chi đoàn): from
    ``valid_from`` (None: since the start) until ``valid_to``, the day it changed (exclusive).
    ``organizations.history.valid_on`` selects the row in force on a day."""

    valid_from = models.DateField("từ ngày", null=True, blank=True)
    valid_to = models.DateField("đến ngày")

    class Meta:
        abstract = True


class PastPlacement(PastSpell):
    """Where a unit hung before a move (issue 18): its path from ``valid_from`` (None: since it
    was founded) until ``valid_to`` (the day it moved, exclusive). Only past paths are rows; the
    current one is the unit's own ``path``. Written for the whole moved subtree in one statement
    by ``organizations.history.record_subtree_leaving`` (move, and the moves a merge makes)."""

    unit = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="past_placements")
    path = PathField(max_length=255)

    class Meta:
        verbose_name = "vị trí cũ của đơn vị"
        verbose_name_plural = "vị trí cũ của các đơn vị"
        # by path too: a report's subtree cut and a new unit's path checked against history
        # (organizations.history.placed_under, keep_off_history) are path-prefix lookups
        indexes = [
            models.Index(fields=["unit", "valid_to"]),
            models.Index(fields=["path"], name="organizatio_pastpl_path_idx"),
        ]

    def __str__(self):
        return f"{self.unit_id}: {self.path} đến {self.valid_to:%d/%m/%Y}"
