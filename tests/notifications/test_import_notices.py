"""An import tells its uploader when the worker has checked the file (the errors ready, or the
file ready to confirm) and when it has written it, with the link to the import's page."""

import pytest

from members import import_jobs, tasks
from members.importers import MEMBER_REQUIRED
from members.models import ImportJob
from notifications.models import Kind, Notification
from tests.members.conftest import member_row, start_job, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def run_now(django_capture_on_commit_callbacks):
    """The worker's step here, its after-commit notices run as a worker's would be."""

    def step(task, job):
        with django_capture_on_commit_callbacks(execute=True):
            task(job.pk)
        job.refresh_from_db()
        return job

    return step


def test_a_checked_file_with_errors_says_how_many_and_links_to_them(login, users, tmp_path, run_now):
    path = write_xlsx(tmp_path / "hoi-vien.xlsx", MEMBER_REQUIRED, [member_row(), member_row(gender="Không rõ")])
    job = run_now(tasks.check_import, start_job(users.secretary, path))
    assert job.status == ImportJob.Status.CHECKED and job.error_count == 1
    [n] = Notification.objects.filter(recipient=users.secretary)
    assert (n.kind, n.link) == (Kind.IMPORT_CHECKED, f"/doan-vien/nhap-excel/{job.pk}/")
    assert n.title == f"Tệp “hoi-vien.xlsx” ({job.kind_label}) có 1 lỗi cần sửa trước khi nhập"
    assert n.title in login(users.secretary).get("/").content.decode()


def test_a_clean_check_then_the_write_each_tell_the_uploader_once(users, tmp_path, run_now):
    path = write_xlsx(tmp_path / "moi.xlsx", MEMBER_REQUIRED, [member_row()])
    job = run_now(tasks.check_import, start_job(users.secretary, path))
    import_jobs.confirm_import(job=job, by=users.secretary)
    job = run_now(tasks.write_import, job)
    run_now(tasks.write_import, job)  # a duplicate message writes nothing and tells nothing
    titles = list(Notification.objects.filter(recipient=users.secretary).order_by("pk").values_list("kind", "title"))
    assert titles == [
        (Kind.IMPORT_CHECKED, f"Tệp “moi.xlsx” ({job.kind_label}) đã kiểm tra, không có lỗi: chờ bạn xác nhận ghi"),
        (Kind.IMPORT_WRITTEN, f"Tệp “moi.xlsx” ({job.kind_label}) đã nhập xong: 1 mới, 0 cập nhật"),
    ]
    assert not Notification.objects.exclude(recipient=users.secretary).exists()
