"""The stuck-job sweep (run by Celery beat every few minutes).

A worker killed mid-job leaves its row "running" (Celery does not requeue a killed task, see
settings). Past DOANHUB_JOB_STUCK_MINUTES the sweep marks it failed with a message saying so, so
the page stops showing a frozen progress bar and offers "Chạy lại" (re-run is the app's own
service: ``members.import_jobs.rerun_import``, ``reports.services.rerun``). A slow worker that is
still alive is not harmed: an import write still marks its job imported in its own transaction,
and a report still finishes its row."""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

log = logging.getLogger(__name__)


def _cutoff():
    return timezone.now() - timedelta(minutes=settings.DOANHUB_JOB_STUCK_MINUTES)


def _stopped(step: str) -> str:
    return (
        f"Tiến trình nền đã dừng khi đang {step} (quá {settings.DOANHUB_JOB_STUCK_MINUTES} phút chưa xong). "
        "Hãy bấm “Chạy lại”."
    )


def fail_stuck_imports(cutoff) -> int:
    from members.models import ImportJob

    Status, done = ImportJob.Status, 0
    for running, step in (
        (Status.CHECKING, "kiểm tra tệp"),
        (Status.WRITING, "ghi tệp; không có dữ liệu nào được ghi"),
    ):
        done += ImportJob.objects.filter(status=running, started_at__lt=cutoff).update(
            status=Status.FAILED, message=_stopped(step), finished_at=timezone.now()
        )
    return done


def fail_stuck_reports(cutoff) -> int:
    from reports.models import ReportJob

    return ReportJob.objects.filter(status=ReportJob.Status.RUNNING, started_at__lt=cutoff).update(
        status=ReportJob.Status.FAILED, error=_stopped("lập báo cáo"), finished_at=timezone.now()
    )


def fail_stuck_jobs() -> dict:
    """Every import and report job running past the limit → failed, re-runnable. Returns counts."""
    cutoff = _cutoff()
    counts = {"imports": fail_stuck_imports(cutoff), "reports": fail_stuck_reports(cutoff)}
    if any(counts.values()):
        log.warning("stuck jobs marked failed: %s", counts)
    return counts
