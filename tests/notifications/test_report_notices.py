"""A report job that finishes or fails tells the person who asked, with the job's page."""

import pytest

from notifications.models import Kind, Notification
from reports import kinds, services

pytestmark = pytest.mark.django_db


@pytest.fixture
def job(tree, users, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):  # no broker: the test runs the job itself
        return services.request_job(kind="membership", root=tree.province, year=2026, by=users.province_staff)


def test_a_finished_report_tells_who_asked(tree, users, job, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.run_job(job_id=job.pk)
    [n] = Notification.objects.all()
    assert (n.recipient, n.kind, n.link) == (users.province_staff, Kind.JOB_DONE, f"/bao-cao/{job.pk}/")
    assert n.title == f"Báo cáo “Thống kê đoàn viên” năm 2026 của {tree.province.name} đã lập xong"


def test_a_failed_report_says_why_and_a_rerun_tells_again(users, job, monkeypatch, django_capture_on_commit_callbacks):
    def broken(**kwargs):
        raise RuntimeError("mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(kinds, "builder", lambda kind: broken)
    with django_capture_on_commit_callbacks(execute=True):
        services.run_job(job_id=job.pk)
        services.run_job(job_id=job.pk)
    rows = list(Notification.objects.order_by("pk"))
    assert [n.kind for n in rows] == [Kind.JOB_FAILED, Kind.JOB_FAILED]
    assert rows[0].body == "RuntimeError: mất kết nối cơ sở dữ liệu" and "bị lỗi, cần chạy lại" in rows[0].title
