import re

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.db import models

from .levels import level_order
from .models import Level, Organization, Post, UnitKind
from .scoping import visible_orgs
from .text import clean_text, fold

CODE_LIKE = re.compile(r"[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*")
DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})


class TextField(forms.CharField):
    """The CharField of every form: text normalised on the way in (``text.clean_text``: NFC,
    invisible characters removed, spaces collapsed; a Textarea keeps its line breaks), so a
    required field holding only a zero-width space is refused as empty."""

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return value
        return clean_text(value, multiline=isinstance(self.widget, forms.Textarea)) or self.empty_value


def text_formfield(db_field, **kwargs):
    """``Meta.formfield_callback`` of the model forms: their text fields are ``TextField``s too."""
    if type(db_field) in (models.CharField, models.TextField) and not db_field.choices:  # not email, slug…
        kwargs.setdefault("form_class", TextField)
    return db_field.formfield(**kwargs)


class UnitCodeField(TextField):
    """A unit picked by its code, or by its name typed with or without marks ("huyen doan phu
    binh"), resolved inside the acting user's scope only. A name matching several units lists
    them with their codes, to pick one."""

    LISTED = 5

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, max_length=255, **kwargs)

    def clean(self, value):
        text = (super().clean(value) or "").strip()
        scope = visible_orgs(self.user).select_related("level")
        if CODE_LIKE.fullmatch(text):  # one word of letters, digits and dashes: a code
            unit = scope.filter(code=text.upper()).first()
            if unit is None:
                raise forms.ValidationError(f"Không tìm thấy đơn vị mã “{text.upper()}” trong phạm vi của bạn.")
            return unit
        named = scope
        for word in fold(text).split():
            named = named.filter(name_folded__contains=word)
        found = list(named.order_by("depth", "path")[: self.LISTED + 1])
        if len(found) == 1:
            return found[0]
        if not found:
            raise forms.ValidationError(f"Không tìm thấy đơn vị tên “{text}” trong phạm vi của bạn.")
        listed = "; ".join(f"{u.name} ({u.code})" for u in found[: self.LISTED])
        more = "; …" if len(found) > self.LISTED else ""
        raise forms.ValidationError(f"“{text}” khớp với nhiều đơn vị: {listed}{more}. Ghi mã hoặc tên đầy đủ hơn.")


class UnitCreateForm(forms.Form):
    code = TextField(label="Mã đơn vị", max_length=40)
    name = TextField(label="Tên đơn vị", max_length=255)
    level = forms.ModelChoiceField(label="Cấp", queryset=Level.objects.none())
    kind = forms.ModelChoiceField(label="Loại hình", queryset=UnitKind.objects.all(), required=False)
    founded_on = forms.DateField(label="Ngày thành lập", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, parent: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = Level.objects.filter(allowed_parents=parent.level).order_by(
            *level_order(), "code"
        )

    def clean_code(self):
        code = self.cleaned_data["code"].strip().upper()
        if Organization.objects.filter(code=code).exists():
            raise forms.ValidationError(f"Mã đơn vị “{code}” đã được dùng.")
        return code


class UnitEditForm(forms.Form):
    name = TextField(label="Tên đơn vị", max_length=255)
    kind = forms.ModelChoiceField(label="Loại hình", queryset=UnitKind.objects.all(), required=False)
    founded_on = forms.DateField(label="Ngày thành lập", required=False, widget=DATE_WIDGET)


class UnitMoveForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_parent"] = UnitCodeField(label="Mã đơn vị cấp trên mới", user=user)
        self.fields["reason"] = TextField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}), required=False)


class UnitMergeForm(forms.Form):
    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"] = UnitCodeField(label="Mã đơn vị hợp nhất vào", user=user)
        self.fields["on_date"] = forms.DateField(label="Ngày hợp nhất", required=False, widget=DATE_WIDGET)
        self.fields["reason"] = TextField(label="Lý do / số quyết định", widget=forms.Textarea(attrs={"rows": 2}))


class UnitDissolveForm(forms.Form):
    on_date = forms.DateField(label="Ngày giải thể", required=False, widget=DATE_WIDGET)
    reason = TextField(label="Lý do / số quyết định", widget=forms.Textarea(attrs={"rows": 2}))


class UserCreateForm(forms.Form):
    username = TextField(label="Tên đăng nhập", max_length=150)
    full_name = TextField(label="Họ và tên", max_length=150)
    email = forms.EmailField(label="Email", required=False)
    password = forms.CharField(label="Mật khẩu", widget=forms.PasswordInput)

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("Tên đăng nhập đã tồn tại.")
        return username

    def clean(self):
        data = super().clean()
        if data.get("password"):
            validate_password(data["password"], get_user_model()(username=data.get("username", "")))
        return data


class PostAssignForm(forms.Form):
    role = forms.ChoiceField(label="Vai trò", choices=Post.Role.choices)
    title = TextField(label="Chức danh", max_length=120, required=False)
    started_on = forms.DateField(label="Từ ngày", required=False, widget=DATE_WIDGET)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"] = UnitCodeField(label="Mã đơn vị", user=user)
        self.order_fields(["organization", "role", "title", "started_on"])
