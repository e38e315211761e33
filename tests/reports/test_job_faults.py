"""Faults around a report job: the workers' broker down when it is asked for, the worker dying."""

import subprocess
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from organizations.models import AuditEntry
from organizations.queueing import WORKERS_DOWN
from reports import services
from reports.models import ReportJob

Status = ReportJob.Status
URL = reverse("reports:index")
FORM = {"kind": "ratings", "year": "2025", "compare": "0", "root": "T1"}
LIVE_REDIS_PORT = 8118  # a Redis of this test's own, stopped in the middle (the job-fault tests' ports)


@pytest.mark.django_db(transaction=True)
def test_a_request_with_the_broker_down_says_so_and_leaves_no_job(ratings, users, login, dead_broker):
    with dead_broker():
        response = login(users.province_staff).post(URL, FORM)
    assert response.status_code == 200
    assert WORKERS_DOWN in response.content.decode()
    assert not ReportJob.objects.exists()
    assert not AuditEntry.objects.filter(action="report_requested").exists()


def test_a_rerun_with_the_broker_down_keeps_the_job_as_it_was(done_job, users, login, dead_broker):
    client = login(users.province_staff)
    with dead_broker():
        page = client.post(reverse("reports:rerun", args=[done_job.pk]), follow=True).content.decode()
    assert WORKERS_DOWN in page
    done_job.refresh_from_db()
    assert done_job.status == Status.DONE and done_job.file


@pytest.mark.django_db(transaction=True)
def test_a_broker_that_dies_while_the_site_runs_is_noticed_at_the_next_request(ratings, users, login, celery_app):
    """The pool's connection to a Redis that has since died still reads as connected: the check
    must not trust it."""
    from tests.worker_process import use_broker

    redis = subprocess.Popen(["redis-server", "--port", str(LIVE_REDIS_PORT), "--save", "", "--appendonly", "no"])
    try:
        use_broker(celery_app, f"redis://127.0.0.1:{LIVE_REDIS_PORT}/0")
        client = login(users.province_staff)
        for _ in range(100):  # until the server answers
            if client.post(URL, FORM).status_code == 302:
                break
            time.sleep(0.05)
        assert ReportJob.objects.count() == 1  # queued while the broker was up
        redis.terminate()
        redis.wait(10)
        response = client.post(URL, FORM)
    finally:
        redis.kill()
        use_broker(celery_app, "memory://")
    assert response.status_code == 200 and WORKERS_DOWN in response.content.decode()
    assert ReportJob.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_broker_lost_after_the_check_fails_the_job_for_a_rerun(ratings, users, login, monkeypatch):
    """The broker answered the check, then went away before the message was sent after commit."""

    def lost(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    from reports.tasks import run_report_job

    monkeypatch.setattr(run_report_job, "delay", lost)
    response = login(users.province_staff).post(URL, FORM)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and (job.status, job.error) == (Status.FAILED, WORKERS_DOWN)
    assert job.can_rerun


@pytest.mark.django_db(transaction=True)
def test_a_running_job_beats_on_its_row(ratings, users):
    """The worker's heartbeat, on its own connection, reaches the row while the build runs."""
    job = services.request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    job = services.run_job(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == Status.DONE and job.started_at <= job.heartbeat_at <= job.finished_at


def test_a_dead_workers_job_is_marked_failed_by_the_sweep(done_job, users, login, settings):
    settings.DOANHUB_JOB_DEAD_SECONDS = 60
    now = timezone.now()
    dead, alive = (
        done_job,
        services.run_job(
            job_id=services.request_job(kind="membership", root=done_job.root, year=2025, by=users.province_staff).pk
        ),
    )
    ReportJob.objects.filter(pk=dead.pk).update(
        status=Status.RUNNING, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=90)
    )
    ReportJob.objects.filter(pk=alive.pk).update(
        status=Status.RUNNING, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=5)
    )
    assert services.fail_dead_jobs() == 1
    dead.refresh_from_db()
    alive.refresh_from_db()
    assert (dead.status, dead.error) == (Status.FAILED, services.WORKER_STOPPED) and alive.status == Status.RUNNING
    page = login(users.province_staff).get(reverse("reports:job", args=[dead.pk])).content.decode()
    assert services.WORKER_STOPPED in page and reverse("reports:rerun", args=[dead.pk]) in page


@pytest.mark.django_db(transaction=True)
def test_the_heartbeat_beats_again_and_again_until_the_step_ends(ratings, users, settings):
    import time

    from organizations.progress import Heartbeat

    settings.DOANHUB_JOB_HEARTBEAT_SECONDS = 0.01
    job = services.request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    beats = set()
    with Heartbeat(ReportJob, job.pk):
        for _ in range(500):  # until three different beats were seen (a few hundredths of a second)
            beats.add(ReportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk))
            if len(beats - {None}) >= 3:
                break
            time.sleep(0.01)
    last = ReportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk)
    assert len(beats - {None}) >= 3
    time.sleep(0.05)
    assert ReportJob.objects.values_list("heartbeat_at", flat=True).get(pk=job.pk) == last  # stopped with the step
