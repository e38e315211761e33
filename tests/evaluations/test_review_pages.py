"""Queue, review, approve, return, change level, reopen through the pages."""

import pytest
from django.urls import reverse

from evaluations.models import Assessment, Status
from organizations.audit import history

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def submission(tree, users, period):
    return fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])


def test_it_queues_the_batch_for_the_grassroots_approver(login, tree, users, period, submission):
    body = login(users.grassroots_approver).get(reverse("evaluations:queue", args=[period.pk])).content.decode()
    assert tree.branch.name in body and reverse("evaluations:review", args=[submission.pk]) in body
    body = login(users.secretary).get(reverse("evaluations:queue", args=[period.pk])).content.decode()
    assert "Không có hồ sơ nào chờ bạn duyệt" in body


def test_it_shows_marks_levels_and_the_quota_meter(login, tree, users, period, submission):
    body = login(users.grassroots_approver).get(reverse("evaluations:review", args=[submission.pk])).content.decode()
    assert body.count('data-testid="review-row"') == 4
    assert "Chỉ tiêu HTXSNV — Đoàn viên" in body and "0/1 suất" in body
    assert "Công nhận tất cả" in body
    assert "0 công nhận + 1 đề xuất đang chờ = 1/1 suất" in body and "vượt chỉ tiêu" not in body


def test_the_meter_counts_the_waiting_proposals_in_red_before_anyone_clicks(login, tree, users, period, submission):
    fill_and_submit(period, tree.branch2, users.grassroots_secretary, ["HTXSNV", "HTTNV"])  # a second HTXSNV waits
    body = login(users.grassroots_approver).get(reverse("evaluations:review", args=[submission.pk])).content.decode()
    projected = body.split('data-testid="quota-projected"', 1)[1].split("</div>", 1)[0]
    assert "0 công nhận + 2 đề xuất đang chờ = 2/1 suất — vượt chỉ tiêu, không công nhận hết được" in projected
    assert "text-danger" in body.split('data-testid="quota-projected"', 1)[0].rsplit("<div", 1)[1]


def test_it_approves_all_from_the_page(login, tree, users, period, submission):
    client = login(users.grassroots_approver)
    response = client.post(
        reverse("evaluations:approve", args=[submission.pk]),
        {"everything": "1", "decision_number": "12/QĐ", "decision_on": "05/11/2026"},
        follow=True,
    )
    assert "Đã công nhận 4 phiếu" in response.content.decode()
    assert set(Assessment.objects.values_list("status", flat=True)) == {Status.APPROVED}


def test_it_approves_selected_rows_only(login, tree, users, period, submission):
    one = Assessment.objects.filter(member__in=tree.members, proposed_level="HTNV").get()
    login(users.grassroots_approver).post(reverse("evaluations:approve", args=[submission.pk]), {"ids": [one.pk]})
    assert list(Assessment.objects.filter(status=Status.APPROVED)) == [one]


def test_it_shows_the_quota_refusal_on_the_page(login, tree, users, period, submission):
    Assessment.objects.filter(member__in=tree.members).update(proposed_level="HTXSNV")
    response = login(users.grassroots_approver).post(
        reverse("evaluations:approve", args=[submission.pk]), {"everything": "1"}, follow=True
    )
    assert "Vượt chỉ tiêu HTXSNV" in response.content.decode()
    assert not Assessment.objects.filter(status=Status.APPROVED).exists()


def test_it_asks_for_a_choice_when_nothing_is_selected(login, tree, users, period, submission):
    response = login(users.grassroots_approver).post(
        reverse("evaluations:approve", args=[submission.pk]), {}, follow=True
    )
    assert "Chọn ít nhất một phiếu" in response.content.decode()


def test_it_refuses_approval_by_the_secretary_and_hides_from_outsiders(login, tree, users, period, submission):
    assert (
        login(users.secretary)
        .post(reverse("evaluations:approve", args=[submission.pk]), {"everything": "1"})
        .status_code
        == 403
    )
    assert login(users.outsider).get(reverse("evaluations:review", args=[submission.pk])).status_code == 404
    assert (
        login(users.outsider)
        .post(reverse("evaluations:approve", args=[submission.pk]), {"everything": "1"})
        .status_code
        == 404
    )


def test_it_rejects_get_on_actions(login, users, submission):
    client = login(users.grassroots_approver)
    assert client.get(reverse("evaluations:approve", args=[submission.pk])).status_code == 405
    assert client.get(reverse("evaluations:return", args=[submission.pk])).status_code == 405


def test_it_returns_a_batch_with_the_reason_from_the_page(login, tree, users, period, submission):
    client = login(users.grassroots_approver)
    client.post(reverse("evaluations:return", args=[submission.pk]), {"reason": "Thiếu chữ ký biên bản"})
    submission.refresh_from_db()
    assert submission.status == Status.RETURNED
    body = login(users.secretary).get(reverse("evaluations:unit", args=[period.pk, tree.branch.code])).content.decode()
    assert "Cấp trên trả lại: Thiếu chữ ký biên bản" in body


def test_it_changes_a_level_and_reopens_from_the_subject_page_with_history(login, tree, users, period, submission):
    client = login(users.grassroots_approver)
    target = Assessment.objects.get(member=tree.members[0])
    client.post(
        reverse("evaluations:change_level", args=[target.pk]), {"level": "HTTNV", "reason": "Chưa đủ thành tích"}
    )
    client.post(reverse("evaluations:approve", args=[submission.pk]), {"everything": "1"})
    client.post(reverse("evaluations:reopen", args=[target.pk]), {"reason": "Đơn khiếu nại"})
    target.refresh_from_db()
    assert (target.status, target.final_level, target.reopened_count) == (Status.SUBMITTED, "HTTNV", 1)
    body = client.get(reverse("evaluations:subject", args=[target.pk])).content.decode()
    for text in ("Đổi mức", "Chưa đủ thành tích", "Mở lại", "Đơn khiếu nại", users.grassroots_approver.username):
        assert text in body
    assert [e.action for e in history(target)][:3] == ["reopen", "approve", "change_level"]


def test_it_refuses_reopen_by_the_secretary(login, tree, users, period, submission):
    target = Assessment.objects.get(member=tree.members[0])
    assert (
        login(users.secretary).post(reverse("evaluations:reopen", args=[target.pk]), {"reason": "x"}).status_code == 403
    )
    assert login(users.outsider).get(reverse("evaluations:subject", args=[target.pk])).status_code == 404


def test_it_keeps_the_queue_query_count_constant(login, tree, users, period, submission, django_assert_max_num_queries):
    from tests.factories import make_user

    from .conftest import fill_and_submit as fs

    fs(period, tree.branch2, make_user("bt2", "secretary", tree.branch2), ["HTTNV"] * 2)
    client = login(users.grassroots_approver)
    with django_assert_max_num_queries(20):
        assert client.get(reverse("evaluations:queue", args=[period.pk])).status_code == 200
