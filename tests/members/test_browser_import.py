import pytest

from members.models import Member

from .conftest import member_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_secretary_uploads_previews_and_confirms_an_import(tree, users, browser_login, members_xlsx):
    good = members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])
    bad = members_xlsx([member_row(cccd="123")])
    page = browser_login(users.secretary)
    main = page.locator("main")

    page.goto(f"{page.base_url}/doan-vien/nhap-excel/")
    page.set_input_files("input[name=file]", str(bad))
    main.get_by_role("button", name="Tải lên và kiểm tra").click()
    errors = page.locator("[data-testid=errors]")
    assert "Số CCCD" in errors.inner_text() and "12 chữ số" in errors.inner_text()
    assert main.get_by_role("button", name="Xác nhận nhập").count() == 0

    main.get_by_role("link", name="Tải tệp khác").click()
    page.set_input_files("input[name=file]", str(good))
    main.get_by_role("button", name="Tải lên và kiểm tra").click()
    assert "2 dòng mới" in page.locator("[data-testid=summary]").inner_text()
    assert Member.objects.filter(branch=tree.branch).count() == 3
    main.get_by_role("button", name="Xác nhận nhập").click()
    assert "Đã nhập" in main.inner_text()
    assert Member.objects.filter(branch=tree.branch).count() == 5
    # the roster shows the new member, found without diacritics
    page.goto(f"{page.base_url}/doan-vien/don-vi/{tree.branch.code}/?q=ha+thi+thu")
    assert main.get_by_role("link", name="Hà Thị Thu").count() == 1
