from datetime import date


def _url(reg, suffix=""):
    return f"/3-chu-dong/dang-ky/{reg.pk}/{suffix}"


def test_the_unit_sees_its_plans_and_history(login, users, flow):
    reg = flow.submitted()
    body = login(users.grassroots_secretary).get(_url(reg)).content.decode()
    assert "Kế hoạch cụ thể 1" in body and "Đã gửi đăng ký" in body and "submit" in body
    assert "Tiếp nhận</button>" not in body


def test_the_district_accepts_from_the_page(login, users, flow):
    reg = flow.submitted()
    client = login(users.district_approver)
    assert "Tiếp nhận</button>" in client.get(_url(reg)).content.decode()
    assert client.post(_url(reg, "tiep-nhan/")).status_code == 302
    reg.refresh_from_db()
    assert reg.status == "accepted"


def test_accepting_twice_shows_the_reason(login, users, flow):
    reg = flow.accepted()
    response = login(users.district_approver).post(_url(reg, "tiep-nhan/"), follow=True)
    assert "Không thể tiếp nhận" in response.content.decode()


def test_returning_needs_a_reason_on_the_page(login, users, flow):
    reg = flow.submitted()
    client = login(users.district_approver)
    response = client.post(_url(reg, "tra-lai/"), {"reason": ""})
    assert response.status_code == 400 and "Trường này là bắt buộc" in response.content.decode()
    client.post(_url(reg, "tra-lai/"), {"reason": "Bổ sung kế hoạch"})
    reg.refresh_from_db()
    assert reg.status == "returned"


def test_the_cadre_logs_a_followup(login, users, flow, district_staff):
    reg = flow.accepted()
    response = login(district_staff).post(
        _url(reg, "theo-doi/"),
        {
            "kind": "inspection",
            "on_date": date.today().strftime("%d/%m/%Y"),
            "participants": "Đ/c Dõi",
            "findings": "Đã kiểm tra sổ sách",
        },
    )
    assert response.status_code == 302
    body = login(district_staff).get(_url(reg)).content.decode()
    assert "Đã kiểm tra sổ sách" in body and "Kiểm tra tại cơ sở" in body


def test_a_followup_with_a_bad_date_is_refused_with_a_message(login, users, flow):
    reg = flow.accepted()
    response = login(users.district_approver).post(
        _url(reg, "theo-doi/"), {"kind": "note", "on_date": "32/13/2025", "participants": "A", "findings": "B"}
    )
    assert response.status_code == 400 and "Nhập một ngày hợp lệ" in response.content.decode()


def test_the_unit_cannot_post_followups_or_accept(login, users, flow):
    reg = flow.submitted()
    client = login(users.grassroots_approver)
    assert client.post(_url(reg, "tiep-nhan/")).status_code == 403
    assert client.post(_url(reg, "theo-doi/"), {}).status_code == 403


def test_outsiders_get_404_everywhere(login, users, flow):
    reg = flow.submitted()
    client = login(users.outsider)
    for suffix in ("", "danh-gia/"):
        assert client.get(_url(reg, suffix)).status_code == 404
    for suffix in ("tiep-nhan/", "tra-lai/", "phan-cong/", "theo-doi/"):
        assert client.post(_url(reg, suffix)).status_code == 404


def test_actions_reject_get(login, users, flow):
    reg = flow.submitted()
    assert login(users.district_approver).get(_url(reg, "tiep-nhan/")).status_code == 405


def test_a_next_url_off_site_is_ignored(login, users, flow, district_staff):
    reg = flow.submitted()
    response = login(users.district_approver).post(
        _url(reg, "phan-cong/"), {"cadre": district_staff.pk, "next": "https://evil.example/"}
    )
    assert response.url == _url(reg)
