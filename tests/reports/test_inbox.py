from django.urls import reverse

from reports import inbox
from reports.services import request_job


def test_it_lists_finished_unseen_and_running_jobs(done_job, ratings, users):
    request_job(kind="membership", root=ratings.province, year=2025, by=users.province_staff)
    titles = {i.title: i.count for i in inbox.items(users.province_staff)}
    assert titles == {"Báo cáo đã lập xong, chưa xem": 1, "Báo cáo đang lập": 1}


def test_a_seen_job_leaves_the_inbox(done_job, users, login):
    login(users.province_staff).get(reverse("reports:job", args=[done_job.pk]))
    assert inbox.items(users.province_staff) == []


def test_other_users_jobs_are_not_in_the_inbox(done_job, users, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        assert inbox.items(users.province_approver) == []
    assert inbox.items(users.outsider) == []
