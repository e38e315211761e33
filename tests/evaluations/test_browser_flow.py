"""One real-browser walk: the secretary enters and submits, the cơ sở approves, the result is locked."""

import re

import pytest
from playwright.sync_api import expect

from evaluations.models import Assessment, Status

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_submits_and_grassroots_approves(page, browser_login, tree, users, period):
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(users.secretary)
    page.goto(f"{page.base_url}/danh-gia/")
    page.locator("main").get_by_role("link", name=re.compile("Nhập xếp loại")).click()
    main = page.locator("main")
    rows = main.locator('[data-testid="member-row"]')
    expect(rows).to_have_count(3)
    for i, level in enumerate(["HTXSNV", "HTTNV", "HTNV"]):
        row = rows.nth(i)
        row.get_by_role("textbox", name=re.compile("Tỷ lệ tham gia")).fill("95")
        row.get_by_role("textbox", name=re.compile("Tỷ lệ tham gia")).press("Tab")
        row.get_by_role("combobox").select_option(level)
        expect(row.locator(".save-status")).to_contain_text("Đã lưu")
    own = main.locator('[data-testid="own-row"]')
    own.get_by_role("combobox").select_option("HTTNV")
    expect(own.locator(".save-status")).to_contain_text("Đã lưu")
    main.get_by_label("Ngày họp").fill("20/10/2026")
    main.get_by_label("Số có mặt").fill("3")
    main.get_by_role("button", name="Gửi cấp trên").click()
    expect(main).to_contain_text("Đã gửi, chờ duyệt")
    expect(rows.first.get_by_role("combobox")).to_be_disabled()

    page.context.clear_cookies()
    browser_login(users.grassroots_approver)
    page.goto(f"{page.base_url}/danh-gia/")
    page.locator("main").get_by_role("link", name=re.compile("Chờ duyệt")).click()
    page.locator("main").get_by_role("link", name=tree.branch.name).click()
    expect(page.locator("main")).to_contain_text("0/1 suất")
    page.locator("main").get_by_label("Số quyết định").fill("15/QĐ-ĐTN")
    page.locator("main").get_by_role("button", name="Công nhận tất cả").click()
    expect(page.locator("main")).to_contain_text("Đã công nhận 4 phiếu")
    expect(page.locator("main")).to_contain_text("1/1 suất")

    page.context.clear_cookies()
    browser_login(users.secretary)
    page.goto(f"{page.base_url}/danh-gia/dot/{period.pk}/don-vi/{tree.branch.code}/")
    statuses = page.locator("main").locator('[data-testid="member-row"] [data-testid="status"]')
    expect(statuses).to_have_count(3)
    for i in range(3):
        expect(statuses.nth(i)).to_contain_text("Đã công nhận")
        expect(statuses.nth(i).locator(".bi-lock-fill")).to_have_count(1)
    expect(page.locator("main").locator('[data-testid="member-row"]').first.get_by_role("combobox")).to_be_disabled()
    assert set(Assessment.objects.values_list("status", flat=True)) == {Status.APPROVED}
    page.goto("about:blank")  # no request left in flight on the live server when the test database goes
