"""Two worker "machines" that share no disk, one S3-compatible store (moto's server, started here):
a report built by one is downloaded through the web, an upload made through the web is checked by
the other (issue 12). Each worker is a real ``celery -A doanhub worker`` process with its own
DOANHUB_VAR_DIR, on Redis (db 6), against this test's PostgreSQL database (tests/worker_process.py)."""

import io
from pathlib import Path

import openpyxl
import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from members.models import ImportJob
from reports.models import ReportJob
from tests import worker_process
from tests.members.conftest import member_row
from tests.members.test_upload_page import upload
from tests.storage.test_local_disk import ListsAGhost

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

S3_PORTS = range(8111, 8118)  # the job-fault tests' ports (8118: a Redis of test_job_faults; 8119 stays dead)
BUCKET = "doanhub-test"
KEYS = {"AWS_ACCESS_KEY_ID": "test-key", "AWS_SECRET_ACCESS_KEY": "test-secret", "AWS_S3_REGION_NAME": "us-east-1"}


def _free_port() -> int:
    """A port of the range nothing listens on (tests in parallel processes each take one)."""
    import socket

    for port in S3_PORTS:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise AssertionError(f"no free port in {S3_PORTS}")


@pytest.fixture
def s3(settings):
    """moto's S3 server on a port of ours, a private bucket, and this process's storage on it;
    ``s3.env`` is what a worker machine sets to use the same store."""
    import boto3
    from moto.server import ThreadedMotoServer

    port = _free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id="test-key",
        aws_secret_access_key="test-secret",
    )
    client.create_bucket(Bucket=BUCKET)
    client.env = {"DOANHUB_STORAGE": "s3", "AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": endpoint, **KEYS}
    options = {
        "bucket_name": BUCKET,
        "endpoint_url": endpoint,
        "region_name": "us-east-1",
        "access_key": "test-key",
        "secret_key": "test-secret",
        "default_acl": None,
        "file_overwrite": False,
        "max_memory_size": 8 * 1024 * 1024,
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options},
    }
    yield client
    server.stop()


def _local_files(var_dir: Path) -> list[Path]:
    return [p for p in (var_dir / "media").rglob("*") if p.is_file()] if (var_dir / "media").exists() else []


def test_a_report_from_one_worker_and_an_upload_checked_by_another_share_one_store(
    s3, redis_broker, ratings, users, login, members_xlsx, tmp_path
):
    one, two = tmp_path / "machine-1", tmp_path / "machine-2"
    one.mkdir(), two.mkdir()
    client = login(users.province_staff)

    worker = worker_process.start("one", one, s3.env)
    try:
        client.post(reverse("reports:index"), {"kind": "ratings", "year": "2025", "compare": "0", "root": "T1"})
        job = worker_process.finished(ReportJob, one, lambda j: j.is_finished)
    finally:
        worker_process.stop(worker)
    assert job.status == ReportJob.Status.DONE, job.error or (one / "worker.log").read_text()
    assert s3.head_object(Bucket=BUCKET, Key=job.file.name)["ContentLength"] > 0  # in the store, not on a disk
    response = client.get(reverse("reports:download", args=[job.pk]))
    assert response.status_code == 200 and response.streaming  # streamed through the view, no redirect
    workbook = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    assert len(workbook.sheetnames) >= 2

    worker = worker_process.start("two", two, s3.env)
    try:
        secretary = login(users.secretary)
        assert upload(secretary, members_xlsx([member_row()])).status_code == 302
        imported = worker_process.finished(ImportJob, two, lambda j: not j.is_busy)
    finally:
        worker_process.stop(worker)
    assert imported.status == ImportJob.Status.CHECKED, imported.message or (two / "worker.log").read_text()
    assert (imported.created_count, imported.error_count) == (1, 0)
    assert default_storage.exists(f"imports/{imported.stored}")  # kept in the store for the write
    assert _local_files(one) == [] and _local_files(two) == []  # neither machine kept a file of its own


def test_objects_in_the_store_are_private(s3, ratings, users, login):
    """No public-read ACL: an anonymous request to the store itself is refused."""
    import urllib.error
    import urllib.request

    name = default_storage.save("reports/private-check.xlsx", io.BytesIO(b"PK secret"))
    grants = s3.get_object_acl(Bucket=BUCKET, Key=name)["Grants"]
    assert not [g for g in grants if g["Grantee"].get("URI", "").endswith("/AllUsers")]
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(f"{s3.env['AWS_S3_ENDPOINT_URL']}/{BUCKET}/{name}")


def test_the_day_old_sweep_and_a_missing_upload_work_in_the_store(s3, monkeypatch):
    from datetime import timedelta

    from django.core.files.base import ContentFile

    from members import uploads

    kept, old = (uploads.save(ContentFile(b"PK workbook", name="a.xlsx")) for _ in range(2))
    monkeypatch.setattr(uploads, "MAX_AGE", timedelta(seconds=-60))  # everything counts as a day old
    monkeypatch.setattr(uploads, "default_storage", ListsAGhost(default_storage))  # and one gone meanwhile
    uploads.forget_stale(keep={kept})  # listdir + get_modified_time through the storage API
    assert uploads.exists(kept) and not uploads.exists(old)
    with pytest.raises(FileNotFoundError):
        uploads.local_copy(old)
