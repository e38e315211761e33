"""What a level makes a unit (organizations.levels), read from the flags and allowed parents of
the level rows (issue 15): a chi đoàn cơ sở is grassroots although it holds members, an
intermediate level is one that hangs inside a tổ chức cơ sở Đoàn, whatever its rank or code."""

import pytest

from organizations.levels import LevelRole, LevelRoles, plain_branch_q
from organizations.models import Level, Organization
from tests.grassroots import make_grassroots_branch

pytestmark = pytest.mark.django_db


def test_the_standard_levels_get_their_roles_in_one_query(django_assert_num_queries):
    with django_assert_num_queries(1):
        roles = LevelRoles.load()
    by_code = {lv.code: roles.of(lv) for lv in roles.levels.values()}
    assert by_code == {
        "tw": LevelRole.UPPER,
        "tinh": LevelRole.UPPER,
        "huyen": LevelRole.UPPER,
        "co-so": LevelRole.GRASSROOTS,
        "chi-doan-co-so": LevelRole.GRASSROOTS,
        "trung-gian": LevelRole.INTERMEDIATE,
        "chi-doan": LevelRole.BRANCH,
    }


def test_a_level_an_administrator_adds_takes_its_role_from_where_it_may_hang():
    # ranked above the đoàn cơ sở, yet hanging under an intermediate unit: still intermediate
    deep = Level.objects.create(code="to-doan", name="Tổ đoàn liên lớp", rank=1)
    deep.allowed_parents.set([Level.objects.get(code="trung-gian")])
    khoi = Level.objects.create(code="cum", name="Cụm thi đua", rank=9)
    khoi.allowed_parents.set([Level.objects.get(code="tinh")])
    roles = LevelRoles.load()
    assert (roles.of(deep), roles.of(khoi)) == (LevelRole.INTERMEDIATE, LevelRole.UPPER)


def test_lists_of_districts_and_grassroots_keep_a_chi_doan_co_so(tree):
    make_grassroots_branch(tree.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bệnh viện huyện", members=1)
    kept = set(Organization.objects.exclude(plain_branch_q()).values_list("code", flat=True))
    assert "T1-H1-CDCS1" in kept and "T1-H1-CS1" in kept and tree.branch.code not in kept
