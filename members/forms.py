from functools import cached_property

from django import forms

from organizations.forms import DATE_WIDGET, TextField, UnitCodeField, text_formfield
from organizations.models import Organization
from organizations.scoping import scoped, visible_orgs
from organizations.text import fold

from .importing import get_importer, kinds
from .models import CadreTitle, Member
from .selectors import AGE_BANDS, STATUS_CHOICES
from .services import EDITABLE_FIELDS
from .validation import errors_for_changes, field_errors
from .xlsxlimits import size_problem


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        formfield_callback = text_formfield
        fields = EDITABLE_FIELDS
        widgets = {name: DATE_WIDGET for name in ("birth_date", "admitted_on", "party_joined_on", "joined_branch_on")}

    def __init__(self, *args, admission: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["admitted_on"].required = admission
        self.fields["reason"] = TextField(label="Ghi chú / số quyết định", required=False)
        if not self.instance.pk:  # services.create_member asks it when the chi đoàn may hold the person already
            self.fields["confirm_duplicate"] = forms.BooleanField(
                label="Vẫn thêm",
                required=False,
                help_text="Đánh dấu khi chi đoàn đã có người cùng họ tên và ngày sinh nhưng đây là người khác.",
            )

    def clean(self):
        data = super().clean()
        errors = field_errors(data)
        if self.instance.pk:  # an edit answers only for what it changes (see validation.check_member)
            errors = errors_for_changes(errors, set(self.changed_data))
        for name, message in errors.items():
            if name in self.fields and name not in self.errors:
                self.add_error(name, message)
        return data

    def service_fields(self) -> dict:
        return {name: self.cleaned_data.get(name) for name in EDITABLE_FIELDS}


def _reason(required: bool, label: str = "Lý do") -> TextField:
    return TextField(label=label, required=required, widget=forms.Textarea(attrs={"rows": 2}))


# The datalist offers at most this many chi đoàns of the scope; any other in-scope code still works typed.
DESTINATION_SUGGESTIONS = 300
NO_MATCH = (
    "Không tìm thấy chi đoàn đang hoạt động khớp cả mã và tên đã nhập. "
    "Hãy ghi đúng mã và tên như trên giấy tiếp nhận của đơn vị nhận."
)


def _active_branches():
    return Organization.objects.filter(level__is_branch=True, status=Organization.Status.ACTIVE)


class TransferRequestForm(forms.Form):
    """Chuyển sinh hoạt đi. The receiving chi đoàn may lie outside the sender's scope (another
    province); such a unit is named by code and name as written on its letter of acceptance, and a
    mismatch answers one message, so the form cannot be used to probe which codes exist elsewhere.
    Without ``user`` every destination counts as outside the scope (the safe side)."""

    to_branch = TextField(
        label="Mã chi đoàn chuyển đến",
        max_length=40,
        widget=forms.TextInput(attrs={"list": "branch-codes", "autocomplete": "off"}),
        help_text="Chọn trong danh sách hoặc gõ mã chi đoàn nhận.",
    )
    to_name = TextField(
        label="Tên chi đoàn chuyển đến",
        max_length=255,
        required=False,
        help_text="Bắt buộc khi chi đoàn nhận ở ngoài phạm vi quản lý của bạn (ví dụ ở tỉnh khác): "
        "ghi đúng tên như trên giấy tiếp nhận, có dấu hay không dấu đều được.",
    )
    on_date = forms.DateField(label="Ngày chuyển", required=False, widget=DATE_WIDGET)
    reason = _reason(False)

    def __init__(self, *args, user=None, member: Member | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.member = user, member

    @cached_property
    def destinations(self) -> list[Organization]:
        """The active chi đoàns of the user's scope, for the datalist of templates/members/form.html."""
        if self.user is None:
            return []
        branches = scoped(self.user, _active_branches()).order_by("path")
        if self.member is not None:
            branches = branches.exclude(pk=self.member.branch_id)
        return list(branches.only("code", "name")[:DESTINATION_SUGGESTIONS])

    def clean(self):
        data = super().clean()
        code = (data.get("to_branch") or "").strip().upper()
        if code:
            data["to_branch"] = self._in_scope(code, data.get("to_name", "")) or self._outside(
                code, data.get("to_name", "")
            )
        # the view hands cleaned_data to services.request_transfer, which takes no name
        data.pop("to_name", None)
        return data

    def _in_scope(self, code: str, name: str) -> Organization | None:
        """A unit the user sees anyway: its own code suffices and mistakes may be named plainly."""
        unit = visible_orgs(self.user).select_related("level").filter(code=code).first() if self.user else None
        if unit is None:
            return None
        if not unit.level.is_branch or not unit.is_active:
            raise forms.ValidationError({"to_branch": f"Đơn vị “{unit.name}” không phải chi đoàn đang hoạt động."})
        if name.strip() and fold(name) != fold(unit.name):
            raise forms.ValidationError({"to_name": f"Chi đoàn mã “{code}” có tên “{unit.name}”, khác tên đã nhập."})
        return unit

    def _outside(self, code: str, name: str) -> Organization:
        """A unit outside the scope: code and name must both match, and every failure reads alike."""
        if not name.strip():
            raise forms.ValidationError(
                {"to_name": "Chi đoàn nhận không thuộc phạm vi quản lý của bạn: ghi thêm tên như trên giấy tiếp nhận."}
            )
        unit = _active_branches().select_related("level").filter(code=code).first()
        if unit is None or fold(unit.name) != fold(name):
            raise forms.ValidationError(NO_MATCH)
        return unit


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
    q = TextField(label="Tìm", required=False)
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
    reopen = forms.BooleanField(
        label="Mở lại kết quả đã công nhận để nhập đè",
        required=False,
        help_text="Chỉ cho kết quả xếp loại, ở đơn vị bạn được mở lại; mỗi kết quả mở lại được ghi nhật ký.",
    )
    reopen_reason = TextField(label="Lý do mở lại", required=False, max_length=500)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k, get_importer(k).label or k) for k in kinds()]

    def clean(self):
        data = super().clean()
        if data.get("reopen") and data.get("kind"):
            if not getattr(get_importer(data["kind"]), "reopens", False):
                self.add_error("reopen", f"“{get_importer(data['kind']).label}” không có kết quả công nhận để mở lại.")
            elif not (data.get("reopen_reason") or "").strip():
                self.add_error("reopen_reason", "Cần ghi lý do mở lại kết quả đã công nhận.")
        return data

    def options(self) -> dict:
        """What the kind's importer is given besides the file (``import_xlsx``'s options)."""
        data, options = self.cleaned_data, {}
        if data.get("year"):
            options["year"] = data["year"]
        if data.get("reopen"):
            options |= {"reopen": True, "reason": data["reopen_reason"].strip()}
        return options

    def clean_file(self):
        file = self.cleaned_data["file"]
        if not file.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("Chỉ nhận tệp Excel .xlsx.")
        if message := size_problem(file.size):  # refused before it is stored (members.xlsxlimits)
            raise forms.ValidationError(message)
        return file
