"""What an Excel import tells its uploader (notifications.notify, after the worker's step is
saved): the check is done, with the errors ready to read or the file ready to confirm, or the
file is written. The page polls too; this is for one who left it."""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import event_key, notify_on_commit

from .models import ImportJob

Status = ImportJob.Status


def import_step_done(job_id: int) -> None:
    """Called by the worker after a check or a write; tells nothing when the job is neither
    checked nor imported by then (discarded meanwhile, or failed)."""
    jobs = ImportJob.objects.filter(pk=job_id, status__in=(Status.CHECKED, Status.IMPORTED))
    job = jobs.select_related("requested_by").first()
    if job is None or job.finished_at is None:
        return
    what = f"Tệp “{job.file_name}” ({job.kind_label})"
    if job.status == Status.IMPORTED:
        kind, title = Kind.IMPORT_WRITTEN, f"{what} đã nhập xong: {job.created_count} mới, {job.updated_count} cập nhật"
    elif job.error_count:
        kind, title = Kind.IMPORT_CHECKED, f"{what} có {job.error_count} lỗi cần sửa trước khi nhập"
    else:
        kind, title = Kind.IMPORT_CHECKED, f"{what} đã kiểm tra, không có lỗi: chờ bạn xác nhận ghi"
    notify_on_commit(
        kind=kind,
        event_key=event_key("import", job.pk, job.status, at=job.finished_at),
        title=title,
        body=job.message,
        link=reverse("members:import_job", args=[job.pk]),
        users=[job.requested_by],
    )
