"""Pages of the "3 chủ động" workflow: scope, permission, form, one service call, redirect."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations import audit, pdfdocs
from organizations.scoping import MANAGER_ROLES, get_org_or_404, has_role_over
from organizations.views_helpers import paginate, require, run_service, stream_stored

from . import documents, excel, rules, selectors, services
from .forms import (
    AssignForm,
    CampaignForm,
    CriterionForm,
    DecisionForm,
    EvaluationForm,
    FlagForm,
    FollowUpForm,
    ReasonForm,
    RegistrationForm,
    ResolveForm,
    YearsForm,
    campaign_provinces,
)
from .models import Registration, RenderedDocument

Status = Registration.Status


def _holder() -> forms.Form:
    """A bound, empty form that collects a service's refusal when the action has no form."""
    holder = forms.Form({})
    holder.is_valid()
    return holder


def _back(request, fallback: str):
    """Return to the page the form was posted from (the board or the detail), never off-site."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@login_required
@require_GET
def index(request):
    user = request.user
    campaigns = list(selectors.visible_campaigns(user)[:12])
    own = selectors.own_units(user)
    regs = {
        (r.campaign_id, r.organization_id): r
        for r in selectors.registrations(user).filter(organization__in=own, campaign__in=campaigns)
    }
    rows = [
        {
            "campaign": c,
            "boards": selectors.board_units(user, c),
            "reviewer": rules.can_review(user, c),
            "own": [(u, regs.get((c.pk, u.pk))) for u in own if u.path.startswith(c.province.path)],
        }
        for c in campaigns
    ]
    return render(request, "recognition/index.html", {"rows": rows, "can_create": campaign_provinces(user).exists()})


@login_required
@require_http_methods(["GET", "POST"])
def campaign_create(request):
    require(campaign_provinces(request.user).exists())
    form = CampaignForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        campaign = run_service(form, services.campaign_create, by=request.user, **form.cleaned_data)
        if campaign:
            messages.success(request, f"Đã mở đợt “{campaign.name}” với {campaign.criteria.count()} tiêu chí.")
            return redirect("recognition:campaign", pk=campaign.pk)
    return render(request, "recognition/form.html", {"form": form, "title": "Mở đợt “3 chủ động”", "multipart": False})


@login_required
@require_GET
def campaign_detail(request, pk):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    own = [u for u in selectors.own_units(request.user) if u.path.startswith(campaign.province.path)]
    regs = {r.organization_id: r for r in campaign.registrations.filter(organization__in=own)}
    context = {
        "campaign": campaign,
        "criteria": campaign.criteria.all(),
        "can_manage": rules.can_manage_campaign(request.user, campaign.province),
        "boards": selectors.board_units(request.user, campaign),
        "can_review": rules.can_review(request.user, campaign),
        "own": [(u, regs.get(u.pk)) for u in own],
    }
    return render(request, "recognition/campaign.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def criterion_edit(request, pk, number=None):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    require(rules.can_manage_campaign(request.user, campaign.province))
    criterion = campaign.criteria.filter(number=number).first() if number else None
    if number and criterion is None:
        return redirect("recognition:campaign", pk=campaign.pk)
    initial = (
        {"title": criterion.title, "description": criterion.description, "sub_criteria": criterion.sub_criteria}
        if criterion
        else None
    )
    form = CriterionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if run_service(
            form, services.criterion_save, campaign=campaign, criterion=criterion, by=request.user, **form.cleaned_data
        ):
            messages.success(request, "Đã lưu tiêu chí.")
            return redirect("recognition:campaign", pk=campaign.pk)
    title = f"Tiêu chí {criterion.number}" if criterion else "Thêm tiêu chí"
    return render(request, "recognition/form.html", {"form": form, "title": title, "campaign": campaign})


@login_required
@require_http_methods(["GET", "POST"])
def register(request, pk, code):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    org = get_org_or_404(request.user, code)
    require(rules.can_register(request.user, org))
    registration = campaign.registrations.filter(organization=org).first()
    if registration and not registration.is_editable:
        return redirect("recognition:registration", pk=registration.pk)
    plans = {p.criterion_id: p.text for p in registration.plans.all()} if registration else {}
    form = RegistrationForm(request.POST or None, request.FILES or None, campaign=campaign, plans=plans)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        saved = run_service(
            form,
            services.registration_update,
            campaign=campaign,
            organization=org,
            by=request.user,
            plans=form.plans(),
            file=form.cleaned_data.get("file"),
            submit=submit,
        )
        if saved:
            messages.success(request, "Đã gửi đăng ký lên cấp trên." if submit else "Đã lưu bản nháp.")
            if submit:
                return redirect("recognition:registration", pk=saved.pk)
            return redirect("recognition:register", pk=campaign.pk, code=org.code)
    context = {
        "campaign": campaign,
        "org": org,
        "form": form,
        "registration": registration,
        "attachments": registration.attachments.all() if registration else [],
        "late": timezone.localdate() > campaign.registration_deadline,
    }
    return render(request, "recognition/register.html", context)


@login_required
@require_GET
def board(request, pk, code):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    unit = get_org_or_404(request.user, code)
    require(rules.can_see_board(request.user, unit))
    qs = selectors.board(campaign, unit)
    page = paginate(request, qs, per_page=100)
    choices = {}
    for reg in page:
        if reg.receiving_unit_id not in choices and rules.can_assign(request.user, reg):
            choices[reg.receiving_unit_id] = list(services.cadre_choices(reg))
    context = {
        "campaign": campaign,
        "org": unit,
        "page": page,
        "counts": selectors.status_counts(qs),
        "report": selectors.report_of(campaign, unit),
        "choices": choices,
        "can_send": rules.can_send_report(request.user, campaign, unit),
        "can_decide": rules.can_decide_at(request.user, unit),
        "assignable": {"submitted", "accepted", "evaluated"},
    }
    return render(request, "recognition/board.html", context)


@login_required
@require_GET
def board_xlsx(request, pk, code):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    unit = get_org_or_404(request.user, code)
    require(rules.can_see_board(request.user, unit))
    columns, rows = excel.board_rows(
        services.reportable(campaign, unit)
        .select_related("organization", "receiving_unit", "cadre")
        .order_by("organization__path")
    )
    title = f"DANH SÁCH ĐOÀN CƠ SỞ ĐĂNG KÝ “3 CHỦ ĐỘNG” NĂM {campaign.year}"
    by = excel.by_name(request.user)
    content = excel.workbook_bytes(title=title, unit=unit, year=campaign.year, columns=columns, rows=rows, by=by)
    return excel.xlsx_response(content, f"dang-ky-3-chu-dong-{campaign.year}-{unit.code}.xlsx")


@login_required
@require_POST
def report_send(request, pk, code):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    unit = get_org_or_404(request.user, code)
    require(rules.can_send_report(request.user, campaign, unit))
    report = services.report_send(campaign=campaign, unit=unit, by=request.user)
    late = " (muộn so với hạn)" if report.is_late else ""
    messages.success(
        request, f"Đã gửi báo cáo {report.registrant_count} đơn vị đăng ký lên {campaign.province.name}{late}."
    )
    return redirect("recognition:board", pk=campaign.pk, code=unit.code)


def _registration_context(request, reg: Registration, **forms) -> dict:
    user = request.user
    follow = rules.can_follow(user, reg)
    context = {
        "reg": reg,
        "campaign": reg.campaign,
        "org": reg.organization,
        "plans": reg.plans.select_related("criterion"),
        "attachments": reg.attachments.all(),
        "followups": reg.followups.select_related("author", "fieldwork_visit__target"),
        "scores": reg.evaluations.select_related("criterion"),
        "history": audit.history(reg)[:50],
        "can_register": rules.can_register(user, reg.organization),
        "can_follow": follow,
        "can_assign": rules.can_assign(user, reg),
        "can_decide": rules.can_decide(user, reg),
        "assign_form": forms.get("assign_form") or AssignForm(registration=reg, initial={"cadre": reg.cadre_id}),
        "return_form": forms.get("return_form") or ReasonForm(),
        "followup_form": forms.get("followup_form")
        or FollowUpForm(registration=reg, initial={"on_date": timezone.localdate()}),
        "minutes_pdf": _pdf_panel(RenderedDocument.Kind.MINUTES, reg) if documents.has_minutes(reg) else None,
    }
    return context


@login_required
@require_GET
def registration_detail(request, pk):
    reg = selectors.get_registration_or_404(request.user, pk)
    return render(request, "recognition/registration.html", _registration_context(request, reg))


def _registration_action(request, pk, *, form_class, context_key, allowed, call, done: str, form_kwargs=None):
    """One body for the POST actions of the registration page: scope, role, form, service, back."""
    reg = selectors.get_registration_or_404(request.user, pk)
    require(allowed(request.user, reg))
    form = form_class(request.POST, **(form_kwargs(reg) if form_kwargs else {})) if form_class else None
    if form is None or form.is_valid():
        holder = form or _holder()
        if run_service(holder, call, reg, form.cleaned_data if form else {}) is not None:
            messages.success(request, done)
            return _back(request, reverse("recognition:registration", args=[reg.pk]))
        form = holder
    if context_key is None:
        for error in form.non_field_errors():
            messages.error(request, error)
        return _back(request, reverse("recognition:registration", args=[reg.pk]))
    return render(
        request, "recognition/registration.html", _registration_context(request, reg, **{context_key: form}), status=400
    )


@login_required
@require_POST
def accept(request, pk):
    return _registration_action(
        request,
        pk,
        form_class=None,
        context_key=None,
        allowed=rules.can_follow,
        call=lambda reg, _: services.registration_accept(registration=reg, by=request.user),
        done="Đã tiếp nhận đăng ký.",
    )


@login_required
@require_POST
def return_registration(request, pk):
    return _registration_action(
        request,
        pk,
        form_class=ReasonForm,
        context_key="return_form",
        allowed=rules.can_follow,
        call=lambda reg, d: services.registration_return(registration=reg, reason=d["reason"], by=request.user),
        done="Đã trả lại đăng ký để đoàn cơ sở bổ sung.",
    )


@login_required
@require_POST
def assign(request, pk):
    return _registration_action(
        request,
        pk,
        form_class=AssignForm,
        context_key="assign_form",
        allowed=rules.can_assign,
        form_kwargs=lambda reg: {"registration": reg},
        call=lambda reg, d: services.cadre_assign(registration=reg, cadre=d["cadre"], by=request.user),
        done="Đã phân công cán bộ theo dõi.",
    )


@login_required
@require_POST
def followup(request, pk):
    return _registration_action(
        request,
        pk,
        form_class=FollowUpForm,
        context_key="followup_form",
        allowed=rules.can_follow,
        form_kwargs=lambda reg: {"registration": reg},
        call=lambda reg, d: services.followup_add(registration=reg, by=request.user, **d),
        done="Đã ghi nội dung theo dõi.",
    )


@login_required
@require_GET
def attachment(request, pk):
    att = selectors.get_attachment_or_404(request.user, pk)
    return stream_stored(att.file, filename=att.original_name, missing="Tệp đính kèm không còn trên máy chủ.")


@login_required
@require_POST
def attachment_delete(request, pk):
    att = selectors.get_attachment_or_404(request.user, pk)
    reg = att.registration
    require(rules.can_register(request.user, reg.organization))
    holder = _holder()
    if run_service(holder, services.attachment_remove, attachment=att, by=request.user) is None:
        for error in holder.non_field_errors():
            messages.error(request, error)
    return redirect("recognition:register", pk=reg.campaign_id, code=reg.organization.code)


@login_required
@require_http_methods(["GET", "POST"])
def evaluate(request, pk):
    reg = selectors.get_registration_or_404(request.user, pk)
    require(rules.can_follow(request.user, reg))
    form = EvaluationForm(request.POST or None, registration=reg)
    if request.method == "POST" and form.is_valid():
        if run_service(form, services.evaluation_save, registration=reg, scores=form.scores(), by=request.user):
            messages.success(request, "Đã lưu kết quả đánh giá.")
            return redirect("recognition:registration", pk=reg.pk)
    return render(request, "recognition/evaluate.html", {"reg": reg, "form": form, "campaign": reg.campaign})


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request, pk, code):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    unit = get_org_or_404(request.user, code)
    require(rules.can_decide_at(request.user, unit))
    candidates = list(
        campaign.registrations.filter(receiving_unit=unit, status=Status.EVALUATED)
        .select_related("organization")
        .prefetch_related("evaluations")
        .order_by("organization__path")
    )
    criteria_count = campaign.criteria.count()
    form = DecisionForm(request.POST or None, candidates=candidates, criteria_count=criteria_count)
    if request.method == "POST" and form.is_valid():
        decision = run_service(
            form,
            services.decision_issue,
            campaign=campaign,
            issued_by=unit,
            by=request.user,
            outcomes=form.outcomes(),
            **{k: form.cleaned_data[k] for k in ("number", "signed_on", "signer")},
        )
        if decision:
            messages.success(request, f"Đã ban hành {decision}.")
            return redirect("recognition:decision", pk=decision.pk)
    return render(
        request,
        "recognition/decision_form.html",
        {"campaign": campaign, "org": unit, "form": form, "criteria_count": criteria_count},
    )


@login_required
@require_GET
def decision_detail(request, pk):
    decision = selectors.get_decision_or_404(request.user, pk)
    context = {
        "decision": decision,
        "campaign": decision.campaign,
        "registrations": decision.registrations.select_related("organization").order_by("organization__path"),
        "flags": decision.flags.select_related("raised_by", "resolved_by"),
        "can_review": rules.can_review(request.user, decision.campaign),
        "can_answer": rules.can_decide_at(request.user, decision.issued_by),
        "flag_form": FlagForm(),
        "resolve_form": ResolveForm(),
        "history": audit.history(decision)[:30],
        "decision_pdf": _pdf_panel(RenderedDocument.Kind.DECISION, decision),
    }
    return render(request, "recognition/decision.html", context)


@login_required
@require_POST
def flag_add(request, pk):
    decision = selectors.get_decision_or_404(request.user, pk)
    require(rules.can_review(request.user, decision.campaign))
    form = FlagForm(request.POST)
    if form.is_valid() and run_service(
        form, services.flag_raise, decision=decision, by=request.user, **form.cleaned_data
    ):
        messages.success(request, "Đã gắn cờ yêu cầu xem lại quyết định.")
    else:
        messages.error(request, "Cần ghi nội dung cần xem lại.")
    return redirect("recognition:decision", pk=decision.pk)


@login_required
@require_POST
def flag_resolve(request, pk):
    flag = selectors.get_flag_or_404(request.user, pk)
    require(rules.can_resolve(request.user, flag))
    form = ResolveForm(request.POST)
    if form.is_valid() and run_service(form, services.flag_resolve, flag=flag, by=request.user, **form.cleaned_data):
        messages.success(request, "Đã ghi kết quả xử lý.")
    else:
        for error in form.non_field_errors() or ["Cần ghi kết quả xử lý."]:
            messages.error(request, error)
    return redirect("recognition:decision", pk=flag.decision_id)


@login_required
@require_GET
def review(request, pk):
    campaign = selectors.get_campaign_or_404(request.user, pk)
    require(rules.can_review(request.user, campaign))
    context = {
        "campaign": campaign,
        "decisions": selectors.decisions_for_review(campaign),
        "reports": campaign.reports.select_related("unit", "sent_by").order_by("unit__path"),
        "missing": selectors.units_without_report([campaign])[campaign.pk],
        "overdue": timezone.localdate() > campaign.report_deadline,
    }
    return render(request, "recognition/review.html", context)


def _commendation(request, code):
    root = get_org_or_404(request.user, code)
    require(has_role_over(request.user, root, MANAGER_ROLES))
    year = timezone.localdate().year
    form = YearsForm(request.GET or {"years": f"{year - 2}, {year - 1}, {year}"})
    years = form.cleaned_data["years"] if form.is_valid() else []
    return root, form, years, selectors.commendation_rows(root, years) if years else []


@login_required
@require_GET
def commendation(request, code):
    root, form, years, rows = _commendation(request, code)
    return render(request, "recognition/commendation.html", {"org": root, "form": form, "years": years, "rows": rows})


@login_required
@require_GET
def commendation_xlsx(request, code):
    root, form, years, rows = _commendation(request, code)
    columns, data = excel.commendation_rows(rows, years)
    listed = ", ".join(map(str, years))
    title = f"ĐOÀN CƠ SỞ “3 CHỦ ĐỘNG” ĐƯỢC CÔNG NHẬN CÁC NĂM {listed}"
    by = excel.by_name(request.user)
    content = excel.workbook_bytes(title=title, unit=root, year=listed, columns=columns, rows=data, by=by)
    return excel.xlsx_response(content, f"tuyen-duong-3-chu-dong-{root.code}.xlsx")


_PDF_REQUEST = {
    RenderedDocument.Kind.DECISION: "recognition:decision_pdf",
    RenderedDocument.Kind.MINUTES: "recognition:minutes_pdf",
}


def _pdf_panel(kind: str, target, document: RenderedDocument | None = None) -> dict:
    """What the page's PDF panel shows: the last rendering (its progress, its file) and whether it
    still holds the document's text; "Tạo PDF" when there is none or it is stale or failed."""
    document = document or documents.latest(kind, target)
    return {
        "doc": document,
        "current": documents.is_current(document),
        "label": RenderedDocument.Kind(kind).label,
        "request_url": reverse(_PDF_REQUEST[kind], args=[target.pk]),
        "status_url": reverse("recognition:document_status", args=[document.pk]) if document else "",
        "download_url": reverse("recognition:document", args=[document.pk]) if document else "",
    }


def _pdf_requested(request, kind: str, target, back: str):
    documents.request_pdf(kind=kind, target=target, by=request.user)
    messages.info(request, "Đang tạo bản PDF; trang sẽ hiện nút tải khi xong.")
    return redirect(f"{back}#pdf")


@login_required
@require_POST
def decision_pdf(request, pk):
    decision = selectors.get_decision_or_404(request.user, pk)
    back = reverse("recognition:decision", args=[pk])
    return _pdf_requested(request, RenderedDocument.Kind.DECISION, decision, back)


@login_required
@require_POST
def minutes_pdf(request, pk):
    reg = selectors.get_registration_or_404(request.user, pk)
    back = reverse("recognition:registration", args=[pk])
    if not documents.has_minutes(reg):
        messages.error(
            request, f"Đăng ký của “{reg.organization.name}” chưa được kiểm tra, đánh giá: chưa có biên bản."
        )
        return redirect(back)
    return _pdf_requested(request, RenderedDocument.Kind.MINUTES, reg, back)


@login_required
@require_GET
def document_status(request, pk):
    document = documents.get_document_or_404(request.user, pk)
    target = document.decision or document.registration
    panel = _pdf_panel(document.kind, target, documents.latest(document.kind, target))
    return render(request, "documents/_pdf_panel.html", {"pdf": panel})


@login_required
@require_GET
def document_download(request, pk):
    document = documents.get_document_or_404(request.user, pk)
    return pdfdocs.download(document, filename=documents.filename(document))
