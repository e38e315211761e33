"""The upload page's ratings import (an ImportJob: the worker's check, then the confirmed write,
run here in this process) enforces the rating's rules, and offers reopen with a reason."""

from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from evaluations import services
from evaluations.models import Assessment, Status
from members import import_jobs, tasks
from members.models import ImportJob
from organizations.audit import history
from tests.members.conftest import checked_job

from .conftest import fill_and_submit
from .test_import import xlsx

pytestmark = pytest.mark.django_db
Job = ImportJob.Status
REASON = "Chi đoàn báo cáo lại sau họp"


@pytest.fixture(autouse=True)
def _jobs(settings, tmp_path, celery_app):
    """Uploads under the test's folder; Celery on the in-memory broker (tests/conftest.py)."""
    settings.MEDIA_ROOT = tmp_path / "media"


def ratings_file(tmp_path, members, level):
    return Path(xlsx(tmp_path, [[2026, "Đoàn viên", m.citizen_id, level, ""] for m in members]))


def write(job, by):
    import_jobs.confirm_import(job=job, by=by)
    tasks.write_import(job.pk)
    job.refresh_from_db()
    return job


def test_the_check_refuses_a_file_over_the_quota_and_it_cannot_be_confirmed(tree, users, period, tmp_path):
    job = checked_job(users.grassroots_approver, ratings_file(tmp_path, tree.members[:2], "HTXSNV"), kind="ratings")
    assert (job.status, job.error_count) == (Job.CHECKED, 2)
    assert job.errors[0][:2] == [2, "Xếp loại"]
    assert "vượt chỉ tiêu HTXSNV (đoàn viên) của Đoàn xã Hùng Sơn: sẽ có 2 HTXSNV trên 5 (40,0%)" in job.errors[0][2]
    with pytest.raises(ValidationError, match="còn 2 lỗi"):
        import_jobs.confirm_import(job=job, by=users.grassroots_approver)
    assert not Assessment.objects.exists()


def test_a_file_within_the_quota_is_checked_then_written(tree, users, period, tmp_path):
    job = checked_job(users.grassroots_approver, ratings_file(tmp_path, tree.members[:1], "HTXSNV"), kind="ratings")
    assert (job.status, job.error_count, job.created_count) == (Job.CHECKED, 0, 1)
    assert write(job, users.grassroots_approver).status == Job.IMPORTED
    assert Assessment.objects.get(member=tree.members[0]).status == Status.APPROVED


def test_the_write_counts_the_quota_again_when_a_decision_took_it_meanwhile(tree, users, period, tmp_path):
    job = checked_job(users.grassroots_approver, ratings_file(tmp_path, tree.members2[:1], "HTXSNV"), kind="ratings")
    assert job.error_count == 0
    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    services.submission_approve(submission=batch, by=users.grassroots_approver)
    job = write(job, users.grassroots_approver)
    assert (job.status, job.message) == (Job.CHECKED, import_jobs.CHANGED_SINCE_CHECK)
    assert "sẽ có 2 HTXSNV trên 5" in job.errors[0][2]
    assert not Assessment.objects.filter(member__in=tree.members2).exists()


def upload(client, path, **fields):
    data = {"kind": "ratings", "year": 2026, "file": SimpleUploadedFile(path.name, path.read_bytes())} | fields
    return client.post(reverse("members:import"), data)


@pytest.fixture
def approved(tree, users, period):
    batch = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTTNV"])
    services.submission_approve(submission=batch, by=users.grassroots_approver)
    return Assessment.objects.select_related("member").get(member__branch=tree.branch, final_level="HTXSNV")


def test_the_upload_page_reopens_approved_results_when_asked_with_a_reason(login, users, approved, tmp_path):
    client = login(users.grassroots_approver)
    response = upload(client, ratings_file(tmp_path, [approved.member], "HTNV"), reopen="on", reopen_reason=REASON)
    job = ImportJob.objects.get()
    assert response.status_code == 302 and job.options == {"year": 2026, "reopen": True, "reason": REASON}
    tasks.check_import(job.pk)
    job.refresh_from_db()
    assert (job.error_count, job.updated_count) == (0, 1)
    assert write(job, users.grassroots_approver).status == Job.IMPORTED
    approved.refresh_from_db()
    assert (approved.final_level, approved.reopened_count) == ("HTNV", 1)
    assert history(approved).get(action="reopen").reason == f"{REASON} (nhập từ Excel, dòng 2)"


def test_the_upload_page_without_reopen_names_the_approved_row(login, users, approved, tmp_path):
    upload(login(users.grassroots_approver), ratings_file(tmp_path, [approved.member], "HTNV"))
    job = ImportJob.objects.get()
    tasks.check_import(job.pk)
    job.refresh_from_db()
    assert job.error_count == 1 and "đã được công nhận" in job.errors[0][2]


def test_the_upload_page_asks_for_the_reason_of_a_reopen(login, users, approved, tmp_path):
    response = upload(login(users.grassroots_approver), ratings_file(tmp_path, [approved.member], "HTNV"), reopen="on")
    assert response.status_code == 200
    assert "Cần ghi lý do mở lại kết quả đã công nhận." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_the_upload_page_offers_reopen_only_for_a_kind_with_decided_results(login, users, approved, tmp_path):
    path = ratings_file(tmp_path, [approved.member], "HTNV")
    response = upload(login(users.grassroots_approver), path, kind="members", reopen="on", reopen_reason=REASON)
    assert "không có kết quả công nhận để mở lại" in response.content.decode()
    assert not ImportJob.objects.exists()
