"""Excel imports from the page, run by Celery workers (DESIGN.md "Background work").

The steps of an import job (members.ImportJob):

    start_import   upload → QUEUED, the check is enqueued after commit
    run_check      (worker) QUEUED → CHECKING → CHECKED (counts and every error) | FAILED
    confirm_import the uploader, only when the check found no error → WRITE_QUEUED, the write enqueued
    run_write      (worker) → WRITING → IMPORTED, or CHECKED with the errors found now (the data
                   changed since the check: the importer validates again and writes nothing) | FAILED
    discard_import → DISCARDED, the file removed; a day-old upload never confirmed goes the same way
                   (``expire_stale``: hourly from Celery beat, at the start of each worker step,
                   and by the ``expire_imports`` command; never inside the upload's request)
    rerun_import   FAILED, or stuck CHECKING/WRITING → the step, again

The worker steps are idempotent: each claims the job with a conditional UPDATE, and the write marks
the job IMPORTED in the same transaction as the rows, one writer at a time per job, so a duplicate
message or a redelivered one never writes the file twice.

A worker can die in a step and leave the job CHECKING or WRITING (its transaction rolled back).
Celery does not requeue a task whose process was killed (a file that always exhausts memory would
loop), and Redis gives an unacked message back only after its visibility timeout; so a running
step beats on its row (organizations.progress.Heartbeat), and one whose worker stopped beating
may be re-run by its uploader (a checking one may also be discarded); ``fail_dead_jobs`` marks
them failed for a sweep. A broker that is down refuses the upload, the confirm or the re-run
with a message, leaving nothing behind (organizations.queueing).
"""

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from organizations import audit
from organizations.progress import Heartbeat, VisibleUpdate, dead
from organizations.queueing import WORKERS_DOWN, enqueue_after_commit

from . import notices, uploads
from .importing import ImportCancelled, get_importer
from .models import ImportJob
from .permissions import may_import

log = logging.getLogger(__name__)
Status = ImportJob.Status
FILE_GONE = "Tệp đã tải lên không còn trên máy chủ (đã hủy hoặc quá một ngày chưa xác nhận). Hãy tải lên lại."
EXPIRED = "Tệp đã tự xóa sau một ngày chưa được xác nhận. Hãy tải lên lại nếu vẫn cần nhập."
CHANGED_SINCE_CHECK = (
    "Khi ghi, dữ liệu đã khác lúc kiểm tra nên tệp không còn hợp lệ; không có gì được ghi. "
    "Hãy xem các lỗi dưới đây, sửa tệp rồi tải lên lại."
)
ADVISORY_NAMESPACE = 7301  # the first key of members' advisory locks (the second is the job id)


# -- reads ------------------------------------------------------------------------------------------


def job_for(user, pk: int, *, with_errors: bool = True) -> ImportJob:
    """The user's own job. Anyone else's answers 404, whatever their role: it is their file."""
    jobs = ImportJob.objects.all() if with_errors else ImportJob.objects.defer("errors")
    return get_object_or_404(jobs, pk=pk, requested_by=user)


def recent_jobs(user, limit: int = 10) -> QuerySet[ImportJob]:
    return ImportJob.objects.filter(requested_by=user).defer("errors", "options")[:limit]


# -- the uploader's steps ------------------------------------------------------------------------


def _enqueue(task_name: str, job: ImportJob) -> None:
    """After commit; a broker that does not answer refuses the step (organizations.queueing)."""
    from . import tasks

    enqueue_after_commit(getattr(tasks, task_name), job.pk, on_failure=lambda: _not_queued(job.pk))


def _not_queued(job_id: int) -> None:
    ImportJob.objects.filter(pk=job_id, status__in=ImportJob.WAITING).update(
        status=Status.FAILED, message=WORKERS_DOWN, finished_at=timezone.now()
    )


def _mine_locked(job: ImportJob, by) -> ImportJob:
    if not may_import(by):
        raise PermissionDenied
    return get_object_or_404(ImportJob.objects.select_for_update().defer("errors"), pk=job.pk, requested_by=by)


def start_import(*, file, kind: str, by, options: dict | None = None) -> ImportJob:
    """Upload: keep the file and queue its check. Refused (no row, no file left) when the
    workers' broker does not answer."""
    if not may_import(by):
        raise PermissionDenied
    try:
        get_importer(kind)
    except KeyError as exc:
        raise ValidationError(exc.args[0]) from None
    # No sweep here: beat runs ``expire_stale`` hourly and each worker step does, so the upload's
    # request does not pay for a scan of every job and a listing of the upload folder.
    stored = uploads.save(file)
    try:
        return _queue_check(file, stored, kind=kind, by=by, options=options)
    except BaseException:
        uploads.remove(stored)  # the row rolled back: its file must not outlive it
        raise


@transaction.atomic
def _queue_check(file, stored: str, *, kind: str, by, options: dict | None) -> ImportJob:
    job = ImportJob.objects.create(
        kind=kind,
        file_name=str(getattr(file, "name", "") or "tep.xlsx").rsplit("/", 1)[-1][:255],
        stored=stored,
        options=options or {},
        requested_by=by,
        queued_at=timezone.now(),
    )
    _enqueue("check_import", job)
    return job


@transaction.atomic
def confirm_import(*, job: ImportJob, by) -> ImportJob:
    """The uploader read the check and confirms: queue the write."""
    job = _mine_locked(job, by)
    if job.status in (Status.WRITE_QUEUED, Status.WRITING):
        raise ValidationError("Tệp này đã được xác nhận và đang chờ ghi; không cần bấm lại.")
    if job.status == Status.IMPORTED:
        raise ValidationError("Tệp này đã được nhập rồi; không nhập lại lần nữa.")
    if job.status != Status.CHECKED:
        raise ValidationError(f"Chưa thể xác nhận: việc nhập đang ở trạng thái “{job.get_status_display()}”.")
    if job.error_count:
        raise ValidationError(f"Tệp còn {job.error_count} lỗi nên không thể nhập. Hãy sửa tệp rồi tải lên lại.")
    if not job.stored:
        raise ValidationError(FILE_GONE)
    now = timezone.now()
    job.status, job.confirmed_at, job.queued_at, job.rows_done, job.message = Status.WRITE_QUEUED, now, now, 0, ""
    # A member entered after the check (another file confirmed meanwhile) is a row's error at the write.
    job.options = {**job.options, "entered_since": job.finished_at.isoformat()} if job.finished_at else job.options
    job.save(update_fields=["status", "confirmed_at", "queued_at", "rows_done", "message", "options"])
    audit.record(
        target=job,
        action="import_confirmed",
        by=by,
        from_state=Status.CHECKED,
        to_state=job.status,
        reason=job.file_name,
    )
    _enqueue("write_import", job)
    return job


@transaction.atomic
def discard_import(*, job: ImportJob, by) -> ImportJob:
    """The uploader gives up on a file (before it is being written): the file is removed."""
    job = _mine_locked(job, by)
    if not job.can_discard:
        raise ValidationError(f"Không hủy được: việc nhập đang ở trạng thái “{job.get_status_display()}”.")
    before, stored = job.status, job.stored
    job.status, job.stored, job.message = Status.DISCARDED, "", "Bạn đã hủy việc nhập này; tệp đã được xóa."
    job.save(update_fields=["status", "stored", "message"])
    audit.record(target=job, action="import_discarded", by=by, from_state=before, to_state=job.status)
    transaction.on_commit(lambda: uploads.remove(stored))
    return job


@transaction.atomic
def rerun_import(*, job: ImportJob, by) -> ImportJob:
    """A failed job runs its step again: the write if the uploader had confirmed, else the check.

    So does a job whose worker stopped beating in its step (it died, the message is gone).
    Should that worker still be alive after all, nothing is written twice: the new write
    waits for the old one's lock, then finds the job IMPORTED (``run_write``); a second check only
    counts again."""
    job = _mine_locked(job, by)
    if not job.can_rerun:
        raise ValidationError(
            "Chỉ chạy lại được việc nhập bị lỗi. Việc đang kiểm tra hay đang ghi chỉ chạy lại được khi "
            f"tiến trình nền đã dừng (quá {settings.DOANHUB_JOB_DEAD_SECONDS} giây không có tín hiệu)."
        )
    if not job.stored:
        raise ValidationError(FILE_GONE)
    if not job.confirmed_at and job.created_at < timezone.now() - uploads.MAX_AGE:
        raise ValidationError(EXPIRED)  # the check would find it swept away: say so now
    before = job.status
    if before != Status.FAILED:
        log.warning("import job %s was stuck %s since %s; re-run by its uploader", job.pk, before, job.started_at)
    job.status = Status.WRITE_QUEUED if job.confirmed_at else Status.QUEUED
    job.queued_at, job.message, job.rows_done, job.rows_total = timezone.now(), "", 0, 0
    job.save(update_fields=["status", "queued_at", "message", "rows_done", "rows_total"])
    audit.record(target=job, action="import_rerun", by=by, from_state=before, to_state=job.status)
    _enqueue("write_import" if job.confirmed_at else "check_import", job)
    return job


STOPPED = (
    "Tiến trình nền (worker) đã dừng giữa chừng; không có dữ liệu nào được ghi. Hãy bấm “Chạy lại”; "
    "nếu vẫn lỗi, hãy báo quản trị hệ thống."
)


def fail_dead_jobs() -> int:
    """Jobs whose worker stopped beating in a step (organizations.progress.dead) → failed, with
    the file kept for the re-run: for a sweep (Celery beat); the page already says so without
    it. Returns how many."""
    running = ImportJob.objects.filter(status__in=(Status.CHECKING, Status.WRITING))
    return dead(running).update(status=Status.FAILED, message=STOPPED, finished_at=timezone.now())


def expire_stale() -> int:
    """Files never confirmed are kept a day at most (they hold personal data). A file confirmed
    within the day waits for its worker; nothing else (a check never takes a day) is spared.
    Returns how many jobs were expired; old files no job keeps are removed too."""
    cutoff = timezone.now() - uploads.MAX_AGE
    stale = ImportJob.objects.filter(created_at__lt=cutoff).exclude(stored="")
    stale = stale.exclude(status__in=(Status.WRITE_QUEUED, Status.WRITING), queued_at__gte=cutoff)
    expired = stale.update(status=Status.DISCARDED, stored="", message=EXPIRED)
    uploads.forget_stale(keep=set(ImportJob.objects.exclude(stored="").values_list("stored", flat=True)))
    return expired


def sweep() -> None:
    """``expire_stale`` at the start of each worker step, so day-old uploads go even on a site with
    no upload and no scheduler (Celery beat is not run). Housekeeping never fails the step."""
    try:
        expire_stale()
    except Exception:  # noqa: BLE001
        log.warning("could not expire stale import uploads", exc_info=True)


# -- the worker's steps ---------------------------------------------------------------------------


class RowProgress:
    """``progress(done, total)`` from the importer → the job row, at most twice a second, seen by
    the page even while the importer's transaction runs (``organizations.progress.VisibleUpdate``;
    nothing on SQLite there). The last figures are kept and saved with the result.

    Each write first looks at the job's status, its cancel flag: a job discarded by its uploader
    or expired (both DISCARDED) meanwhile stops its import there (``ImportCancelled``)."""

    INTERVAL = 0.5

    def __init__(self, job_id: int):
        self.done, self.total, self._last = 0, 0, 0.0
        self.job_id = job_id
        self.write = VisibleUpdate(ImportJob, job_id)

    def __call__(self, done: int, total: int) -> None:
        self.done, self.total = max(0, int(done)), max(0, int(total))
        now = time.monotonic()
        if now - self._last < self.INTERVAL and self.done < self.total:
            return
        self._last = now
        if ImportJob.objects.filter(pk=self.job_id, status=Status.DISCARDED).exists():
            raise ImportCancelled(self.job_id)
        self.write(rows_done=self.done, rows_total=self.total)

    def close(self) -> None:
        self.write.close()

    def figures(self) -> dict:
        return {"rows_done": self.total, "rows_total": self.total} if self.total else {}


def _claim(job_id: int, waiting: str, running: str) -> bool:
    """Take a job waiting for this step, or one left running by a worker that died (its message
    given back by Redis after the visibility timeout). False when the step is not due (done,
    discarded, another step)."""
    now = timezone.now()
    jobs = ImportJob.objects.filter(pk=job_id)
    if jobs.filter(status=waiting).update(status=running, started_at=now, finished_at=None, rows_done=0, rows_total=0):
        return True
    return jobs.filter(status=running).exists()


def _importer(job: ImportJob, progress: Callable[[int, int], None]):
    return get_importer(job.kind)(user=job.requested_by, filename=job.file_name, progress=progress, **job.options)


def _result_fields(result, progress: RowProgress) -> dict:
    return {
        "created_count": result.created,
        "updated_count": result.updated,
        "error_count": result.error_count,
        "errors": [[e.row, e.column, e.message] for e in result.errors[: ImportJob.MAX_KEPT_ERRORS]],
        "finished_at": timezone.now(),
        **progress.figures(),
    }


def _fail(job_id: int, running: str, exc: BaseException | None) -> str:
    """Mark the job failed with a message for the user; the details go to the log, not the page.
    ``exc`` None: the file is gone, so the job cannot be re-run (only uploaded again)."""
    gone = {"stored": ""} if exc is None else {}
    if exc is None:
        message = FILE_GONE
    else:
        log.error("import job %s failed while %s", job_id, running, exc_info=exc)
        step = "kiểm tra" if running == Status.CHECKING else "ghi"
        message = (
            f"Lỗi không mong muốn khi {step} tệp; không có dữ liệu nào được ghi. Hãy bấm “Chạy lại”; "
            f"nếu vẫn lỗi, hãy báo quản trị hệ thống (việc nhập số {job_id})."
        )
    ImportJob.objects.filter(pk=job_id, status=running).update(
        status=Status.FAILED, message=message, finished_at=timezone.now(), **gone
    )
    return Status.FAILED


def _local_copy(job: ImportJob):
    """The job's upload as a local temporary file (members.uploads.local_copy), None when gone."""
    try:
        return uploads.local_copy(job.stored)
    except FileNotFoundError:
        return None


def run_check(*, job_id: int) -> str:
    """The check (a dry run): counts and every error by row and column. Writes nothing."""
    if not _claim(job_id, Status.QUEUED, Status.CHECKING):
        return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
    copy = _local_copy(job)
    if copy is None:
        return _fail(job_id, Status.CHECKING, None)
    progress = RowProgress(job_id)
    try:
        with copy, Heartbeat(ImportJob, job_id):
            result = _importer(job, progress).run(copy.name, dry_run=True)
    except ImportCancelled:  # discarded or expired while checking: it keeps that status
        return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    except Exception as exc:  # the job finishes whole or is marked failed (DESIGN.md)
        return _fail(job_id, Status.CHECKING, exc)
    finally:
        progress.close()
    # Only if still checking: the uploader may have discarded the job meanwhile.
    ImportJob.objects.filter(pk=job_id, status=Status.CHECKING).update(
        status=Status.CHECKED, **_result_fields(result, progress)
    )
    notices.import_step_done(job_id)
    return Status.CHECKED


def _one_writer(job_id: int) -> None:
    """Serialise writers of one job until the end of the transaction: a PostgreSQL advisory lock
    (not a lock on the job row, which the progress writer updates meanwhile); on SQLite a write
    takes the database's one write lock."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ADVISORY_NAMESPACE, job_id])
    else:
        ImportJob.objects.filter(pk=job_id).update(status=Status.WRITING)


def run_write(*, job_id: int) -> str:
    """The write: the importer validates the file again and writes all of it or nothing; the job
    is marked imported in that same transaction, so it is never written twice."""
    if not _claim(job_id, Status.WRITE_QUEUED, Status.WRITING):
        return ImportJob.objects.filter(pk=job_id).values_list("status", flat=True).first() or ""
    progress = RowProgress(job_id)
    try:
        with Heartbeat(ImportJob, job_id), transaction.atomic():
            _one_writer(job_id)
            job = ImportJob.objects.select_related("requested_by").get(pk=job_id)
            if job.status != Status.WRITING:  # a twin message wrote it while this one waited
                return job.status
            copy = _local_copy(job)
            if copy is None:
                return _fail(job_id, Status.WRITING, None)
            with copy:
                result = _importer(job, progress).run(copy.name, dry_run=False)
            fields = _result_fields(result, progress)
            if result.ok:
                fields.update(status=Status.IMPORTED, stored="")
            else:  # the data changed since the check: nothing was written, the new errors are shown
                fields.update(status=Status.CHECKED, confirmed_at=None, message=CHANGED_SINCE_CHECK)
            ImportJob.objects.filter(pk=job_id).update(**fields)
    except Exception as exc:
        return _fail(job_id, Status.WRITING, exc)
    finally:
        progress.close()
    notices.import_step_done(job_id)
    if result.ok:
        uploads.remove(job.stored)
    return fields["status"]
