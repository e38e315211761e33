"""Đổi mức inline in the review table, in a real browser at phone width (390 px)."""

import os

import pytest
from playwright.sync_api import expect

from evaluations.models import Assessment

from .conftest import fill_and_submit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_approver_changes_a_level_in_the_table_on_a_phone(page, browser_login, tree, users, period):
    submission = fill_and_submit(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])
    target = Assessment.objects.get(member__in=tree.members, proposed_level="HTTNV")
    browser_login(users.grassroots_approver)
    page.goto(f"{page.base_url}/danh-gia/ho-so/{submission.pk}/")
    row = page.locator(f"#row-{target.pk}")
    row.get_by_text("Đổi mức").click()
    # refused first: no reason, the row says why and keeps the control open
    row.get_by_label(f"Lý do — {target.member.full_name}").fill(" ")
    row.get_by_role("button", name="Lưu mức mới").click()
    row = page.locator(f"#row-{target.pk}")
    expect(row.get_by_role("alert")).to_contain_text("Lý do: Trường này là bắt buộc")
    row.get_by_label(f"Mức mới — {target.member.full_name}").select_option("HTXSNV")
    row.get_by_label(f"Lý do — {target.member.full_name}").fill("Thành tích nổi bật")
    row.get_by_role("button", name="Lưu mức mới").click()
    expect(page.locator(f"#row-{target.pk}")).to_contain_text("Đã đổi mức")
    expect(page.locator(f"#row-{target.pk} td").nth(5)).to_contain_text("HTXSNV")
    # the page itself never scrolls sideways at phone width (the table scrolls inside its box)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if os.environ.get("DOANHUB_SCREENSHOTS"):
        page.screenshot(path=os.environ["DOANHUB_SCREENSHOTS"] + "/review-inline.png", full_page=True)
    target.refresh_from_db()
    assert target.final_level == "HTXSNV"
    page.goto("about:blank")  # no request left in flight on the live server when the test database goes
