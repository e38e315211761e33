from django import forms

from organizations.forms import TextField

from .tokens import DAYS_REQUIRED, NAME_REQUIRED


class TokenForm(forms.Form):
    name = TextField(
        label="Tên gợi nhớ",
        max_length=80,
        help_text="Ví dụ: “Phần mềm thống kê của Tỉnh đoàn”.",
        error_messages={"required": NAME_REQUIRED},
    )
    # The range is the service's rule (tokens.create_token), checked there for every caller.
    days = forms.IntegerField(label="Thời hạn (ngày)", initial=90, error_messages={"required": DAYS_REQUIRED})
