"""A real Celery worker (celery.contrib.testing) runs a report job end to end (DESIGN.md)."""

import pytest
from celery.contrib.testing.worker import start_worker

from reports.models import ReportJob
from reports.services import request_job
from tests.factories import wait_until

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def _wait_finished(job: ReportJob) -> ReportJob:
    return wait_until(job, lambda j: j.is_finished)


def test_a_worker_builds_the_requested_report(celery_app, ratings, users):
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        job = request_job(kind="ratings", root=ratings.province, year=2025, years=[2024], by=users.province_staff)
        job = _wait_finished(job)
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.progress == 100 and job.started_at and job.finished_at and job.duration is not None
    assert "1/3 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 33,3%" in job.narrative
    assert job.file.name.endswith(".xlsx") and job.file.storage.exists(job.file.name)


def test_the_worker_renders_the_pdf_after_the_job_is_done(celery_app, ratings, users):
    from reports.services import pdf_state

    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        job = request_job(kind="ratings", root=ratings.province, year=2025, years=[2024], by=users.province_staff)
        job = wait_until(job, lambda j: j.is_finished and pdf_state(j) != "pending")
    assert job.status == ReportJob.Status.DONE and pdf_state(job) == "ready"
