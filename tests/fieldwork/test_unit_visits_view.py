from django.urls import reverse

from fieldwork import services
from fieldwork.selectors import visits_to_unit
from tests.factories import make_user

from .helpers import YEAR, add_visit, approve_quarter, approved_visits, d


def _url(code):
    return reverse("fieldwork:unit_visits", args=[code]) + f"?nam={YEAR}"


def test_the_visited_unit_sees_approved_visits_to_it(fw, tree, users, login):
    approved_visits(
        fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "meeting"), (tree.branch3, d(2, 1), 1, "survey")]
    )
    page = login(users.grassroots_secretary).get(_url("T1-H1-CS1")).content.decode()
    assert "Chi đoàn thôn Đồng Tâm" in page and "Dự họp BCH/BTV" in page
    assert "Chi đoàn lớp K20A" not in page  # another cơ sở's visit
    assert login(users.secretary).get(_url("T1-H1-CS1-CD1")).status_code == 200


def test_unapproved_visits_are_not_shown(fw, tree, users):
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.branch, start=d(1, 10))
    assert not visits_to_unit(users.grassroots_secretary, tree.grassroots, YEAR).exists()


def test_outside_scope_is_404(fw, users, login):
    assert login(users.outsider).get(_url("T1-H1-CS1")).status_code == 404
    assert login(users.secretary).get(_url("T1-H1-CS1")).status_code == 404  # above the chi đoàn


def test_the_selector_is_scoped(fw, tree, users):
    approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "meeting")])
    assert visits_to_unit(users.outsider, tree.grassroots, YEAR).count() == 0
    assert visits_to_unit(users.secretary, tree.grassroots, YEAR).count() == 1  # only what lies in their branch
    assert visits_to_unit(users.district_approver, tree.district, YEAR).count() == 1


def test_queries_do_not_grow_with_visits(fw, tree, users, login, django_assert_max_num_queries):
    client = login(users.grassroots_secretary)
    approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 1, "meeting")])
    with django_assert_max_num_queries(12) as small:
        client.get(_url("T1-H1-CS1"))
    other = make_user("canbo.x", "staff", tree.province)
    a = services.assignment_save(year=YEAR, user=other, department=fw.dept, by=users.province_approver)
    plan = services.plan_create(assignment=a, quarter=2, by=other)
    for i in range(5):
        add_visit(plan, tree.branch2, start=d(4, 1 + i))
    services.plan_submit(plan=plan, by=other)
    approve_quarter(fw, users, 2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(_url("T1-H1-CS1")).content.decode()
    assert page.count("Chi đoàn thôn Tân Lập") == 5
