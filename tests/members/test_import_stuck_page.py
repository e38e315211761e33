"""The job page of an import whose worker died mid-step: it says so and offers a re-run."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import import_jobs
from members.models import ImportJob

from .conftest import checked_job, member_row

Status = ImportJob.Status


def url(job, name="members:import_job"):
    return reverse(name, args=[job.pk])


@pytest.fixture
def stuck(users, members_xlsx, settings):
    """``stuck(status, silent)``: the secretary's confirmed job in ``status`` for an hour, its
    worker's last beat ``silent`` seconds ago."""
    settings.DOANHUB_JOB_DEAD_SECONDS = 60

    def _make(status=Status.WRITING, silent=90):
        job = checked_job(users.secretary, members_xlsx([member_row()]))
        if status == Status.WRITING:
            import_jobs.confirm_import(job=job, by=users.secretary)
        now = timezone.now()
        ImportJob.objects.filter(pk=job.pk).update(
            status=status, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=silent)
        )
        return job

    return _make


def test_it_explains_a_stuck_write_and_offers_a_rerun(stuck, users, login):
    job = stuck(Status.WRITING)
    job.refresh_from_db()
    begun = timezone.localtime(job.started_at).strftime("%H:%M %d/%m/%Y")
    last = timezone.localtime(job.heartbeat_at).strftime("%H:%M:%S %d/%m/%Y")
    client = login(users.secretary)
    for name in ("members:import_job", "members:import_progress"):  # the page, and the polled fragment
        page = client.get(url(job, name)).content.decode()
        assert 'data-testid="stuck"' in page and "Tiến trình xử lý nền (worker) đã dừng giữa chừng" in page
        assert f"việc ghi bắt đầu lúc {begun}, tín hiệu cuối của worker lúc {last}" in page
        assert "chạy lại không ghi trùng" in page and url(job, "members:import_rerun") in page
    page = client.get(reverse("members:import")).content.decode()
    assert "Đang ghi · worker đã dừng" in page
    assert client.get(url(job, "members:import_progress"), {"format": "json"}).json()["worker_stopped"] is True


def test_a_stuck_check_may_also_be_discarded(stuck, users, login):
    job = stuck(Status.CHECKING)
    page = login(users.secretary).get(url(job)).content.decode()
    assert "việc kiểm tra bắt đầu lúc" in page and "bạn cũng có thể hủy và xóa tệp" in page
    assert url(job, "members:import_discard") in page and url(job, "members:import_rerun") in page


def test_a_step_within_the_limit_is_just_running(stuck, users, login):
    job = stuck(Status.WRITING, silent=5)
    page = login(users.secretary).get(url(job)).content.decode()
    assert 'data-testid="stuck"' not in page and url(job, "members:import_rerun") not in page


def test_the_rerun_button_queues_the_write_again(stuck, users, login, django_capture_on_commit_callbacks):
    job = stuck(Status.WRITING)
    with django_capture_on_commit_callbacks() as queued:
        page = login(users.secretary).post(url(job, "members:import_rerun"), follow=True).content.decode()
    assert "Đã xếp việc nhập chạy lại." in page and len(queued) == 1
    job.refresh_from_db()
    assert job.status == Status.WRITE_QUEUED


@pytest.mark.parametrize("who", ["province_admin", "outsider"])
def test_nobody_else_reruns_it(stuck, users, login, who):
    job = stuck(Status.WRITING)
    assert login(getattr(users, who)).post(url(job, "members:import_rerun")).status_code == 404
    job.refresh_from_db()
    assert job.status == Status.WRITING


def test_a_stuck_rerun_too_early_is_refused_with_the_reason(stuck, users, login):
    job = stuck(Status.WRITING, silent=10)
    page = login(users.secretary).post(url(job, "members:import_rerun"), follow=True).content.decode()
    assert "chỉ chạy lại được khi tiến trình nền đã dừng (quá 60 giây không có tín hiệu)" in page
