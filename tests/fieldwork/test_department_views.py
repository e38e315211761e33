import pytest
from django.urls import reverse

from fieldwork import services
from fieldwork.models import DepartmentPlan, DepartmentQuarterReport, StaffPlan

from .helpers import YEAR, add_visit, approved_visits, d, report


@pytest.fixture
def submitted(fw, tree):
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.branch, start=d(1, 10), days=2)
    services.plan_submit(plan=plan, by=fw.staff)
    return plan


def _dept_url(fw, quarter=1):
    return reverse("fieldwork:department", args=[fw.dept.pk]) + f"?nam={YEAR}&quy={quarter}"


@pytest.mark.parametrize("who, status", [("head", 200), ("org_head", 200), ("staff", 404), ("staff2", 404)])
def test_who_opens_the_department_page(fw, submitted, login, who, status):
    assert login(getattr(fw, who)).get(_dept_url(fw)).status_code == status


@pytest.mark.parametrize("who, status", [("province_approver", 200), ("outsider", 404), ("grassroots_secretary", 404)])
def test_who_opens_the_department_page_by_post(fw, users, login, who, status):
    assert login(getattr(users, who)).get(_dept_url(fw)).status_code == status


def test_the_head_merges_from_the_page(fw, submitted, login):
    client = login(fw.head)
    assert "canbo.tinh" in client.get(_dept_url(fw)).content.decode()  # the staff plan waiting
    response = client.post(reverse("fieldwork:department_merge", args=[fw.dept.pk]), {"year": YEAR, "quarter": 1})
    dplan = DepartmentPlan.objects.get(department=fw.dept)
    assert response.url == reverse("fieldwork:department_plan", args=[dplan.pk])
    submitted.refresh_from_db()
    assert submitted.status == StaffPlan.Status.MERGED


def test_merging_nothing_shows_why(fw, login):
    response = login(fw.head).post(
        reverse("fieldwork:department_merge", args=[fw.dept.pk]), {"year": YEAR, "quarter": 3}, follow=True
    )
    assert f"Chưa có kế hoạch quý 3/{YEAR} nào" in response.content.decode()


def test_merge_rejects_get_and_non_heads(fw, submitted, users, login):
    url = reverse("fieldwork:department_merge", args=[fw.dept.pk])
    assert login(fw.head).get(url).status_code == 405
    assert login(users.province_approver).post(url, {"year": YEAR, "quarter": 1}).status_code == 403
    assert login(fw.staff).post(url, {"year": YEAR, "quarter": 1}).status_code == 404


def test_forward_approve_through_the_pages(fw, submitted, users, login):
    dplan = services.department_plan_merge(department=fw.dept, year=YEAR, quarter=1, by=fw.head)
    url = reverse("fieldwork:department_plan", args=[dplan.pk])
    assert "Trình Thường trực" in login(fw.org_head).get(url).content.decode()
    assert login(fw.head).post(reverse("fieldwork:department_plan_forward", args=[dplan.pk])).status_code == 403
    login(fw.org_head).post(reverse("fieldwork:department_plan_forward", args=[dplan.pk]))
    client = login(users.province_approver)
    assert "Phê duyệt" in client.get(url).content.decode()
    assert login(fw.org_head).post(reverse("fieldwork:department_plan_approve", args=[dplan.pk])).status_code == 403
    client = login(users.province_approver)
    client.post(reverse("fieldwork:department_plan_approve", args=[dplan.pk]))
    dplan.refresh_from_db()
    assert dplan.status == DepartmentPlan.Status.APPROVED
    page = client.get(url).content.decode()
    assert "Đã phê duyệt" in page and "phê duyệt" in page  # history line


def test_return_through_the_page_needs_a_reason(fw, submitted, users, login):
    dplan = services.department_plan_merge(department=fw.dept, year=YEAR, quarter=1, by=fw.head)
    services.department_plan_forward(plan=dplan, by=fw.org_head)
    client = login(users.province_approver)
    response = client.post(reverse("fieldwork:department_plan_return", args=[dplan.pk]), {"reason": ""}, follow=True)
    assert "Cần ghi lý do trả lại kế hoạch." in response.content.decode()
    client.post(reverse("fieldwork:department_plan_return", args=[dplan.pk]), {"reason": "Thiếu chuyến đi cấp huyện"})
    submitted.refresh_from_db()
    assert submitted.status == StaffPlan.Status.RETURNED
    page = login(fw.staff).get(reverse("fieldwork:plan", args=[submitted.pk])).content.decode()
    assert "Lý do trả lại: Thiếu chuyến đi cấp huyện" in page


@pytest.mark.parametrize("who, status", [("staff", 200), ("staff2", 200), ("head", 200)])
def test_who_sees_the_department_plan(fw, submitted, login, who, status):
    dplan = services.department_plan_merge(department=fw.dept, year=YEAR, quarter=1, by=fw.head)
    assert login(getattr(fw, who)).get(reverse("fieldwork:department_plan", args=[dplan.pk])).status_code == status


def test_outsiders_do_not_see_the_department_plan(fw, submitted, users, login):
    dplan = services.department_plan_merge(department=fw.dept, year=YEAR, quarter=1, by=fw.head)
    for who in (users.outsider, users.district_approver, users.secretary):
        assert login(who).get(reverse("fieldwork:department_plan", args=[dplan.pk])).status_code == 404
    assert login(users.outsider).post(reverse("fieldwork:department_plan_approve", args=[dplan.pk])).status_code == 404


def test_approve_rejects_get(fw, submitted, users, login):
    dplan = services.department_plan_merge(department=fw.dept, year=YEAR, quarter=1, by=fw.head)
    assert (
        login(users.province_approver).get(reverse("fieldwork:department_plan_approve", args=[dplan.pk])).status_code
        == 405
    )


def test_the_head_consolidates_quarter_reports_from_the_page(fw, tree, users, login):
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    report(visit)
    services.quarter_report_submit(assignment=fw.assignment, quarter=1, by=fw.staff)
    url = reverse("fieldwork:department_consolidate", args=[fw.dept.pk])
    assert login(fw.staff).post(url, {"year": YEAR, "quarter": 1}).status_code == 404
    login(fw.head).post(url, {"year": YEAR, "quarter": 1, "notes": "Hoàn thành"})
    assert DepartmentQuarterReport.objects.get(department=fw.dept).days == 2
    assert "1/2 cán bộ báo cáo" in login(fw.head).get(_dept_url(fw)).content.decode()
