"""In Chromium at phone width: upload, watch the check, read the preview, confirm, watch the write.

No worker runs here: the page's own polling is what is under test, so the test plays the worker
and runs each queued step in this process (the same task functions) once the page shows it
waiting. A real worker runs the same steps in test_import_worker.py."""

import pytest

from members import tasks
from members.models import ImportJob, Member

from .conftest import member_row

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _run_queued(page, task, status_shown):
    page.locator("[data-testid=job-status]", has_text=status_shown).wait_for()
    task(ImportJob.objects.latest("pk").pk)


def test_a_secretary_uploads_previews_and_confirms_an_import(tree, users, browser_login, members_xlsx):
    good = members_xlsx([member_row(), member_row(name="Hà Thị Thu", gender="Nữ", cccd="079200000002")])
    bad = members_xlsx([member_row(cccd="123")])
    page = browser_login(users.secretary)
    main = page.locator("main")

    page.goto(f"{page.base_url}/doan-vien/nhap-excel/")
    page.set_input_files("input[name=file]", str(bad))
    main.get_by_role("button", name="Tải lên và kiểm tra").click()
    _run_queued(page, tasks.check_import, "Chờ kiểm tra")
    errors = page.locator("[data-testid=errors]")
    errors.wait_for()  # the polling fragment reloads the page once the check is done
    assert "Số CCCD" in errors.inner_text() and "12 chữ số" in errors.inner_text()
    assert main.get_by_role("button", name="Xác nhận nhập").count() == 0

    main.get_by_role("link", name="Tải tệp khác").click()
    assert main.locator("[data-testid=import-jobs]").get_by_text("Đã kiểm tra").count() == 1
    page.set_input_files("input[name=file]", str(good))
    main.get_by_role("button", name="Tải lên và kiểm tra").click()
    _run_queued(page, tasks.check_import, "Chờ kiểm tra")
    summary = page.locator("[data-testid=summary]")
    summary.wait_for()
    assert "2 dòng mới" in summary.inner_text()
    assert Member.objects.filter(branch=tree.branch).count() == 3
    main.get_by_role("button", name="Xác nhận nhập").click()
    _run_queued(page, tasks.write_import, "Chờ ghi")
    page.locator("[data-testid=summary]", has_text="Đã nhập").wait_for()
    assert "Đã nhập 2 mới, 0 cập nhật" in page.locator("[data-testid=summary]").inner_text()
    assert Member.objects.filter(branch=tree.branch).count() == 5
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")  # phone width
    # the roster shows the new member, found without diacritics
    main.get_by_role("link", name="Xem danh sách đoàn viên").click()
    page.goto(f"{page.base_url}/doan-vien/don-vi/{tree.branch.code}/?q=ha+thi+thu")
    assert main.get_by_role("link", name="Hà Thị Thu").count() == 1
