from django import forms

from organizations.forms import TextField


class TokenForm(forms.Form):
    name = TextField(label="Tên gợi nhớ", max_length=80, help_text="Ví dụ: “Phần mềm thống kê của Tỉnh đoàn”.")
    days = forms.IntegerField(label="Thời hạn (ngày)", initial=90, min_value=1)  # the service caps it
