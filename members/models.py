"""Member records. A member belongs to one chi đoàn at a time; moves are history rows."""

from django.conf import settings
from django.db import models

from organizations.models import Organization


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

    branch = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="members", verbose_name="chi đoàn")
    full_name = models.CharField("họ và tên", max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, default="")
    birth_date = models.DateField("ngày sinh")
    gender = models.CharField("giới tính", max_length=5, choices=Gender.choices)
    ethnicity = models.CharField("dân tộc", max_length=50, default="Kinh")
    religion = models.CharField("tôn giáo", max_length=50, blank=True, default="Không")
    citizen_id = models.CharField("số CCCD", max_length=12, null=True, blank=True, unique=True)
    card_number = models.CharField("số thẻ đoàn", max_length=30, null=True, blank=True, unique=True)
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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = "đoàn viên"
        verbose_name_plural = "đoàn viên"
        indexes = [
            models.Index(fields=["branch", "status"]),
            models.Index(fields=["name_folded"]),
            models.Index(fields=["birth_date"]),
        ]

    def __str__(self):
        return self.full_name

    @property
    def is_on_roll(self) -> bool:
        """Still counted on the chi đoàn's roster (a transfer out is pending until accepted)."""
        return self.status in (self.Status.ACTIVE, self.Status.TRANSFERRING)

    def save(self, *args, **kwargs):
        from organizations.text import fold

        self.name_folded = fold(self.full_name)
        if not self.citizen_id:
            self.citizen_id = None
        if not self.card_number:
            self.card_number = None
        super().save(*args, **kwargs)
