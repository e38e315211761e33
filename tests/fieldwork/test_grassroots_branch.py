"""A chi đoàn cơ sở is a grassroots unit a province's staff visit (issue 15): it is offered among
the visit targets with the districts and đoàn cơ sở, a plain chi đoàn is not."""

import pytest

from fieldwork import selectors
from tests.grassroots import make_grassroots_branch

pytestmark = pytest.mark.django_db


def test_the_visit_targets_offer_a_chi_doan_co_so(tree):
    make_grassroots_branch(tree.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bệnh viện huyện", members=1)
    codes = {code for code, _ in selectors.unit_suggestions(tree.province)}
    assert {"T1-H1", "T1-H1-CS1", "T1-H1-CDCS1"} <= codes
    assert tree.branch.code not in codes
