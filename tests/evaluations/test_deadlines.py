"""Units that have not submitted by their deadline, listed for the level above."""

from datetime import date

import pytest

from evaluations.selectors import late_units

from .conftest import fill_and_submit

pytestmark = pytest.mark.django_db


def test_it_lists_late_chi_doan_with_counts_for_the_level_above(tree, users, period):
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    groups = late_units(users.grassroots_approver, period, today=date(2026, 11, 1))
    assert [(g.level_name, g.count, [u.code for u in g.units]) for g in groups] == [("Chi đoàn", 1, ["T1-H1-CS1-CD2"])]


def test_it_lists_nothing_before_the_deadline(tree, users, period):
    assert late_units(users.grassroots_approver, period, today=date(2026, 10, 31)) == []


def test_it_counts_late_cơ_sở_for_the_province(tree, users, period):
    groups = {g.level_name: g.count for g in late_units(users.province_approver, period, today=date(2026, 11, 11))}
    assert groups == {"Chi đoàn": 3, "Đoàn cơ sở": 2}


def test_it_does_not_list_a_units_own_node_to_itself(tree, users, period):
    groups = late_units(users.secretary, period, today=date(2026, 11, 11))
    assert groups == []
