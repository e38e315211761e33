import pytest
from django.urls import reverse

from reports.models import ReportJob
from reports.services import request_job

URL = reverse("reports:index")


def test_it_shows_the_form_and_the_users_jobs_in_scope(done_job, users, login):
    page = login(users.province_staff).get(URL).content.decode()
    assert "Lập báo cáo mới" in page and "Xếp loại chất lượng tổ chức Đoàn và đoàn viên" in page
    assert reverse("reports:job", args=[done_job.pk]) in page


def test_it_lists_only_the_users_own_jobs(done_job, users, login):
    page = login(users.province_approver).get(URL).content.decode()
    assert reverse("reports:job", args=[done_job.pk]) not in page
    assert "Bạn chưa lập báo cáo nào." in page


def test_it_queues_a_job_and_opens_its_page(ratings, users, login):
    response = login(users.province_staff).post(URL, {"kind": "ratings", "year": "2025", "compare": "1", "root": "t1"})
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse("reports:job", args=[job.pk])
    assert job.root == ratings.province and job.years == [2024, 2025] and job.requested_by == users.province_staff


def test_it_refuses_a_root_outside_scope_with_a_clear_message(ratings, users, login):
    response = login(users.district_approver).post(
        URL, {"kind": "ratings", "year": "2025", "compare": "0", "root": "T1"}
    )
    assert response.status_code == 200
    assert "Không tìm thấy đơn vị mã “T1” trong phạm vi của bạn." in response.content.decode()
    assert not ReportJob.objects.exists()


def test_the_unit_is_found_by_its_name_typed_without_marks(ratings, users, login):
    post = {"kind": "ratings", "year": "2025", "compare": "0"}
    client = login(users.province_staff)
    assert client.post(URL, {**post, "root": "huyen doan dai tu"}).status_code == 302
    assert ReportJob.objects.get().root == ratings.district
    several = client.post(URL, {**post, "root": "chi doan thon"}).content.decode()
    assert "khớp với nhiều đơn vị: Chi đoàn thôn Đồng Tâm (T1-H1-CS1-CD1); Chi đoàn thôn Tân Lập" in several
    assert (
        "Không tìm thấy đơn vị tên “Đoàn xã Vô Danh” trong phạm vi của bạn."
        in client.post(URL, {**post, "root": "Đoàn xã Vô Danh"}).content.decode()
    )
    outside = login(users.district_approver).post(URL, {**post, "root": "tinh doan"}).content.decode()
    assert "Không tìm thấy đơn vị tên “tinh doan”" in outside  # the province is outside a district's scope
    assert ReportJob.objects.count() == 1


def test_it_rejects_a_bad_year(ratings, users, login):
    response = login(users.province_staff).post(URL, {"kind": "ratings", "year": "hai", "compare": "0", "root": "T1"})
    assert "Năm phải là một số, ví dụ 2025." in response.content.decode()


def test_it_needs_a_login(client):
    assert client.get(URL).status_code == 302


def test_it_rejects_put(users, login):
    assert login(users.province_staff).put(URL).status_code == 405


def test_its_query_count_does_not_grow_with_jobs(ratings, users, login, django_assert_max_num_queries):
    client = login(users.province_staff)
    request_job(kind="ratings", root=ratings.province, year=2025, by=users.province_staff)
    with django_assert_max_num_queries(12) as first:
        client.get(URL)
    for _ in range(5):
        request_job(kind="membership", root=ratings.district, year=2025, by=users.province_staff)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(URL)


@pytest.mark.parametrize("who", ["outsider", "nopost"])
def test_outsiders_see_no_jobs_of_others(done_job, users, login, who):
    page = login(getattr(users, who)).get(URL).content.decode()
    assert reverse("reports:job", args=[done_job.pk]) not in page
