"""One real-browser walk through the workflow at phone width: register → assign → evaluate → decide."""

from datetime import date, timedelta

import pytest

from evaluations.recognition.models import Registration

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_register_assign_evaluate_decide(tree, users, campaign, district_staff, browser_login, page):
    # the đoàn cơ sở registers its plan
    browser_login(users.grassroots_secretary)
    page.goto(f"{page.base_url}/3-chu-dong/")
    main = page.locator("main")
    main.get_by_role("link", name="Đăng ký", exact=True).click()
    for i, box in enumerate(main.locator("textarea").all(), start=1):
        box.fill(f"Kế hoạch thực hiện tiêu chí {i}")
    main.get_by_role("button", name="Gửi đăng ký").click()
    assert "Đã gửi đăng ký lên cấp trên." in page.locator(".alert").first.inner_text()
    assert main.locator("[data-testid=status]").inner_text() == "Đã gửi đăng ký"

    # the district assigns a cadre from its board
    page.context.clear_cookies()
    browser_login(users.district_approver)
    page.goto(f"{page.base_url}/3-chu-dong/dot/{campaign.pk}/bang/{tree.district.code}/")
    main.get_by_label("Cán bộ theo dõi Đoàn xã Hùng Sơn").select_option(label="Nguyễn Văn Theo Dõi")
    main.get_by_role("button", name="Phân công").click()
    page.wait_for_load_state()
    assert "Đã phân công cán bộ theo dõi." in main.inner_text(), main.inner_text()
    assert "Đã tiếp nhận" in main.locator("table").inner_text()

    # it evaluates every criterion with evidence
    main.get_by_role("link", name="Đoàn xã Hùng Sơn").click()
    main.get_by_role("link", name="Đánh giá").click()
    for radio in main.get_by_label("Đạt", exact=True).all():
        radio.check()
    for box in main.locator("textarea").all():
        box.fill("Biên bản kiểm tra")
    main.get_by_role("button", name="Lưu đánh giá").click()
    assert main.locator("[data-testid=status]").inner_text() == "Đã đánh giá"

    # and issues the decision from the board
    page.goto(f"{page.base_url}/3-chu-dong/dot/{campaign.pk}/bang/{tree.district.code}/")
    main.get_by_role("link", name="Ra quyết định công nhận").click()
    main.get_by_label("Số quyết định").fill("21-QĐ/HĐTN")
    main.get_by_label("Ngày ký").fill((date.today() - timedelta(days=1)).strftime("%d/%m/%Y"))
    main.get_by_label("Người ký").fill("Nguyễn Văn Ký")
    main.get_by_role("button", name="Ban hành quyết định").click()
    assert "Quyết định số 21-QĐ/HĐTN" in page.locator("h1").inner_text()
    assert "Được công nhận" in main.locator("table").inner_text()
    assert Registration.objects.get().status == Registration.Status.RECOGNISED
