"""A real Celery worker checks a ratings file uploaded through the page against the quota, then
writes a file within it (celery.contrib.testing, as tests/members/test_import_worker.py)."""

from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations.models import Assessment, Status
from members.models import ImportJob
from tests.factories import wait_until

from .test_import import xlsx

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Job = ImportJob.Status


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _upload(client, path: Path) -> ImportJob:
    file = SimpleUploadedFile(path.name, path.read_bytes())
    client.post(reverse("members:import"), {"kind": "ratings", "year": 2026, "file": file})
    job = wait_until(ImportJob.objects.latest("pk"), lambda j: not j.is_busy)
    assert job.status == Job.CHECKED, job.message
    return job


def test_a_worker_refuses_a_file_over_the_quota_and_writes_one_within_it(
    celery_app, tree, users, period, client, tmp_path
):
    client.force_login(users.grassroots_approver)
    over = Path(xlsx(tmp_path, [[2026, "Đoàn viên", m.citizen_id, "HTXSNV", ""] for m in tree.members[:2]]))
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        refused = _upload(client, over)
        assert refused.error_count == 2 and "sẽ có 2 HTXSNV trên 5 (40,0%)" in refused.errors[0][2]
        page = client.get(reverse("members:import_job", args=[refused.pk])).content.decode()
        assert "vượt chỉ tiêu HTXSNV" in page and not Assessment.objects.exists()
        within = Path(xlsx(tmp_path, [[2026, "Đoàn viên", tree.members[0].citizen_id, "HTXSNV", ""]]))
        job = _upload(client, within)  # the same file name, written over the refused one
        assert job.error_count == 0
        client.post(reverse("members:import_confirm", args=[job.pk]))
        job = wait_until(job, lambda j: not j.is_busy)
    assert job.status == Job.IMPORTED, job.message
    assert Assessment.objects.get(member=tree.members[0]).status == Status.APPROVED
