"""The approval queue page lists its batches a page at a time, and counts subjects and checks
integrity for that page's batches only (issue 13: a province waits on hundreds of batches)."""

import pytest
from django.urls import reverse

from evaluations import integrity, views
from tests.factories import MemberFactory, make_unit, make_user

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


@pytest.fixture
def three_batches(tree, users, period):
    found = [fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)]
    for n in range(2):
        branch = make_unit(tree.grassroots, f"T1-H1-CS1-CDP{n}", f"Chi đoàn trang {n}", "chi-doan")
        MemberFactory.create_batch(2, branch=branch)
        found.append(fill_and_submit(period, branch, make_user(f"btp{n}", "secretary", branch), ["HTTNV"] * 2))
    return found


@pytest.fixture
def checked(monkeypatch):
    """The batches each call of ``integrity.batch_flags`` was asked about, by the view."""
    calls = []
    real = integrity.batch_flags

    def spy(submissions):
        calls.append([s.pk for s in submissions])
        return real(submissions)

    monkeypatch.setattr(views.integrity, "batch_flags", spy)
    monkeypatch.setattr(views, "QUEUE_PAGE", 2)
    return calls


def queue_url(period, page=None):
    url = reverse("evaluations:queue", args=[period.pk])
    return f"{url}?page={page}" if page else url


def test_it_lists_a_page_of_batches_and_checks_only_those(login, users, period, three_batches, checked):
    client = login(users.grassroots_approver)
    first = client.get(queue_url(period))
    assert first.status_code == 200
    assert [s.pk for s in first.context["queue"]] == [b.pk for b in three_batches[:2]]
    assert "Trang 1/2" in first.content.decode()
    second = client.get(queue_url(period, 2))
    assert [s.pk for s in second.context["queue"]] == [three_batches[2].pk]
    assert checked == [[b.pk for b in three_batches[:2]], [three_batches[2].pk]]


def test_each_row_keeps_its_counts_on_a_later_page(login, users, period, three_batches, checked):
    row = login(users.grassroots_approver).get(queue_url(period, 2)).context["queue"][0]
    assert (row.total, row.excellent) == (3, 0)  # two members and the chi đoàn's own rating


def test_a_page_past_the_end_shows_the_last_one(login, users, period, three_batches, checked):
    response = login(users.grassroots_approver).get(queue_url(period, 99))
    assert [s.pk for s in response.context["queue"]] == [three_batches[2].pk]


def test_a_page_costs_the_same_queries_however_many_batches_wait(
    login, tree, users, period, three_batches, checked, django_assert_max_num_queries
):
    client = login(users.province_approver)
    with django_assert_max_num_queries(40) as few:
        assert client.get(queue_url(period)).status_code == 200
    for n in range(4):
        branch = make_unit(tree.grassroots, f"T1-H1-CS1-CDQ{n}", f"Chi đoàn thêm {n}", "chi-doan")
        MemberFactory.create_batch(2, branch=branch)
        fill_and_submit(period, branch, make_user(f"btq{n}", "secretary", branch), ["HTTNV"] * 2)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(queue_url(period, 3)).status_code == 200


def test_someone_who_decides_nothing_sees_an_empty_queue(login, users, period, three_batches, checked):
    response = login(users.secretary).get(queue_url(period))
    assert response.status_code == 200
    assert list(response.context["queue"]) == []
    assert "Không có hồ sơ nào chờ bạn duyệt." in response.content.decode()


def test_each_row_shows_its_levels_deadline(login, users, period, three_batches, checked):
    # make_period: chi đoàn 31/10/2026, đoàn cơ sở 10/11/2026; the rows are chi đoàn batches
    html = login(users.grassroots_approver).get(queue_url(period)).content.decode()
    rows = html.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert len(rows) == 2 and all('<td class="small">31/10/2026</td>' in row for row in rows)
    assert "10/11/2026" not in html
