"""In Chromium at phone width: request a report, watch the bar, then read the result."""

import pytest

from reports.models import ReportJob
from reports.services import run_job

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_page_polls_progress_then_shows_the_result(ratings, users, browser_login, celery_app):
    page = browser_login(users.province_staff)
    page.goto(f"{page.base_url}/bao-cao/")
    main = page.locator("main")
    main.get_by_label("Đơn vị").fill("T1")
    main.locator("#id_year").fill("2025")
    main.get_by_role("button", name="Lập báo cáo").click()
    page.wait_for_url("**/bao-cao/*/")
    assert page.locator("[data-testid=job-status]").inner_text() == "Đang chờ"
    # No worker in this test: the job is run here, and the polling page notices on its own.
    run_job(job_id=ReportJob.objects.get().pk)
    narrative = page.locator("[data-testid=narrative]").first
    narrative.wait_for(timeout=10000)
    paragraphs = page.locator("[data-testid=narrative]").all_inner_texts()
    assert paragraphs[0].startswith("Số liệu tính đến ngày")  # the reference date opens the text
    assert "1/3 chi đoàn được công nhận hoàn thành xuất sắc nhiệm vụ, đạt tỷ lệ 33,3%" in " ".join(paragraphs)
    assert page.locator("svg.report-chart").count() == 2
    assert page.locator("[data-testid=job-status]").inner_text() == "Đã xong"
    assert main.get_by_role("link", name="Tải Excel").is_visible()
    # phone width: the page itself never scrolls sideways (wide tables scroll in their own box)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
