"""The secretary's aids on a phone (issue 15): a count that stays in view and follows the rows,
"chỉ hiện người chưa nhập", and "đặt cho người chưa nhập", which saves each unset row through
its own inline save (so every row's checks apply) and leaves the rows already set alone."""

import pytest
from playwright.sync_api import expect

from evaluations.models import Assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretary_sets_the_unset_rows_at_once_and_filters_to_them(page, browser_login, tree, users, period):
    page.on("dialog", lambda dialog: dialog.accept())
    browser_login(users.secretary)
    page.goto(f"{page.base_url}/danh-gia/dot/{period.pk}/don-vi/{tree.branch.code}/")
    main = page.locator("main")
    rows, progress = main.locator('[data-testid="member-row"]'), main.get_by_test_id("progress")
    expect(rows).to_have_count(3)
    expect(progress).to_have_text("0/3")
    first = rows.nth(0)
    first.get_by_role("combobox").select_option("HTXSNV")
    expect(first.locator(".save-status")).to_contain_text("Đã lưu")
    expect(progress).to_have_text("1/3")

    main.get_by_test_id("only-unset").check()
    expect(first).to_be_hidden()
    expect(rows.nth(1)).to_be_visible()

    main.get_by_label("Mức đề xuất cho những người chưa nhập").select_option("HTNV")
    main.get_by_test_id("set-all").click()
    for i in (1, 2):
        expect(rows.nth(i).locator(".save-status")).to_contain_text("Đã lưu")
    expect(progress).to_have_text("3/3")
    expect(rows.nth(1)).to_be_hidden()  # set now: the filter hides it too
    first_name = first.locator("strong").inner_text()
    levels = dict(Assessment.objects.filter(member__isnull=False).values_list("member__full_name", "proposed_level"))
    assert levels == {m.full_name: "HTXSNV" if m.full_name == first_name else "HTNV" for m in tree.members}
    assert main.locator(".entry-bar").evaluate("e => getComputedStyle(e).position") == "sticky"
    page.goto("about:blank")  # no request left in flight on the live server when the test database goes
