"""Late work says "quá hạn" to the one who owes it, on their home page: the chi đoàn secretary's
unsent rating, the đoàn cơ sở's "3 chủ động" registration and the district's report of them, the
staff member's unregistered "1+2" plan; before the deadline, only "hạn dd/mm/yyyy"."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from evaluations import inbox as rating_inbox
from evaluations.recognition import inbox as recognition_inbox
from fieldwork import services as fieldwork
from notifications.deadlines import due_note

pytestmark = pytest.mark.django_db


def test_the_note_reads_the_deadline_and_how_late():
    assert due_note(date(2026, 10, 31), date(2026, 10, 31)) == "hạn 31/10/2026"
    assert due_note(date(2026, 10, 31), date(2026, 11, 3)) == "quá hạn 3 ngày, hạn 31/10/2026"


def test_the_secretary_sees_the_unsent_rating_overdue(login, tree, users, period):
    [before] = rating_inbox.items(users.secretary, today=date(2026, 10, 30))
    assert before.title.endswith("chưa gửi (hạn 31/10/2026)")
    [after] = rating_inbox.items(users.secretary, today=date(2026, 11, 8))
    assert after.title == f"Xếp loại 2026 của {tree.branch.name} chưa gửi (quá hạn 8 ngày, hạn 31/10/2026)"
    late = (date.today() - date(2026, 10, 31)).days
    assert f"chưa gửi (quá hạn {late} ngày, hạn 31/10/2026)" in login(users.secretary).get("/").content.decode()


def test_the_grassroots_and_the_district_see_their_own_late_3_chu_dong_work(campaign, tree, users):
    due = campaign.registration_deadline
    [own] = recognition_inbox.items(users.grassroots_secretary, today=due + timedelta(days=2))
    assert own.title.endswith(f"(quá hạn 2 ngày, hạn {due:%d/%m/%Y})") and own.urgent
    [on_time] = recognition_inbox.items(users.grassroots_secretary, today=due)
    assert on_time.title.endswith(f"(hạn {due:%d/%m/%Y})")
    report_due = campaign.report_deadline
    titles = [i.title for i in recognition_inbox.items(users.district_approver, today=report_due + timedelta(days=5))]
    assert any(t.endswith(f"(quá hạn 5 ngày, hạn {report_due:%d/%m/%Y})") and "chưa báo cáo" in t for t in titles)


def test_the_staff_member_sees_the_unregistered_plan_overdue(login, tree, users, fw):
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1
    fieldwork.policy_save(
        organization=tree.province,
        year=today.year,
        minimum_days=60,
        report_late_days=10,
        plan_deadline_days=0,  # the deadline is the quarter's eve: passed whatever day this runs
        by=users.province_approver,
    )
    mine = fieldwork.assignment_save(year=today.year, user=fw.staff, department=fw.dept, by=users.province_approver)
    due = date(today.year, 3 * quarter - 2, 1) - timedelta(days=1)
    title = f"Kế hoạch đi cơ sở quý {quarter}/{today.year} của bạn chưa đăng ký ({due_note(due, today)})"
    assert "quá hạn" in title and title in login(fw.staff).get("/").content.decode()
    assert title not in login(fw.staff2).get("/").content.decode()  # not on this year's list
    fieldwork.plan_create(assignment=mine, quarter=quarter, by=fw.staff)
    assert title in login(fw.staff).get("/").content.decode()  # a draft is not registered
