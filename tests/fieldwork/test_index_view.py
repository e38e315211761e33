from django.urls import reverse

from fieldwork import services
from fieldwork.models import PlannedVisit
from tests.factories import make_user

from .helpers import YEAR, add_visit, approve_quarter, approved_visits, d, report

URL = reverse("fieldwork:index") + f"?nam={YEAR}"


def test_a_staff_member_sees_their_progress_and_plans(fw, tree, users, login):
    (visit,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    report(visit)
    page = login(fw.staff).get(URL).content.decode()
    assert "<strong>2</strong>/60 ngày" in page
    assert "Kế hoạch quý 1" in page and "Đã được phê duyệt" in page
    assert "Tiến độ của cán bộ" not in page  # a plain staff member sees only themselves


def test_the_head_sees_the_department_and_who_is_behind(fw, tree, users, login):
    page = login(fw.head).get(URL).content.decode()
    assert "Ban Phong trào" in page and "Tiến độ của cán bộ" in page
    assert "Vũ Thị Phong" in page and "Chưa hoàn thành" in page  # last year is over: 0 of 60 days
    assert "<strong>0/2</strong> cán bộ thuộc diện đã hoàn thành" in page


def test_the_standing_office_sees_the_whole_province(fw, users, login):
    page = login(users.province_approver).get(URL).content.decode()
    assert "Ban Xây dựng Đoàn" in page and "Ban Phong trào" in page
    assert "Tổng kết năm" in page


def test_an_outsider_sees_nothing_of_the_province(fw, users, login):
    page = login(users.outsider).get(URL).content.decode()
    assert "Ban Phong trào" not in page and "Vũ Thị Phong" not in page


def test_a_year_without_data_is_empty(fw, users, login):
    assert login(fw.head).get(reverse("fieldwork:index") + "?nam=abc").status_code == 200


def test_it_needs_a_login(client):
    assert client.get(URL).status_code == 302


def test_queries_do_not_grow_with_staff(fw, tree, users, login, django_assert_max_num_queries):
    client = login(users.province_approver)
    client.get(URL)
    with django_assert_max_num_queries(12) as small:
        client.get(URL)
    for i in range(6):
        user = make_user(f"canbo.them{i}", "staff", tree.province)
        a = services.assignment_save(year=YEAR, user=user, department=fw.dept, by=users.province_approver)
        plan = services.plan_create(assignment=a, quarter=1, by=user)
        add_visit(plan, tree.branch, start=d(1, 10 + i))
        services.plan_submit(plan=plan, by=user)
    approve_quarter(fw, users, 1)
    for visit in PlannedVisit.objects.all():
        report(visit)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL)


def test_during_the_year_those_behind_pace_are_flagged(fw, users, login):
    from django.utils import timezone

    this_year = timezone.localdate().year
    services.assignment_save(year=this_year, user=fw.staff2, department=fw.dept, by=users.province_approver)
    page = login(fw.head).get(reverse("fieldwork:index") + f"?nam={this_year}").content.decode()
    expected = "Chậm tiến độ" if timezone.localdate().timetuple().tm_yday > 4 else "Đúng tiến độ"
    assert expected in page
