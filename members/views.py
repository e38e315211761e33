import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.scoping import get_org_or_404, scope_roots
from organizations.selectors import breadcrumbs
from organizations.views_helpers import paginate, require, run_action, run_service

from . import exporting, import_jobs, selectors, services
from . import import_errors as import_errors_xlsx
from .forms import (
    DeathForm,
    FilterForm,
    KeepForm,
    MatureForm,
    MemberForm,
    PositionForm,
    RefuseForm,
    RemoveForm,
    TransferRequestForm,
    UploadForm,
)
from .importing import get_importer, kinds
from .models import MemberPosition
from .permissions import can_manage_members, can_manage_under, can_see_personal_data, may_import
from .validation import age_on

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
IMPORT_ERRORS_PER_PAGE = 100


def _data(request):
    """The posted data, or None on GET (an empty POST still binds: every field may be optional)."""
    return request.POST if request.method == "POST" else None


def _run(form, call, **kwargs):
    """Call a service; a rule it refuses becomes an error on the field it names, or the form."""
    try:
        return call(**kwargs)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            for message in exc.messages:
                form.add_error(None, message)
    return None


@login_required
def index(request):
    """The member list of the user's scope root (or the choice of roots)."""
    roots = scope_roots(request.user)
    if len(roots) == 1:
        return redirect("members:unit", code=roots[0].code)
    return render(request, "members/roots.html", {"roots": roots})


@login_required
@require_GET
def unit(request, code):
    org = get_org_or_404(request.user, code)
    form = FilterForm(request.GET or None)
    filters = form.filters()
    # With no filter the roster's size is the summary row: no count query at national scale.
    total = org.members_total if not filters else None
    page = selectors.keyset_page(
        selectors.roster(org, **filters, user=request.user), cursor=request.GET.get("sau", ""), total=total
    )
    query = request.GET.copy()
    query.pop("sau", None)
    context = {
        "org": org,
        "form": form,
        "page": page,
        "crumbs": breadcrumbs(request.user, org),
        "query": query.urlencode(),
        "can_manage": can_manage_under(request.user, org),
    }
    return render(request, "members/unit.html", context)


@login_required
@require_GET
def export(request, code):
    org = get_org_or_404(request.user, code)
    filters = FilterForm(request.GET or None).filters()
    roster = selectors.roster(org, **filters, user=request.user)
    return _workbook(
        lambda out: exporting.export_members(roster, out, unit=org, user=request.user), f"doan-vien-{org.code}"
    )


def _workbook(write, name: str) -> FileResponse:
    """``write(out)``'s workbook as a download named ``name``.xlsx, through a temporary file."""
    out = tempfile.TemporaryFile()
    write(out)
    out.seek(0)
    return FileResponse(out, as_attachment=True, filename=f"{name}.xlsx", content_type=XLSX)


@login_required
@require_http_methods(["GET", "POST"])
def create(request, code, admission=False):
    branch = get_org_or_404(request.user, code)
    if not branch.level.is_branch:
        raise Http404("Đoàn viên chỉ được thêm vào một chi đoàn.")
    require(can_manage_members(request.user, branch))
    form = MemberForm(_data(request), admission=admission)
    if request.method == "POST" and form.is_valid():
        member = _run(
            form,
            services.create_member,
            branch=branch,
            by=request.user,
            admission=admission,
            reason=form.cleaned_data["reason"],
            confirm_duplicate=form.cleaned_data["confirm_duplicate"],
            **form.service_fields(),
        )
        if member is not None:
            messages.success(request, f"Đã {'kết nạp' if admission else 'thêm'} đoàn viên {member.full_name}.")
            return redirect("members:detail", pk=member.pk)
    title = "Kết nạp đoàn viên" if admission else "Thêm hồ sơ đoàn viên"
    return render(
        request,
        "members/form.html",
        {"form": form, "title": title, "org": branch, "crumbs": breadcrumbs(request.user, branch)},
    )


@login_required
@require_GET
def detail(request, pk):
    member = selectors.member_for(request.user, pk)
    context = {
        "member": member,
        "org": member.branch,
        "crumbs": breadcrumbs(request.user, member.branch),
        "age": age_on(member.birth_date, timezone.localdate()),
        "events": selectors.history(member),
        "positions": selectors.positions(member),
        "transfers": member.transfers.select_related("from_branch", "to_branch"),
        "can_manage": can_manage_members(request.user, member.branch),
        "sees_personal": can_see_personal_data(request.user, member.branch),
        "position_form": PositionForm(user=request.user),
    }
    return render(request, "members/detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk):
    member = selectors.member_for(request.user, pk)
    require(can_manage_members(request.user, member.branch))
    form = MemberForm(_data(request), instance=member)
    if request.method == "POST" and form.is_valid():
        fresh = selectors.member_for(request.user, pk)  # the form wrote onto ``member``
        if _run(
            form,
            services.update_member,
            member=fresh,
            by=request.user,
            reason=form.cleaned_data["reason"],
            **form.service_fields(),
        ):
            messages.success(request, "Đã lưu hồ sơ.")
            return redirect("members:detail", pk=pk)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": f"Sửa hồ sơ: {member.full_name}",
            "org": member.branch,
            "member": member,
            "crumbs": breadcrumbs(request.user, member.branch),
        },
    )


# action slug -> (title, form, service, how the form's data become the service's arguments)
ACTIONS = {
    "chuyen-di": ("Chuyển sinh hoạt đi", TransferRequestForm, services.request_transfer),
    "truong-thanh": ("Trưởng thành Đoàn", MatureForm, services.mature),
    "giu-lai": ("Giữ lại sinh hoạt sau 30 tuổi", KeepForm, services.keep_after_30),
    "xoa-ten": ("Xóa tên đoàn viên", RemoveForm, services.remove),
    "tu-tran": ("Ghi nhận từ trần", DeathForm, services.record_death),
}


@login_required
@require_http_methods(["GET", "POST"])
def action(request, pk, slug):
    if slug not in ACTIONS:
        raise Http404
    title, form_class, service = ACTIONS[slug]
    member = selectors.member_for(request.user, pk)
    require(can_manage_members(request.user, member.branch))
    # the transfer form needs the user: a destination outside their scope must be named by code and name
    context = {"user": request.user, "member": member} if form_class is TransferRequestForm else {}
    form = form_class(_data(request), **context)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "") or k == "reason"}
        if _run(form, service, member=member, by=request.user, **data) is not None:
            messages.success(request, f"Đã ghi nhận: {title.lower()}.")
            return redirect("members:detail", pk=pk)
    return render(
        request,
        "members/form.html",
        {
            "form": form,
            "title": f"{title}: {member.full_name}",
            "org": member.branch,
            "member": member,
            "crumbs": breadcrumbs(request.user, member.branch),
        },
    )


@login_required
@require_POST
def position_add(request, pk):
    member = selectors.member_for(request.user, pk)
    require(can_manage_members(request.user, member.branch))
    form = PositionForm(request.POST, user=request.user)
    if form.is_valid() and _run(form, services.assign_position, member=member, by=request.user, **form.cleaned_data):
        messages.success(request, "Đã ghi nhận chức vụ.")
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("members:detail", pk=pk)


@login_required
@require_POST
def position_end(request, pk):
    position = MemberPosition.objects.select_related("member").filter(pk=pk).first()
    member = selectors.member_for(request.user, position.member_id if position else 0)
    require(can_manage_members(request.user, member.branch))
    services.end_position(position=position, by=request.user)
    messages.success(request, "Đã kết thúc chức vụ.")
    return redirect("members:detail", pk=member.pk)


@login_required
@require_GET
def transfers(request):
    context = {
        "incoming": selectors.pending_in(request.user)[:200],
        "outgoing": selectors.pending_out(request.user)[:200],
    }
    return render(request, "members/transfers.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def transfer_decide(request, pk, decision):
    if decision not in ("nhan", "tu-choi", "huy"):
        raise Http404
    transfer = selectors.transfer_for(request.user, pk)
    side = transfer.from_branch if decision == "huy" else transfer.to_branch
    require(can_manage_members(request.user, side))
    form = RefuseForm(_data(request)) if decision != "nhan" else RefuseForm()
    if request.method == "POST":
        done = None
        if decision == "nhan":
            done = _run(form, services.accept_transfer, transfer=transfer, by=request.user)
        elif form.is_valid():
            call = services.refuse_transfer if decision == "tu-choi" else services.cancel_transfer
            done = _run(form, call, transfer=transfer, by=request.user, reason=form.cleaned_data["reason"])
        if done is not None:
            messages.success(request, f"Đề nghị chuyển sinh hoạt: {done.get_status_display().lower()}.")
            return redirect("members:transfers")
    return render(request, "members/transfer_decide.html", {"transfer": transfer, "form": form, "decision": decision})


@login_required
@require_GET
def overage(request, code):
    org = get_org_or_404(request.user, code)
    rows = list(selectors.over_age_cadres(org)[:500])
    today = timezone.localdate()
    for row in rows:
        row.age = age_on(row.member.birth_date, today)
    return render(
        request,
        "members/overage.html",
        {"org": org, "rows": rows, "limits": selectors.limits_for(org), "crumbs": breadcrumbs(request.user, org)},
    )


# -- Excel import: upload → check (a worker's dry run) → preview → confirm → write (a worker) ----


@login_required
@require_http_methods(["GET", "POST"])
def import_upload(request):
    require(may_import(request.user))
    form = UploadForm(_data(request), request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = run_service(
            form,
            import_jobs.start_import,
            file=data["file"],
            kind=data["kind"],
            by=request.user,
            options=form.options(),
        )
        if job is not None:
            return redirect("members:import_job", pk=job.pk)
    labelled = [(kind, get_importer(kind).label or kind) for kind in kinds()]
    context = {"form": form, "kinds": labelled, "jobs": import_jobs.recent_jobs(request.user)}
    return render(request, "members/import_upload.html", context)


@login_required
@require_GET
def import_job(request, pk):
    """The job's page: progress while a worker has it, then the check's counts and every error."""
    require(may_import(request.user))
    job = import_jobs.job_for(request.user, pk)
    errors = paginate(request, job.errors, per_page=IMPORT_ERRORS_PER_PAGE) if job.errors else None
    return render(request, "members/import_job.html", {"job": job, "errors": errors})


@login_required
@require_GET
def import_errors(request, pk):
    """The check's errors as a workbook: the bad rows of the file, the bad cells marked."""
    require(may_import(request.user))
    job = import_jobs.job_for(request.user, pk)
    if not job.errors:
        raise Http404("Việc nhập này không có lỗi.")
    return _workbook(lambda out: import_errors_xlsx.write(job, out), f"loi-nhap-{job.pk}")


@login_required
@require_GET
def import_progress(request, pk):
    """The polled fragment (or ``?format=json``); once the job stops running the page reloads."""
    require(may_import(request.user))
    job = import_jobs.job_for(request.user, pk, with_errors=False)
    if request.GET.get("format") == "json":
        return JsonResponse(_progress_json(job))
    response = render(request, "members/_import_progress.html", {"job": job})
    if not job.is_busy and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


def _progress_json(job) -> dict:
    return {
        "status": job.status,
        "status_label": job.get_status_display(),
        "busy": job.is_busy,
        "rows_done": job.rows_done,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "created": job.created_count,
        "updated": job.updated_count,
        "errors": job.error_count,
        "no_worker_yet": job.no_worker_yet,
        "worker_stopped": job.is_stuck,  # its worker stopped beating mid-step: a re-run is offered
    }


def _job_step(request, pk, service, done: str):
    """Confirm, discard or re-run one of the user's jobs; a refused step is a message, not a crash."""
    require(may_import(request.user))
    job = import_jobs.job_for(request.user, pk, with_errors=False)
    run_action(request, service, done, job=job)
    return redirect("members:import_job", pk=job.pk)


@login_required
@require_POST
def import_confirm(request, pk):
    return _job_step(request, pk, import_jobs.confirm_import, "Đã xác nhận: tệp đang được ghi.")


@login_required
@require_POST
def import_discard(request, pk):
    return _job_step(request, pk, import_jobs.discard_import, "Đã hủy việc nhập và xóa tệp đã tải lên.")


@login_required
@require_POST
def import_rerun(request, pk):
    return _job_step(request, pk, import_jobs.rerun_import, "Đã xếp việc nhập chạy lại.")


@login_required
@require_GET
def import_template(request, kind):
    if kind not in kinds():
        raise Http404
    return _workbook(lambda out: exporting.template(kind, out), f"mau-nhap-{kind}")
