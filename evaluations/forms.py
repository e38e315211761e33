from django import forms

from organizations.forms import DATE_WIDGET, TextField, UnitCodeField, text_formfield
from organizations.models import Level

from .models import CriteriaFrame, Criterion, RatingLevel, RatingPeriod, RatingPolicy
from .services import Minutes

LEVEL_CHOICES = [("", "— chọn mức —"), *RatingLevel.choices]


def entry_data(post) -> dict:
    """The fields of one inline entry, as the service expects them (numbers are checked there,
    with messages naming the criterion). Only fields present in the request are touched."""
    data = {
        name: post[name]
        for name in ("self_review", "comment", "proposed_level", "participation_percent")
        if name in post
    }
    marks = {key[5:]: value for key, value in post.items() if key.startswith("mark_")}
    if marks:
        data["marks"] = marks
    return data


class MinutesForm(forms.Form):
    meeting_on = forms.DateField(label="Ngày họp", widget=DATE_WIDGET)
    attendance = forms.IntegerField(label="Số có mặt", min_value=0, required=False)
    attendance_total = forms.IntegerField(label="Tổng số triệu tập", min_value=0, required=False)
    votes_for = forms.IntegerField(label="Số tán thành", min_value=0, required=False)
    votes_against = forms.IntegerField(label="Số không tán thành", min_value=0, required=False)
    chair_name = TextField(label="Người chủ trì", max_length=100, required=False)
    clerk_name = TextField(label="Thư ký", max_length=100, required=False)
    minutes_note = TextField(label="Tóm tắt biên bản", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def minutes(self) -> Minutes:
        return Minutes(**self.cleaned_data)


class ApproveForm(forms.Form):
    decision_number = TextField(label="Số quyết định", max_length=50, required=False)
    decision_on = forms.DateField(label="Ngày quyết định", required=False, widget=DATE_WIDGET)
    ids = forms.TypedMultipleChoiceField(coerce=int, required=False)
    everything = forms.BooleanField(required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ids"].choices = [(pk, pk) for pk in choices]

    def clean(self):
        data = super().clean()
        if not data.get("everything") and not data.get("ids"):
            raise forms.ValidationError("Chọn ít nhất một phiếu, hoặc bấm “Công nhận tất cả”.")
        return data


class ReasonForm(forms.Form):
    reason = TextField(label="Lý do", widget=forms.Textarea(attrs={"rows": 2}))


class ChangeLevelForm(ReasonForm):
    level = forms.ChoiceField(label="Mức mới", choices=RatingLevel.choices)
    field_order = ["level", "reason"]


class InlineLevelForm(ChangeLevelForm):
    """The same change, as one row's small control in the review table (a phone-width column)."""

    def __init__(self, *args, assessment, **kwargs):
        kwargs.setdefault("initial", {"level": assessment.final_level or assessment.proposed_level})
        super().__init__(*args, auto_id=f"id_%s_{assessment.pk}", **kwargs)
        name = assessment.subject_name
        self.fields["level"].widget.attrs.update(
            {"class": "form-select form-select-sm", "aria-label": f"Mức mới — {name}"}
        )
        self.fields["reason"].widget = forms.TextInput(
            attrs={
                "class": "form-control form-control-sm",
                "placeholder": "Lý do đổi mức",
                "aria-label": f"Lý do — {name}",
            }
        )


class PeriodForm(forms.ModelForm):
    """A period with one deadline field per tree level (levels are data)."""

    class Meta:
        model = RatingPeriod
        formfield_callback = text_formfield
        fields = ["year", "title", "opens_on", "locks_on"]
        widgets = {"opens_on": DATE_WIDGET, "locks_on": DATE_WIDGET}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["root"] = UnitCodeField(label="Mã đơn vị ban hành", user=user)
            self.order_fields(["root"])
        current = {d.level_id: d.due_on for d in self.instance.deadlines.all()} if self.instance.pk else {}
        self.levels = list(Level.objects.all())
        for level in self.levels:
            self.fields[f"due_{level.code}"] = forms.DateField(
                label=f"Hạn hoàn thành — {level.name}",
                required=False,
                widget=DATE_WIDGET,
                initial=current.get(level.pk),
            )

    def deadlines(self) -> dict:
        return {level: self.cleaned_data.get(f"due_{level.code}") for level in self.levels}

    def clean(self):
        data = super().clean()
        if self.instance.pk is None and data.get("root"):
            self.instance.root = data["root"]
            if RatingPeriod.objects.filter(root=data["root"], year=data.get("year")).exists():
                raise forms.ValidationError(f"{data['root'].name} đã có đợt xếp loại năm {data.get('year')}.")
        return data


class PolicyForm(forms.ModelForm):
    class Meta:
        model = RatingPolicy
        formfield_callback = text_formfield
        fields = [
            "subject_type",
            "quota_basis",
            "quota_percent",
            "allow_over_quota",
            "min_months_in_branch",
            "exclude_party_members",
            "require_recognition_for_excellent",
            "min_participation_excellent",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.fields["organization"] = UnitCodeField(label="Mã đơn vị áp dụng", user=user)
            self.order_fields(["organization"])

    def _post_clean(self):
        if self.instance.pk is None and self.cleaned_data.get("organization"):
            self.instance.organization = self.cleaned_data["organization"]
        super()._post_clean()


class FrameForm(forms.ModelForm):
    class Meta:
        model = CriteriaFrame
        formfield_callback = text_formfield
        fields = ["name", "excellent_min_points", "good_min_points", "completed_min_points"]


CriterionFormSet = forms.inlineformset_factory(
    CriteriaFrame, Criterion, fields=["group", "text", "max_points", "order"], extra=3, can_delete=True
)
