"""The Standing office's answer to an unplanned-visit request reaches the staff member's inbox."""

import pytest

from fieldwork import services
from notifications.models import Kind, Notification
from tests.fieldwork.helpers import d, request_visit

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
