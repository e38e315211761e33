"""A real Celery worker (celery.contrib.testing) checks and writes a file uploaded through the page."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import ImportJob, Member
from tests.factories import wait_until

from .conftest import member_row

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
Status = ImportJob.Status


def _wait_for(job: ImportJob, status: str) -> ImportJob:
    job = wait_until(job, lambda j: not j.is_busy)
    assert job.status == status, job.message
    return job


def test_a_worker_checks_then_writes_an_upload(celery_app, tree, users, client, members_xlsx):
    path = members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])
    client.force_login(users.secretary)
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        response = client.post(
            reverse("members:import"), {"kind": "members", "file": SimpleUploadedFile(path.name, path.read_bytes())}
        )
        job = _wait_for(ImportJob.objects.get(), Status.CHECKED)
        assert "2 dòng mới, 0 dòng cập nhật" in client.get(response.url).content.decode()
        client.post(reverse("members:import_confirm", args=[job.pk]))
        job = _wait_for(job, Status.IMPORTED)
    assert "Đã nhập 2 mới, 0 cập nhật" in client.get(response.url).content.decode()
    assert Member.objects.filter(branch=tree.branch).count() == 5
    assert job.started_at and job.finished_at and job.stored == ""
