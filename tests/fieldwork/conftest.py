"""Fieldwork fixtures: a province with two departments, their heads and staff (default policy).

    Tỉnh đoàn T1 (tree.province)
    ├── Ban Xây dựng Đoàn (organisation department) ← head: truongban.xdd
    └── Ban Phong trào                              ← head: truongban.pt
        staff: canbo.tinh (users.province_staff), canbo.pt2
    thuongtruc.tinh (users.province_approver) is the Standing office.

Dates are in last year, so every visit has happened whatever day the tests run."""

from types import SimpleNamespace

import pytest

from fieldwork import services
from organizations.models import Post
from tests.factories import make_user

from .helpers import YEAR

Role = Post.Role


@pytest.fixture
def fw(tree, users):
    return make_fw(tree, users)


def make_fw(tree, users):
    ns = SimpleNamespace(year=YEAR)
    by = users.province_approver
    ns.org_head = make_user("truongban.xdd", Role.STAFF, tree.province, first_name="Nguyễn Văn", last_name="Xây")
    ns.head = make_user("truongban.pt", Role.STAFF, tree.province, first_name="Phạm Đức", last_name="Trào")
    ns.staff2 = make_user("canbo.pt2", Role.STAFF, tree.province, first_name="Vũ Thị", last_name="Phong")
    ns.staff = users.province_staff
    ns.org_dept = services.department_save(
        organization=tree.province, name="Ban Xây dựng Đoàn", head=ns.org_head, is_organisation_department=True, by=by
    )
    ns.dept = services.department_save(organization=tree.province, name="Ban Phong trào", head=ns.head, by=by)
    ns.assignment = services.assignment_save(year=YEAR, user=ns.staff, department=ns.dept, by=by)
    ns.assignment2 = services.assignment_save(year=YEAR, user=ns.staff2, department=ns.dept, by=by)
    return ns
