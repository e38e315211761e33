from django import forms

from organizations.forms import DATE_WIDGET, TextField, UnitCodeField

from .models import VisitContent


class VisitForm(forms.Form):
    """A planned visit (step 1) or an unplanned request (step 4); the service checks the rest."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = UnitCodeField(
            label="Mã đơn vị đến", user=user, help_text="Mã của huyện, cơ sở hoặc chi đoàn trong tỉnh, ví dụ T1-H1-CS1."
        )
        self.fields["target"].widget.attrs["list"] = "unit-codes"  # suggestions: templates/fieldwork/_unit_codes.html
        self.fields["content"] = forms.ChoiceField(label="Nội dung", choices=VisitContent.choices)
        self.fields["starts_on"] = forms.DateField(label="Từ ngày", widget=DATE_WIDGET)
        self.fields["ends_on"] = forms.DateField(label="Đến ngày", widget=DATE_WIDGET)
        self.fields["days"] = forms.IntegerField(label="Số ngày", min_value=1, max_value=92)
        self.fields["purpose"] = TextField(label="Mục đích, nội dung cụ thể", widget=forms.Textarea(attrs={"rows": 2}))


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    quarter = forms.TypedChoiceField(label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in range(1, 5)])


class QuarterForm(forms.Form):
    year = forms.IntegerField(min_value=2000, max_value=2100, widget=forms.HiddenInput)
    quarter = forms.TypedChoiceField(label="Quý", coerce=int, choices=[(q, f"Quý {q}") for q in range(1, 5)])
    notes = TextField(label="Nhận xét, kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = TextField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 2}))


class DecisionForm(forms.Form):
    consent = forms.TypedChoiceField(
        label="Quyết định", coerce=lambda v: v == "1", choices=[("1", "Đồng ý"), ("0", "Không đồng ý")]
    )
    reason = TextField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, refusal_only: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if refusal_only:  # the visit has begun: consent is over (rules.consent_open)
            self.fields["consent"].choices = [("0", "Không đồng ý")]


class VisitReportForm(forms.Form):
    results = TextField(label="Kết quả chuyến đi", widget=forms.Textarea(attrs={"rows": 3}))
    days_spent = forms.IntegerField(label="Số ngày thực tế", min_value=1, max_value=92)


class QuarterReportForm(forms.Form):
    notes = TextField(label="Tự đánh giá, kiến nghị", required=False, widget=forms.Textarea(attrs={"rows": 3}))


class UsernameField(TextField):
    """A user picked by username among those holding a post at ``org`` (the province's staff)."""

    def __init__(self, *args, org=None, **kwargs):
        self.org = org
        super().__init__(*args, max_length=150, **kwargs)

    def clean(self, value):
        from django.contrib.auth import get_user_model

        username = (super().clean(value) or "").strip()
        if not username:
            return None
        user = get_user_model().objects.filter(username=username, posts__organization=self.org).first()
        if user is None:
            raise forms.ValidationError(f"Không tìm thấy tài khoản “{username}” có chức vụ tại {self.org.name}.")
        return user


class PolicyForm(forms.Form):
    """Minimum days, plan and report deadlines and the optional split by level visited (levels below ``org``)."""

    minimum_days = forms.IntegerField(label="Số ngày tối thiểu/năm", min_value=1, max_value=366)
    report_late_days = forms.IntegerField(label="Hạn báo cáo sau chuyến đi (ngày)", min_value=0, max_value=90)
    plan_deadline_days = forms.IntegerField(
        label="Số ngày đầu quý để nộp kế hoạch",
        min_value=0,
        max_value=90,
        required=False,
        help_text="Ví dụ 10: kế hoạch quý II nộp chậm nhất ngày 10/4; 0: nộp trước khi quý bắt đầu. "
        "Để trống: theo cấp trên (mặc định 10).",
    )
    note = TextField(label="Căn cứ (số hướng dẫn)", max_length=255, required=False)

    def __init__(self, *args, levels, **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = list(levels)
        for lv in self.levels:
            self.fields[f"quota_{lv.code}"] = forms.IntegerField(
                label=f"Trong đó tại {lv.name}", min_value=0, max_value=366, required=False
            )

    def quotas(self) -> dict:
        return {lv: self.cleaned_data.get(f"quota_{lv.code}") or 0 for lv in self.levels}


class DepartmentForm(forms.Form):
    name = TextField(label="Tên ban", max_length=120)
    is_organisation_department = forms.BooleanField(label="Là Ban Tổ chức / Xây dựng Đoàn", required=False)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["head"] = UsernameField(label="Tài khoản trưởng ban", org=org, required=False)


class AssignmentForm(forms.Form):
    def __init__(self, *args, org, departments, **kwargs):
        from .models import StaffAssignment

        super().__init__(*args, **kwargs)
        self.fields["user"] = UsernameField(label="Tài khoản cán bộ", org=org)
        self.fields["department"] = forms.ModelChoiceField(label="Ban", queryset=departments)
        self.fields["post_kind"] = forms.ChoiceField(label="Vị trí", choices=StaffAssignment.PostKind.choices)
        self.fields["exemption"] = forms.ChoiceField(
            label="Miễn đi cơ sở", choices=StaffAssignment.Exemption.choices, required=False
        )
        self.fields["exemption_reason"] = TextField(label="Lý do miễn", max_length=255, required=False)
