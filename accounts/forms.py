from django import forms

from organizations.forms import TextField


class CodeForm(forms.Form):
    code = TextField(
        label="Mã xác thực",
        max_length=10,
        help_text="6 chữ số đang hiện trong ứng dụng xác thực trên điện thoại.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "autofocus": True}),
        error_messages={"required": "Nhập mã xác thực 6 chữ số."},
    )


class ResetForm(forms.Form):
    reason = TextField(
        label="Lý do đặt lại",
        max_length=255,
        help_text="Ví dụ: mất điện thoại, đổi máy. Lý do được ghi vào nhật ký.",
        error_messages={"required": "Cần ghi lý do đặt lại xác thực hai bước."},
    )


class EmailForm(forms.Form):
    email = forms.EmailField(
        label="Email mới",
        error_messages={"required": "Nhập địa chỉ email.", "invalid": "Địa chỉ email không hợp lệ."},
    )
    password = forms.CharField(
        label="Mật khẩu hiện tại",
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Nhập mật khẩu hiện tại để đổi email."},
    )
