from crispy_forms.helper import FormHelper
from django import forms
from django.utils import timezone

from organizations.forms import DATE_WIDGET, UnitCodeField

from . import kinds

COMPARE_CHOICES = [
    (0, "Không so sánh"),
    (1, "Với 1 năm trước"),
    (2, "Với 2 năm trước"),
    (3, "Với 3 năm trước"),
    (4, "Với 4 năm trước"),
]


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label="Loại báo cáo")
    year = forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": "Năm phải từ 2000 trở đi.",
            "max_value": "Năm phải trước 2100.",
            "invalid": "Năm phải là một số, ví dụ 2025.",
        },
    )
    compare = forms.TypedChoiceField(label="So sánh với các năm trước", choices=COMPARE_CHOICES, coerce=int, initial=2)
    root = UnitCodeField(
        label="Đơn vị",
        help_text="Tên (gõ có dấu hay không dấu đều được) hoặc mã của một đơn vị trong phạm vi của bạn.",
    )
    as_of = forms.DateField(
        label="Số liệu tính đến ngày",
        required=False,
        widget=DATE_WIDGET,
        help_text="Đơn vị và đoàn viên được tính như ngày này. Để trống: ngày khóa kết quả của đợt xếp loại năm đó "
        "(không có đợt: 31/12).",
        error_messages={"invalid": "Ngày tính số liệu phải có dạng ngày/tháng/năm, ví dụ 15/12/2025."},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds.available()
        self.fields["root"].user = user
        self.fields["year"].initial = timezone.localdate().year
        self.helper = FormHelper()
        self.helper.form_tag = False

    @property
    def years(self) -> list[int]:
        year, back = self.cleaned_data["year"], self.cleaned_data["compare"]
        return list(range(year - back, year + 1))
