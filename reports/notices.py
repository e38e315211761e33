"""A finished or failed report job tells the person who asked (email as they chose; the home page
already counts the jobs, so this is for one who is not looking at the site)."""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import notify_on_commit


def job_finished(job) -> None:
    done = job.status == job.Status.DONE
    what = f"Báo cáo “{job.kind_label}” năm {job.year} của {job.root.name}"
    notify_on_commit(
        kind=Kind.JOB_DONE if done else Kind.JOB_FAILED,
        event_key=f"report:{job.pk}:run-{job.runs}",
        title=f"{what} đã lập xong" if done else f"{what} bị lỗi, cần chạy lại",
        body="" if done else job.error,
        link=reverse("reports:job", args=[job.pk]),
        unit=job.root,
        users=[job.requested_by] if job.requested_by_id else [],
    )
