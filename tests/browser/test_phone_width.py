"""Every page works on a phone-width screen: at 390 × 844 no page scrolls sideways; and the main
pages of each role pass axe-core's WCAG 2.1 A/AA rules at desk and phone width.

Wide tables may scroll inside their ``.table-responsive`` box; the document itself must not. Each
page is opened by a person who uses it, logged in once per role. The data (the shared tree plus a
rating batch, a "3 chủ động" registration, a fieldwork plan, an import and a report) are built
once for the module — rebuilding them and a browser for each of ~80 pages would take minutes."""

import os
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test.utils import override_settings

from evaluations.recognition import services as recognition
from fieldwork import services as fieldwork
from members.models import ImportJob
from organizations.models import Post
from reports.models import ReportJob
from reports.services import run_job
from tests.conftest import CHROMIUM, SEED_MIGRATIONS, build_tree, build_users
from tests.evaluations.conftest import fill, fill_and_submit, make_period
from tests.factories import PASSWORD, make_user
from tests.fieldwork.conftest import make_fw
from tests.fieldwork.helpers import add_visit, approve_quarter, d
from tests.recognition.conftest import all_met, plans_for

# ``django_db`` (not transactional) gets the test database set up; each test's transaction is
# only a guard: the data are committed before the tests, by ``site``.
pytestmark = [pytest.mark.browser, pytest.mark.django_db]

PHONE = {"width": 390, "height": 844}
DESK = {"width": 1280, "height": 900}

# (role, page). ``{…}`` names an object of the module's data (``Site.ids``); ``anonymous`` is
# nobody logged in. Roles are those of tests/conftest.py ``users``.
PAGES = [
    ("anonymous", "/dang-nhap/"),
    # the chi đoàn secretary
    ("secretary", "/"),
    ("secretary", "/doi-mat-khau/"),
    ("secretary", "/don-vi/"),
    ("secretary", "/don-vi/T1-H1-CS1-CD1/"),
    ("secretary", "/don-vi/tim-kiem/?q=dong+tam"),
    ("secretary", "/doan-vien/"),
    ("secretary", "/doan-vien/don-vi/T1-H1-CS1-CD1/"),
    ("secretary", "/doan-vien/don-vi/T1-H1-CS1-CD1/them/"),
    ("secretary", "/doan-vien/don-vi/T1-H1-CS1-CD1/ket-nap/"),
    ("secretary", "/doan-vien/{member}/"),
    ("secretary", "/doan-vien/{member}/sua/"),
    ("secretary", "/doan-vien/{member}/chuyen-di/"),
    ("secretary", "/doan-vien/{member}/truong-thanh/"),
    ("secretary", "/doan-vien/chuyen-sinh-hoat/"),
    ("secretary", "/danh-gia/"),
    ("secretary", "/danh-gia/dot/{period}/don-vi/T1-H1-CS1-CD1/"),
    ("secretary", "/3-chu-dong/"),
    # the đoàn cơ sở (its secretary registers for "3 chủ động"; its standing office approves)
    ("school_secretary", "/3-chu-dong/dot/{campaign}/dang-ky/T1-CS2/"),
    ("grassroots_secretary", "/danh-gia/dot/{period}/don-vi/T1-H1-CS1-CD2/"),
    ("grassroots_approver", "/"),
    ("grassroots_approver", "/don-vi/T1-H1-CS1/"),
    ("grassroots_approver", "/doan-vien/don-vi/T1-H1-CS1/"),
    ("grassroots_approver", "/doan-vien/don-vi/T1-H1-CS1/can-bo-qua-tuoi/"),
    ("grassroots_approver", "/doan-vien/nhap-excel/"),
    ("grassroots_approver", "/doan-vien/nhap-excel/{import_job}/"),
    ("grassroots_approver", "/danh-gia/"),
    ("grassroots_approver", "/danh-gia/dot/{period}/"),
    ("grassroots_approver", "/danh-gia/dot/{period}/cho-duyet/"),
    ("grassroots_approver", "/danh-gia/dot/{period}/don-vi/T1-H1-CS1/"),
    ("grassroots_approver", "/danh-gia/ho-so/{submission}/"),
    ("grassroots_approver", "/danh-gia/phieu/{assessment}/"),
    ("grassroots_approver", "/3-chu-dong/dang-ky/{registration}/"),
    # the district
    ("district_approver", "/"),
    ("district_approver", "/don-vi/T1-H1/"),
    ("district_approver", "/doan-vien/don-vi/T1-H1/"),
    ("district_approver", "/danh-gia/dot/{period}/cho-duyet/"),
    ("district_approver", "/3-chu-dong/"),
    ("district_approver", "/3-chu-dong/dot/{campaign}/"),
    ("district_approver", "/3-chu-dong/dot/{campaign}/bang/T1-H1/"),
    ("district_approver", "/3-chu-dong/dot/{campaign}/quyet-dinh/T1-H1/"),
    ("district_approver", "/3-chu-dong/dang-ky/{registration}/"),
    ("district_approver", "/3-chu-dong/dang-ky/{registration}/danh-gia/"),
    ("district_approver", "/3-chu-dong/quyet-dinh/{decision}/"),
    ("district_approver", "/3-chu-dong/tuyen-duong/T1-H1/"),
    # the province: staff, standing office, administrator
    ("province_staff", "/"),
    ("province_staff", "/di-co-so/?nam={year}"),
    ("province_staff", "/di-co-so/ke-hoach/{plan}/"),
    ("province_staff", "/di-co-so/chuyen-di/{visit}/"),
    ("province_staff", "/di-co-so/de-xuat/?nam={year}"),
    ("province_staff", "/di-co-so/bao-cao-quy/{year}/1/"),
    ("province_staff", "/bao-cao/"),
    ("province_staff", "/bao-cao/{report_job}/"),
    ("province_approver", "/"),
    ("province_approver", "/don-vi/T1/"),
    ("province_approver", "/doan-vien/don-vi/T1/"),
    ("province_approver", "/danh-gia/dot/{period}/"),
    ("province_approver", "/3-chu-dong/dot/{campaign}/bang/T1/"),
    ("province_approver", "/3-chu-dong/dot/{campaign}/kiem-tra/"),
    ("province_approver", "/3-chu-dong/tuyen-duong/T1/"),
    ("province_approver", "/di-co-so/?nam={year}"),
    ("province_approver", "/di-co-so/ban/{department}/"),
    ("province_approver", "/di-co-so/ke-hoach-ban/{department_plan}/"),
    ("province_approver", "/di-co-so/de-xuat/cho-duyet/"),
    ("province_approver", "/di-co-so/don-vi/T1-H1-CS1/"),
    ("province_approver", "/di-co-so/tong-ket/T1/"),
    ("province_admin", "/don-vi/nguoi-dung/"),
    ("province_admin", "/don-vi/nguoi-dung/tao/"),
    ("province_admin", "/don-vi/nguoi-dung/{secretary_user}/"),
    ("province_admin", "/don-vi/T1-H1/thanh-lap/"),
    ("province_admin", "/don-vi/T1-H1-CS1/sua/"),
    ("province_admin", "/don-vi/T1-H1-CS1/chuyen/"),
    ("province_admin", "/don-vi/T1-H1-CS1/hop-nhat/"),
    ("province_admin", "/don-vi/T1-H1-CS1/giai-the/"),
    ("province_admin", "/danh-gia/dot/moi/"),
    ("province_admin", "/danh-gia/dot/{period}/sua/"),
    ("province_admin", "/danh-gia/dot/{period}/quy-dinh/moi/"),
    ("province_admin", "/danh-gia/dot/{period}/quy-dinh/{policy}/"),
    ("province_admin", "/danh-gia/dot/{period}/quy-dinh/{policy}/tieu-chi/"),
    ("province_admin", "/3-chu-dong/dot/tao/"),
    ("province_admin", "/3-chu-dong/dot/{campaign}/tieu-chi/them/"),
    ("province_admin", "/3-chu-dong/dot/{campaign}/tieu-chi/1/"),
    ("province_admin", "/di-co-so/thiet-lap/T1/"),
]

# The elements reaching past the right edge that no scrolling box holds: what to fix.
OVERFLOWING = """() => {
  const w = window.innerWidth;
  const scrolls = el => el.closest('.table-responsive, .overflow-auto, .overflow-x-auto, pre');
  return [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > w + 1 && !scrolls(el.parentElement || el))
    .slice(0, 8)
    .map(el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
         (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') +
         ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
}"""


def _data(t, users) -> dict:
    """The objects the pages show: each page's ``{…}`` ids."""
    period = make_period(t)
    submission = fill_and_submit(period, t.branch, users.secretary, ["HTXSNV", "HTTNV", "HTNV"])
    fill(period, t.branch2, users.grassroots_secretary, ["HTTNV", "HTNV"])
    campaign = recognition.campaign_create(province=t.province, year=date.today().year + 1, by=users.province_approver)
    reg = recognition.registration_save(
        campaign=campaign, organization=t.grassroots, plans=plans_for(campaign), by=users.grassroots_secretary
    )
    reg = recognition.registration_submit(registration=reg, by=users.grassroots_secretary)
    reg = recognition.cadre_assign(registration=reg, cadre=users.district_approver, by=users.district_approver)
    reg = recognition.evaluation_save(registration=reg, scores=all_met(campaign), by=users.district_approver)
    decision = recognition.decision_issue(
        campaign=campaign,
        issued_by=t.district,
        number="12-QĐ/HĐTN",
        signed_on=date.today() - timedelta(days=1),
        signer="Bí thư Huyện đoàn",
        by=users.district_approver,
        outcomes=[recognition.Outcome(registration=reg, recognised=True, reason="")],
    )
    # a đoàn cơ sở with no registration yet, whose secretary opens the registration form
    users.school_secretary = make_user("bithu.truong", Post.Role.SECRETARY, t.direct)
    fw = make_fw(t, users)
    plan = fieldwork.plan_create(assignment=fw.assignment, quarter=1, by=fw.staff)
    visit = add_visit(plan, t.grassroots, start=d(2, 10), days=2)
    fieldwork.plan_submit(plan=plan, by=fw.staff)
    approve_quarter(fw, users, 1)
    import_job = ImportJob.objects.create(
        kind="members",
        file_name="danh-sach-doan-vien-xa-hung-son-thang-10-2026.xlsx",
        requested_by=users.grassroots_approver,
        status=ImportJob.Status.CHECKED,
        rows_total=3,
        error_count=2,
        errors=[[2, "Số CCCD", "Số CCCD phải gồm đúng 12 chữ số."], [3, "Ngày sinh", "Ngày sinh không hợp lệ."]],
    )
    report_job = ReportJob.objects.create(
        kind="ratings", root=t.province, year=2026, requested_by=users.province_staff, params={"years": [2026]}
    )
    run_job(job_id=report_job.pk)
    return {
        "member": t.members[0].pk,
        "period": period.pk,
        "policy": period.policies.get().pk,
        "submission": submission.pk,
        "assessment": submission.assessments.filter(member__isnull=False).first().pk,
        "campaign": campaign.pk,
        "registration": reg.pk,
        "decision": decision.pk,
        "plan": plan.pk,
        "visit": visit.pk,
        "department": fw.dept.pk,
        "department_plan": fw.dept.plans.get().pk,
        "year": fw.year,
        "import_job": import_job.pk,
        "report_job": report_job.pk,
        "secretary_user": users.secretary.pk,
    }


def _seed_levels() -> None:
    # as tests/conftest.py ``_migration_rows``: a flush before this module took the levels away
    from importlib import import_module

    from django.apps import apps

    from organizations.models import Level

    if not Level.objects.exists():
        for module in SEED_MIGRATIONS:
            import_module(module).forwards(apps, None)


@pytest.fixture(scope="module")
def site(django_db_setup, django_db_blocker, tmp_path_factory):
    """The data, a live server and a Chromium for the whole module. The database is emptied
    after it (as a transactional test's flush would), so the tests that follow start clean."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("DOANHUB_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here: apt-get install chromium chromium-driver")
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright
    from pytest_django.live_server_helper import LiveServer

    from tests.factories import MemberFactory

    quick = override_settings(
        MEDIA_ROOT=tmp_path_factory.mktemp("media"),
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
    )
    with django_db_blocker.unblock(), quick:
        server = None
        try:
            _seed_levels()
            MemberFactory.reset_sequence()
            tree = build_tree()
            users = build_users(tree)
            ids = _data(tree, users)
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # see tests/conftest.py ``page``
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                site = SimpleNamespace(url=server.url, users=users, ids=ids, browser=browser)
                # logged in before any test opens its transaction: on SQLite the server shares the
                # test's connection, and a session saved inside a test would be rolled back with it
                site.pages = {role: _logged_in(site, role) for role in dict(PAGES)}
                yield site
                browser.close()
        finally:
            if server:
                server._live_server_modified_settings.disable()
                server.stop()
            call_command("flush", interactive=False, verbosity=0)


def _logged_in(site, role):
    """One browser context per role, logged in through the form, as a person would."""
    page = site.browser.new_context(viewport=PHONE, locale="vi-VN").new_page()
    page.set_default_timeout(15000)
    if role != "anonymous":
        page.goto(f"{site.url}/dang-nhap/")
        page.fill("input[name=username]", getattr(site.users, role).username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{site.url}/")
    return page


@pytest.mark.parametrize(("role", "path"), PAGES, ids=[f"{role}:{path}" for role, path in PAGES])
def test_the_page_does_not_scroll_sideways_on_a_phone(site, role, path):
    page = site.pages[role]
    response = page.goto(site.url + path.format(**site.ids))
    assert response.status == 200, f"{role} cannot open {path}: HTTP {response.status}"
    assert page.url.startswith(site.url + path.format(**site.ids).split("?")[0])  # not sent elsewhere
    if os.environ.get("DOANHUB_SCREENSHOTS"):
        name = f"{role}{path}".strip("/").replace("/", "_").replace("?", "_").replace("{", "").replace("}", "")
        page.screenshot(path=f"{os.environ['DOANHUB_SCREENSHOTS']}/{name}.png", full_page=True)
    wide = page.evaluate("document.documentElement.scrollWidth")
    assert wide <= PHONE["width"] + 1, f"{path} is {wide}px wide; past the edge: {page.evaluate(OVERFLOWING)}"


# The main pages of each role, checked with axe-core (bundled by axe-playwright-python, no network)
# against WCAG 2.0/2.1 A and AA: contrast, names of controls and links, labels, landmarks, lang.
MAIN_PAGES = [
    ("anonymous", "/dang-nhap/"),
    ("secretary", "/"),
    ("secretary", "/doan-vien/don-vi/T1-H1-CS1-CD1/"),
    ("secretary", "/doan-vien/{member}/"),
    ("secretary", "/danh-gia/dot/{period}/don-vi/T1-H1-CS1-CD1/"),
    ("grassroots_approver", "/danh-gia/dot/{period}/cho-duyet/"),
    ("grassroots_approver", "/danh-gia/ho-so/{submission}/"),
    ("district_approver", "/don-vi/T1-H1/"),
    ("district_approver", "/3-chu-dong/dot/{campaign}/bang/T1-H1/"),
    ("province_staff", "/bao-cao/"),
    ("province_staff", "/di-co-so/?nam={year}"),
    ("province_approver", "/danh-gia/dot/{period}/"),
]
WCAG_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.mark.parametrize(("role", "path"), MAIN_PAGES, ids=[f"{role}:{path}" for role, path in MAIN_PAGES])
def test_the_main_pages_pass_axe_at_wcag_aa(site, role, path):
    from axe_playwright_python.sync_playwright import Axe

    page = site.pages[role]
    for size in (DESK, PHONE):  # on a desk the menu shows (on a phone it folds away behind its button)
        page.set_viewport_size(size)
        try:
            assert page.goto(site.url + path.format(**site.ids)).status == 200
            found = Axe().run(page, options=WCAG_AA)
        finally:
            page.set_viewport_size(PHONE)
        assert found.violations_count == 0, f"at {size['width']} px: {found.generate_report()}"
