""" "3 chủ động" deadlines in the daily reminders: a draft registration before its deadline, a
district that received registrations and has not reported them, escalated to the province."""

from datetime import timedelta

import pytest

from notifications.models import Kind, Notification
from notifications.reminders import send_reminders

pytestmark = pytest.mark.django_db


def run(day) -> list[Notification]:
    made = []
    send_reminders(today=day, report=made.append)
    return made


def test_a_draft_registration_is_reminded_before_its_deadline(tree, users, campaign, flow):
    flow.draft()
    made = run(campaign.registration_deadline - timedelta(days=3))
    [n] = [n for n in made if n.recipient_id == users.grassroots_secretary.pk]
    assert n.kind == Kind.DUE_SOON and n.unit.pk == tree.grassroots.pk
    assert n.title.startswith(f"Sắp đến hạn gửi đăng ký “3 chủ động” năm {campaign.year} của {tree.grassroots.name}")
    assert n.link == f"/3-chu-dong/dot/{campaign.pk}/dang-ky/{tree.grassroots.code}/"


def test_a_sent_registration_is_not_reminded(users, campaign, flow):
    flow.submitted()
    made = run(campaign.registration_deadline - timedelta(days=3))
    assert users.grassroots_secretary.pk not in {n.recipient_id for n in made}


def test_a_district_that_has_not_reported_is_reminded_then_the_province_hears(
    tree, users, campaign, flow, district_staff
):
    flow.submitted()
    [late] = [n for n in run(campaign.report_deadline + timedelta(days=1)) if n.recipient_id == district_staff.pk]
    assert late.kind == Kind.OVERDUE and late.unit.pk == tree.district.pk
    assert late.link == f"/3-chu-dong/dot/{campaign.pk}/bang/{tree.district.code}/"
    digests = [n for n in run(campaign.report_deadline + timedelta(days=3)) if n.kind == Kind.ESCALATION]
    assert {n.unit.pk for n in digests} == {tree.province.pk}
    assert f"- {tree.district.name}: quá hạn 3 ngày" in digests[0].body


def test_a_decision_reaches_the_grassroots_inbox(login, tree, users, flow, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        reg, decision = flow.decided(recognised=False)
    [n] = Notification.objects.filter(recipient=users.grassroots_secretary, kind=Kind.DECIDED)
    assert n.title == f"{tree.grassroots.name} không được công nhận “3 chủ động” ({decision})"
    assert n.body == "Lý do: Chưa đạt" and n.link == f"/3-chu-dong/dang-ky/{reg.pk}/"
    assert n.title in login(users.grassroots_secretary).get("/").content.decode()


def test_a_returned_registration_tells_the_grassroots_why(
    users, flow, district_staff, django_capture_on_commit_callbacks
):
    from evaluations.recognition import services

    reg = flow.submitted()
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_return(registration=reg, reason="Thiếu kế hoạch tiêu chí 2", by=users.district_approver)
    [n] = Notification.objects.filter(recipient=users.grassroots_secretary, kind=Kind.RETURNED)
    assert n.body == "Lý do: Thiếu kế hoạch tiêu chí 2" and "bị trả lại để bổ sung" in n.title
