"""Forms of the "3 chủ động" pages: they validate input; the services apply the rules."""

from django import forms
from django.utils import timezone

from organizations.forms import DATE_WIDGET, TextField
from organizations.levels import province_levels
from organizations.models import Organization
from organizations.scoping import MANAGER_ROLES, open_posts

from .models import Campaign, FollowUp, Registration
from .services import Score, cadre_choices

TEXTAREA = {"rows": 3}
MET_CHOICES = [("1", "Đạt"), ("0", "Không đạt")]


def campaign_provinces(user):
    """Units where the user may open a campaign: a province-level unit they manage."""
    qs = Organization.objects.filter(level__in=province_levels(), status=Organization.Status.ACTIVE).order_by("path")
    if getattr(user, "is_superuser", False):
        return qs
    return qs.filter(pk__in=[p.organization_id for p in open_posts(user) if p.role in MANAGER_ROLES])


class CampaignForm(forms.Form):
    province = forms.ModelChoiceField(label="Tỉnh đoàn", queryset=Organization.objects.none())
    year = forms.IntegerField(label="Năm công nhận", min_value=2000, max_value=2100)
    variant = forms.ChoiceField(
        label="Bộ tiêu chí mặc định",
        choices=[("3", "3 chủ động (Trung ương Đoàn)"), ("4", "4 chủ động (như Bạc Liêu)")],
    )
    name = TextField(label="Tên đợt", max_length=200, required=False, help_text="Để trống: tên tự đặt theo năm")
    registration_deadline = forms.DateField(
        label="Hạn đăng ký của đoàn cơ sở", required=False, widget=DATE_WIDGET, help_text="Để trống: 10/10 năm trước"
    )
    report_deadline = forms.DateField(
        label="Hạn cấp huyện báo cáo tỉnh", required=False, widget=DATE_WIDGET, help_text="Để trống: 15/10 năm trước"
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = campaign_provinces(user)
        self.fields["year"].initial = timezone.localdate().year + 1


class CriterionForm(forms.Form):
    title = TextField(label="Tiêu chí", max_length=200)
    description = TextField(label="Nội dung", widget=forms.Textarea(attrs=TEXTAREA), required=False)
    sub_criteria = TextField(
        label="Tiêu chí cụ thể (mỗi dòng một ý)", widget=forms.Textarea(attrs={"rows": 5}), required=False
    )


class RegistrationForm(forms.Form):
    """One plan box per criterion of the campaign, and an optional file."""

    file = forms.FileField(label="Tệp đính kèm (kế hoạch, biên bản…)", required=False)

    def __init__(self, *args, campaign: Campaign, plans: dict[int, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(campaign.criteria.all())
        for c in self.criteria:
            self.fields[f"plan_{c.pk}"] = TextField(
                label=f"{c.number}. {c.title}",
                required=False,
                initial=plans.get(c.pk, ""),
                widget=forms.Textarea(attrs={"rows": 4, "placeholder": "Kế hoạch, chỉ tiêu, cách làm…"}),
                help_text=c.sub_criteria.replace("\n", "; "),
            )
        self.order_fields([f"plan_{c.pk}" for c in self.criteria] + ["file"])

    def plans(self) -> dict[int, str]:
        return {c.pk: self.cleaned_data.get(f"plan_{c.pk}", "") for c in self.criteria}


class ReasonForm(forms.Form):
    reason = TextField(label="Lý do trả lại", widget=forms.Textarea(attrs=TEXTAREA))


class AssignForm(forms.Form):
    cadre = forms.ModelChoiceField(label="Cán bộ theo dõi", queryset=None)

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cadre"].queryset = cadre_choices(registration)
        self.fields["cadre"].label_from_instance = lambda u: u.get_full_name() or u.username


class FollowUpForm(forms.Form):
    kind = forms.ChoiceField(label="Loại", choices=FollowUp.Kind.choices)
    on_date = forms.DateField(label="Ngày", widget=DATE_WIDGET)
    participants = TextField(label="Người thực hiện", max_length=255)
    findings = TextField(label="Nội dung, kết quả", widget=forms.Textarea(attrs=TEXTAREA))
    fieldwork_visit = forms.ModelChoiceField(label="Chuyến đi cơ sở “1+2” liên quan", queryset=None, required=False)

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        from fieldwork.models import PlannedVisit
        from fieldwork.selectors import confirmed_q

        # only visits the Standing office approved or consented to are evidence (fieldwork's rule)
        self.fields["fieldwork_visit"].queryset = PlannedVisit.objects.filter(
            confirmed_q(), target__path__startswith=registration.organization.path
        ).select_related("assignment__user", "target")


class EvaluationForm(forms.Form):
    """Met / not met and the evidence, for every criterion of the campaign."""

    def __init__(self, *args, registration: Registration, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(registration.campaign.criteria.all())
        done = {e.criterion_id: e for e in registration.evaluations.all()}
        for c in self.criteria:
            prior = done.get(c.pk)
            self.fields[f"met_{c.pk}"] = forms.ChoiceField(
                label=f"{c.number}. {c.title}",
                choices=MET_CHOICES,
                widget=forms.RadioSelect(attrs={"class": "form-check-input"}),
                initial=None if prior is None else ("1" if prior.met else "0"),
            )
            self.fields[f"evidence_{c.pk}"] = TextField(
                label="Minh chứng",
                widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                initial=prior.evidence if prior else "",
            )

    def scores(self) -> dict[int, Score]:
        d = self.cleaned_data
        return {c.pk: Score(met=d[f"met_{c.pk}"] == "1", evidence=d[f"evidence_{c.pk}"]) for c in self.criteria}


OUTCOME_CHOICES = [("", "Chưa đưa vào quyết định này"), ("yes", "Công nhận"), ("no", "Không công nhận")]


class DecisionForm(forms.Form):
    """The decision's header and one outcome (and reason) per evaluated đoàn cơ sở.

    Every candidate's choice is a real form field, so a refused submit re-renders what was
    entered; before any submit, a unit meeting every criterion is proposed "Công nhận"."""

    number = TextField(label="Số quyết định", max_length=60, help_text="Ví dụ: 125-QĐ/HĐTN")
    signed_on = forms.DateField(label="Ngày ký", widget=DATE_WIDGET)
    signer = TextField(label="Người ký", max_length=120)

    def __init__(self, *args, candidates: list[Registration], criteria_count: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates
        for reg in candidates:
            # evaluations are prefetched by the view: no query per candidate
            reg.met_count = sum(e.met for e in reg.evaluations.all())
            name = reg.organization.name
            self.fields[f"outcome_{reg.pk}"] = forms.ChoiceField(
                label=name,
                choices=OUTCOME_CHOICES,
                required=False,
                initial="yes" if reg.met_count == criteria_count else "no",
                widget=forms.Select(attrs={"class": "form-select form-select-sm", "aria-label": f"Kết quả — {name}"}),
            )
            self.fields[f"reason_{reg.pk}"] = TextField(
                label="Lý do (khi không công nhận)",
                required=False,
                max_length=500,
                widget=forms.TextInput(
                    attrs={
                        "class": "form-control form-control-sm",
                        "placeholder": "Lý do (khi không công nhận)",
                        "aria-label": f"Lý do — {name}",
                    }
                ),
            )

    def rows(self):
        """(registration, outcome field, reason field) for each candidate, for the template."""
        return [(reg, self[f"outcome_{reg.pk}"], self[f"reason_{reg.pk}"]) for reg in self.candidates]

    def outcomes(self):
        from .services import Outcome

        d = self.cleaned_data
        return [
            Outcome(registration=r, recognised=d[f"outcome_{r.pk}"] == "yes", reason=d[f"reason_{r.pk}"])
            for r in self.candidates
            if d.get(f"outcome_{r.pk}")
        ]


class FlagForm(forms.Form):
    note = TextField(label="Nội dung cần xem lại", widget=forms.Textarea(attrs=TEXTAREA))


class ResolveForm(forms.Form):
    resolution = TextField(label="Kết quả xử lý", widget=forms.Textarea(attrs={"rows": 2}))


class YearsForm(forms.Form):
    """The years a commendation gathers (the province commends twice per term)."""

    years = TextField(label="Các năm (cách nhau bởi dấu phẩy)", max_length=60)

    def clean_years(self):
        raw = self.cleaned_data["years"].replace(";", ",").split(",")
        try:
            years = sorted({int(y.strip()) for y in raw if y.strip()})
        except ValueError:
            raise forms.ValidationError("Các năm phải là số, ví dụ “2023, 2024, 2025”.") from None
        if not years or any(y < 2000 or y > 2100 for y in years) or len(years) > 10:
            raise forms.ValidationError("Chọn từ 1 đến 10 năm trong khoảng 2000–2100, ví dụ “2023, 2024, 2025”.")
        return years
