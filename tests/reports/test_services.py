import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from organizations.audit import history
from reports import kinds, services
from reports.models import ReportJob

Status = ReportJob.Status


def test_it_queues_a_job_in_scope_and_enqueues_after_commit(ratings, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.request_job(kind="ratings", root=ratings.district, year=2025, by=users.province_staff)
    assert job.status == Status.QUEUED and job.params == {"years": [2025], "root": "T1-H1"}
    assert len(callbacks) == 1
    assert history(job).first().action == "report_requested"


def test_it_refuses_a_root_outside_scope(ratings, users):
    with pytest.raises(PermissionDenied):
        services.request_job(kind="ratings", root=ratings.province, year=2025, by=users.outsider)
    with pytest.raises(PermissionDenied):
        services.request_job(kind="ratings", root=ratings.province, year=2025, by=users.grassroots_secretary)
    assert not ReportJob.objects.exists()


def test_it_refuses_an_unknown_kind_and_bad_years(ratings, users):
    with pytest.raises(ValidationError, match="không có hoặc chưa sẵn sàng"):
        services.request_job(kind="nope", root=ratings.province, year=2025, by=users.province_staff)
    with pytest.raises(ValidationError, match="phải trước năm báo cáo"):
        services.request_job(kind="ratings", root=ratings.province, year=2025, years=[2026], by=users.province_staff)


def test_run_job_finishes_with_result_narrative_and_file(done_job):
    assert done_job.status == Status.DONE and done_job.progress == 100 and done_job.runs == 1
    assert done_job.result["kind"] == "ratings" and done_job.result["year"] == 2025
    assert "So với năm 2024" in done_job.narrative
    assert done_job.file.storage.exists(done_job.file.name)


def test_run_job_is_idempotent(done_job):
    first_result, first_file = done_job.result, done_job.file.name
    again = services.run_job(job_id=done_job.pk)
    assert again.result == first_result and again.file.name == first_file and again.runs == 2
    folder = again.file.storage.path(again.file.name).rsplit("/", 1)[0]
    import os

    assert [f for f in os.listdir(folder) if f.endswith(".xlsx")] == [first_file.rsplit("/", 1)[-1]]


def test_a_failing_builder_marks_the_job_failed_with_the_error(done_job, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setitem(kinds.KINDS, "ratings", ("Xếp loại", "tests.reports.test_services.broken"))
    monkeypatch.setattr(kinds, "builder", lambda kind: broken)
    job = services.run_job(job_id=done_job.pk)
    assert job.status == Status.FAILED and job.error == "RuntimeError: mất kết nối cơ sở dữ liệu"
    assert job.result is None and not job.file and job.finished_at is not None


def test_rerun_queues_a_finished_job_again(done_job, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = services.rerun(job=done_job, by=users.province_staff)
    assert job.status == Status.QUEUED and job.progress == 0 and len(callbacks) == 1
    with pytest.raises(ValidationError, match="đang chờ hoặc đang chạy"):
        services.rerun(job=job, by=users.province_staff)


def test_rerun_refuses_outside_scope(done_job, users):
    with pytest.raises(PermissionDenied):
        services.rerun(job=done_job, by=users.outsider)


def test_snapshot_inside_an_outer_transaction_reuses_it(done_job):
    # Inside the snapshot, the builder's reads belong to one transaction.
    from django.db import connection

    with services.snapshot():
        assert connection.in_atomic_block


@pytest.mark.django_db(transaction=True)
def test_snapshot_is_a_repeatable_read_transaction_on_postgresql():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("REPEATABLE READ is the PostgreSQL snapshot; SQLite transactions are serialisable already")
    with services.snapshot(), connection.cursor() as cursor:
        cursor.execute("SHOW transaction_isolation")
        assert cursor.fetchone()[0] == "repeatable read"


@pytest.mark.django_db(transaction=True)
def test_progress_is_visible_to_the_page_while_the_build_runs(ratings, users, monkeypatch):
    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("progress is written on a second connection on PostgreSQL only")
    seen = []

    def slow_builder(*, progress, **kwargs):
        progress(42)
        other = connections.create_connection("default")  # as the page's request would read it
        with other.cursor() as cursor:
            cursor.execute("SELECT progress, status FROM reports_reportjob")
            seen.extend(cursor.fetchall())
        other.close()
        raise RuntimeError("dừng sau khi đo")

    job = services.request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    monkeypatch.setattr(kinds, "builder", lambda kind: slow_builder)
    services.run_job(job_id=job.pk)
    assert seen == [(42, "running")]


def test_a_job_left_running_by_a_dead_worker_may_be_run_again(done_job, users, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.DOANHUB_JOB_DEAD_SECONDS = 60
    now = timezone.now()
    running = ReportJob.objects.filter(pk=done_job.pk)
    running.update(status=Status.RUNNING, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=5))
    with pytest.raises(ValidationError, match="đang chạy"):  # an hour long, but its worker still beats
        services.rerun(job=running.get(), by=users.province_staff)
    running.update(heartbeat_at=now - timedelta(seconds=61))
    assert services.rerun(job=running.get(), by=users.province_staff).status == Status.QUEUED
