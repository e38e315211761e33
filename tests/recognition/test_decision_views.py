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


def _second_unit(tree):
    """Another đoàn cơ sở of the district, with its own secretary, so a decision has two candidates."""
    from organizations.models import Post
    from tests.factories import make_unit, make_user

    org = make_unit(tree.district, "T1-H1-CS3", "Đoàn xã Phú Lạc", "co-so")
    return org, make_user("bithu.phulac", Post.Role.SECRETARY, org)


def _selected(body, name):
    """The value of the option marked selected in the <select name=…>, or None when none is."""
    import re

    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', body, re.S)
    assert select, f"no select {name}"
    chosen = re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select.group(1))
    return chosen[0] if chosen else None


def _input_value(body, name):
    import re

    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', body)
    assert tag, f"no input {name}"
    value = re.search(r'value="([^"]*)"', tag.group(0))
    return value.group(1) if value else ""


def test_it_proposes_recognition_only_for_units_meeting_every_criterion(login, users, campaign, tree, flow):
    met = flow.evaluated()
    org, secretary = _second_unit(tree)
    failed = flow.evaluated(org=org, by=secretary, fail_number=2)
    body = login(users.district_approver).get(_create_url(campaign)).content.decode()
    assert _selected(body, f"outcome_{met.pk}") == "yes"
    assert _selected(body, f"outcome_{failed.pk}") == "no"


def test_a_refused_submit_keeps_every_choice_and_value_entered(login, users, campaign, tree, flow):
    met = flow.evaluated()
    org, secretary = _second_unit(tree)
    failed = flow.evaluated(org=org, by=secretary, fail_number=2)
    data = {
        "number": "",  # missing: the form refuses
        "signed_on": YESTERDAY,
        "signer": "Nguyễn Văn Ký",
        # the opposite of what the page proposes, so a re-render from the defaults would show
        f"outcome_{met.pk}": "no",
        f"reason_{met.pk}": "Thiếu minh chứng tiêu chí 3",
        f"outcome_{failed.pk}": "",
        f"reason_{failed.pk}": "Để quyết định sau",
    }
    response = login(users.district_approver).post(_create_url(campaign), data)
    body = response.content.decode()
    assert response.status_code == 200 and "Trường này là bắt buộc" in body
    assert not Decision.objects.exists()
    assert _selected(body, f"outcome_{met.pk}") == "no"
    assert _input_value(body, f"reason_{met.pk}") == "Thiếu minh chứng tiêu chí 3"
    assert _selected(body, f"outcome_{failed.pk}") in ("", None)  # "not in this decision" stays chosen
    assert 'value="" selected' in body.split(f'name="outcome_{failed.pk}"')[1].split("</select>")[0]
    assert _input_value(body, f"reason_{failed.pk}") == "Để quyết định sau"
    assert _input_value(body, "signer") == "Nguyễn Văn Ký" and _input_value(body, "signed_on") == YESTERDAY


def test_a_service_refusal_keeps_the_choices_too(login, users, campaign, flow):
    reg = flow.evaluated(fail_number=1)
    response = login(users.district_approver).post(_create_url(campaign), _data(reg, outcome="yes", reason="Ghi chú"))
    body = response.content.decode()
    assert response.status_code == 200 and "chưa đạt đủ tất cả tiêu chí" in body
    assert _selected(body, f"outcome_{reg.pk}") == "yes"
    assert _input_value(body, f"reason_{reg.pk}") == "Ghi chú"
    assert _input_value(body, "number") == "15-QĐ/HĐTN"


def test_a_reason_too_long_is_named_beside_its_unit(login, users, campaign, flow):
    reg = flow.evaluated(fail_number=1)
    response = login(users.district_approver).post(_create_url(campaign), _data(reg, outcome="no", reason="x" * 501))
    body = response.content.decode()
    assert response.status_code == 200 and not Decision.objects.exists()
    assert "tối đa 500" in body and _selected(body, f"outcome_{reg.pk}") == "no"
