from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from organizations.scoping import scope_roots
from organizations.views_helpers import paginate, require, run_action, run_service, stream_stored

from . import pdf, selectors, services
from .charts import render_chart
from .forms import ReportRequestForm
from .returns import rules as returns_rules
from .serialize import from_json


@login_required
@require_http_methods(["GET", "POST"])
def index(request):
    roots = scope_roots(request.user)
    initial = {"root": roots[0].code} if len(roots) == 1 else {}
    form = ReportRequestForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        job = run_service(
            form,
            services.request_job,
            kind=data["kind"],
            root=data["root"],
            year=data["year"],
            years=form.years,
            as_of=data["as_of"],
            by=request.user,
        )
        if job is not None:
            return redirect("reports:job", pk=job.pk)
    jobs = paginate(request, selectors.my_jobs(request.user), per_page=20)
    return render(request, "reports/index.html", {"form": form, "jobs": jobs})


@login_required
@require_GET
def job(request, pk):
    job = selectors.get_job_or_404(request.user, pk)
    services.mark_seen(job=job, by=request.user)
    data = from_json(job.result) if job.result else None
    charts = [render_chart(c) for c in data.charts] if data else []
    can_send = bool(data) and job.status == job.Status.DONE and returns_rules.can_send_job(request.user, job.root)
    context = {"job": job, "data": data, "charts": charts, "can_send": can_send, "pdf": services.pdf_state(job)}
    return render(request, "reports/job.html", context)


@login_required
@require_GET
def job_pdf(request, pk):
    """The polled PDF link: rendered by a follow-up task after the job is done; polling stops
    once it is stored or has failed."""
    job = selectors.get_job_or_404(request.user, pk)
    return render(request, "reports/_pdf.html", {"job": job, "pdf": services.pdf_state(job)})


@login_required
@require_GET
def job_progress(request, pk):
    """The polled fragment; once the job is finished, or its worker known dead, the page reloads
    to show the result, or the re-run."""
    job = selectors.get_job_or_404(request.user, pk)
    response = render(request, "reports/_progress.html", {"job": job})
    if (job.is_finished or job.is_stuck) and request.headers.get("HX-Request"):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_POST
def job_rerun(request, pk):
    job = selectors.get_job_or_404(request.user, pk)
    require(job.requested_by_id == request.user.pk or request.user.is_superuser)
    run_action(request, services.rerun, job=job)
    return redirect("reports:job", pk=job.pk)


@login_required
@require_GET
def download(request, pk) -> HttpResponse:
    job = selectors.get_job_or_404(request.user, pk)
    return stream_stored(job.file, filename=services.download_name(job, "xlsx"), missing="Báo cáo chưa có tệp Excel.")


@login_required
@require_GET
def download_pdf(request, pk) -> HttpResponse:
    job = selectors.get_job_or_404(request.user, pk)
    file = pdf.beside(job.file)
    return stream_stored(file, filename=services.download_name(job, "pdf"), missing="Báo cáo chưa có tệp PDF.")
