"""Faults around an import job: the workers' broker down at upload or confirm, the worker dying."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from members import import_jobs, tasks, uploads
from members.models import ImportJob
from organizations.queueing import WORKERS_DOWN

from .conftest import checked_job, member_row, start_job
from .test_upload_page import upload

Status = ImportJob.Status


def stored_files() -> list[str]:
    try:
        return default_storage.listdir(uploads.FOLDER)[1]
    except FileNotFoundError:
        return []


@pytest.mark.django_db(transaction=True)
def test_an_upload_with_the_broker_down_says_so_and_leaves_no_job_and_no_file(
    tree, users, login, members_xlsx, dead_broker
):
    with dead_broker():
        response = upload(login(users.secretary), members_xlsx([member_row()]))
    assert response.status_code == 200
    assert WORKERS_DOWN in response.content.decode()
    assert not ImportJob.objects.exists() and stored_files() == []


def test_a_confirm_with_the_broker_down_keeps_the_job_checked(tree, users, login, members_xlsx, dead_broker):
    job = checked_job(users.secretary, members_xlsx([member_row()]))
    with dead_broker():
        page = login(users.secretary).post(reverse("members:import_confirm", args=[job.pk]), follow=True)
    assert WORKERS_DOWN in page.content.decode()
    job.refresh_from_db()
    assert (job.status, job.confirmed_at) == (Status.CHECKED, None) and uploads.exists(job.stored)


@pytest.mark.django_db(transaction=True)
def test_a_broker_lost_after_the_check_fails_the_job_for_a_rerun(tree, users, login, members_xlsx, monkeypatch):
    """The broker answered the check, then went away before the message was sent after commit."""

    def lost(*args, **kwargs):
        raise ConnectionRefusedError(111, "Connection refused")

    monkeypatch.setattr(tasks.check_import, "delay", lost)
    response = upload(login(users.secretary), members_xlsx([member_row()]))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and (job.status, job.message) == (Status.FAILED, WORKERS_DOWN)
    assert job.can_rerun and uploads.exists(job.stored)  # the file waits for the re-run


@pytest.mark.django_db(transaction=True)
def test_a_running_check_beats_on_its_row(tree, users, members_xlsx):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    assert tasks.check_import(job.pk) == Status.CHECKED
    job.refresh_from_db()
    assert job.heartbeat_at is not None and job.started_at <= job.heartbeat_at <= job.finished_at


def _running(job, status, silent):
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=silent)
    )


def test_dead_workers_jobs_are_marked_failed_by_the_sweep_and_keep_their_file(tree, users, members_xlsx, settings):
    settings.DOANHUB_JOB_DEAD_SECONDS = 60
    dead_check, dead_write, alive = (checked_job(users.secretary, members_xlsx([member_row()])) for _ in range(3))
    _running(dead_check, Status.CHECKING, silent=61)
    _running(dead_write, Status.WRITING, silent=600)
    _running(alive, Status.WRITING, silent=5)
    assert import_jobs.fail_dead_jobs() == 2
    for job in (dead_check, dead_write, alive):
        job.refresh_from_db()
    assert [j.status for j in (dead_check, dead_write, alive)] == [Status.FAILED, Status.FAILED, Status.WRITING]
    assert dead_write.message == import_jobs.STOPPED and uploads.exists(dead_write.stored)
    assert import_jobs.rerun_import(job=dead_write, by=users.secretary).status == Status.QUEUED
