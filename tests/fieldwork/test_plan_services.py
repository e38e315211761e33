from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from fieldwork import services
from fieldwork.models import DepartmentPlan, StaffPlan
from organizations import audit

from .helpers import add_visit, approve_quarter, d


@pytest.fixture
def plan(fw):
    return services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)


def test_a_staff_member_plans_visits_and_registers_the_plan(fw, tree, plan):
    add_visit(plan, tree.branch, start=d(1, 10), days=2)
    services.plan_submit(plan=plan, by=fw.staff)
    plan.refresh_from_db()
    assert plan.status == StaffPlan.Status.SUBMITTED
    assert [e.action for e in audit.history(plan)] == ["submit", "visit_add", "create"]


def test_it_refuses_to_plan_for_someone_else(fw):
    with pytest.raises(PermissionDenied):
        services.plan_create(assignment=fw.assignment, quarter=1, by=fw.head)


@pytest.mark.parametrize(
    "target_name, start, days, message",
    [
        ("branch_other", (1, 10), 1, "không thuộc"),
        ("province", (1, 10), 1, "không thuộc"),
        ("branch", (4, 2), 1, "nằm trong khoảng"),
        ("branch", (1, 10), 3, "Số ngày"),
    ],
)
def test_it_refuses_bad_visits(tree, plan, target_name, start, days, message):
    with pytest.raises(ValidationError, match=message):
        services.visit_add(
            plan=plan,
            target=getattr(tree, target_name),
            content="survey",
            starts_on=d(*start),
            ends_on=d(*start) + timedelta(days=1),
            days=days,
            purpose="x",
            by=plan.assignment.user,
        )


def test_it_refuses_an_end_before_the_start(tree, plan):
    with pytest.raises(ValidationError, match="Ngày kết thúc"):
        services.visit_add(
            plan=plan,
            target=tree.branch,
            content="survey",
            starts_on=d(1, 10),
            ends_on=d(1, 9),
            days=1,
            purpose="x",
            by=plan.assignment.user,
        )


def test_an_empty_plan_cannot_be_registered(fw, plan):
    with pytest.raises(ValidationError, match="chưa có chuyến đi"):
        services.plan_submit(plan=plan, by=fw.staff)


def test_a_registered_plan_is_frozen(fw, tree, plan):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    with pytest.raises(ValidationError):
        add_visit(plan, tree.branch, start=d(2, 10))


def test_only_the_head_merges_the_department_plan(fw, tree, plan, users):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    for outsider in (fw.staff, fw.org_head, users.province_approver):
        with pytest.raises(PermissionDenied):
            services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=outsider)


def test_merging_with_nothing_registered_is_refused(fw):
    with pytest.raises(ValidationError, match="chờ tổng hợp"):
        services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)


def test_merge_forward_approve(fw, tree, plan, users):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    plan.refresh_from_db()
    assert (plan.status, plan.department_plan) == (StaffPlan.Status.MERGED, dplan)
    with pytest.raises(ValidationError, match="Ban Tổ chức trình"):
        services.department_plan_approve(plan=dplan, by=users.province_approver)
    with pytest.raises(PermissionDenied):
        services.department_plan_forward(plan=dplan, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    for wrong in (fw.head, fw.org_head, users.province_admin, users.district_approver):
        with pytest.raises(PermissionDenied):
            services.department_plan_approve(plan=dplan, by=wrong)
    services.department_plan_approve(plan=dplan, by=users.province_approver)
    plan.refresh_from_db()
    dplan.refresh_from_db()
    assert (dplan.status, plan.status) == (DepartmentPlan.Status.APPROVED, StaffPlan.Status.APPROVED)
    assert [e.action for e in audit.history(dplan)] == ["approve", "forward", "submit"]
    assert dplan.decided_by == users.province_approver


def test_a_returned_plan_goes_back_to_its_author_and_comes_round_again(fw, tree, plan, users):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    with pytest.raises(ValidationError, match="lý do"):
        services.department_plan_return(plan=dplan, reason=" ", by=users.province_approver)
    services.department_plan_return(plan=dplan, reason="Trùng lịch với đoàn kiểm tra", by=users.province_approver)
    plan.refresh_from_db()
    assert plan.status == StaffPlan.Status.RETURNED and plan.is_editable
    assert plan.return_reason == "Trùng lịch với đoàn kiểm tra" and plan.department_plan is None
    add_visit(plan, tree.branch2, start=d(2, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    approve_quarter(fw, users, 1)
    plan.refresh_from_db()
    assert plan.status == StaffPlan.Status.APPROVED and plan.visits.count() == 2


def test_an_approved_department_plan_takes_no_late_merge(fw, tree, plan, users):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    approve_quarter(fw, users, 1)
    late = services.plan_create(assignment=fw.assignment2, quarter=1, by=fw.staff2)
    add_visit(late, tree.branch, start=d(1, 20))
    services.plan_submit(plan=late, by=fw.staff2)
    with pytest.raises(ValidationError, match="đột xuất"):
        services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)


def test_the_organisation_department_returns_only_before_forwarding(fw, tree, plan, users):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    with pytest.raises(PermissionDenied):
        services.department_plan_return(plan=dplan, reason="Thiếu", by=fw.org_head)
    with pytest.raises(PermissionDenied):
        services.department_plan_return(plan=dplan, reason="Thiếu", by=fw.head)
