import pytest
from django.urls import reverse

from fieldwork.models import VisitReport

from .helpers import approved_visits, d


@pytest.fixture
def visit(fw, tree, users):
    (v,) = approved_visits(fw, users, fw.assignment, [(tree.branch, d(1, 10), 2, "survey")])
    return v


def test_the_staff_member_reports_from_the_page(fw, visit, login):
    client = login(fw.staff)
    assert "Báo cáo kết quả chuyến đi" in client.get(reverse("fieldwork:visit", args=[visit.pk])).content.decode()
    client.post(reverse("fieldwork:visit", args=[visit.pk]), {"results": "Dự sinh hoạt chi đoàn", "days_spent": 2})
    report = VisitReport.objects.get(visit=visit)
    assert report.is_late  # reported today, long after last year's visit
    page = client.get(reverse("fieldwork:visit", args=[visit.pk])).content.decode()
    assert "Báo cáo muộn" in page and "Dự sinh hoạt chi đoàn" in page


def test_too_many_days_get_a_message(fw, visit, login):
    page = (
        login(fw.staff)
        .post(reverse("fieldwork:visit", args=[visit.pk]), {"results": "x", "days_spent": 3})
        .content.decode()
    )
    assert "Số ngày thực tế phải từ 1 đến 2." in page


@pytest.mark.parametrize("who, status", [("head", 200), ("org_head", 200), ("staff2", 404)])
def test_who_sees_a_visit(fw, visit, login, who, status):
    assert login(getattr(fw, who)).get(reverse("fieldwork:visit", args=[visit.pk])).status_code == status


def test_only_the_staff_member_reports(fw, visit, users, login):
    url = reverse("fieldwork:visit", args=[visit.pk])
    assert login(fw.head).post(url, {"results": "x", "days_spent": 1}).status_code == 403
    assert login(users.outsider).post(url, {"results": "x", "days_spent": 1}).status_code == 404
    assert login(users.outsider).get(url).status_code == 404


def test_the_visit_describes_itself(visit):
    assert str(visit).startswith("canbo.tinh đến Chi đoàn thôn Đồng Tâm 10/01/")
