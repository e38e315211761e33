"""Unplanned visits through the pages. A request must come before the visit starts, so these
tests ask in the current year for a one-day visit today (the latest day still in time). Today is
read per test (``today``), so a run crossing midnight does not mix two days."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from fieldwork import inbox, services
from fieldwork.models import PlannedVisit

from .helpers import d, request_visit

WAITING = "Đề xuất đi cơ sở đột xuất chờ Thường trực đồng ý"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def url(today):
    return reverse("fieldwork:request_create") + f"?nam={today.year}"


@pytest.fixture(autouse=True)
def this_year(fw, users, today):
    """The staff member is on this year's list too (fw's own rows are last year's)."""
    return services.assignment_save(year=today.year, user=fw.staff, department=fw.dept, by=users.province_approver)


def _post(start):
    return {
        "year": start.year,
        "target": "T1-H1-CS1",
        "content": "activity",
        "starts_on": f"{start:%d/%m/%Y}",
        "ends_on": f"{start:%d/%m/%Y}",
        "days": "1",
        "purpose": "Ngày hội thanh niên tình nguyện",
    }


def test_a_staff_member_asks_for_an_unplanned_visit(fw, login, url, today):
    response = login(fw.staff).post(url, _post(today))
    visit = PlannedVisit.objects.get(status=PlannedVisit.Status.REQUESTED)
    assert response.url == reverse("fieldwork:visit", args=[visit.pk])


def test_a_visit_already_begun_cannot_be_asked_for(fw, login, today):
    start = today - timedelta(days=1)
    response = login(fw.staff).post(reverse("fieldwork:request_create") + f"?nam={start.year}", _post(start))
    page = response.content.decode()
    assert response.status_code == 200 and "cần Thường trực đồng ý trước khi đi" in page
    assert f"{start:%d/%m/%Y}" in page and not PlannedVisit.objects.exists()


def test_someone_not_on_the_staff_list_cannot_ask(fw, users, login, url):
    assert login(users.province_approver).get(url).status_code == 403


def test_a_bad_request_gets_a_message(fw, login, url, today):
    data = _post(today)
    data["purpose"] = " "
    page = login(fw.staff).post(url, data).content.decode()
    assert "Trường này là bắt buộc." in page and not PlannedVisit.objects.exists()


def test_the_standing_office_consents_from_the_list(fw, users, login, url, today):
    login(fw.staff).post(url, _post(today))
    visit = PlannedVisit.objects.get()
    client = login(users.province_approver)
    assert "Ngày hội thanh niên tình nguyện" in client.get(reverse("fieldwork:requests")).content.decode()
    client.post(reverse("fieldwork:request_decide", args=[visit.pk]), {"consent": "1", "reason": ""})
    visit.refresh_from_db()
    assert visit.status == PlannedVisit.Status.CONSENTED and visit.decided_by == users.province_approver


def test_a_refusal_without_reason_is_explained(fw, users, login, url, today):
    login(fw.staff).post(url, _post(today))
    visit = PlannedVisit.objects.get()
    response = login(users.province_approver).post(
        reverse("fieldwork:request_decide", args=[visit.pk]), {"consent": "0", "reason": ""}, follow=True
    )
    assert "Cần ghi lý do không đồng ý." in response.content.decode()


def test_only_the_standing_office_decides(fw, users, login, url, today):
    login(fw.staff).post(url, _post(today))
    visit = PlannedVisit.objects.get()
    decide = reverse("fieldwork:request_decide", args=[visit.pk])
    assert login(fw.head).post(decide, {"consent": "1"}).status_code == 403
    assert login(users.outsider).post(decide, {"consent": "1"}).status_code == 404
    assert login(users.province_approver).get(decide).status_code == 405
    page = login(fw.staff).get(reverse("fieldwork:requests")).content.decode()
    assert "Chờ Thường trực đồng ý" in page and "Lưu" not in page


# --- a request left waiting past the visit's first day ------------------------------------------


@pytest.fixture
def stale(fw, tree):
    """Asked for in time last year, never decided: the visit has long begun."""
    return request_visit(
        fw, tree.grassroots, starts_on=d(5, 4), requested_on=d(5, 1), purpose="Dự lễ ra quân tình nguyện hè"
    )


def _card(page, visit):
    """The request's card on the list page."""
    link = reverse("fieldwork:visit", args=[visit.pk])
    return page.split(f'href="{link}"')[1].split('<div class="card mb-2">')[0]


def test_a_stale_request_is_shown_expired_and_offers_refusal_only(fw, users, login, url, today, stale):
    login(fw.staff).post(url, _post(today))
    live = PlannedVisit.objects.exclude(pk=stale.pk).get()
    page = login(users.province_approver).get(reverse("fieldwork:requests")).content.decode()
    card = _card(page, stale)
    assert "Quá hạn đồng ý" in card and f"bắt đầu ngày 04/05/{stale.starts_on.year}" in card
    assert '<option value="0"' in card and '<option value="1"' not in card
    card = _card(page, live)
    assert "Quá hạn đồng ý" not in card and '<option value="1"' in card
    assert page.count('data-testid="expired"') == 1
    assert len(set(re.findall(r'id="(id_consent_\d+)"', page))) == 2  # one id per form


def test_the_staff_member_sees_the_request_expired(fw, login, stale):
    page = login(fw.staff).get(reverse("fieldwork:requests")).content.decode()
    assert "Quá hạn đồng ý" in page and "Chờ Thường trực đồng ý" not in page and "Lưu" not in page


def test_a_forged_consent_to_a_stale_request_is_explained_and_refusal_still_works(fw, users, login, stale):
    client = login(users.province_approver)
    decide = reverse("fieldwork:request_decide", args=[stale.pk])
    page = client.post(decide, {"consent": "1", "reason": ""}, follow=True).content.decode()
    assert "Đã quá hạn đồng ý" in page and "chọn “Không đồng ý”" in page
    stale.refresh_from_db()
    assert stale.status == PlannedVisit.Status.REQUESTED and stale.decided_by is None
    client.post(decide, {"consent": "0", "reason": "Chuyến đi đã qua"})
    stale.refresh_from_db()
    assert stale.status == PlannedVisit.Status.REFUSED and stale.decision_reason == "Chuyến đi đã qua"


def test_the_inbox_counts_only_requests_still_open_to_consent(fw, users, login, url, today, stale):
    assert WAITING not in {i.title for i in inbox.items(users.province_approver)}
    login(fw.staff).post(url, _post(today))  # starts today: still in time
    counts = {i.title: i.count for i in inbox.items(users.province_approver)}
    assert counts[WAITING] == 1


def test_the_inbox_query_count_does_not_grow_with_stale_requests(
    fw, tree, users, login, url, today, stale, django_assert_max_num_queries
):
    login(fw.staff).post(url, _post(today))
    with django_assert_max_num_queries(20) as few:
        inbox.items(users.province_approver)
    for day in range(5, 9):
        request_visit(fw, tree.grassroots, starts_on=d(6, day), requested_on=d(6, 1))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert {i.title: i.count for i in inbox.items(users.province_approver)}[WAITING] == 1
