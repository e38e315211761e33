from fieldwork import inbox, services

from .helpers import add_visit, approve_quarter, d


def _titles(user):
    return {item.title: item.count for item in inbox.items(user)}


def test_each_role_sees_what_waits_for_them(fw, tree, users):
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    assert _titles(fw.head) == {"Kế hoạch đi cơ sở của cán bộ chờ trưởng ban tổng hợp": 1}
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    assert _titles(fw.org_head) == {"Kế hoạch đi cơ sở của các ban chờ Ban Tổ chức trình Thường trực": 1}
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    assert _titles(users.province_approver) == {"Kế hoạch đi cơ sở chờ Thường trực phê duyệt": 1}
    assert _titles(users.outsider) == {} and _titles(users.district_approver) == {}


def test_requests_returns_and_overdue_reports(fw, tree, users):
    services.visit_request(
        assignment=fw.assignment,
        target=tree.branch,
        content="survey",
        starts_on=d(6, 1),
        ends_on=d(6, 1),
        days=1,
        purpose="Đột xuất",
        by=fw.staff,
    )
    assert _titles(users.province_approver) == {"Đề xuất đi cơ sở đột xuất chờ Thường trực đồng ý": 1}
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    approve_quarter(fw, users, 1)
    items = {i.title: i for i in inbox.items(fw.staff)}
    assert items["Chuyến đi cơ sở quá hạn báo cáo"].count == 1 and items["Chuyến đi cơ sở quá hạn báo cáo"].urgent


def test_a_returned_plan_is_urgent_for_its_author(fw, tree, users):
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    services.department_plan_return(plan=dplan, reason="Bổ sung", by=fw.org_head)
    assert _titles(fw.staff) == {"Kế hoạch đi cơ sở của bạn bị trả lại": 1}


def test_the_inbox_is_cheap(fw, users, django_assert_max_num_queries):
    with django_assert_max_num_queries(7):
        inbox.items(users.province_approver)
