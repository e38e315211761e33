from django import forms
from django.utils import timezone

from reports import kinds

from .models import Return
from .services import MAX_REASON


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        max_length=MAX_REASON,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Cần ghi lý do trả lại báo cáo."},
    )


def _kind_field():
    return forms.ChoiceField(
        label="Loại báo cáo",
        choices=kinds.available,
        initial="ratings",
        widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
        error_messages={"invalid_choice": "Loại báo cáo “%(value)s” không có."},
    )


def _year_field():
    return forms.IntegerField(
        label="Năm",
        min_value=2000,
        max_value=2100,
        initial=lambda: timezone.localdate().year,
        widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}),
        error_messages={"min_value": "Năm phải từ 2000 đến 2100.", "max_value": "Năm phải từ 2000 đến 2100."},
    )


class KindYearForm(forms.Form):
    """Which returns the receiving page lists (GET)."""

    kind = _kind_field()
    year = _year_field()


class DeadlineForm(forms.Form):
    kind = _kind_field()
    year = _year_field()
    due_on = forms.DateField(label="Hạn gửi", error_messages={"invalid": "Hạn gửi phải là ngày dạng dd/mm/yyyy."})


class SourceForm(forms.Form):
    source = forms.ChoiceField(
        label="Lập báo cáo từ",
        choices=[
            (Return.Source.CHILDREN, Return.Source.CHILDREN.label),
            (Return.Source.LIVE, Return.Source.LIVE.label),
        ],
        error_messages={"invalid_choice": "Nguồn số liệu không hợp lệ."},
    )
