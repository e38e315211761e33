"""The "1+2" events: an unplanned-visit request reaches the Standing office and its answer the
staff member; a quarter plan approved or returned (with the reason) reaches each staff member in it."""

import pytest

from fieldwork import services
from notifications.models import Kind, Notification
from tests.fieldwork.helpers import add_visit, d, request_visit

pytestmark = pytest.mark.django_db


def test_a_refused_request_tells_the_staff_member_why(login, fw, tree, users, django_capture_on_commit_callbacks):
    visit = request_visit(fw, tree.grassroots, starts_on=d(5, 4), days=2, purpose="Phối hợp ngày hội thanh niên")
    with django_capture_on_commit_callbacks(execute=True):
        services.visit_request_decide(visit=visit, consent=False, reason="Đã có đoàn khác", by=users.province_approver)
    [n] = Notification.objects.filter(kind=Kind.DECIDED)
    assert n.recipient == visit.assignment.user and n.body == "Lý do: Đã có đoàn khác"
    assert n.title == f"Đề xuất đi cơ sở {tree.grassroots.name} ngày {visit.starts_on:%d/%m/%Y} không được đồng ý"
    assert n.link == f"/di-co-so/chuyen-di/{visit.pk}/"
    assert n.title in login(visit.assignment.user).get("/").content.decode()


def test_a_request_reaches_the_standing_office_with_the_link_to_decide(
    login, fw, tree, users, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        visit = request_visit(fw, tree.grassroots, starts_on=d(5, 4), purpose="Ngày hội thanh niên")
    [n] = Notification.objects.filter(kind=Kind.REQUESTED)
    assert n.recipient == users.province_approver and n.link == "/di-co-so/de-xuat/cho-duyet/"
    assert n.title == (
        f"Đề xuất đi cơ sở đột xuất chờ Thường trực đồng ý: canbo.tinh đến {tree.grassroots.name} "
        f"ngày {visit.starts_on:%d/%m/%Y}"
    )
    assert n.body == "Mục đích: Ngày hội thanh niên"
    assert n.title in login(users.province_approver).get("/").content.decode()


def test_an_approved_and_a_returned_quarter_plan_tell_each_staff_member(
    fw, tree, users, django_capture_on_commit_callbacks
):
    plans = []
    for assignment in (fw.assignment, fw.assignment2):
        plan = services.plan_create(assignment=assignment, quarter=1, by=assignment.user)
        add_visit(plan, tree.district, start=d(2, 3))
        services.plan_submit(plan=plan, by=assignment.user, submitted_on=d(1, 5))
        plans.append(plan)
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    with django_capture_on_commit_callbacks(execute=True):
        services.department_plan_return(plan=dplan, reason="Thiếu nội dung khảo sát", by=users.province_approver)
    returned = Notification.objects.filter(kind=Kind.RETURNED).order_by("recipient_id")
    assert [(n.recipient, n.link, n.body) for n in returned] == [
        (p.assignment.user, f"/di-co-so/ke-hoach/{p.pk}/", "Lý do: Thiếu nội dung khảo sát")
        for p in sorted(plans, key=lambda p: p.assignment.user_id)
    ]
    assert all(n.title.endswith("bị trả lại") and f"quý 1/{fw.year}" in n.title for n in returned)
    for plan in plans:
        plan.refresh_from_db()
        services.plan_submit(plan=plan, by=plan.assignment.user, submitted_on=d(1, 20))
    dplan = services.department_plan_merge(department=fw.dept, year=fw.year, quarter=1, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    with django_capture_on_commit_callbacks(execute=True):
        services.department_plan_approve(plan=dplan, by=users.province_approver)
    approved = Notification.objects.filter(kind=Kind.APPROVED)
    assert {n.recipient_id for n in approved} == {fw.staff.pk, fw.staff2.pk}
    assert all(n.title.endswith("đã được phê duyệt") for n in approved)
