"""At 375 px (the narrowest phones officers use), issue 15: the PDF panels (ask for the PDF, see
its progress, the download link appears, the file downloads) with a real Celery worker in the
test process, and a chi đoàn cơ sở's own pages (its rating page, its member list) with no
sideways scroll."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.urls import reverse

import evaluations.recognition.tasks  # noqa: F401 - the worker knows the tasks before a request imports them
import evaluations.tasks  # noqa: F401
from evaluations.recognition.models import RenderedDocument
from organizations.models import Post
from tests.browser.test_phone_width import OVERFLOWING
from tests.evaluations.conftest import MINUTES, fill, make_period
from tests.factories import make_user
from tests.grassroots import make_grassroots_branch
from tests.recognition.conftest import campaign, district_staff, flow, year  # noqa: F401

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]
NARROW = {"width": 375, "height": 812}


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _fits(page, what: str) -> None:
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= NARROW["width"] + 1, f"{what} is {wide}px wide; past the edge: {page.evaluate(OVERFLOWING)}"


def _ask_and_download(page, celery_app, url: str, stem: str) -> None:
    """Open ``url``, press the panel's button, watch it work, download the PDF."""
    page.set_viewport_size(NARROW)
    with start_worker(celery_app, perform_ping_check=False, pool="solo", loglevel="WARNING", shutdown_timeout=20):
        page.goto(page.base_url + url)
        panel = page.get_by_test_id("pdf-panel")
        _fits(page, url)
        panel.get_by_role("button", name="Tạo bản PDF").click()
        page.wait_for_load_state()
        # Queued or rendering: the panel says so and polls; then the link appears in place.
        panel = page.get_by_test_id("pdf-panel")
        assert "Tải PDF" in panel.inner_text() or panel.get_by_role("status").count() == 1
        link = page.get_by_test_id("pdf-download")
        link.wait_for(timeout=60000)
    _fits(page, url + " (PDF ready)")
    assert "trang · tạo lúc" in page.get_by_test_id("pdf-panel").inner_text()
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith(stem) and download.value.suggested_filename.endswith(".pdf")


def test_the_secretary_gets_the_meeting_minutes_pdf_on_a_phone(celery_app, tree, users, browser_login, page):
    from evaluations import services

    period = make_period(tree)
    fill(period, tree.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])
    services.submission_submit(period=period, unit=tree.branch, by=users.secretary, minutes=MINUTES)
    browser_login(users.secretary)
    url = reverse("evaluations:unit", args=[period.pk, tree.branch.code])
    _ask_and_download(page, celery_app, url, "bien-ban-hop-xep-loai-2026-")


def test_the_district_gets_the_recognition_decision_pdf_on_a_phone(celery_app, flow, users, browser_login, page):  # noqa: F811
    _, decision = flow.decided()
    assert not RenderedDocument.objects.exists()
    browser_login(users.district_approver)
    _ask_and_download(page, celery_app, reverse("recognition:decision", args=[decision.pk]), "quyet-dinh-3-chu-dong-")


def test_a_chi_doan_co_so_s_pages_fit_a_phone(tree, users, browser_login, page):
    unit = make_grassroots_branch(tree.district, "T1-H1-CDCS1", "Chi đoàn cơ sở Bệnh viện Đa khoa huyện Đại Từ")
    secretary = make_user("bithu.cdcs", Post.Role.SECRETARY, unit)
    period = make_period(tree)
    fill(period, unit, secretary, ["HTXSNV", "HTTNV", "HTTNV", "HTNV", "KHTNV"])
    browser_login(secretary)
    page.set_viewport_size(NARROW)
    for url in (
        reverse("evaluations:unit", args=[period.pk, unit.code]),
        reverse("members:unit", args=[unit.code]),
        reverse("organizations:detail", args=[unit.code]),
    ):
        response = page.goto(page.base_url + url)
        assert response.status == 200, url
        assert unit.name in page.content()
        _fits(page, url)
