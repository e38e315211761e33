from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from fieldwork import inbox, services

from .helpers import YEAR, add_visit, approve_quarter, approved_visits, d, request_visit


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
    today = timezone.localdate()  # a request is counted until its visit's first day
    this_year = services.assignment_save(year=today.year, user=fw.staff, department=fw.dept, by=users.province_approver)
    request_visit(fw, tree.branch, starts_on=today, requested_on=today, assignment=this_year, content="survey")
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
    plan = services.plan_create(assignment=fw.assignment, quarter=2, by=fw.staff)
    add_visit(plan, tree.branch, start=d(4, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    (item,) = inbox.items(fw.head)
    assert item.url == reverse("fieldwork:department", args=[fw.dept.pk]) + f"?nam={fw.year}&quy=2"
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=2, by=fw.head)
    (item,) = inbox.items(fw.org_head)
    assert item.url == reverse("fieldwork:department_plan", args=[dplan.pk])


OVERDUE = "Chuyến đi cơ sở quá hạn báo cáo"


def _consented(fw, tree, users, ends_on):
    """An unplanned one-day visit, asked for in time and consented to, not reported yet."""
    assignment = services.assignment_save(
        year=ends_on.year, user=fw.staff, department=fw.dept, by=users.province_approver
    )
    visit = request_visit(
        fw, tree.branch, starts_on=ends_on, requested_on=ends_on, assignment=assignment, content="survey"
    )
    return services.visit_request_decide(visit=visit, consent=True, by=users.province_approver, decided_on=ends_on)


def test_overdue_reports_follow_the_policy_in_force(fw, tree, users):
    ended = timezone.localdate() - timedelta(days=7)
    _consented(fw, tree, users, ended)
    assert OVERDUE not in _titles(fw.staff)  # the default 10 days are not over
    services.policy_save(
        organization=tree.root, year=ended.year + 1, minimum_days=60, report_late_days=5, by=users.superuser
    )
    assert OVERDUE not in _titles(fw.staff)  # another year's policy does not apply
    services.policy_save(
        organization=tree.root, year=ended.year, minimum_days=60, report_late_days=7, by=users.superuser
    )
    assert OVERDUE not in _titles(fw.staff)  # the seventh day is still in time
    services.policy_save(
        organization=tree.province, year=ended.year, minimum_days=60, report_late_days=6, by=users.province_approver
    )
    assert _titles(fw.staff)[OVERDUE] == 1  # the province tightened the rule above it


def test_overdue_reports_cost_the_same_for_any_number_of_visits_and_years(
    fw, tree, users, django_assert_max_num_queries
):
    approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 1, "survey")])
    assert _titles(fw.staff)[OVERDUE] == 1
    with django_assert_max_num_queries(20) as small:
        inbox.items(fw.staff)
    services.policy_save(
        organization=tree.province, year=YEAR, minimum_days=60, report_late_days=5, by=users.province_approver
    )
    for month in (5, 6, 7, 8):
        _consented(fw, tree, users, d(month, 3))
    _consented(fw, tree, users, d(1, 3).replace(year=YEAR - 1))  # a second year on the staff list
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert _titles(fw.staff)[OVERDUE] == 6


def test_the_home_page_lists_an_overdue_report_by_the_policy(fw, tree, users, login):
    ended = timezone.localdate() - timedelta(days=4)
    _consented(fw, tree, users, ended)
    client = login(fw.staff)
    assert OVERDUE not in client.get(reverse("home")).content.decode()
    services.policy_save(
        organization=tree.province, year=ended.year, minimum_days=60, report_late_days=3, by=users.province_approver
    )
    assert OVERDUE in client.get(reverse("home")).content.decode()
