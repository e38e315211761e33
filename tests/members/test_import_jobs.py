"""The import job's services and the worker's steps, run in this process (no worker)."""

import contextlib
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.utils import timezone

from doanhub import tasks as hourly
from members import import_jobs, tasks, uploads
from members.importing import ImportResult, RowError
from members.models import ImportJob, Member
from organizations.progress import VisibleUpdate

from ..factories import make_user
from .conftest import checked_job, member_row, slow_importer, start_job, write_in_thread

Status = ImportJob.Status


@pytest.fixture
def two_new(members_xlsx):
    return members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])


class Recording:
    """A stand-in importer: records how it was called, reports progress, returns ``result``."""

    calls: list = []
    result = ImportResult(created=3)
    steps = [(1, 3), (2, 3), (3, 3)]

    def __init__(self, *, user, progress=None, **options):
        self.user, self.progress, self.options = user, progress, options

    def run(self, file, *, dry_run=False):
        with open(file, "rb") as handle:  # a local copy of the stored upload, wherever it is stored
            content = handle.read()
        Recording.calls.append({"user": self.user, "content": content, "dry_run": dry_run, **self.options})
        for done, total in self.steps:
            self.progress(done, total)
        return ImportResult(self.result.created, self.result.updated, list(self.result.errors), dry_run)


@pytest.fixture
def recording(monkeypatch):
    Recording.calls = []
    monkeypatch.setattr(import_jobs, "get_importer", lambda kind: Recording)
    return Recording


def test_the_check_counts_and_writes_nothing(users, two_new):
    job = checked_job(users.secretary, two_new)
    assert (job.status, job.created_count, job.updated_count, job.error_count) == (Status.CHECKED, 2, 0, 0)
    assert job.started_at and job.finished_at and Member.objects.count() == 7


def test_the_check_keeps_every_error_by_row_and_column(users, members_xlsx):
    job = checked_job(users.secretary, members_xlsx([member_row(cccd="1"), member_row(branch="T2-CS1-CD1")]))
    assert job.error_count == 2
    assert job.errors[0][:2] == [2, "Số CCCD"] and "12 chữ số" in job.errors[0][2]
    assert job.errors[1][:2] == [3, "Mã chi đoàn"]


def test_the_importer_gets_the_user_file_name_options_and_progress(users, two_new, recording):
    job = start_job(users.secretary, two_new, year=2025)
    assert tasks.check_import(job.pk) == Status.CHECKED
    call = recording.calls[0]
    assert call["user"] == users.secretary and call["dry_run"] is True and call["year"] == 2025
    assert call["filename"] == two_new.name and call["content"] == two_new.read_bytes()
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.created_count) == (3, 3, 3)


def test_an_importer_that_never_reports_progress_still_finishes(users, two_new, recording, monkeypatch):
    monkeypatch.setattr(Recording, "steps", [])
    job = start_job(users.secretary, two_new)
    tasks.check_import(job.pk)
    job.refresh_from_db()
    assert (job.status, job.rows_done, job.rows_total, job.percent) == (Status.CHECKED, 0, 0, None)


def test_progress_is_written_at_most_twice_a_second_and_always_at_the_end(users, two_new, monkeypatch):
    job = start_job(users.secretary, two_new)
    writes = []
    progress = import_jobs.RowProgress(job.pk)
    progress.write = lambda **row: writes.append((row["rows_done"], row["rows_total"]))
    for done in range(0, 100_001, 2000):
        progress(done, 100_000)
    assert writes == [(0, 100_000), (100_000, 100_000)]


@pytest.mark.django_db(transaction=True)
def test_progress_outside_a_transaction_goes_straight_to_the_row():
    job = ImportJob.objects.create(kind="members", file_name="a.xlsx", requested_by=make_user("tai.len"))
    import_jobs.RowProgress(job.pk)(40, 100)
    job.refresh_from_db()
    assert (job.rows_done, job.rows_total, job.percent) == (40, 100, 40)


def test_a_failing_progress_write_never_fails_the_import(users, two_new, recording, monkeypatch):
    def broken(self, fields):
        raise RuntimeError("database gone")

    monkeypatch.setattr(VisibleUpdate, "_write", broken)
    job = start_job(users.secretary, two_new)
    assert tasks.check_import(job.pk) == Status.CHECKED


def test_only_the_first_ten_thousand_errors_are_kept_but_all_are_counted(users, two_new, recording, monkeypatch):
    errors = [RowError(n, "Số CCCD", "Sai.") for n in range(2, 10_102)]
    monkeypatch.setattr(Recording, "result", ImportResult(errors=errors))
    job = start_job(users.secretary, two_new)
    tasks.check_import(job.pk)
    job.refresh_from_db()
    assert job.error_count == 10_100 and len(job.errors) == 10_000 and job.errors[-1] == [10_001, "Số CCCD", "Sai."]


def test_the_write_imports_and_removes_the_file(users, two_new):
    job = checked_job(users.secretary, two_new)
    path = stored_path(job.stored)
    import_jobs.confirm_import(job=job, by=users.secretary)
    assert tasks.write_import(job.pk) == Status.IMPORTED
    job.refresh_from_db()
    assert (job.status, job.created_count, job.updated_count, job.stored) == (Status.IMPORTED, 2, 0, "")
    assert Member.objects.filter(citizen_id__in=["079200000001", "079200000002"]).count() == 2
    assert not path.exists()


def test_a_duplicate_write_message_writes_nothing_more(users, two_new, recording):
    job = checked_job(users.secretary, two_new)
    import_jobs.confirm_import(job=job, by=users.secretary)
    assert tasks.write_import(job.pk) == Status.IMPORTED
    assert tasks.write_import(job.pk) == Status.IMPORTED
    assert [c["dry_run"] for c in recording.calls] == [True, False]


def test_a_write_redelivered_after_a_crash_runs_again(users, two_new, recording):
    job = checked_job(users.secretary, two_new)
    import_jobs.confirm_import(job=job, by=users.secretary)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING)  # the worker died mid-write: rolled back
    assert tasks.write_import(job.pk) == Status.IMPORTED


@pytest.mark.parametrize("status", [Status.CHECKED, Status.DISCARDED, Status.QUEUED])
def test_the_write_runs_only_once_confirmed(users, two_new, recording, status):
    job = checked_job(users.secretary, two_new)
    ImportJob.objects.filter(pk=job.pk).update(status=status)
    assert tasks.write_import(job.pk) == status
    assert [c["dry_run"] for c in recording.calls] == [True]


def test_a_check_message_for_a_job_past_its_check_does_nothing(users, two_new, recording):
    job = checked_job(users.secretary, two_new)
    import_jobs.confirm_import(job=job, by=users.secretary)
    assert tasks.check_import(job.pk) == Status.WRITE_QUEUED
    assert len(recording.calls) == 1


def test_the_write_validates_again_and_writes_nothing_if_the_data_changed(users, two_new):
    job = checked_job(users.secretary, two_new)
    import_jobs.confirm_import(job=job, by=users.secretary)
    users.secretary.posts.update(ended_on=timezone.localdate() - timedelta(days=1))  # the post ended meanwhile
    assert tasks.write_import(job.pk) == Status.CHECKED
    job.refresh_from_db()
    assert job.error_count == 2 and job.confirmed_at is None and "dữ liệu đã khác lúc kiểm tra" in job.message
    assert Member.objects.count() == 7 and not job.can_confirm


def test_a_job_discarded_while_being_checked_stays_discarded(users, two_new, recording, monkeypatch):
    job = start_job(users.secretary, two_new)

    def discard_meanwhile(self, file, *, dry_run=False):
        ImportJob.objects.filter(pk=job.pk).update(status=Status.DISCARDED)
        return ImportResult(created=1)

    monkeypatch.setattr(Recording, "run", discard_meanwhile)
    tasks.check_import(job.pk)
    job.refresh_from_db()
    assert job.status == Status.DISCARDED and job.created_count == 0


def test_an_unexpected_error_fails_the_job_without_internals(users, two_new, recording, monkeypatch, caplog):
    def crash(self, file, *, dry_run=False):
        raise RuntimeError("bí mật /srv/doanhub/settings.py")

    monkeypatch.setattr(Recording, "run", crash)
    job = start_job(users.secretary, two_new)
    assert tasks.check_import(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.message.startswith("Lỗi không mong muốn khi kiểm tra tệp; không có dữ liệu nào được ghi.")
    assert "RuntimeError" not in job.message and "bí mật" not in job.message
    assert "bí mật" in caplog.text  # the details are in the log for the operator


def test_a_failed_write_reruns_the_write_and_a_failed_check_the_check(users, two_new, recording, monkeypatch):
    job = checked_job(users.secretary, two_new)
    import_jobs.confirm_import(job=job, by=users.secretary)
    monkeypatch.setattr(Recording, "run", lambda self, file, dry_run=False: 1 / 0)
    assert tasks.write_import(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert "khi ghi tệp" in job.message and job.stored  # the file is kept for the re-run
    assert import_jobs.rerun_import(job=job, by=users.secretary).status == Status.WRITE_QUEUED
    other = start_job(users.secretary, two_new)
    assert tasks.check_import(other.pk) == Status.FAILED
    assert import_jobs.rerun_import(job=other, by=users.secretary).status == Status.QUEUED


def test_a_file_gone_from_the_server_fails_with_a_clear_message(users, two_new):
    job = start_job(users.secretary, two_new)
    uploads.remove(job.stored)
    assert tasks.check_import(job.pk) == Status.FAILED
    job.refresh_from_db()
    assert job.message == import_jobs.FILE_GONE and job.stored == ""
    with pytest.raises(ValidationError, match="không còn trên máy chủ"):
        import_jobs.rerun_import(job=job, by=users.secretary)


def test_services_refuse_users_without_import_rights(users, two_new):
    with pytest.raises(PermissionDenied):
        start_job(users.nopost, two_new)
    job = checked_job(users.secretary, two_new)
    for service in (import_jobs.confirm_import, import_jobs.discard_import, import_jobs.rerun_import):
        with pytest.raises(PermissionDenied):
            service(job=job, by=users.grassroots_secretary)


def stored_path(name: str) -> Path:
    """Where the default (local-disk) storage keeps an upload."""
    return Path(default_storage.path(uploads.key(name)))


def _age(job, hours):
    ImportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    then = time.time() - hours * 3600
    os.utime(stored_path(job.stored), (then, then))


def test_uploads_never_confirmed_are_removed_after_a_day(users, two_new):
    old, stuck, fresh, confirmed = (checked_job(users.secretary, two_new) for _ in range(4))
    for job in (old, stuck, confirmed):
        _age(job, 25)
    ImportJob.objects.filter(pk=stuck.pk).update(status=Status.CHECKING)  # its worker died long ago
    ImportJob.objects.filter(pk=confirmed.pk).update(status=Status.WRITE_QUEUED, queued_at=timezone.now())
    orphan = stored_path("zzzzzzzzzzzzzzzzzzzzzzzz.xlsx")  # a file whose job is gone
    orphan.write_bytes(b"PK")
    os.utime(orphan, (time.time() - 90000, time.time() - 90000))
    jobs = (old, stuck, fresh, confirmed)
    paths = [stored_path(j.stored) for j in jobs]
    start_job(users.secretary, two_new)  # an upload does not sweep: its request stays short
    for job in jobs:
        job.refresh_from_db()
    assert [j.status for j in jobs] == [Status.CHECKED, Status.CHECKING, Status.CHECKED, Status.WRITE_QUEUED]
    assert all(p.exists() for p in paths) and orphan.exists()
    assert hourly.expire_imports.apply().get() == 2  # Celery beat's hourly sweep (doanhub/celery.py)
    for job in jobs:
        job.refresh_from_db()
    assert [j.status for j in jobs] == [Status.DISCARDED, Status.DISCARDED, Status.CHECKED, Status.WRITE_QUEUED]
    assert (old.stored, old.message) == ("", import_jobs.EXPIRED)
    assert [p.exists() for p in paths] == [False, False, True, True] and not orphan.exists()


def test_stored_names_cannot_leave_the_folder():
    with pytest.raises(FileNotFoundError):
        uploads.local_copy("../../etc/passwd")
    assert not uploads.exists("../../etc/passwd")
    uploads.remove("../x.xlsx")  # ignored, no error


# -- a step left running by a worker that died -------------------------------------------------------


def _stuck(job, status, silent):
    """The job in the middle of ``status`` for an hour, its worker's last beat ``silent`` seconds ago."""
    now = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(
        status=status, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=silent)
    )
    job.refresh_from_db()
    return job


@pytest.fixture
def confirmed(users, two_new):
    job = checked_job(users.secretary, two_new)
    return import_jobs.confirm_import(job=job, by=users.secretary)


def test_a_write_stuck_past_the_limit_can_be_rerun_and_writes_once(
    users, confirmed, settings, django_capture_on_commit_callbacks
):
    settings.DOANHUB_JOB_DEAD_SECONDS = 60
    job = _stuck(confirmed, Status.WRITING, silent=61)
    assert job.is_stuck and job.can_rerun and not job.can_discard
    with django_capture_on_commit_callbacks() as queued:
        assert import_jobs.rerun_import(job=job, by=users.secretary).status == Status.WRITE_QUEUED
    assert len(queued) == 1
    assert tasks.write_import(job.pk) == Status.IMPORTED  # what the queued message runs
    job.refresh_from_db()
    assert job.status == Status.IMPORTED and job.created_count == 2
    assert Member.objects.filter(citizen_id__in=["079200000001", "079200000002"]).count() == 2


@pytest.mark.parametrize("status", [Status.WRITING, Status.CHECKING])
def test_a_long_step_whose_worker_still_beats_is_not_rerun(users, confirmed, settings, status):
    settings.DOANHUB_JOB_DEAD_SECONDS = 60
    job = _stuck(confirmed, status, silent=59)
    assert not job.is_stuck
    with pytest.raises(ValidationError, match="quá 60 giây không có tín hiệu"):
        import_jobs.rerun_import(job=job, by=users.secretary)


def test_the_limit_is_a_setting(users, confirmed, settings):
    settings.DOANHUB_JOB_DEAD_SECONDS = 5
    assert _stuck(confirmed, Status.WRITING, silent=6).can_rerun


def test_a_stuck_write_stays_undiscardable(users, confirmed):
    """A writer thought dead may still be at it: only a re-run (which waits for its lock) is safe."""
    job = _stuck(confirmed, Status.WRITING, silent=36000)
    with pytest.raises(ValidationError, match="Không hủy được"):
        import_jobs.discard_import(job=job, by=users.secretary)


def test_a_stuck_check_can_be_rerun_or_discarded(users, two_new):
    job = _stuck(start_job(users.secretary, two_new), Status.CHECKING, silent=2700)
    assert import_jobs.rerun_import(job=job, by=users.secretary).status == Status.QUEUED
    assert tasks.check_import(job.pk) == Status.CHECKED
    other = _stuck(start_job(users.secretary, two_new), Status.CHECKING, silent=2700)
    assert import_jobs.discard_import(job=other, by=users.secretary).status == Status.DISCARDED


def test_a_rerun_is_audited(users, confirmed):
    from organizations.models import AuditEntry

    job = _stuck(confirmed, Status.WRITING, silent=3600)
    import_jobs.rerun_import(job=job, by=users.secretary)
    entry = AuditEntry.objects.filter(object_id=job.pk, action="import_rerun").get()
    assert (entry.by, entry.from_state, entry.to_state) == (users.secretary, Status.WRITING, Status.WRITE_QUEUED)


def test_a_rerun_after_the_old_writer_finished_after_all_writes_nothing(users, confirmed, recording):
    job = _stuck(confirmed, Status.WRITING, silent=3600)
    import_jobs.rerun_import(job=job, by=users.secretary)
    ImportJob.objects.filter(pk=job.pk).update(status=Status.IMPORTED)  # the old writer commits meanwhile
    assert tasks.write_import(job.pk) == Status.IMPORTED
    assert [c["dry_run"] for c in recording.calls] == []


# -- day-old uploads go without an upload ------------------------------------------------------------


def test_each_worker_step_expires_day_old_uploads(users, two_new):
    old = checked_job(users.secretary, two_new)
    fresh = start_job(users.secretary, two_new)
    _age(old, 25)
    path = stored_path(old.stored)
    tasks.check_import(fresh.pk)
    old.refresh_from_db()
    assert (old.status, old.stored, old.message) == (Status.DISCARDED, "", import_jobs.EXPIRED)
    assert not path.exists()


def test_housekeeping_never_fails_a_step(users, two_new, monkeypatch, caplog):
    def broken():
        raise OSError("disk gone")

    job = start_job(users.secretary, two_new)
    monkeypatch.setattr(import_jobs, "expire_stale", broken)
    assert tasks.check_import(job.pk) == Status.CHECKED
    assert "could not expire stale import uploads" in caplog.text


def test_the_expire_imports_command(users, two_new):
    from io import StringIO

    from django.core.management import call_command

    old, fresh = checked_job(users.secretary, two_new), checked_job(users.secretary, two_new)
    _age(old, 25)
    path = stored_path(old.stored)
    out = StringIO()
    call_command("expire_imports", stdout=out)
    assert "Đã hủy 1 việc nhập quá một ngày chưa xác nhận" in out.getvalue()
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert (old.status, fresh.status) == (Status.DISCARDED, Status.CHECKED) and not path.exists()


@pytest.mark.django_db(transaction=True)
def test_a_rerun_while_the_old_writer_is_in_fact_alive_writes_once(users, two_new, monkeypatch):

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("two writers at once need PostgreSQL (SQLite writes wait on one lock)")
    job = import_jobs.confirm_import(job=checked_job(users.secretary, two_new), by=users.secretary)
    writes = []

    # the old write is thought dead meanwhile (its beats do not reach the database: say, its
    # machine's link is cut), re-run, and the new write starts
    monkeypatch.setattr(import_jobs, "get_importer", lambda kind: slow_importer(writes, 1, 2))
    monkeypatch.setattr(import_jobs, "Heartbeat", lambda model, pk: contextlib.nullcontext())
    outcomes = []
    old = write_in_thread(job.pk, outcomes)
    while not writes:
        time.sleep(0.02)
    _stuck(job, Status.WRITING, silent=7200)
    assert import_jobs.rerun_import(job=job, by=users.secretary).status == Status.WRITE_QUEUED
    outcomes.append(tasks.write_import(job.pk))  # waits for the old writer's lock
    old.join(10)
    assert len(writes) == 1 and outcomes == [Status.IMPORTED, Status.IMPORTED]


def test_a_failed_check_older_than_a_day_is_not_rerun_but_said_expired(tree, users, members_xlsx):
    from datetime import timedelta

    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from members.import_jobs import EXPIRED, rerun_import

    job = start_job(users.secretary, members_xlsx([member_row()]))
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.FAILED, created_at=timezone.now() - timedelta(days=2)
    )
    with pytest.raises(ValidationError) as refused:
        rerun_import(job=ImportJob.objects.get(pk=job.pk), by=users.secretary)
    assert refused.value.messages == [EXPIRED]
