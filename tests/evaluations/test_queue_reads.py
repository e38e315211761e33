"""The approval queue, its count and the late list read only the user's subtree: the same
answers as before issue 13 for every role, a fixed number of queries however many batches wait,
and the home page's count equal to the queue page's rows."""

from datetime import date

import pytest
from django.urls import reverse

from evaluations import selectors
from evaluations.models import Status
from tests.factories import MemberFactory, make_unit, make_user

from .conftest import fill_and_submit, intermediate_batch

pytestmark = pytest.mark.django_db

ROLES = ["secretary", "grassroots_approver", "district_approver", "province_approver", "superuser", "outsider"]


@pytest.fixture
def batches(tree, users, period, intermediate_approver, direct_approver):
    first = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])
    second = fill_and_submit(period, tree.branch2, make_user("bt2", "secretary", tree.branch2), ["HTTNV"] * 2)
    third = intermediate_batch(period, tree)
    return first, second, third


@pytest.mark.parametrize("who", ROLES)
def test_the_count_is_the_number_of_batches_listed(users, period, batches, who):
    user = getattr(users, who)
    assert selectors.queue(user, period).count() == len(list(selectors.queue(user, period)))


def test_each_decider_sees_the_batches_it_has_work_in(users, period, batches, intermediate_approver, direct_approver):
    first, second, third = batches

    def units(user):
        return [s.unit.code for s in selectors.queue(user, period)]

    assert units(users.grassroots_approver) == [first.unit.code, second.unit.code]
    assert units(intermediate_approver) == [third.unit.code]  # it decides the chi đoàn itself
    assert units(direct_approver) == [third.unit.code]  # it decides the chi đoàn's members
    assert sorted(units(users.province_approver)) == sorted([first.unit.code, second.unit.code, third.unit.code])
    assert units(users.secretary) == units(users.outsider) == []


def test_it_counts_subjects_and_proposed_excellent_per_batch(users, period, batches):
    row = next(s for s in selectors.queue(users.grassroots_approver, period) if s.pk == batches[0].pk)
    assert (row.total, row.excellent) == (4, 1)  # three members and the chi đoàn's own rating


def test_a_batch_with_nothing_left_to_decide_leaves_the_queue(users, period, batches):
    batches[0].assessments.update(status=Status.APPROVED)
    assert [s.pk for s in selectors.queue(users.grassroots_approver, period)] == [batches[1].pk]
    assert selectors.queue(users.grassroots_approver, period).count() == 1


def test_the_queue_page_costs_the_same_for_many_batches(login, tree, users, period, django_assert_max_num_queries):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    client = login(users.province_approver)
    url = reverse("evaluations:queue", args=[period.pk])
    with django_assert_max_num_queries(40) as small:
        assert client.get(url).status_code == 200
    for n in range(4):
        branch = make_unit(tree.grassroots, f"T1-H1-CS1-CDX{n}", f"Chi đoàn thêm {n}", "chi-doan")
        MemberFactory.create_batch(2, branch=branch)
        fill_and_submit(period, branch, make_user(f"btx{n}", "secretary", branch), ["HTTNV"] * 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_the_late_list_caps_each_level_but_counts_all(tree, users, period):
    for n in range(3):
        make_unit(tree.grassroots, f"T1-H1-CS1-CDL{n}", f"Chi đoàn muộn {n}", "chi-doan")
    groups = selectors.late_units(users.province_approver, period, today=date(2026, 11, 11), limit=2)
    by_level = {g.level_name: (g.count, len(g.units)) for g in groups}
    assert by_level == {"Chi đoàn": (6, 2), "Đoàn cơ sở": (2, 2)}
    chi_doan = next(g for g in groups if g.level_name == "Chi đoàn")
    assert [u.path for u in chi_doan.units] == sorted(u.path for u in chi_doan.units)
    assert chi_doan.due_on == date(2026, 10, 31)


def test_the_late_list_costs_the_same_for_many_levels_and_units(tree, users, period, django_assert_max_num_queries):
    with django_assert_max_num_queries(3) as few:  # the user's posts, the deadlines, the ranked list with its counts
        selectors.late_units(users.province_approver, period, today=date(2026, 11, 11))
    for n in range(5):
        make_unit(tree.grassroots, f"T1-H1-CS1-CDM{n}", f"Chi đoàn muộn {n}", "chi-doan")
    with django_assert_max_num_queries(len(few.captured_queries)):
        selectors.late_units(users.province_approver, period, today=date(2026, 11, 11))


def test_a_sent_batch_is_not_late_and_another_province_never_shows(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    groups = selectors.late_units(users.province_approver, period, today=date(2026, 11, 11))
    late = {u.code for g in groups for u in g.units}
    assert tree.branch.code not in late and tree.branch2.code in late
    assert tree.branch_other.code not in late
