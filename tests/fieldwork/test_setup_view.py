from django.urls import reverse

from fieldwork import services
from fieldwork.models import Department, StaffAssignment
from fieldwork.selectors import effective_policy

from .helpers import YEAR


def _url(code="T1"):
    return reverse("fieldwork:setup", args=[code]) + f"?nam={YEAR}"


def test_managers_set_the_policy_with_a_split(tree, users, login):
    client = login(users.province_approver)
    data = {
        "form": "policy",
        "year": YEAR,
        "minimum_days": 60,
        "report_late_days": 10,
        "quota_chi-doan": 30,
        "quota_co-so": 20,
        "quota_huyen": 10,
    }
    assert client.post(_url(), data).status_code == 302
    policy = effective_policy(tree.province, YEAR)
    assert {lv.code: d for lv, d in policy.quotas.values()} == {"chi-doan": 30, "co-so": 20, "huyen": 10}
    assert "Chi đoàn 30" in client.get(_url()).content.decode()


def test_a_loosening_policy_is_refused_with_a_message(tree, users, login):
    services.policy_save(organization=tree.root, year=YEAR, minimum_days=60, report_late_days=10, by=users.superuser)
    data = {"form": "policy", "year": YEAR, "minimum_days": 30, "report_late_days": 10}
    page = login(users.province_approver).post(_url(), data).content.decode()
    assert "Số ngày tối thiểu không được thấp hơn 60 ngày của cấp trên." in page


def test_managers_add_departments_and_staff_with_exemptions(tree, users, login):
    client = login(users.province_admin)
    client.post(_url(), {"form": "department", "year": YEAR, "name": "Ban Phong trào", "head": "canbo.tinh"})
    dept = Department.objects.get(name="Ban Phong trào")
    assert dept.head == users.province_staff
    client.post(
        _url(),
        {
            "form": "assignment",
            "year": YEAR,
            "user": "canbo.tinh",
            "department": dept.pk,
            "post_kind": "movement",
            "exemption": "maternity",
            "exemption_reason": "Nghỉ thai sản 6 tháng",
        },
    )
    a = StaffAssignment.objects.get(user=users.province_staff, year=YEAR)
    assert a.exemption == "maternity" and not a.is_eligible
    assert "Nghỉ thai sản 6 tháng" in client.get(_url()).content.decode()


def test_unknown_users_get_a_clear_message(tree, users, login):
    page = (
        login(users.province_admin)
        .post(_url(), {"form": "department", "year": YEAR, "name": "Văn phòng", "head": "bithu"})
        .content.decode()
    )
    assert "Không tìm thấy tài khoản “bithu” có chức vụ tại Tỉnh đoàn Thái Nguyên." in page


def test_staff_get_403_and_outsiders_404(tree, users, login):
    assert login(users.province_staff).get(_url()).status_code == 403
    assert login(users.outsider).get(_url()).status_code == 404
    assert login(users.province_approver).put(_url()).status_code == 405


def test_the_dashboard_links_to_setup_for_managers(tree, users, login):
    assert (
        reverse("fieldwork:setup", args=["T1"])
        in login(users.province_approver).get(reverse("fieldwork:index")).content.decode()
    )
