from django import forms

from organizations.forms import DATE_WIDGET, UnitCodeField
from organizations.models import Organization

from .importing import get_importer, kinds
from .models import CadreTitle, Member
from .selectors import AGE_BANDS, STATUS_CHOICES
from .services import EDITABLE_FIELDS
from .validation import field_errors


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        fields = EDITABLE_FIELDS
        widgets = {name: DATE_WIDGET for name in ("birth_date", "admitted_on", "party_joined_on", "joined_branch_on")}

    def __init__(self, *args, admission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admitted_on"].required = admission
        self.fields["reason"] = forms.CharField(label="Ghi chú / số quyết định", required=False)

    def clean(self):
        data = super().clean()
        errors = field_errors(data)
        if self.instance.pk:  # an edit answers only for what it changes (see validation.check_member)
            touched = set(self.changed_data) | ({"admitted_on"} if "birth_date" in self.changed_data else set())
            errors = {k: v for k, v in errors.items() if k in touched}
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


class BranchCodeField(forms.CharField):
    """Any active chi đoàn, by code: a transfer may go to another province, outside the scope."""

    def clean(self, value):
        code = (super().clean(value) or "").strip().upper()
        branch = (
            Organization.objects.select_related("level")
            .filter(code=code, level__is_branch=True, status=Organization.Status.ACTIVE)
            .first()
        )
        if branch is None:
            raise forms.ValidationError(f"Không có chi đoàn đang hoạt động mã “{code}”.")
        return branch


def _reason(required: bool, label: str = "Lý do") -> forms.CharField:
    return forms.CharField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


class TransferRequestForm(forms.Form):
    to_branch = BranchCodeField(label="Mã chi đoàn chuyển đến", max_length=40)
    on_date = forms.DateField(label="Ngày chuyển", required=False, widget=DATE_WIDGET)
    reason = _reason(False)


class MatureForm(forms.Form):
    on_date = forms.DateField(label="Ngày trưởng thành", required=False, widget=DATE_WIDGET)
    reason = _reason(False, "Ghi chú")


class KeepForm(forms.Form):
    until = forms.DateField(label="Giữ lại sinh hoạt đến ngày", widget=DATE_WIDGET)
    reason = _reason(True, "Nghị quyết / lý do của chi đoàn")


class RemoveForm(forms.Form):
    on_date = forms.DateField(label="Ngày xóa tên", required=False, widget=DATE_WIDGET)
    reason = _reason(True)


class DeathForm(forms.Form):
    on_date = forms.DateField(label="Ngày mất", widget=DATE_WIDGET)
    reason = _reason(False, "Ghi chú")


class RefuseForm(forms.Form):
    reason = _reason(True, "Lý do từ chối")


class PositionForm(forms.Form):
    title = forms.ChoiceField(label="Chức danh", choices=CadreTitle.choices)
    since = forms.DateField(label="Từ ngày", widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"] = UnitCodeField(label="Mã đơn vị", user=user)
        self.order_fields(["title", "unit", "since"])


class FilterForm(forms.Form):
    q = forms.CharField(label="Tìm", required=False)
    age = forms.ChoiceField(
        label="Độ tuổi", required=False, choices=[("", "Mọi độ tuổi"), *[(k, v[0]) for k, v in AGE_BANDS.items()]]
    )
    gender = forms.ChoiceField(
        label="Giới tính", required=False, choices=[("", "Mọi giới tính"), *Member.Gender.choices]
    )
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=STATUS_CHOICES)
    post = forms.ChoiceField(
        label="Chức vụ", required=False, choices=[("", "Mọi đoàn viên"), ("any", "Có chức vụ"), *CadreTitle.choices]
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {}
        return {k: v for k, v in self.cleaned_data.items() if v}


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="Loại dữ liệu")
    file = forms.FileField(label="Tệp Excel (.xlsx)", allow_empty_file=True)
    year = forms.IntegerField(label="Năm (nếu là dữ liệu theo năm)", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, get_importer(k).label or k) for k in kinds()]

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx.")
        return file
