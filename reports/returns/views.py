"""Pages of returns to the level above: scope (404 outside), role (the service refuses), one
service call, redirect. The figures shown are always the frozen ones of the return."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.scoping import get_org_or_404
from organizations.views_helpers import require, run_action, run_service
from reports import excel, pdf
from reports import selectors as report_selectors
from reports.charts import render_chart
from reports.serialize import from_json

from . import consolidation, diff, reasons, rules, selectors, services
from .forms import DeadlineForm, KindYearForm, ReasonForm, SourceForm
from .models import Return


@login_required
@require_GET
def index(request):
    user = request.user
    units = selectors.own_units(user)
    return render(
        request,
        "returns/index.html",
        {
            "waiting": list(selectors.waiting_for(user)[:50]),
            "sent": list(selectors.returns_in_scope(user).filter(root__in=units)[:50]),
            "receiving": [u for u in units if not u.level.is_branch],
        },
    )


@login_required
@require_GET
def detail(request, pk):
    ret = selectors.get_return_or_404(request.user, pk)
    data = from_json(ret.data)
    context = {
        "ret": ret,
        "data": data,
        "charts": [render_chart(c) for c in data.charts],
        "versions": selectors.versions(ret),
        "last_year": selectors.last_year(ret),
        "can_decide": ret.is_pending and rules.can_decide(request.user, ret),
        "reason_form": ReasonForm(),
    }
    return render(request, "returns/detail.html", context)


@login_required
@require_POST
def submit_job(request, job_pk):
    """The report page's "Gửi cấp trên": the job's figures, as the officer saw them."""
    job = report_selectors.get_job_or_404(request.user, job_pk)
    require(rules.can_submit(request.user, job.root))
    try:
        ret = services.submit(kind=job.kind, root=job.root, year=job.year, job=job, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("reports:job", pk=job.pk)
    messages.success(request, f"Đã gửi bản số {ret.version} lên {ret.receiver.name if ret.receiver else 'cấp trên'}.")
    return redirect("returns:detail", pk=ret.pk)


@login_required
@require_POST
def accept(request, pk):
    ret = selectors.get_return_or_404(request.user, pk)
    require(rules.can_decide(request.user, ret))
    run_action(request, services.accept, done=f"Đã tiếp nhận bản số {ret.version}.", ret=ret)
    return redirect("returns:detail", pk=ret.pk)


@login_required
@require_POST
def send_back(request, pk):
    ret = selectors.get_return_or_404(request.user, pk)
    require(rules.can_decide(request.user, ret))
    form = ReasonForm(request.POST)
    if form.is_valid():
        if run_service(form, services.send_back, ret=ret, reason=form.cleaned_data["reason"], by=request.user):
            messages.success(request, f"Đã trả lại bản số {ret.version}.")
            return redirect("returns:detail", pk=ret.pk)
    messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("returns:detail", pk=ret.pk)


@login_required
@require_GET
def compare(request, pk, other):
    """Two returns side by side: the older on the left, with the history between their times."""
    first = selectors.get_return_or_404(request.user, pk)
    second = selectors.get_return_or_404(request.user, other)
    if (first.kind, first.root_id) != (second.kind, second.root_id):
        messages.error(request, "Chỉ so sánh được hai báo cáo cùng loại của cùng một đơn vị.")
        return redirect("returns:detail", pk=first.pk)
    before, after = sorted((first, second), key=lambda r: (r.year, r.submitted_at))
    result = diff.compare(before.data, after.data)
    why = reasons.between(root=after.root, since=before.submitted_at, until=after.submitted_at)
    for table in result.tables:
        for row in table.changed_rows:
            row.reasons = why.for_row(row.key)
    context = {"before": before, "after": after, "diff": result, "reasons": why}
    return render(request, "returns/compare.html", context)


def _file(ret: Return, extension: str) -> str:
    return f"bao-cao-gui-cap-tren-{ret.kind}-{ret.root.code}-{ret.year}-ban-{ret.version}.{extension}"


def _signer(ret: Return) -> str:
    user = ret.submitted_by
    return (user.get_full_name() or user.username) if user else ""


@login_required
@require_GET
def download(request, pk, extension):
    """The frozen figures as the workbook or the PDF, their version and sending time at the foot."""
    ret = selectors.get_return_or_404(request.user, pk)
    if extension not in ("xlsx", "pdf"):
        raise Http404("Chỉ tải được tệp Excel (.xlsx) hoặc PDF (.pdf).")
    data, buffer = from_json(ret.data), io.BytesIO()
    write = excel.write_workbook if extension == "xlsx" else pdf.write_pdf
    write(data, buffer, by=_signer(ret), generated_at=ret.submitted_at, footer=ret.footer())
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=_file(ret, extension))


def _kind_year(request) -> tuple[KindYearForm, str, int]:
    form = KindYearForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["kind"], form.cleaned_data["year"]
    if form.is_bound:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return (
        KindYearForm(initial={"kind": "ratings", "year": timezone.localdate().year}),
        "ratings",
        timezone.localdate().year,
    )


@login_required
@require_http_methods(["GET", "POST"])
def received(request, code):
    """The receiving unit's page: each child's newest return, on time or late; the deadline."""
    unit = get_org_or_404(request.user, code)
    deadline_form = DeadlineForm(request.POST or None)
    if request.method == "POST":
        require(rules.is_officer_of(request.user, unit))
        if deadline_form.is_valid():
            row = run_service(
                deadline_form, services.set_deadline, organization=unit, by=request.user, **deadline_form.cleaned_data
            )
            if row is not None:
                messages.success(request, f"Đã đặt hạn gửi {row.due_on:%d/%m/%Y}.")
                return redirect(f"{reverse('returns:received', args=[unit.code])}?kind={row.kind}&year={row.year}")
    form, kind, year = _kind_year(request)
    context = {
        "unit": unit,
        "form": form,
        "kind": kind,
        "year": year,
        "rows": selectors.received(unit=unit, kind=kind, year=year),
        "deadline_form": deadline_form
        if deadline_form.is_bound
        else DeadlineForm(initial={"kind": kind, "year": year}),
        "can_set_deadline": rules.is_officer_of(request.user, unit),
        "can_consolidate": kind in consolidation.KINDS,
    }
    return render(request, "returns/received.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def consolidate(request, code):
    """Signed against live, per child; and the unit's own return built from either."""
    unit = get_org_or_404(request.user, code)
    form, kind, year = _kind_year(request)
    source_form = SourceForm(request.POST or None)
    if request.method == "POST":
        require(rules.can_submit(request.user, unit))
        if source_form.is_valid():
            source = source_form.cleaned_data["source"]
            ret = run_service(
                source_form, services.submit, kind=kind, root=unit, year=year, source=source, by=request.user
            )
            if ret is not None:
                messages.success(request, f"Đã gửi bản số {ret.version}.")
                return redirect("returns:detail", pk=ret.pk)
    try:
        comparison = consolidation.compare(kind=kind, root=unit, year=year)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("returns:received", code=unit.code)
    context = {
        "unit": unit,
        "form": form,
        "kind": kind,
        "year": year,
        "comparison": comparison,
        "source_form": source_form,
        "can_submit": rules.can_send_job(request.user, unit),
    }
    return render(request, "returns/consolidate.html", context)
