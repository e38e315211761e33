from datetime import date, timedelta

from evaluations.recognition.models import Decision, Flag

YESTERDAY = (date.today() - timedelta(days=1)).strftime("%d/%m/%Y")


def _create_url(campaign, code="T1-H1"):
    return f"/3-chu-dong/dot/{campaign.pk}/quyet-dinh/{code}/"


def _data(reg, outcome="yes", reason=""):
    return {
        "number": "15-QĐ/HĐTN",
        "signed_on": YESTERDAY,
        "signer": "Nguyễn Văn Ký",
        f"outcome_{reg.pk}": outcome,
        f"reason_{reg.pk}": reason,
    }


def test_the_district_issues_a_decision(login, users, campaign, flow):
    reg = flow.evaluated()
    client = login(users.district_approver)
    body = client.get(_create_url(campaign)).content.decode()
    assert "Đoàn xã Hùng Sơn" in body and "đạt 3/3 tiêu chí" in body
    response = client.post(_create_url(campaign), _data(reg))
    decision = Decision.objects.get()
    assert response.status_code == 302 and response.url == f"/3-chu-dong/quyet-dinh/{decision.pk}/"
    reg.refresh_from_db()
    assert reg.status == "recognised"
    assert "Được công nhận" in client.get(response.url).content.decode()


def test_recognising_a_unit_that_failed_a_criterion_is_refused_on_the_page(login, users, campaign, flow):
    reg = flow.evaluated(fail_number=1)
    response = login(users.district_approver).post(_create_url(campaign), _data(reg))
    assert response.status_code == 200 and "chưa đạt đủ tất cả tiêu chí" in response.content.decode()
    assert not Decision.objects.exists()


def test_a_grassroots_user_cannot_decide(login, users, campaign):
    assert login(users.grassroots_approver).get(_create_url(campaign, "T1-H1-CS1")).status_code == 403
    assert login(users.province_staff).get(_create_url(campaign)).status_code == 403


def test_an_outsider_gets_404(login, users, campaign, flow):
    _, decision = flow.decided()
    assert login(users.outsider).get(_create_url(campaign)).status_code == 404
    assert login(users.outsider).get(f"/3-chu-dong/quyet-dinh/{decision.pk}/").status_code == 404


def test_the_unit_does_not_see_the_decision_page_but_sees_its_outcome(login, users, flow):
    reg, decision = flow.decided()
    client = login(users.grassroots_secretary)
    assert client.get(f"/3-chu-dong/quyet-dinh/{decision.pk}/").status_code == 404
    assert "12-QĐ/HĐTN" in client.get(f"/3-chu-dong/dang-ky/{reg.pk}/").content.decode()


def test_the_province_flags_and_the_district_resolves(login, users, flow):
    _, decision = flow.decided()
    url = f"/3-chu-dong/quyet-dinh/{decision.pk}/"
    province = login(users.province_approver)
    assert "Gắn cờ xem lại" in province.get(url).content.decode()
    assert province.post(url + "gan-co/", {"note": "Thiếu minh chứng tiêu chí 2"}).status_code == 302
    flag = Flag.objects.get()
    district = login(users.district_approver)
    body = district.get(url).content.decode()
    assert "Thiếu minh chứng tiêu chí 2" in body and "Gắn cờ xem lại" not in body
    assert district.post(f"/3-chu-dong/y-kien/{flag.pk}/xu-ly/", {"resolution": "Đã bổ sung"}).status_code == 302
    flag.refresh_from_db()
    assert flag.is_resolved


def test_a_district_cannot_flag(login, users, flow):
    _, decision = flow.decided()
    assert (
        login(users.district_approver).post(f"/3-chu-dong/quyet-dinh/{decision.pk}/gan-co/", {"note": "x"}).status_code
        == 403
    )


def test_flag_routes_reject_get(login, users, flow):
    _, decision = flow.decided()
    assert login(users.province_approver).get(f"/3-chu-dong/quyet-dinh/{decision.pk}/gan-co/").status_code == 405


def test_resolving_a_flag_is_404_outside_and_403_for_the_unit(login, users, flow):
    from evaluations.recognition import services

    _, decision = flow.decided()
    flag = services.flag_raise(decision=decision, note="Xem lại", by=users.province_approver)
    url = f"/3-chu-dong/y-kien/{flag.pk}/xu-ly/"
    assert login(users.outsider).post(url, {"resolution": "x"}).status_code == 404
    assert login(users.province_staff).post(url, {"resolution": "x"}).status_code == 403
