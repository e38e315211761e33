"""An approver reads a batch's flag on the queue and dismisses it, in a real browser at phone width."""

import pytest
from playwright.sync_api import expect

from evaluations.models import FlagDismissal

from .test_integrity import new_branch, reported

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_approver_dismisses_a_flag_on_a_phone(page, browser_login, tree, users, period):
    batch = reported(period, new_branch(tree.grassroots, "T1-H1-CS1-CD9", 12), ["HTTNV"] * 12)
    browser_login(users.grassroots_approver)
    page.goto(f"{page.base_url}/danh-gia/dot/{period.pk}/cho-duyet/")
    flags = page.get_by_label("Dấu hiệu cần xem lại")
    expect(flags).to_contain_text("Cả 12 đoàn viên của Chi đoàn T1-H1-CS1-CD9 cùng một mức HTTNV")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    flags.get_by_text("Bỏ qua dấu hiệu này").click()
    flags.get_by_label("Lý do bỏ qua").fill("Đã họp kiểm tra: cả chi đoàn đều tốt")
    flags.get_by_role("button", name="Bỏ qua").click()
    expect(page.get_by_label("Dấu hiệu cần xem lại")).to_contain_text("Đã bỏ qua bởi duyet.coso")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert FlagDismissal.objects.get(submission=batch).reason == "Đã họp kiểm tra: cả chi đoàn đều tốt"
    page.goto("about:blank")  # no request left in flight on the live server when the test database goes
