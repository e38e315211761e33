import pytest
from django.urls import reverse

from fieldwork import services
from fieldwork.models import StaffPlan

from .helpers import YEAR, add_visit, d


@pytest.fixture
def plan(fw):
    return services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)


def _visit_post(target="T1-H1-CS1-CD1", start="10/01", end="11/01", days="2"):
    return {
        "target": target,
        "content": "survey",
        "starts_on": f"{start}/{YEAR}",
        "ends_on": f"{end}/{YEAR}",
        "days": days,
        "purpose": "Khảo sát tình hình đoàn viên",
    }


def test_a_staff_member_opens_a_quarter_plan(fw, login):
    response = login(fw.staff).post(reverse("fieldwork:plan_create"), {"year": YEAR, "quarter": 2})
    plan = StaffPlan.objects.get(assignment=fw.assignment, quarter=2)
    assert response.url == reverse("fieldwork:plan", args=[plan.pk])


def test_someone_not_on_the_staff_list_cannot_open_a_plan(fw, users, login):
    assert (
        login(users.province_admin).post(reverse("fieldwork:plan_create"), {"year": YEAR, "quarter": 2}).status_code
        == 403
    )


def test_plan_create_rejects_get(fw, login):
    assert login(fw.staff).get(reverse("fieldwork:plan_create")).status_code == 405


def test_adding_a_visit_through_the_page(fw, plan, login):
    client = login(fw.staff)
    response = client.post(reverse("fieldwork:plan", args=[plan.pk]), _visit_post())
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "Chi đoàn thôn Đồng Tâm" in page and "10/01/" in page


@pytest.mark.parametrize(
    "data, message",
    [
        (_visit_post(target="T2-CS1"), "Không tìm thấy đơn vị mã “T2-CS1” trong phạm vi của bạn."),
        (_visit_post(start="10/05", end="11/05"), "Chuyến đi phải nằm trong khoảng"),
        (_visit_post(days="5"), "Số ngày phải từ 1 đến 2"),
        (_visit_post(start="31/02"), "Nhập một ngày hợp lệ"),
    ],
)
def test_bad_visits_get_a_clear_message(fw, plan, login, data, message):
    page = login(fw.staff).post(reverse("fieldwork:plan", args=[plan.pk]), data).content.decode()
    assert message in page and plan.visits.count() == 0


def test_others_cannot_add_visits(fw, plan, login):
    assert login(fw.head).post(reverse("fieldwork:plan", args=[plan.pk]), _visit_post()).status_code == 403


@pytest.mark.parametrize("who, status", [("staff", 200), ("head", 200), ("org_head", 200), ("staff2", 404)])
def test_who_sees_a_plan(fw, plan, login, who, status):
    assert login(getattr(fw, who)).get(reverse("fieldwork:plan", args=[plan.pk])).status_code == status


@pytest.mark.parametrize(
    "who, status",
    [
        ("province_approver", 200),
        ("province_admin", 200),
        ("outsider", 404),
        ("district_approver", 404),
        ("secretary", 404),
        ("superuser", 200),
    ],
)
def test_who_sees_a_plan_by_post(fw, plan, users, login, who, status):
    assert login(getattr(users, who)).get(reverse("fieldwork:plan", args=[plan.pk])).status_code == status


def test_registering_through_the_page(fw, tree, plan, login):
    add_visit(plan, tree.branch, start=d(1, 10))
    client = login(fw.staff)
    client.post(reverse("fieldwork:plan_submit", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == StaffPlan.Status.SUBMITTED
    assert "Đã đăng ký với trưởng ban" in client.get(reverse("fieldwork:plan", args=[plan.pk])).content.decode()


def test_registering_an_empty_plan_shows_why(fw, plan, login):
    response = login(fw.staff).post(reverse("fieldwork:plan_submit", args=[plan.pk]), follow=True)
    assert "Kế hoạch chưa có chuyến đi nào." in response.content.decode()


def test_register_rejects_get_and_strangers(fw, plan, users, login):
    assert login(fw.staff).get(reverse("fieldwork:plan_submit", args=[plan.pk])).status_code == 405
    assert login(users.outsider).post(reverse("fieldwork:plan_submit", args=[plan.pk])).status_code == 404
    assert login(fw.head).post(reverse("fieldwork:plan_submit", args=[plan.pk])).status_code == 403


def test_removing_a_visit(fw, tree, plan, login):
    visit = add_visit(plan, tree.branch, start=d(1, 10))
    assert login(fw.head).post(reverse("fieldwork:visit_remove", args=[visit.pk])).status_code == 403
    login(fw.staff).post(reverse("fieldwork:visit_remove", args=[visit.pk]))
    assert plan.visits.count() == 0


def test_the_form_suggests_districts_and_grassroots_units(fw, plan, login):
    page = login(fw.staff).get(reverse("fieldwork:plan", args=[plan.pk])).content.decode()
    assert '<option value="T1-H1-CS1">Đoàn xã Hùng Sơn</option>' in page
    assert 'value="T1-H1-CS1-CD1"' not in page and 'value="T2-CS1"' not in page


def test_the_head_is_pointed_to_the_merge(fw, tree, plan, login):
    add_visit(plan, tree.branch, start=d(1, 10))
    services.plan_submit(plan=plan, by=fw.staff)
    page = login(fw.head).get(reverse("fieldwork:plan", args=[plan.pk])).content.decode()
    assert "Tổng hợp kế hoạch của ban" in page
