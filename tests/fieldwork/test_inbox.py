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


def test_the_visited_unit_is_told_of_visits_in_the_next_two_weeks(fw, tree, users):
    from datetime import timedelta

    from django.utils import timezone

    from fieldwork.models import PlannedVisit, StaffPlan

    soon = timezone.localdate() + timedelta(days=3)
    this_year = services.assignment_save(year=soon.year, user=fw.staff2, department=fw.dept, by=users.province_approver)
    plan = services.plan_create(assignment=this_year, quarter=(soon.month - 1) // 3 + 1, by=fw.staff2)
    # created directly: the plan's quarter may end before ``soon`` near a quarter's end
    PlannedVisit.objects.create(
        assignment=this_year,
        plan=plan,
        target=tree.branch,
        content="meeting",
        starts_on=soon,
        ends_on=soon,
        days=1,
        purpose="Dự sinh hoạt",
    )
    StaffPlan.objects.filter(pk=plan.pk).update(status=StaffPlan.Status.APPROVED)
    title = "Chuyến đi cơ sở của cán bộ tỉnh sắp tới đơn vị (14 ngày tới)"
    assert _titles(users.secretary)[title] == 1
    assert _titles(users.district_approver)[title] == 1
    assert title not in _titles(users.province_approver)  # the visiting province itself
    assert title not in _titles(users.outsider)


def test_items_open_the_page_where_the_work_is(fw, tree, users):
    from django.urls import reverse

    plan = services.plan_create(assignment=fw.assignment, quarter=2, by=fw.staff)
    add_visit(plan, tree.branch, start=d(4, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    (item,) = inbox.items(fw.head)
    assert item.url == reverse("fieldwork:department", args=[fw.dept.pk]) + f"?nam={fw.year}&quy=2"
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=2, by=fw.head)
    (item,) = inbox.items(fw.org_head)
    assert item.url == reverse("fieldwork:department_plan", args=[dplan.pk])
