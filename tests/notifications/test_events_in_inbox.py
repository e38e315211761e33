"""A returned batch and a changed level reach the chi đoàn secretary's home page with the reason;
opening one marks it read and goes to the work; another person's answers 404."""

from datetime import date

import pytest

from evaluations import services
from evaluations.models import Assessment
from notifications.models import Kind, Notification
from tests.evaluations.conftest import fill_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(tree, users, period, django_capture_on_commit_callbacks):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.submission_return(submission=submission, by=users.grassroots_approver, reason="Thiếu biên bản họp")
    return Notification.objects.get(recipient=users.secretary, kind=Kind.RETURNED)


def test_a_returned_batch_is_on_the_secretarys_home_page_with_its_reason(login, tree, users, returned):
    body = login(users.secretary).get("/").content.decode()
    assert f"Hồ sơ xếp loại 2026 của {tree.branch.name} bị trả lại: Lý do: Thiếu biên bản họp" in body
    assert f'href="/thong-bao/{returned.pk}/"' in body


def test_nobody_else_is_told(users, returned):
    assert Notification.objects.exclude(recipient=users.secretary).filter(kind=Kind.RETURNED).count() == 0


def test_a_rolled_back_return_tells_nobody(tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    services.submission_return(submission=submission, by=users.grassroots_approver, reason="Thiếu biên bản")
    # the test's transaction never commits, so the on_commit notice never runs
    assert not Notification.objects.exists()


def test_a_changed_level_reaches_the_secretary_with_its_reason(
    login, tree, users, period, django_capture_on_commit_callbacks
):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    assessment = Assessment.objects.get(member=tree.members[0])
    with django_capture_on_commit_callbacks(execute=True):
        services.assessment_change_level(
            assessment=assessment, by=users.grassroots_approver, level="HTNV", reason="Vắng 3 buổi sinh hoạt"
        )
    body = login(users.secretary).get("/").content.decode()
    assert "được đổi từ Hoàn thành tốt nhiệm vụ thành Hoàn thành nhiệm vụ: Lý do: Vắng 3 buổi sinh hoạt" in body


def test_opening_it_marks_it_read_and_goes_to_the_batch(login, period, tree, users, returned):
    response = login(users.secretary).get(f"/thong-bao/{returned.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"/danh-gia/dot/{period.pk}/don-vi/{tree.branch.code}/"
    returned.refresh_from_db()
    assert returned.read_at is not None
    assert f"/thong-bao/{returned.pk}/" not in login(users.secretary).get("/").content.decode()


def test_another_persons_notification_is_404(login, users, returned):
    assert login(users.grassroots_approver).get(f"/thong-bao/{returned.pk}/").status_code == 404


def test_it_needs_a_login(client, returned):
    assert client.get(f"/thong-bao/{returned.pk}/").status_code == 302
    assert client.get("/thong-bao/").status_code == 302


def test_the_inbox_page_lists_them(login, users, returned):
    body = login(users.secretary).get("/thong-bao/").content.decode()
    assert "bị trả lại" in body and "Lý do: Thiếu biên bản họp" in body


def test_the_inbox_page_rejects_post(login, users, returned):
    assert login(users.secretary).post("/thong-bao/").status_code == 405


def test_the_home_page_costs_the_same_with_many_notifications(
    login, tree, users, period, django_assert_max_num_queries
):
    from notifications.reminders import send_reminders

    client = login(users.secretary)
    client.get("/")
    send_reminders(today=date(2026, 10, 24))
    with django_assert_max_num_queries(30) as one:
        client.get("/")
    for day in (28, 30):
        send_reminders(today=date(2026, 10, day))
    Notification.objects.bulk_create(
        Notification(recipient=users.secretary, kind=Kind.APPROVED, title=f"T{i}", link="/", event_key=f"k{i}")
        for i in range(30)
    )
    with django_assert_max_num_queries(len(one.captured_queries)):
        body = client.get("/").content.decode()
    assert body.count('href="/thong-bao/') >= 20
