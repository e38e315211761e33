"""A worker machine killed (SIGKILL) in the middle of an import's check: the job page stops showing
it running, says the worker stopped, and the re-run it offers is checked by another worker."""

import os
import signal

import pytest
from django.urls import reverse

from members.models import ImportJob
from tests import worker_process
from tests.factories import wait_until

from .conftest import member_row
from .test_upload_page import upload

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = ImportJob.Status
ROWS = 5_000  # enough that the check is still running when the worker is killed (it takes seconds)


def test_a_killed_workers_check_is_shown_stopped_and_rerun_by_another(
    tree, users, login, members_xlsx, redis_broker, settings, tmp_path
):
    settings.DOANHUB_JOB_DEAD_SECONDS = 2
    shared = {"DJANGO_MEDIA_ROOT": str(settings.MEDIA_ROOT), "DOANHUB_JOB_HEARTBEAT_SECONDS": "0.2"}
    rows = [member_row(cccd=f"0792{n:08d}", name=f"Nguyễn Văn Số {n}") for n in range(ROWS)]
    client = login(users.secretary)
    one, two = tmp_path / "machine-1", tmp_path / "machine-2"
    one.mkdir(), two.mkdir()

    worker = worker_process.start("one", one, shared)
    try:
        url = upload(client, members_xlsx(rows)).url
        job = wait_until(ImportJob.objects.get(), lambda j: j.status != Status.QUEUED and j.heartbeat_at, timeout=180)
        os.kill(worker.pid, signal.SIGKILL)  # the machine is gone mid-check
        worker.wait()
    finally:
        worker_process.stop(worker)
    assert job.status == Status.CHECKING, (job.status, (one / "worker.log").read_text()[-2000:])

    job = wait_until(job, lambda j: j.is_stuck, timeout=30)  # no beat for DOANHUB_JOB_DEAD_SECONDS
    page = client.get(url).content.decode()
    assert "Tiến trình xử lý nền (worker) đã dừng giữa chừng" in page and "Đang kiểm tra · worker đã dừng" in page
    assert reverse("members:import_rerun", args=[job.pk]) in page

    worker = worker_process.start("two", two, shared)
    try:
        client.post(reverse("members:import_rerun", args=[job.pk]))
        job = worker_process.finished(ImportJob, two, lambda j: j.status == Status.CHECKED, timeout=300)
    finally:
        worker_process.stop(worker)
    assert (job.rows_total, job.created_count) == (ROWS, ROWS)
