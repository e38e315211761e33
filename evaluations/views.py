"""Pages of the annual rating: thin, scoped; every change goes through evaluations.services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from members.models import Member
from organizations import pdfdocs
from organizations.scoping import get_org_or_404, get_scoped_or_404, scope_roots
from organizations.views_helpers import paginate, require, run_service

from . import integrity, minutes, rules, selectors, services
from .forms import (
    ApproveForm,
    ChangeLevelForm,
    CriterionFormSet,
    FrameForm,
    InlineLevelForm,
    MinutesForm,
    PeriodForm,
    PolicyForm,
    ReasonForm,
    entry_data,
)
from .models import CriteriaFrame, RatingDeadline, RatingPolicy, Submission
from .policies import effective_policy, suggested_level
from .recognition import selectors as recognition


def _period_or_404(user, period_id):
    deadlines = Prefetch("deadlines", RatingDeadline.objects.select_related("level"))  # one query, not two
    return get_object_or_404(selectors.periods_for(user).prefetch_related(deadlines), pk=period_id)


def _unit_in_period(request, period_id, code):
    period = _period_or_404(request.user, period_id)
    unit = get_org_or_404(request.user, code)
    if not rules.covers(period, unit):
        raise Http404("Đơn vị không thuộc đợt xếp loại này.")
    return period, unit


@login_required
def index(request):
    periods = list(selectors.periods_for(request.user).order_by("-year", "root__path")[:20])
    current = periods[0] if periods else None
    context = {"periods": periods, "current": current}
    if current is not None:
        context["my_units"] = selectors.entry_units(request.user, current)
        context["queue_count"] = selectors.queue(request.user, current).count()
        context["decides"] = selectors.decider_paths(request.user) != []
    context["can_create"] = any(rules.can_administer(request.user, root) for root in scope_roots(request.user))
    return render(request, "evaluations/index.html", context)


@login_required
def period_detail(request, period_id):
    period = _period_or_404(request.user, period_id)
    context = {
        "period": period,
        "my_units": selectors.entry_units(request.user, period),
        "queue": selectors.queue(request.user, period)[:100],
        "late": selectors.late_units(request.user, period),
        "policies": selectors.policies_of(request.user, period),
        "can_admin": rules.can_administer(request.user, period.root),
        "can_add_policy": rules.can_add_policy(request.user, period),
    }
    return render(request, "evaluations/period.html", context)


@login_required
def unit_page(request, period_id, code):
    """The secretary's page: members with status, inline entry, own self-assessment, submit."""
    period, unit = _unit_in_period(request, period_id, code)
    data = selectors.roster(period=period, unit=unit)
    can_edit = rules.can_enter(request.user, unit) and data.is_editable and not period.is_locked
    context = {
        "period": period,
        "unit": unit,
        "roster": data,
        "can_edit": can_edit,
        "deadline": selectors.deadline_for(period, unit),
        "levels": services.RatingLevel.choices,
        "minutes_form": MinutesForm(initial=_minutes_initial(data.submission)),
        "recognition": _recognition(unit, period.year),
        "minutes_pdf": _minutes_panel(data.submission) if minutes.has_minutes(data.submission) else None,
        "entry_quota": selectors.entry_quota(period, unit) if can_edit and unit.level.is_branch else None,
    }
    return render(request, "evaluations/unit.html", context)


def _minutes_panel(submission, document=None) -> dict:
    """The rating page's PDF panel for the meeting's minutes (templates/documents/_pdf_panel.html)."""
    document = document or minutes.latest(submission)
    return {
        "doc": document,
        "current": minutes.is_current(document),
        "label": "Biên bản họp chi đoàn đánh giá, xếp loại",
        "request_url": reverse("evaluations:minutes_pdf", args=[submission.period_id, submission.unit.code]),
        "status_url": reverse("evaluations:minutes_status", args=[document.pk]) if document else "",
        "download_url": reverse("evaluations:minutes_download", args=[document.pk]) if document else "",
    }


@login_required
@require_POST
def minutes_pdf(request, period_id, code):
    period, unit = _unit_in_period(request, period_id, code)
    submission = selectors.roster(period=period, unit=unit).submission
    try:
        minutes.request_pdf(submission=submission or Submission(period=period, unit=unit), by=request.user)
        messages.info(request, "Đang tạo bản PDF biên bản họp; trang sẽ hiện nút tải khi xong.")
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect(reverse("evaluations:unit", args=[period.pk, unit.code]) + "#pdf")


@login_required
@require_GET
def minutes_status(request, pk):
    document = minutes.get_minutes_or_404(request.user, pk)
    panel = _minutes_panel(document.submission, minutes.latest(document.submission))
    return render(request, "documents/_pdf_panel.html", {"pdf": panel})


@login_required
@require_GET
def minutes_download(request, pk):
    document = minutes.get_minutes_or_404(request.user, pk)
    return pdfdocs.download(document, filename=minutes.filename(document))


def _recognition(org, year):
    """A đoàn cơ sở's "3 chủ động" outcome, shown beside its rating (a criterion of it)."""
    if org is None or not org.level.is_grassroots:
        return None
    return recognition.recognition_for(org, year)


def _minutes_initial(submission):
    if submission is None:
        return {}
    return {name: getattr(submission, name) for name in MinutesForm.base_fields}


def _autosave(request, period, unit, *, suggest: bool = False, quota: bool = False, **subject):
    """Shared body of the two inline saves: a small status fragment for htmx, and swapped into
    the page out of band what the save changed there: for the unit's own rating (``suggest``) the
    level its points now reach; for a member's (``quota``) the deciding unit's HTXSNV quota as the
    proposals stand."""
    require(rules.can_enter(request.user, unit))
    try:
        assessment = services.assessment_autosave(
            period=period, by=request.user, data=entry_data(request.POST), **subject
        )
    except ValidationError as exc:
        return render(request, "evaluations/_save_status.html", {"errors": exc.messages}, status=422)
    context = {"assessment": assessment, "suggest": suggest}
    if suggest:
        policy = effective_policy(period, unit, assessment.subject_type)
        context["suggested"] = suggested_level(policy, assessment.points)
    if quota:
        context["entry_quota"], context["quota_oob"] = selectors.entry_quota(period, unit), True
    return render(request, "evaluations/_save_status.html", context)


@login_required
@require_POST
def member_save(request, period_id, code, member_id):
    period, unit = _unit_in_period(request, period_id, code)
    member = get_object_or_404(Member.objects.select_related("branch"), pk=member_id, branch=unit)
    return _autosave(request, period, unit, quota=True, member=member)


@login_required
@require_POST
def own_save(request, period_id, code):
    period, unit = _unit_in_period(request, period_id, code)
    collective = request.POST.get("subject") == "collective"
    return _autosave(request, period, unit, suggest=not collective, organization=unit, collective=collective)


@login_required
@require_POST
def submit(request, period_id, code):
    period, unit = _unit_in_period(request, period_id, code)
    require(rules.can_enter(request.user, unit))
    form = MinutesForm(request.POST)
    if form.is_valid() and run_service(
        form, services.submission_submit, period=period, unit=unit, by=request.user, minutes=form.minutes()
    ):
        messages.success(request, f"Đã gửi hồ sơ xếp loại của {unit.name} lên cấp trên.")
    else:
        for error in form.errors.get("__all__", []) + [
            f"{form.fields[k].label}: {v[0]}" for k, v in form.errors.items() if k != "__all__"
        ]:
            messages.error(request, error)
    return redirect("evaluations:unit", period_id=period.pk, code=unit.code)


QUEUE_PAGE = 50  # batches a page: their subjects are counted and their integrity checked


@login_required
def queue(request, period_id):
    """Waiting batches, a page at a time, each with its integrity flags (the queue lists only
    batches the user decides, so the flags and their dismiss forms are theirs to see). Only the
    page's batches are checked: a province waits on hundreds, the nation on thousands."""
    period = _period_or_404(request.user, period_id)
    page = paginate(request, selectors.queue(request.user, period), per_page=QUEUE_PAGE)
    page.object_list = list(page.object_list)
    flags = integrity.batch_flags(page.object_list)
    for batch in page.object_list:
        batch.flags = flags.get(batch.pk, [])
    context = {"period": period, "queue": page, "page": page, "late": selectors.late_units(request.user, period)}
    return render(request, "evaluations/queue.html", context)


@login_required
@require_POST
def dismiss_flag(request, pk, code):
    """Bỏ qua one flag of a batch, with a reason (audited); the flag stays shown as dismissed."""
    submission = selectors.visible_submission(request.user, pk)
    require(rules.can_review(request.user, submission))
    form = ReasonForm(request.POST)
    if form.is_valid() and run_service(
        form, integrity.dismiss_flag, submission=submission, code=code, by=request.user, **form.cleaned_data
    ):
        messages.success(request, f"Đã bỏ qua dấu hiệu “{integrity.LABELS[code]}” của {submission.unit.name}.")
    _flash_errors(request, form)
    if request.POST.get("back") == "review":
        return redirect("evaluations:review", pk=submission.pk)
    return redirect("evaluations:queue", period_id=submission.period_id)


def _review_rows(user, submission, *, forms=False):
    """The batch's rows, each marked ``decidable`` when this user decides it (rules.can_decide on
    the row's own deciding unit), with the row's inline level form when the page shows them."""
    rows = selectors.submission_rows(submission)
    for a in rows:
        a.decidable = rules.can_decide(user, a.approving_unit)
        if forms:
            a.level_form = InlineLevelForm(assessment=a)
    return rows


@login_required
def review(request, pk):
    submission = selectors.visible_submission(request.user, pk)
    rows = _review_rows(request.user, submission, forms=True)
    can_review = rules.can_review(request.user, submission, rows)
    submission.flags = integrity.batch_flags([submission]).get(submission.pk, []) if can_review else []
    context = {
        "submission": submission,
        "period": submission.period,
        "rows": rows,
        "can_review": can_review,
        "meters": selectors.quota_meters(submission.period, rows),
        "approve_form": ApproveForm(),
        "return_form": ReasonForm(),
    }
    return render(request, "evaluations/review.html", context)


@login_required
@require_POST
def approve(request, pk):
    submission = selectors.visible_submission(request.user, pk)
    rows = _review_rows(request.user, submission)
    require(rules.can_review(request.user, submission, rows))
    rows = [a for a in rows if a.decidable]
    form = ApproveForm(request.POST, choices=[a.pk for a in rows])
    if form.is_valid():
        data = form.cleaned_data
        chosen = [a for a in rows if data["everything"] and a.status == "submitted" or a.pk in data["ids"]]
        count = run_service(
            form,
            services.assessments_approve,
            assessments=chosen,
            by=request.user,
            decision_number=data["decision_number"],
            decision_on=data["decision_on"],
        )
        if count:
            messages.success(request, f"Đã công nhận {count} phiếu.")
    _flash_errors(request, form)
    return redirect("evaluations:review", pk=submission.pk)


@login_required
@require_POST
def review_change_level(request, pk, assessment_id):
    """Đổi mức from one row of the review table: htmx gets the row back (and the quota, which the
    change may move); a plain post goes back to the page with a message."""
    submission = selectors.visible_submission(request.user, pk)
    assessment = get_object_or_404(submission.assessments.select_related("approving_unit"), pk=assessment_id)
    require(rules.can_decide(request.user, assessment.approving_unit))
    form = InlineLevelForm(request.POST, assessment=assessment)
    changed = form.is_valid() and run_service(
        form, services.assessment_change_level, assessment=assessment, by=request.user, **form.cleaned_data
    )
    if not request.headers.get("HX-Request"):
        if changed:
            messages.success(request, f"Đã đổi mức xếp loại của {assessment.subject_name}.")
        _flash_errors(request, form)
        return redirect("evaluations:review", pk=submission.pk)
    rows = _review_rows(request.user, submission, forms=True)
    row = next(a for a in rows if a.pk == assessment.pk)
    if not changed:
        row.level_form = form  # what was entered, with the reason it was refused
    can_review = rules.can_review(request.user, submission, rows)  # the page's columns, for the row
    context = {"a": row, "submission": submission, "can_review": can_review, "changed": bool(changed)}
    if changed:
        context["oob_meters"] = selectors.quota_meters(submission.period, rows)
    return render(request, "evaluations/_review_row.html", context, status=200 if changed else 422)


def _flash_errors(request, form):
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, error if field == "__all__" else f"{form.fields[field].label}: {error}")


@login_required
@require_POST
def return_submission(request, pk):
    submission = selectors.visible_submission(request.user, pk)
    require(rules.can_review(request.user, submission))
    form = ReasonForm(request.POST)
    if form.is_valid() and run_service(
        form, services.submission_return, submission=submission, by=request.user, reason=form.cleaned_data["reason"]
    ):
        messages.success(request, f"Đã trả lại hồ sơ của {submission.unit.name}.")
        return redirect("evaluations:queue", period_id=submission.period_id)
    _flash_errors(request, form)
    return redirect("evaluations:review", pk=submission.pk)


@login_required
def subject(request, pk):
    """One subject's rating with its full history (who, when, from, to, why)."""
    assessment = selectors.visible_assessment(request.user, pk)
    context = {
        "a": assessment,
        "period": assessment.period,
        "history": selectors.subject_history(assessment),
        "can_decide": rules.can_decide(request.user, assessment.approving_unit),
        "level_form": ChangeLevelForm(initial={"level": assessment.final_level or assessment.proposed_level}),
        "reopen_form": ReasonForm(),
        "recognition": _recognition(assessment.organization, assessment.period.year),
    }
    return render(request, "evaluations/subject.html", context)


def _subject_action(request, pk, form_class, call, done):
    assessment = selectors.visible_assessment(request.user, pk)
    require(rules.can_decide(request.user, assessment.approving_unit))
    form = form_class(request.POST)
    if form.is_valid() and run_service(form, call, assessment=assessment, by=request.user, **form.cleaned_data):
        messages.success(request, done)
    _flash_errors(request, form)
    return redirect("evaluations:subject", pk=assessment.pk)


@login_required
@require_POST
def change_level(request, pk):
    return _subject_action(request, pk, ChangeLevelForm, services.assessment_change_level, "Đã đổi mức xếp loại.")


@login_required
@require_POST
def reopen(request, pk):
    return _subject_action(request, pk, ReasonForm, services.assessment_reopen, "Đã mở lại kết quả để xét lại.")


@login_required
@require_http_methods(["GET", "POST"])
def period_form(request, period_id=None):
    period = _period_or_404(request.user, period_id) if period_id else None
    if period is not None:
        require(rules.can_administer(request.user, period.root))
    else:
        require(any(rules.can_administer(request.user, root) for root in scope_roots(request.user)))
    form = PeriodForm(request.POST or None, instance=period, user=request.user)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form, services.period_save, period=form.instance, by=request.user, deadlines=form.deadlines()
        )
        if saved is not None:
            messages.success(request, "Đã lưu đợt xếp loại.")
            return redirect("evaluations:period", period_id=saved.pk)
    return render(request, "evaluations/form.html", {"form": form, "title": "Đợt xếp loại", "period": period})


@login_required
@require_http_methods(["GET", "POST"])
def policy_form(request, period_id, pk=None):
    period = _period_or_404(request.user, period_id)
    policy = (
        get_scoped_or_404(request.user, RatingPolicy.objects.filter(period=period), "organization__path", pk=pk)
        if pk
        else RatingPolicy(period=period)
    )
    require(
        rules.can_administer(request.user, policy.organization) if pk else rules.can_add_policy(request.user, period)
    )
    form = PolicyForm(request.POST or None, instance=policy, user=request.user)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.policy_save, policy=form.instance, by=request.user) is not None:
            messages.success(request, "Đã lưu quy định xếp loại.")
            return redirect("evaluations:period", period_id=period.pk)
    return render(request, "evaluations/form.html", {"form": form, "title": "Quy định xếp loại", "period": period})


@login_required
@require_http_methods(["GET", "POST"])
def frame_form(request, period_id, pk):
    """Khung tiêu chí of one policy: thresholds and criteria (a lower unit adds its own)."""
    period = _period_or_404(request.user, period_id)
    policy = get_scoped_or_404(
        request.user,
        RatingPolicy.objects.filter(period=period).select_related("organization"),
        "organization__path",
        pk=pk,
    )
    require(rules.can_administer(request.user, policy.organization))
    frame = CriteriaFrame.objects.filter(policy=policy).first() or CriteriaFrame(
        policy=policy, name=f"Khung tiêu chí {policy}"
    )
    form = FrameForm(request.POST or None, instance=frame)
    formset = CriterionFormSet(request.POST or None, instance=frame)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        criteria = [f.save(commit=False) for f in formset.forms if f.has_changed() and f not in formset.deleted_forms]
        removed = [f.instance for f in formset.deleted_forms if f.instance.pk]
        if run_service(
            form, services.frame_save, frame=form.instance, by=request.user, criteria=criteria, removed=removed
        ):
            messages.success(request, "Đã lưu khung tiêu chí.")
            return redirect("evaluations:period", period_id=period.pk)
    context = {"form": form, "formset": formset, "title": f"Khung tiêu chí — {policy}", "period": period}
    return render(request, "evaluations/frame.html", context)


@login_required
@require_POST
def lock(request, period_id):
    period = _period_or_404(request.user, period_id)
    require(rules.can_administer(request.user, period.root))
    try:
        count = services.period_lock(period=period, by=request.user)
        messages.success(request, f"Đã khóa {count} kết quả.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("evaluations:period", period_id=period.pk)
