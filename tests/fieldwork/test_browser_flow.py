"""One real-browser walk of the "1+2" workflow: plan → merge → forward → approve → report.

Assertions read the page only: an ORM query made while Playwright's loop runs in this thread
opens a connection of its own that outlives the test (and blocks dropping the PostgreSQL test
database)."""

import pytest

from .helpers import YEAR

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _as(page, browser_login, user):
    page.context.clear_cookies()
    browser_login(user)
    page.goto(f"{page.base_url}/di-co-so/?nam={YEAR}")
    return page.locator("main")


def test_plan_merge_approve_report(fw, users, page, browser_login):
    main = _as(page, browser_login, fw.staff)
    main.locator("select[name=quarter]").select_option("1")
    main.get_by_role("button", name="Lập kế hoạch quý").click()
    page.fill("#id_target", "T1-H1-CS1-CD1")
    page.select_option("#id_content", "meeting")
    page.fill("#id_starts_on", f"12/01/{YEAR}")
    page.fill("#id_ends_on", f"13/01/{YEAR}")
    page.fill("#id_days", "2")
    page.fill("#id_purpose", "Dự sinh hoạt chi đoàn tháng 1")
    main.get_by_role("button", name="Thêm vào kế hoạch").click()
    assert main.get_by_role("link", name="Chi đoàn thôn Đồng Tâm").count() == 1
    main.get_by_role("button", name="Đăng ký kế hoạch với trưởng ban").click()
    assert page.locator("[data-testid=plan-status]").inner_text() == "Đã đăng ký với trưởng ban"

    main = _as(page, browser_login, fw.head)
    main.get_by_role("link", name="Ban Phong trào").first.click()
    main.get_by_role("link", name="Quý 1").click()
    main.get_by_role("button", name="Tổng hợp và đăng ký kế hoạch của ban").click()
    assert page.locator("[data-testid=department-plan-status]").inner_text() == "Đã gửi Ban Tổ chức"

    main = _as(page, browser_login, fw.org_head)
    main.get_by_role("link", name=f"Kế hoạch quý 1/{YEAR} — Ban Phong trào").click()
    main.get_by_role("button", name="Trình Thường trực").click()
    assert page.locator("[data-testid=department-plan-status]").inner_text() == "Đã trình Thường trực"

    main = _as(page, browser_login, users.province_approver)
    main.get_by_role("link", name=f"Kế hoạch quý 1/{YEAR} — Ban Phong trào").click()
    main.get_by_role("button", name="Phê duyệt").click()
    assert page.locator("[data-testid=department-plan-status]").inner_text() == "Đã phê duyệt"

    main = _as(page, browser_login, fw.staff)
    main.get_by_role("link", name="Kế hoạch quý 1", exact=True).click()
    main.get_by_role("link", name="Chi đoàn thôn Đồng Tâm").click()
    page.fill("#id_results", "Dự sinh hoạt, góp ý kế hoạch tháng 2")
    page.fill("#id_days_spent", "2")
    main.get_by_role("button", name="Gửi báo cáo").click()
    assert "Dự sinh hoạt, góp ý kế hoạch tháng 2" in page.locator("[data-testid=visit-report]").inner_text()
    assert "Số ngày thực tế: 2" in page.locator("[data-testid=visit-report]").inner_text()
    page.goto(f"{page.base_url}/di-co-so/?nam={YEAR}")
    assert "2/60 ngày" in page.locator("[data-testid=my-progress]").inner_text()
