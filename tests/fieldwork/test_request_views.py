from django.urls import reverse

from fieldwork.models import PlannedVisit

from .helpers import YEAR

URL = reverse("fieldwork:request_create") + f"?nam={YEAR}"


def _post(year=YEAR):
    return {
        "year": year,
        "target": "T1-H1-CS1",
        "content": "activity",
        "starts_on": f"04/05/{year}",
        "ends_on": f"05/05/{year}",
        "days": "2",
        "purpose": "Ngày hội thanh niên tình nguyện",
    }


def test_a_staff_member_asks_for_an_unplanned_visit(fw, login):
    response = login(fw.staff).post(URL, _post())
    visit = PlannedVisit.objects.get(status=PlannedVisit.Status.REQUESTED)
    assert response.url == reverse("fieldwork:visit", args=[visit.pk])


def test_someone_not_on_the_staff_list_cannot_ask(fw, users, login):
    assert login(users.province_approver).get(URL).status_code == 403


def test_a_bad_request_gets_a_message(fw, login):
    data = _post()
    data["purpose"] = " "
    page = login(fw.staff).post(URL, data).content.decode()
    assert "Trường này là bắt buộc." in page and not PlannedVisit.objects.exists()


def test_the_standing_office_consents_from_the_list(fw, users, login):
    login(fw.staff).post(URL, _post())
    visit = PlannedVisit.objects.get()
    client = login(users.province_approver)
    assert "Ngày hội thanh niên tình nguyện" in client.get(reverse("fieldwork:requests")).content.decode()
    client.post(reverse("fieldwork:request_decide", args=[visit.pk]), {"consent": "1", "reason": ""})
    visit.refresh_from_db()
    assert visit.status == PlannedVisit.Status.CONSENTED and visit.decided_by == users.province_approver


def test_a_refusal_without_reason_is_explained(fw, users, login):
    login(fw.staff).post(URL, _post())
    visit = PlannedVisit.objects.get()
    response = login(users.province_approver).post(
        reverse("fieldwork:request_decide", args=[visit.pk]), {"consent": "0", "reason": ""}, follow=True
    )
    assert "Cần ghi lý do không đồng ý." in response.content.decode()


def test_only_the_standing_office_decides(fw, users, login):
    login(fw.staff).post(URL, _post())
    visit = PlannedVisit.objects.get()
    url = reverse("fieldwork:request_decide", args=[visit.pk])
    assert login(fw.head).post(url, {"consent": "1"}).status_code == 403
    assert login(users.outsider).post(url, {"consent": "1"}).status_code == 404
    assert login(users.province_approver).get(url).status_code == 405
    page = login(fw.staff).get(reverse("fieldwork:requests")).content.decode()
    assert "Chờ Thường trực đồng ý" in page and "Lưu" not in page
