"""The home page's "waiting for you" items and the demo_ratings command."""

from datetime import date

import pytest
from django.core.management import call_command

from evaluations import inbox
from evaluations.models import Assessment, RatingPeriod, Status

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


def test_it_reminds_the_secretary_and_marks_a_passed_deadline_urgent(tree, users, period):
    [item] = inbox.items(users.secretary, today=date(2026, 11, 1))
    assert (
        item.title == f"Xếp loại 2026 của {tree.branch.name} chưa gửi (quá hạn 1 ngày, hạn 31/10/2026)" and item.urgent
    )
    assert not inbox.items(users.secretary, today=date(2026, 10, 15))[0].urgent


def test_it_lists_batches_waiting_for_the_approver(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    assert inbox.items(users.secretary, today=date(2026, 10, 15)) == []
    [item] = inbox.items(users.grassroots_approver, today=date(2026, 10, 15))
    assert (item.title, item.count) == ("1 hồ sơ xếp loại chờ duyệt", 1)


def test_it_shows_on_the_home_page(login, tree, users, period):
    body = login(users.secretary).get("/").content.decode()
    assert "chưa gửi" in body


def test_it_stays_cheap(tree, users, period, django_assert_max_num_queries):
    users.grassroots_approver._doanhub_posts = None
    with django_assert_max_num_queries(6):
        inbox.items(users.grassroots_approver, today=date(2026, 10, 15))


def test_demo_ratings_creates_a_period_and_results_once(tree, users):
    call_command("demo_ratings", "--year", "2026")
    period = RatingPeriod.objects.get(year=2026, root=tree.root)
    assert period.policies.count() == 3 and period.deadlines.exists()
    count = Assessment.objects.count()
    assert count > 0 and Assessment.objects.filter(status=Status.APPROVED).exists()
    call_command("demo_ratings", "--year", "2026")
    assert Assessment.objects.count() == count
