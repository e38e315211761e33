import pytest
from django.urls import reverse

from reports.models import ReportJob
from reports.services import request_job


def _url(job, name="reports:job"):
    return reverse(name, args=[job.pk])


def test_it_shows_the_result_narrative_charts_and_download(done_job, users, login):
    page = login(users.province_staff).get(_url(done_job)).content.decode()
    assert "Báo cáo kết quả xếp loại chất lượng năm 2025" in page
    assert "1/3 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 33,3%" in page
    assert page.count("<svg") == 2 and _url(done_job, "reports:download") in page
    assert "33,3%" in page and _url(done_job, "reports:progress") not in page  # finished: its progress is not polled


def test_it_is_visible_to_others_in_scope_and_404_outside(done_job, users, login):
    assert login(users.province_approver).get(_url(done_job)).status_code == 200
    assert login(users.outsider).get(_url(done_job)).status_code == 404
    assert login(users.district_approver).get(_url(done_job)).status_code == 404  # root T1 is above their scope


def test_a_running_job_polls_its_progress_every_second(ratings, users, login):
    job = request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    client = login(users.province_staff)
    page = client.get(_url(job)).content.decode()
    assert 'hx-trigger="every 1s"' in page and _url(job, "reports:progress") in page
    fragment = client.get(_url(job, "reports:progress"), HTTP_HX_REQUEST="true")
    assert "every 1s" in fragment.content.decode() and "HX-Refresh" not in fragment


def test_the_fragment_stops_polling_and_reloads_once_done(done_job, users, login):
    fragment = login(users.province_staff).get(_url(done_job, "reports:progress"), HTTP_HX_REQUEST="true")
    assert fragment["HX-Refresh"] == "true" and "hx-trigger" not in fragment.content.decode()


def test_the_fragment_is_404_outside_scope(done_job, users, login):
    assert login(users.outsider).get(_url(done_job, "reports:progress")).status_code == 404


def test_a_failed_job_shows_its_error_and_a_rerun_button(done_job, users, login):
    ReportJob.objects.filter(pk=done_job.pk).update(status="failed", error="RuntimeError: hỏng", result=None)
    page = login(users.province_staff).get(_url(done_job)).content.decode()
    assert "RuntimeError: hỏng" in page and _url(done_job, "reports:rerun") in page


def test_rerun_queues_the_job_again(done_job, users, login):
    response = login(users.province_staff).post(_url(done_job, "reports:rerun"))
    assert response.status_code == 302
    done_job.refresh_from_db()
    assert done_job.status == "queued"


def test_rerun_is_403_for_another_user_in_scope_and_404_outside(done_job, users, login):
    assert login(users.province_approver).post(_url(done_job, "reports:rerun")).status_code == 403
    assert login(users.outsider).post(_url(done_job, "reports:rerun")).status_code == 404


def test_rerun_rejects_get(done_job, users, login):
    assert login(users.province_staff).get(_url(done_job, "reports:rerun")).status_code == 405


def test_opening_a_finished_job_marks_it_seen(done_job, users, login):
    login(users.province_staff).get(_url(done_job))
    done_job.refresh_from_db()
    assert done_job.seen_at is not None


@pytest.mark.parametrize("name", ["reports:job", "reports:progress", "reports:download"])
def test_it_rejects_post_on_read_pages(done_job, users, login, name):
    assert login(users.province_staff).post(_url(done_job, name)).status_code == 405


def test_a_job_whose_worker_stopped_beating_says_so_and_offers_a_rerun(done_job, users, login, settings):
    from datetime import timedelta

    from django.utils import timezone

    settings.DOANHUB_JOB_DEAD_SECONDS = 60
    now = timezone.now()
    jobs = ReportJob.objects.filter(pk=done_job.pk)
    jobs.update(
        status="running", progress=85, started_at=now - timedelta(hours=1), heartbeat_at=now - timedelta(seconds=61)
    )
    client = login(users.province_staff)
    page = client.get(_url(done_job)).content.decode()
    assert 'data-testid="job-stuck"' in page and _url(done_job, "reports:rerun") in page
    assert "Tiến trình nền (worker) đã dừng giữa chừng" in page and "Worker đã dừng" in page
    fragment = client.get(_url(done_job, "reports:progress"), headers={"HX-Request": "true"})
    assert fragment["HX-Refresh"] == "true" and "hx-trigger" not in fragment.content.decode()  # polling stops
    jobs.update(heartbeat_at=now)  # an hour long, but its worker still beats: just running
    page = client.get(_url(done_job)).content.decode()
    assert 'data-testid="job-stuck"' not in page and _url(done_job, "reports:rerun") not in page
