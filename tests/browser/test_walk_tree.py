import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_district_officer_logs_in_and_walks_down_the_tree(tree, users, browser_login):
    page = browser_login(users.district_approver)
    assert "Huyện đoàn Đại Từ" in page.content()
    main = page.locator("main")
    main.get_by_role("link", name="Huyện đoàn Đại Từ").click()
    main.get_by_role("link", name="Đoàn xã Hùng Sơn").click()
    main.get_by_role("link", name="Chi đoàn thôn Đồng Tâm").click()
    assert page.locator("h1").inner_text() == "Chi đoàn thôn Đồng Tâm"
    crumbs = page.locator(".breadcrumb").inner_text()
    assert "Huyện đoàn Đại Từ" in crumbs and "Tỉnh đoàn" not in crumbs  # never above their own root
    assert page.locator("[data-testid=members-total]").inner_text() == "3"
    # searching without diacritics finds the unit
    page.goto(f"{page.base_url}/don-vi/tim-kiem/?q=dong+tam")
    assert page.locator(".list-group-item", has_text="Chi đoàn thôn Đồng Tâm").count() == 1
