""" "1+2" reminders per person, at fixed dates (the service's ``today``, as ``send_reminders
--date``): a staff member's unregistered quarter plan (deadline the policy's first 10 days of the
quarter) and unreported visits (deadline 10 days after the last day), T-7/3/1 and overdue (the
first late day, then weekly); 3 days late to the department head, 6 days to the Standing office."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fieldwork import services
from fieldwork.models import StaffAssignment
from notifications.models import Escalation, Kind, Notification, Preference, ReminderPolicy
from notifications.reminders import send_reminders
from organizations.models import Post
from tests.factories import make_user
from tests.fieldwork.helpers import add_visit, approved_visits, d, report

pytestmark = pytest.mark.django_db


def run(day, **options) -> list[Notification]:
    made = []
    send_reminders(today=day, report=made.append, **options)
    return made


def to(made, user, kind=None):
    return [n for n in made if n.recipient_id == user.pk and (kind is None or n.kind == kind)]


@pytest.mark.parametrize(
    "day, kind",
    [
        (d(1, 2), None),
        (d(1, 3), Kind.DUE_SOON),  # T-7
        (d(1, 7), Kind.DUE_SOON),  # T-3
        (d(1, 8), None),
        (d(1, 9), Kind.DUE_SOON),  # T-1
        (d(1, 10), None),  # the deadline itself
        (d(1, 11), Kind.OVERDUE),  # the first late day
        (d(1, 12), None),
        (d(1, 18), Kind.OVERDUE),  # a week later
    ],
)
def test_a_staff_member_is_reminded_of_the_quarter_plan_on_the_schedule(fw, day, kind):
    found = to(run(day), fw.staff)
    assert [n.kind for n in found] == ([kind] if kind else [])


def test_the_plan_reminder_names_the_quarter_and_links_to_the_plan_page(fw):
    [n] = to(run(d(1, 7)), fw.staff)
    assert (
        n.title
        == f"Sắp đến hạn đăng ký kế hoạch đi cơ sở quý 1/{fw.year} của canbo.tinh (Ban Phong trào): hạn 10/01/{fw.year}"
    )
    assert n.link == f"/di-co-so/?nam={fw.year}"
    draft = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    [late] = to(run(d(1, 11)), fw.staff)
    assert late.link == f"/di-co-so/ke-hoach/{draft.pk}/"  # the draft still to register
    assert "Quá hạn" in late.title and "1 ngày" in late.title


def test_a_registered_plan_ends_the_reminders_and_others_are_not_told(tree, fw):
    plan = services.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    add_visit(plan, tree.district, start=d(2, 3))
    services.plan_submit(plan=plan, by=fw.staff, submitted_on=d(1, 5))
    made = run(d(1, 7))
    assert to(made, fw.staff) == []
    assert [n.recipient_id for n in made] == [fw.staff2.pk]  # only the one who owes


def test_exempt_and_non_movement_staff_owe_no_plan(fw):
    StaffAssignment.objects.filter(pk=fw.assignment.pk).update(exemption=StaffAssignment.Exemption.STUDY)
    StaffAssignment.objects.filter(pk=fw.assignment2.pk).update(post_kind=StaffAssignment.PostKind.DRIVER)
    assert run(d(1, 7)) == []


def test_a_late_plan_goes_to_the_department_head_then_the_standing_office_once_each(users, fw):
    assert [n for n in run(d(1, 12)) if n.kind == Kind.ESCALATION] == []
    [digest] = [n for n in run(d(1, 13)) if n.kind == Kind.ESCALATION]
    assert digest.recipient_id == fw.head.pk
    assert digest.title == f"2 cán bộ của Ban Phong trào quá hạn đăng ký kế hoạch đi cơ sở quý 1/{fw.year}"
    assert digest.body.splitlines() == [
        f"- canbo.tinh (Ban Phong trào): quá hạn 3 ngày (hạn 10/01/{fw.year})",
        f"- Vũ Thị Phong (Ban Phong trào): quá hạn 3 ngày (hạn 10/01/{fw.year})",
    ]
    assert digest.link == f"/di-co-so/ban/{fw.dept.pk}/?nam={fw.year}&quy=1"
    assert [n for n in run(d(1, 15)) if n.kind == Kind.ESCALATION] == []
    [above] = [n for n in run(d(1, 16)) if n.kind == Kind.ESCALATION]
    assert (above.recipient_id, above.unit.pk) == (users.province_approver.pk, fw.dept.organization_id)
    assert above.title.startswith("2 cán bộ của Tỉnh đoàn") and "quá hạn 6 ngày" in above.body
    assert [n for n in run(d(1, 25)) if n.kind == Kind.ESCALATION] == []
    assert Escalation.objects.filter(source_key=f"fieldwork-plan:{fw.dept.organization_id}:{fw.year}").count() == 4


def test_a_head_who_is_late_himself_is_reported_to_the_standing_office(users, fw):
    services.assignment_save(year=fw.year, user=fw.head, department=fw.dept, by=users.province_approver)
    [digest] = [n for n in run(d(1, 13)) if n.kind == Kind.ESCALATION and n.recipient_id == users.province_approver.pk]
    assert "Phạm Đức Trào" in digest.body and "canbo.tinh" not in digest.body  # the others went to the head


@pytest.mark.parametrize(
    "after, kind",
    [(2, None), (3, Kind.DUE_SOON), (7, Kind.DUE_SOON), (9, Kind.DUE_SOON), (10, None), (11, Kind.OVERDUE)],
)
def test_an_unreported_visit_is_reminded_to_the_one_who_went(tree, users, fw, after, kind):
    [visit] = approved_visits(fw, users, fw.assignment, [(tree.district, d(2, 3), 2, "survey")])
    found = [n for n in to(run(visit.ends_on + timedelta(days=after)), fw.staff) if "báo cáo chuyến đi" in n.title]
    assert [n.kind for n in found] == ([kind] if kind else [])
    for n in found:
        assert n.link == f"/di-co-so/chuyen-di/{visit.pk}/" and n.unit.pk == tree.district.pk


def test_a_visit_report_overdue_escalates_and_a_reported_visit_stops(tree, users, fw):
    first, second = approved_visits(
        fw, users, fw.assignment, [(tree.district, d(2, 3), 1, "survey"), (tree.grassroots, d(2, 3), 1, "activity")]
    )
    report(first)
    made = run(d(2, 16))  # 3 days after the deadline of 13/02
    assert to(made, fw.staff) == []  # 16/02 is neither a T-n nor a weekly overdue day
    [digest] = [n for n in to(made, fw.head, Kind.ESCALATION) if "báo cáo" in n.title]
    assert digest.title == "1 cán bộ của Ban Phong trào quá hạn báo cáo chuyến đi cơ sở"
    assert digest.body == (
        f"- canbo.tinh (Ban Phong trào) — {tree.grassroots.name}, 03/02/{fw.year}–03/02/{fw.year}: "
        f"quá hạn 3 ngày (hạn 13/02/{fw.year})"
    )


def test_a_second_run_sends_nothing_twice(fw):
    fw.staff.email = "canbo@example.vn"
    fw.staff.save()
    first = run(d(1, 18))  # overdue, and both escalation steps
    mails = len(mail.outbox)
    assert to(first, fw.staff) and to(first, fw.head) and run(d(1, 18)) == []
    assert len(mail.outbox) == mails and Notification.objects.count() == len(first)


def test_preferences_hold_for_the_new_reminders(fw):
    fw.staff.email, fw.staff2.email = "canbo@example.vn", "canbo2@example.vn"
    fw.staff.save()
    fw.staff2.save()
    Preference.objects.create(user=fw.staff, email_enabled=False)
    Preference.objects.create(user=fw.staff2, email_mode=Preference.Mode.DIGEST)
    run(d(1, 7))
    assert Notification.objects.filter(recipient__in=[fw.staff, fw.staff2]).count() == 2
    [digest] = mail.outbox  # the digest reader's daily mail; the one with email off gets none
    assert digest.to == ["canbo2@example.vn"] and "quý 1" in digest.body


def test_an_ended_post_and_a_locked_account_are_reminded_of_nothing_but_still_reported(fw):
    Post.objects.filter(user=fw.staff).update(ended_on=d(1, 1))
    fw.staff2.is_active = False
    fw.staff2.save()
    made = run(d(1, 13))
    assert to(made, fw.staff) == [] and to(made, fw.staff2) == []
    [digest] = [n for n in made if n.kind == Kind.ESCALATION]
    assert "canbo.tinh" in digest.body and "Vũ Thị Phong" in digest.body
    fw.head.is_active = False
    fw.head.save()
    assert to(run(d(1, 16)), fw.head) == []


def test_the_period_policy_sets_the_days(fw):
    ReminderPolicy.objects.create(
        source_key=f"fieldwork-plan:{fw.dept.organization_id}:{fw.year}", days_before="5", escalate_after=1
    )
    assert [n.kind for n in to(run(d(1, 5)), fw.staff)] == [Kind.DUE_SOON]
    assert to(run(d(1, 7)), fw.staff) == []
    assert {n.recipient_id for n in run(d(1, 11)) if n.kind == Kind.ESCALATION} == {fw.head.pk}


def test_the_queries_do_not_grow_with_the_staff(tree, users, fw):
    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            run(d(1, 16), dry_run=True)
        return len(ctx.captured_queries)

    few = queries()
    for i in range(6):
        user = make_user(f"canbo.them{i}", Post.Role.STAFF, tree.province)
        services.assignment_save(year=fw.year, user=user, department=fw.dept, by=users.province_approver)
    assert queries() == few


def test_the_dry_run_prints_a_line_per_new_kind_and_sends_nothing(fw, capsys):
    call_command("send_reminders", "--date", d(1, 18).isoformat(), "--dry-run")  # 8 days late
    out = capsys.readouterr()
    lines = set(out.out.splitlines())
    province = fw.dept.organization.name
    assert {
        f"canbo.tinh\t{province}\tquá hạn",
        f"canbo.pt2\t{province}\tquá hạn",
        f"truongban.pt\t{province}\ttổng hợp gửi cấp trên",
        f"thuongtruc.tinh\t{province}\ttổng hợp gửi cấp trên",
    } <= lines
    assert f"Sẽ gửi {len(out.out.splitlines())} thông báo ngày 18/01/{fw.year}." in out.err
    assert not Notification.objects.exists() and not Escalation.objects.exists() and mail.outbox == []
    call_command("send_reminders", "--date", d(1, 7).isoformat(), "--dry-run")
    assert f"canbo.tinh\t{province}\tsắp đến hạn" in capsys.readouterr().out.splitlines()


def test_an_administrator_sets_a_period_s_days_and_a_bad_list_is_refused(login, users, fw):
    client = login(users.superuser)
    key = f"fieldwork-report:{fw.dept.organization_id}:{fw.year}"
    url = "/admin/notifications/reminderpolicy/add/"
    page = client.post(url, {"source_key": key, "days_before": "7;3", "overdue_every": 7, "escalate_after": 3})
    assert "“7;3”: ghi các số ngày cách nhau bởi dấu phẩy, ví dụ 7,3,1." in page.content.decode()
    assert not ReminderPolicy.objects.exists()
    assert (
        client.post(
            url, {"source_key": key, "days_before": "5, 2", "overdue_every": 7, "escalate_after": 3}
        ).status_code
        == 302
    )
    assert ReminderPolicy.objects.get().days_before == "5, 2"
