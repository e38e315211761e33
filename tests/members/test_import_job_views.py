"""The import job's pages: who sees them, the polled progress, the preview, and forged steps."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members import tasks
from members.models import ImportJob, Member

from .conftest import checked_job, member_row, start_job

Status = ImportJob.Status
PAGES = ["members:import_job", "members:import_progress"]
STEPS = ["members:import_confirm", "members:import_discard", "members:import_rerun"]


def url(job, name="members:import_job"):
    return reverse(name, args=[job.pk])


@pytest.fixture
def job(users, members_xlsx):
    """The secretary's file of two new members, checked and clean."""
    path = members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])
    return checked_job(users.secretary, path)


@pytest.fixture
def bad_job(users, members_xlsx):
    return checked_job(users.secretary, members_xlsx([member_row(cccd="123"), member_row(cccd="456")]))


# -- who ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", PAGES + STEPS)
def test_anonymous_is_sent_to_login(job, client, name):
    response = client.post(url(job, name)) if name in STEPS else client.get(url(job, name))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


@pytest.mark.parametrize("name", PAGES + STEPS)
@pytest.mark.parametrize("who", ["province_admin", "grassroots_approver", "outsider", "superuser"])
def test_anyone_but_the_uploader_gets_404(job, users, login, name, who):
    client = login(getattr(users, who))
    response = client.post(url(job, name)) if name in STEPS else client.get(url(job, name))
    assert response.status_code == 404
    job.refresh_from_db()
    assert job.status == Status.CHECKED


@pytest.mark.parametrize("name", PAGES + STEPS)
@pytest.mark.parametrize("who", ["nopost", "grassroots_secretary"])
def test_roles_without_import_rights_get_403(job, users, login, name, who):
    client = login(getattr(users, who))
    response = client.post(url(job, name)) if name in STEPS else client.get(url(job, name))
    assert response.status_code == 403


def test_the_uploader_who_lost_their_post_gets_403(job, users, login):
    users.secretary.posts.all().delete()
    assert login(users.secretary).get(url(job)).status_code == 403


@pytest.mark.parametrize("name", PAGES)
def test_pages_reject_post(job, users, login, name):
    assert login(users.secretary).post(url(job, name)).status_code == 405


@pytest.mark.parametrize("name", STEPS)
def test_steps_reject_get(job, users, login, name):
    assert login(users.secretary).get(url(job, name)).status_code == 405


def test_an_unknown_job_is_404(job, users, login):
    assert login(users.secretary).get(reverse("members:import_job", args=[job.pk + 100])).status_code == 404


# -- polling ----------------------------------------------------------------------------------------


def test_a_queued_job_polls_its_progress_every_second(users, login, members_xlsx):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    client = login(users.secretary)
    page = client.get(url(job)).content.decode()
    assert 'hx-trigger="every 1s"' in page and url(job, "members:import_progress") in page
    assert "Chờ kiểm tra" in page and "Chưa có tiến trình xử lý nền" not in page
    fragment = client.get(url(job, "members:import_progress"), HTTP_HX_REQUEST="true")
    assert "every 1s" in fragment.content.decode() and "HX-Refresh" not in fragment


def test_the_fragment_shows_rows_done_of_the_total(users, login, members_xlsx):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, rows_done=2000, rows_total=100000)
    fragment = login(users.secretary).get(url(job, "members:import_progress"), HTTP_HX_REQUEST="true").content.decode()
    assert "2.000/100.000 dòng · 2%" in fragment and "Đang kiểm tra" in fragment and 'aria-valuenow="2"' in fragment


def test_the_fragment_stops_polling_and_reloads_once_checked(job, users, login):
    fragment = login(users.secretary).get(url(job, "members:import_progress"), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "hx-trigger" not in fragment.content.decode()


def test_progress_as_json(users, login, members_xlsx):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING, rows_done=500, rows_total=2000)
    data = login(users.secretary).get(url(job, "members:import_progress"), {"format": "json"}).json()
    assert data == {
        "status": "writing",
        "status_label": "Đang ghi",
        "busy": True,
        "rows_done": 500,
        "rows_total": 2000,
        "percent": 25,
        "created": 0,
        "updated": 0,
        "errors": 0,
        "no_worker_yet": False,
        "worker_stopped": False,
    }


@pytest.mark.parametrize("status", [Status.QUEUED, Status.WRITE_QUEUED])
def test_a_job_no_worker_took_says_so(users, login, members_xlsx, status):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    ImportJob.objects.filter(pk=job.pk).update(status=status, queued_at=timezone.now() - timedelta(seconds=20))
    fragment = login(users.secretary).get(url(job, "members:import_progress")).content.decode()
    assert "Chưa có tiến trình xử lý nền (worker) nhận việc sau 15 giây" in fragment
    assert "every 1s" in fragment  # still polling: a worker may start at any time


def test_a_running_job_shows_no_worker_hint(users, login, members_xlsx):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    ImportJob.objects.filter(pk=job.pk).update(status=Status.CHECKING, queued_at=timezone.now() - timedelta(hours=1))
    assert "Chưa có tiến trình" not in login(users.secretary).get(url(job)).content.decode()


# -- the preview --------------------------------------------------------------------------------------


def test_a_clean_check_offers_confirm_and_discard(job, users, login):
    page = login(users.secretary).get(url(job)).content.decode()
    assert "Tệp hợp lệ: 2 dòng mới, 0 dòng cập nhật." in page
    assert url(job, "members:import_confirm") in page and url(job, "members:import_discard") in page
    assert "hx-trigger" not in page


def test_errors_are_listed_by_row_and_column_without_confirm(bad_job, users, login):
    page = login(users.secretary).get(url(bad_job)).content.decode()
    assert "tệp có 2 lỗi" in page and url(bad_job, "members:import_confirm") not in page
    assert '<td class="num">2</td><td>Số CCCD</td>' in page and '<td class="num">3</td><td>Số CCCD</td>' in page


def _with_errors(job, count, total=None):
    errors = [[n + 2, "Số CCCD", f"Lỗi thứ {n}."] for n in range(count)]
    ImportJob.objects.filter(pk=job.pk).update(errors=errors, error_count=total or count)


def test_many_errors_are_paged_and_the_total_is_said(bad_job, users, login):
    _with_errors(bad_job, ImportJob.MAX_KEPT_ERRORS, total=123456)
    client = login(users.secretary)
    page = client.get(url(bad_job)).content.decode()
    assert "tệp có 123.456 lỗi" in page
    assert "Hiển thị 10.000 lỗi đầu tiên trong tổng số 123.456 lỗi." in page
    assert "Lỗi thứ 99." in page and "Lỗi thứ 100." not in page and "Trang 1/100" in page
    page = client.get(url(bad_job), {"page": 3}).content.decode()
    assert "Lỗi thứ 200." in page and "Lỗi thứ 199." not in page


def test_the_job_page_costs_the_same_however_many_errors(bad_job, users, login, django_assert_num_queries):
    client = login(users.secretary)
    _with_errors(bad_job, 3)
    client.get(url(bad_job))
    with CaptureQueriesContext(connection) as few:
        client.get(url(bad_job))
    _with_errors(bad_job, 5000)
    with django_assert_num_queries(len(few)):
        page = client.get(url(bad_job), {"page": 50}).content.decode()
    assert "Lỗi thứ 4999." in page and "Lỗi thứ 4899." not in page


def test_an_imported_job_says_how_many_with_a_link(job, users, login):
    login(users.secretary).post(url(job, "members:import_confirm"))
    tasks.write_import(job.pk)
    page = login(users.secretary).get(url(job)).content.decode()
    assert "Đã nhập 2 mới, 0 cập nhật." in page and reverse("members:index") in page
    assert url(job, "members:import_confirm") not in page and url(job, "members:import_discard") not in page


# -- the steps, and forged ones -------------------------------------------------------------------------


def test_confirm_queues_the_write_once(job, users, login, django_capture_on_commit_callbacks):
    client = login(users.secretary)
    with django_capture_on_commit_callbacks() as queued:
        first = client.post(url(job, "members:import_confirm"), follow=True)
        second = client.post(url(job, "members:import_confirm"), follow=True)  # a double click
    assert len(queued) == 1
    assert "Đã xác nhận: tệp đang được ghi." in first.content.decode()
    assert "đã được xác nhận và đang chờ ghi; không cần bấm lại" in second.content.decode()
    job.refresh_from_db()
    assert job.status == Status.WRITE_QUEUED and job.confirmed_at is not None


def test_confirm_after_import_is_refused(job, users, login):
    client = login(users.secretary)
    client.post(url(job, "members:import_confirm"))
    tasks.write_import(job.pk)
    page = client.post(url(job, "members:import_confirm"), follow=True).content.decode()
    assert "Tệp này đã được nhập rồi" in page and Member.objects.count() == 9


def test_confirm_of_a_file_with_errors_is_refused(bad_job, users, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as queued:
        page = login(users.secretary).post(url(bad_job, "members:import_confirm"), follow=True).content.decode()
    assert "Tệp còn 2 lỗi nên không thể nhập" in page and not queued
    bad_job.refresh_from_db()
    assert bad_job.status == Status.CHECKED


def test_confirm_before_the_check_is_refused(users, login, members_xlsx):
    job = start_job(users.secretary, members_xlsx([member_row()]))
    page = login(users.secretary).post(url(job, "members:import_confirm"), follow=True).content.decode()
    assert "Chưa thể xác nhận: việc nhập đang ở trạng thái “Chờ kiểm tra”." in page


def test_discard_removes_the_file(job, users, login, settings, django_capture_on_commit_callbacks):
    stored = settings.MEDIA_ROOT / "imports" / job.stored
    assert stored.exists()
    with django_capture_on_commit_callbacks(execute=True):
        page = login(users.secretary).post(url(job, "members:import_discard"), follow=True).content.decode()
    assert "Đã hủy việc nhập và xóa tệp đã tải lên." in page and "Đã hủy" in page
    job.refresh_from_db()
    assert job.status == Status.DISCARDED and job.stored == "" and not stored.exists()
    page = login(users.secretary).post(url(job, "members:import_confirm"), follow=True).content.decode()
    assert "Chưa thể xác nhận" in page


def test_discard_while_writing_is_refused(job, users, login):
    ImportJob.objects.filter(pk=job.pk).update(status=Status.WRITING)
    page = login(users.secretary).post(url(job, "members:import_discard"), follow=True).content.decode()
    assert "Không hủy được: việc nhập đang ở trạng thái “Đang ghi”." in page


def test_a_failed_job_shows_its_message_and_reruns(job, users, login, django_capture_on_commit_callbacks):
    ImportJob.objects.filter(pk=job.pk).update(status=Status.FAILED, message="Lỗi không mong muốn khi kiểm tra tệp.")
    client = login(users.secretary)
    page = client.get(url(job)).content.decode()
    assert "Lỗi không mong muốn khi kiểm tra tệp." in page and url(job, "members:import_rerun") in page
    with django_capture_on_commit_callbacks() as queued:
        client.post(url(job, "members:import_rerun"))
    job.refresh_from_db()
    assert job.status == Status.QUEUED and len(queued) == 1


def test_rerun_of_a_job_that_did_not_fail_is_refused(job, users, login):
    page = login(users.secretary).post(url(job, "members:import_rerun"), follow=True).content.decode()
    assert "Chỉ chạy lại được việc nhập bị lỗi." in page
