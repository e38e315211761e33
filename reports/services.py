"""Report jobs: request, run, re-run (DESIGN.md "Background work").

``request_job`` checks scope and enqueues after commit; ``run_job`` is what the worker (and the
``build_report`` command, and tests) call: idempotent, reads one consistent snapshot, and either
finishes whole or leaves the job marked failed with the error."""

import io
import logging
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from organizations import audit
from organizations.models import Organization
from organizations.progress import Heartbeat, VisibleUpdate, dead
from organizations.queueing import WORKERS_DOWN, enqueue_after_commit
from organizations.reporting import ReportData
from organizations.scoping import in_scope
from organizations.text import fold

from . import kinds, notices, pdf
from .builders.common import reference_date
from .excel import write_workbook
from .models import ReportJob
from .serialize import from_json, to_json

log = logging.getLogger(__name__)
Status = ReportJob.Status
MAX_COMPARE_YEARS = 10
REPORT_WORK_MEM = "64MB"
REPORT_RANDOM_PAGE_COST = 1.1


def _validate_as_of(year: int, as_of: date | None) -> None:
    """A reference date inside the report's year or after it (a later look at the same year),
    never in the future: no figure exists yet for a day to come."""
    if as_of is None:
        return
    if as_of < date(year, 1, 1):
        raise ValidationError(f"Ngày tính số liệu {as_of:%d/%m/%Y} phải từ 01/01/{year} trở đi (năm báo cáo {year}).")
    if as_of > timezone.localdate():
        raise ValidationError(f"Ngày tính số liệu {as_of:%d/%m/%Y} không được ở tương lai.")


def _validate(kind: str, year: int, years: list[int]) -> None:
    if kinds.builder(kind) is None:
        raise ValidationError(f"Loại báo cáo “{kind}” không có hoặc chưa sẵn sàng.")
    if not 2000 <= year <= 2100:
        raise ValidationError(f"Năm báo cáo {year} không hợp lệ (2000–2100).")
    if any(y > year for y in years) or len(years) > MAX_COMPARE_YEARS + 1:
        raise ValidationError("Các năm so sánh phải trước năm báo cáo, tối đa 10 năm.")


def _enqueue(job: ReportJob) -> None:
    """After commit; a broker that does not answer refuses the request (organizations.queueing)."""
    from .tasks import run_report_job

    enqueue_after_commit(run_report_job, job.pk, on_failure=lambda: _not_queued(job.pk))


def _not_queued(job_id: int) -> None:
    ReportJob.objects.filter(pk=job_id, status=Status.QUEUED).update(
        status=Status.FAILED, error=WORKERS_DOWN, finished_at=timezone.now()
    )


@transaction.atomic
def request_job(
    *, kind: str, root: Organization, year: int, by, years: list[int] | None = None, as_of: date | None = None
) -> ReportJob:
    """A user in scope asks for a report of ``root``'s subtree: queue a job for a worker.
    ``as_of`` = the reference date (None: the period's, resolved when the job runs)."""
    if not in_scope(by, root):
        raise PermissionDenied("Đơn vị không thuộc phạm vi của bạn.")
    years = sorted({int(y) for y in (years or [])} | {int(year)})
    _validate(kind, year, years)
    _validate_as_of(year, as_of)
    job = ReportJob.objects.create(
        kind=kind, root=root, year=year, as_of=as_of, requested_by=by, params={"years": years, "root": root.code}
    )
    audit.record(
        target=job,
        action="report_requested",
        by=by,
        organization=root,
        to_state=Status.QUEUED,
        reason=f"{kinds.label(kind)} năm {year}",
    )
    _enqueue(job)
    return job


@transaction.atomic
def rerun(*, job: ReportJob, by) -> ReportJob:
    """Queue a job again (after a failure, or to refresh its figures): same row, same file."""
    job = ReportJob.objects.select_for_update().get(pk=job.pk)
    if not in_scope(by, job.root):
        raise PermissionDenied("Đơn vị không thuộc phạm vi của bạn.")
    if not job.can_rerun:
        raise ValidationError("Báo cáo đang chờ hoặc đang chạy; chưa thể chạy lại.")
    before = job.status
    job.status, job.progress, job.error = Status.QUEUED, 0, ""
    job.save(update_fields=["status", "progress", "error"])
    audit.record(
        target=job, action="report_rerun", by=by, organization=job.root, from_state=before, to_state=Status.QUEUED
    )
    _enqueue(job)
    return job


def mark_seen(*, job: ReportJob, by) -> None:
    """The requester opened a finished job: it leaves their inbox."""
    if job.requested_by_id == getattr(by, "pk", None) and job.is_finished and job.seen_at is None:
        ReportJob.objects.filter(pk=job.pk).update(seen_at=timezone.now())


@contextmanager
def snapshot() -> Iterator[None]:
    """One consistent view of the data for the whole build: on PostgreSQL a REPEATABLE READ
    transaction (its first statement must set the level); inside an outer transaction (tests,
    the command run in a transaction) the outer one is already a single snapshot."""
    outer = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
                # Planner settings for this one transaction (bench/reports.py): memory to aggregate
                # in a hash table instead of sorting on disk, and index costs of a database held in
                # RAM/SSD, so that a province's report walks its own units' index entries (0.11 s)
                # rather than scanning the nation's assessments (0.47 s at 2 M members).
                cursor.execute(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'")
                cursor.execute(f"SET LOCAL random_page_cost = {REPORT_RANDOM_PAGE_COST}")
        yield


class ProgressWriter:
    """The build's percentage on the job row, seen by the page while the build's own snapshot
    transaction runs (``organizations.progress.VisibleUpdate``); only forward moves are written."""

    def __init__(self, job_id: int):
        self.last, self.write = -1, VisibleUpdate(ReportJob, job_id)

    def __call__(self, pct: int) -> None:
        pct = max(0, min(int(pct), 100))
        if pct > self.last:
            self.last = pct
            self.write(progress=pct)

    def close(self) -> None:
        self.write.close()


def build_data(
    *,
    kind: str,
    root: Organization,
    year: int,
    years: list[int],
    progress: Callable[[int], None] = lambda pct: None,
    as_of: date | None = None,
) -> ReportData:
    """Run the kind's builder inside one snapshot (shared by the job and the command), counting
    units and members as they stood on ``as_of`` (None: ``reference_date``)."""
    builder = kinds.builder(kind)
    if builder is None:
        raise ValidationError(f"Loại báo cáo “{kind}” không có hoặc chưa sẵn sàng.")
    _validate_as_of(year, as_of)
    with snapshot():
        as_of = as_of or reference_date(root, year)
        data = builder(root=root, year=year, progress=progress, years=years, as_of=as_of)
    data.as_of = as_of
    # The page, the workbook and the PDF all open the narrative with the day counted at.
    data.narrative.insert(0, as_of_sentence(as_of))
    return data


def as_of_sentence(day: date) -> str:
    return f"Số liệu tính đến ngày {day:%d/%m/%Y}."


def _file_name(job: ReportJob) -> str:
    return f"bao-cao-{job.kind}-{job.root.code}-{job.year}-{job.pk}.xlsx"


# The downloads' names, as an officer files them: "bao-cao-xep-loai-2026-tinh-doan-thai-nguyen.xlsx".
KIND_SLUGS = {"ratings": "xep-loai", "membership": "doan-vien", "recognition": "3-chu-dong", "fieldwork": "di-co-so"}


def download_name(job: ReportJob, extension: str) -> str:
    """The Vietnamese name a report's file downloads under (its stored name stays unique by id)."""
    unit = slugify(fold(job.root.name)) or job.root.code.lower()
    return f"bao-cao-{KIND_SLUGS.get(job.kind, job.kind)}-{job.year}-{unit}.{extension}"


def _save_file(job: ReportJob, data: ReportData, by: str) -> None:
    """Overwrite the job's one file (idempotent: a re-run never leaves a second copy)."""
    buffer = io.BytesIO()
    write_workbook(data, buffer, by=by, generated_at=timezone.now())
    name = _file_name(job)
    storage = job.file.storage
    path = job.file.field.generate_filename(job, name)
    if storage.exists(path):
        storage.delete(path)
    job.file.save(name, ContentFile(buffer.getvalue()), save=False)
    # The previous run's PDF goes with its workbook: the page offers no PDF of other figures.
    pdf.delete_beside(job.file)
    job.pdf_error = ""


def _requester_name(job: ReportJob) -> str:
    user = job.requested_by
    if user is None:
        return ""
    return user.get_full_name() or user.username


def run_job(*, job_id: int) -> ReportJob:
    """Build the report of one job (the worker's step). Re-running rewrites the same result."""
    job = ReportJob.objects.select_related("root", "requested_by").get(pk=job_id)
    started = time.monotonic()
    job.status, job.progress, job.error, job.started_at, job.finished_at = Status.RUNNING, 0, "", timezone.now(), None
    job.runs += 1
    job.save(update_fields=["status", "progress", "error", "started_at", "finished_at", "runs"])
    progress = ProgressWriter(job.pk)
    try:
        with Heartbeat(ReportJob, job.pk):
            data = build_data(
                kind=job.kind, root=job.root, year=job.year, years=job.years, progress=progress, as_of=job.as_of
            )
            progress(90)
            _save_file(job, data, _requester_name(job))
    except Exception as exc:  # the job finishes whole or is marked failed with the error
        log.exception("report job %s failed", job.pk)
        return _finish(job, started, status=Status.FAILED, error=f"{type(exc).__name__}: {exc}")
    finally:
        progress.close()
    job = _finish(job, started, status=Status.DONE, data=data)
    _enqueue_pdf(job)
    return job


def _enqueue_pdf(job: ReportJob) -> None:
    """The PDF of a done job, by a follow-up task: rendering a national report's document takes
    longer than its figures (issue 13), so "done" (the page, the workbook, sending the return
    up) never waits on it; the job page shows the PDF once it is stored (``pdf_state``)."""
    from .tasks import render_report_pdf

    try:
        enqueue_after_commit(render_report_pdf, job.pk, on_failure=lambda: _pdf_failed(job.pk, WORKERS_DOWN))
    except ValidationError:
        _pdf_failed(job.pk, WORKERS_DOWN)


def _pdf_failed(job_id: int, error: str) -> None:
    ReportJob.objects.filter(pk=job_id).update(pdf_error=error.rstrip("."))  # the page ends the sentence


def render_pdf(*, job_id: int) -> ReportJob:
    """Render and store the PDF of a done job (the follow-up task's step; idempotent). A job run
    again meanwhile is left to its own follow-up, so a PDF never shows another run's figures."""
    job = ReportJob.objects.select_related("root", "requested_by").get(pk=job_id)
    if job.status != Status.DONE or not job.result:
        return job
    run = job.runs
    try:
        rendered = pdf.render(from_json(job.result), by=_requester_name(job))
    except Exception as exc:  # the workbook and the page stay; the page says why there is no PDF
        log.exception("report job %s: PDF failed", job.pk)
        _pdf_failed(job.pk, f"{type(exc).__name__}: {exc}")
        return job
    with transaction.atomic():
        job = ReportJob.objects.select_for_update().get(pk=job_id)
        if job.status == Status.DONE and job.runs == run:
            pdf.store_beside(job.file, rendered)
            if job.pdf_error:  # rendered after all (an earlier attempt failed)
                ReportJob.objects.filter(pk=job.pk).update(pdf_error="")
    return job


def pdf_state(job: ReportJob) -> str:
    """ "ready", "pending" (its follow-up task not finished), "failed" or "" (no done job)."""
    if job.status != Status.DONE or not job.file:
        return ""
    file = pdf.beside(job.file)
    if file.storage.exists(file.name):
        return "ready"
    return "failed" if job.pdf_error else "pending"


WORKER_STOPPED = "Tiến trình nền (worker) đã dừng giữa chừng khi đang lập báo cáo. Hãy bấm “Chạy lại”."


def fail_dead_jobs() -> int:
    """Reports whose worker stopped beating (organizations.progress.dead) → failed, re-runnable:
    for a sweep (Celery beat). The page already says so without it. Returns how many."""
    running = ReportJob.objects.filter(status=Status.RUNNING)
    return dead(running).update(status=Status.FAILED, error=WORKER_STOPPED, finished_at=timezone.now())


def _finish(
    job: ReportJob, started: float, *, status: str, data: ReportData | None = None, error: str = ""
) -> ReportJob:
    job.status, job.error = status, error
    job.finished_at = timezone.now()
    job.duration = timedelta(seconds=time.monotonic() - started)
    job.seen_at = None
    if data is not None:
        job.result, job.narrative, job.progress = to_json(data), "\n\n".join(data.narrative), 100
        job.counted_as_of = data.as_of
    else:
        job.result, job.narrative, job.counted_as_of = None, "", None
        if job.file:
            pdf.delete_beside(job.file)
            job.file.delete(save=False)
    # Not the heartbeat: the in-memory row never saw the beats of the step's own thread.
    job.save(
        update_fields=[
            "status",
            "error",
            "finished_at",
            "duration",
            "seen_at",
            "result",
            "narrative",
            "counted_as_of",
            "pdf_error",
            "progress",
            "file",
        ]
    )
    notices.job_finished(job)
    return job
