"""In a browser at phone width: the cơ sở returns a batch with a reason; the chi đoàn secretary
finds it in the home page's inbox with that reason and opens the batch from it."""

import pytest
from playwright.sync_api import expect

from tests.evaluations.conftest import fill_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_returned_batch_reaches_the_secretarys_inbox_with_its_reason(page, browser_login, tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    browser_login(users.grassroots_approver)
    page.goto(f"{page.base_url}/danh-gia/ho-so/{submission.pk}/")
    main = page.locator("main")
    main.get_by_text("Trả lại đơn vị").click()
    form = main.locator(f'form[action="/danh-gia/ho-so/{submission.pk}/tra-lai/"]')
    form.get_by_label("Lý do").fill("Biên bản họp thiếu chữ ký")
    form.get_by_role("button", name="Trả lại").click()
    expect(main).not_to_contain_text("Trả lại đơn vị")

    page.context.clear_cookies()
    browser_login(users.secretary)
    item = page.locator("main").get_by_role("link", name=f"Hồ sơ xếp loại 2026 của {tree.branch.name} bị trả lại")
    expect(item).to_contain_text("Lý do: Biên bản họp thiếu chữ ký")
    item.click()
    page.wait_for_url(f"{page.base_url}/danh-gia/dot/{period.pk}/don-vi/{tree.branch.code}/")
    page.goto("about:blank")  # no request left in flight on the live server when the test database goes
