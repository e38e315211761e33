"""The API's shapes: English field names, Vietnamese help texts (they become the schema's)."""

from datetime import date

from django.urls import reverse
from rest_framework import serializers

from members.models import Member
from members.permissions import PERSONAL_FIELDS
from organizations.models import Organization
from reports.models import ReportJob


class UnitSerializer(serializers.ModelSerializer):
    level = serializers.CharField(
        source="level.code", help_text="Mã cấp (tw, tinh, huyen, co-so, chi-doan-co-so, trung-gian, chi-doan…)."
    )
    level_name = serializers.CharField(source="level.name", help_text="Tên cấp.")
    kind = serializers.CharField(source="kind.code", allow_null=True, default=None, help_text="Mã loại hình.")
    is_branch = serializers.BooleanField(source="level.is_branch", help_text="Có đoàn viên (chi đoàn, chi đoàn cơ sở).")
    is_grassroots = serializers.BooleanField(
        source="level.is_grassroots",
        help_text="Là tổ chức cơ sở Đoàn (đoàn cơ sở, chi đoàn cơ sở): công nhận xếp loại đoàn viên của mình.",
    )

    class Meta:
        model = Organization
        fields = [
            "code",
            "name",
            "level",
            "level_name",
            "kind",
            "is_branch",
            "is_grassroots",
            "depth",
            "status",
            "founded_on",
            "ended_on",
            "members_total",
            "units_total",
            "branches_total",
        ]


PERSONAL_HELP = "Chỉ người quản lý hồ sơ thấy (bí thư chi đoàn, cán bộ cấp trên); người khác: null."


class MemberSerializer(serializers.ModelSerializer):
    """The personal data (CCCD, phone, email, address) only on the rows whose chi đoàn the user
    keeps (members.permissions, the rule the member page and the export follow): the view passes
    ``sees_personal``; without it every row goes without them."""

    branch = serializers.CharField(source="branch.code", help_text="Mã chi đoàn đang sinh hoạt.")
    branch_name = serializers.CharField(source="branch.name", help_text="Tên chi đoàn.")
    citizen_id = serializers.CharField(allow_null=True, help_text=f"Số CCCD. {PERSONAL_HELP}")
    phone = serializers.CharField(allow_null=True, help_text=f"Số điện thoại. {PERSONAL_HELP}")
    email = serializers.CharField(allow_null=True, help_text=f"Email. {PERSONAL_HELP}")
    address = serializers.CharField(allow_null=True, help_text=f"Địa chỉ. {PERSONAL_HELP}")

    class Meta:
        model = Member
        fields = [
            "id",
            "full_name",
            "birth_date",
            "gender",
            "status",
            "branch",
            "branch_name",
            "card_number",
            "admitted_on",
            "is_party_member",
            *PERSONAL_FIELDS,
        ]

    def to_representation(self, member):
        data = super().to_representation(member)
        sees = self.context.get("sees_personal")
        if sees is None or not sees(member):
            data.update(dict.fromkeys(PERSONAL_FIELDS))
        return data


class MemberPageSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Số đoàn viên khớp (tối đa 10.000).")
    count_capped = serializers.BooleanField(help_text="Đúng khi có hơn 10.000 đoàn viên khớp.")
    next = serializers.CharField(allow_null=True, help_text="Đường dẫn trang sau, hoặc null.")
    results = MemberSerializer(many=True)


class TallySerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Tổng số đối tượng.")
    htxsnv = serializers.IntegerField(help_text="Hoàn thành xuất sắc nhiệm vụ.")
    httnv = serializers.IntegerField(help_text="Hoàn thành tốt nhiệm vụ.")
    htnv = serializers.IntegerField(help_text="Hoàn thành nhiệm vụ.")
    khtnv = serializers.IntegerField(help_text="Không hoàn thành nhiệm vụ.")
    not_rated = serializers.IntegerField(help_text="Chưa xếp loại.")


class SubjectTallySerializer(TallySerializer):
    year = serializers.IntegerField()
    subject_type = serializers.CharField(help_text="Loại đối tượng: branch, grassroots, upper, collective, member.")


class RollupRowSerializer(SubjectTallySerializer):
    unit = serializers.CharField(allow_null=True, help_text="Mã đơn vị trực thuộc (dòng theo đơn vị).")
    unit_name = serializers.CharField(allow_null=True)
    level = serializers.CharField(allow_null=True, help_text="Mã cấp (dòng theo cấp).")


class RollupSerializer(serializers.Serializer):
    unit = serializers.CharField(help_text="Mã đơn vị gốc của bảng tổng hợp.")
    year = serializers.IntegerField()
    by_unit = RollupRowSerializer(many=True, help_text="Theo từng đơn vị trực thuộc, như bảng của báo cáo.")
    by_level = RollupRowSerializer(many=True, help_text="Theo từng cấp của cây tổ chức.")


class RegistrationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField(source="campaign.year", help_text="Năm công nhận.")
    unit = serializers.CharField(source="organization.code", help_text="Mã đoàn cơ sở đăng ký.")
    unit_name = serializers.CharField(source="organization.name")
    status = serializers.CharField(help_text="Trạng thái đăng ký “3 chủ động”.")
    is_late = serializers.BooleanField(help_text="Đăng ký muộn.")
    submitted_at = serializers.DateTimeField(allow_null=True)
    decision_number = serializers.CharField(source="decision.number", allow_null=True, default=None)
    decision_signed_on = serializers.DateField(source="decision.signed_on", allow_null=True, default=None)


class FieldworkTallySerializer(serializers.Serializer):
    staff = serializers.CharField(source="name", help_text="Cán bộ.")
    department = serializers.CharField(help_text="Ban/bộ phận.")
    province = serializers.CharField(source="assignment.department.organization.code", help_text="Mã tỉnh đoàn.")
    eligible = serializers.BooleanField(help_text="Thuộc diện thực hiện “1+2”.")
    minimum_days = serializers.IntegerField(help_text="Số ngày tối thiểu trong năm.")
    days = serializers.IntegerField(help_text="Số ngày đã đi cơ sở (báo cáo đã xác nhận).")
    visits = serializers.IntegerField()
    expected_by_now = serializers.IntegerField(help_text="Số ngày lẽ ra đã đạt đến hôm nay.")
    completed = serializers.BooleanField()
    late_reports = serializers.IntegerField(help_text="Số báo cáo nộp muộn.")


class ReportJobSerializer(serializers.ModelSerializer):
    root = serializers.CharField(source="root.code", help_text="Mã đơn vị của báo cáo.")
    download = serializers.SerializerMethodField(help_text="Đường dẫn tải tệp Excel khi báo cáo đã xong.")
    as_of = serializers.SerializerMethodField(
        help_text="Số liệu tính đến ngày (ISO): ngày đã chọn, hoặc khi báo cáo đã xong ngày mặc định đã dùng; "
        "null khi chưa chọn và báo cáo chưa lập xong."
    )

    class Meta:
        model = ReportJob
        fields = [
            "id",
            "kind",
            "root",
            "year",
            "as_of",
            "status",
            "progress",
            "created_at",
            "finished_at",
            "error",
            "download",
        ]

    def get_as_of(self, job) -> date | None:
        # A job left to the default day (None) learns it when it runs (counted_as_of).
        return job.as_of or job.counted_as_of

    def get_download(self, job) -> str | None:
        if not job.file:
            return None
        return self.context["request"].build_absolute_uri(reverse("api:report-job-download", args=[job.pk]))


class ReportRequestSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="Loại báo cáo (ratings, membership, recognition, fieldwork).")
    root = serializers.CharField(help_text="Mã đơn vị trong phạm vi của bạn.")
    year = serializers.IntegerField(min_value=2000, max_value=2100)
    years = serializers.ListField(child=serializers.IntegerField(), required=False, help_text="Các năm so sánh.")
    as_of = serializers.DateField(
        required=False,
        allow_null=True,
        input_formats=["iso-8601", "%d/%m/%Y"],
        help_text="Số liệu tính đến ngày (mặc định: ngày khóa kết quả của đợt xếp loại năm đó, không có đợt: 31/12).",
    )
