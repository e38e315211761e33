"""In Chromium at phone width: the report page's "Gửi cấp trên", then the return and its decision."""

import pytest

from reports.returns.models import Return

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_send_up_read_and_send_back_at_phone_width(done_job, users, browser_login):
    from reports.returns import services

    page = browser_login(users.province_staff)
    page.goto(f"{page.base_url}/bao-cao/{done_job.pk}/")
    page.get_by_role("button", name="Gửi cấp trên").click()
    page.wait_for_url("**/gui-cap-tren/*/")
    # the header's badge (the versions table below repeats each version's)
    assert page.locator("[data-testid=return-status]").first.inner_text() == "Chờ tiếp nhận"
    assert "bản số 1" in page.locator("h1").inner_text() and _no_sideways_scroll(page)
    ret = Return.objects.get()
    second = services.submit(job=done_job, by=users.province_staff)
    page.goto(f"{page.base_url}/gui-cap-tren/{ret.pk}/so-sanh/{second.pk}/")
    assert "Số liệu hai bản giống nhau" in page.locator("[data-testid=summary]").inner_text()
    assert _no_sideways_scroll(page)
    page.goto(f"{page.base_url}/gui-cap-tren/nhan/{done_job.root.code}/?kind=ratings&year=2025")
    assert page.locator("[data-testid=received]").is_visible() and _no_sideways_scroll(page)
