"""Celery beat's schedule (doanhub/celery.py) names real tasks, and each task does its work:
day-old uploads expire, jobs whose worker stopped beating are failed so their pages offer
"Chạy lại"."""

import logging
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from doanhub import tasks
from doanhub.celery import app
from members import import_jobs
from members.models import ImportJob
from reports.models import ReportJob
from reports.services import WORKER_STOPPED

STUCK = timedelta(minutes=2)  # started, never beat since: dead past DOANHUB_JOB_DEAD_SECONDS (60)


def upload(user) -> ImportJob:
    file = SimpleUploadedFile("danh-sach.xlsx", b"PK not really a workbook")
    return import_jobs.start_import(file=file, kind="members", by=user)


def running_report(tree, user, started_ago: timedelta, **fields) -> ReportJob:
    return ReportJob.objects.create(
        kind="membership",
        root=tree.province,
        year=2025,
        requested_by=user,
        status=ReportJob.Status.RUNNING,
        progress=85,
        started_at=timezone.now() - started_ago,
        **fields,
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_every_scheduled_entry_names_a_registered_task():
    app.loader.import_default_modules()
    schedule = app.conf.beat_schedule
    assert {"expire-imports", "sweep-stuck-jobs"} <= set(schedule)
    for entry in schedule.values():
        assert entry["task"] in app.tasks, entry["task"]


def test_expire_imports_discards_a_day_old_upload(users):
    job = upload(users.secretary)
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=25))
    assert tasks.expire_imports.apply().get() == 1
    job.refresh_from_db()
    assert job.status == ImportJob.Status.DISCARDED and job.stored == ""


def running_import(user, status: str, started_ago: timedelta, **fields) -> ImportJob:
    job = upload(user)
    ImportJob.objects.filter(pk=job.pk).update(status=status, started_at=timezone.now() - started_ago, **fields)
    return job


def assert_page_offers_rerun(client, user, job, views: tuple[str, str], message: str) -> None:
    """The job's page (first view name) shows ``message`` and the re-run button (second)."""
    client.force_login(user)
    html = client.get(reverse(views[0], args=[job.pk])).content.decode()
    assert message in html and reverse(views[1], args=[job.pk]) in html


def test_the_sweep_fails_an_import_stuck_checking(users, client):
    job = running_import(users.secretary, ImportJob.Status.CHECKING, STUCK)
    assert tasks.sweep_stuck_jobs.apply().get() == {"imports": 1, "reports": 0}
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and job.can_rerun
    views = ("members:import_job", "members:import_rerun")
    assert_page_offers_rerun(client, users.secretary, job, views, import_jobs.STOPPED)


def test_the_sweep_says_nothing_was_written_for_a_stuck_write(users):
    job = running_import(users.secretary, ImportJob.Status.WRITING, STUCK, confirmed_at=timezone.now())
    tasks.sweep_stuck_jobs.apply()
    job.refresh_from_db()
    assert job.status == ImportJob.Status.FAILED and "không có dữ liệu nào được ghi" in job.message


def test_the_sweep_fails_a_stuck_report_and_its_page_offers_rerun(tree, users, client):
    job = running_report(tree, users.province_staff, STUCK)
    assert tasks.sweep_stuck_jobs.apply().get() == {"imports": 0, "reports": 1}
    job.refresh_from_db()
    assert job.status == ReportJob.Status.FAILED and job.can_rerun
    assert_page_offers_rerun(client, users.province_staff, job, ("reports:job", "reports:rerun"), WORKER_STOPPED)


def test_the_sweep_leaves_jobs_whose_worker_still_beats(tree, users):
    """Long-running is not dead: a 10-minute build that beat a second ago goes on."""
    beat = timezone.now() - timedelta(seconds=1)
    report = running_report(tree, users.province_staff, timedelta(minutes=10), heartbeat_at=beat)
    job = running_import(users.secretary, ImportJob.Status.CHECKING, timedelta(minutes=10), heartbeat_at=beat)
    assert tasks.sweep_stuck_jobs.apply().get() == {"imports": 0, "reports": 0}
    report.refresh_from_db()
    job.refresh_from_db()
    assert report.status == ReportJob.Status.RUNNING and job.status == ImportJob.Status.CHECKING


def test_each_task_run_writes_a_log_line_with_its_outcome(db, caplog):
    with caplog.at_level(logging.INFO, logger="doanhub.tasks"):
        tasks.sweep_stuck_jobs.apply()
    (line,) = [r for r in caplog.records if r.name == "doanhub.tasks"]
    assert (line.task, line.outcome) == ("doanhub.sweep_stuck_jobs", "SUCCESS")
    assert line.duration_ms >= 0


def test_a_job_tasks_log_line_names_the_job(tree, users, caplog):
    from reports.tasks import run_report_job

    job = running_report(tree, users.province_staff, timedelta(0))
    with caplog.at_level(logging.INFO, logger="doanhub.tasks"):
        run_report_job.apply(args=[job.pk])
    (line,) = [r for r in caplog.records if r.name == "doanhub.tasks"]
    assert (line.task, line.job_id, line.outcome, line.result) == ("reports.run_report_job", job.pk, "SUCCESS", "done")
