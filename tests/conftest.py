"""Fixtures every app's tests share: a small tree with two provinces and one user per role.

TW (Trung ương)
├── T1  Tỉnh đoàn A (province)         ← province_admin, province_approver, province_staff
│   ├── T1-H1 Huyện đoàn (district)    ← district_approver
│   │   └── T1-H1-CS1 Đoàn xã (cơ sở)  ← grassroots_approver, grassroots_secretary
│   │       ├── T1-H1-CS1-CD1          ← secretary (3 members)
│   │       └── T1-H1-CS1-CD2          (2 members)
│   └── T1-CS2 Đoàn trường (cơ sở trực thuộc tỉnh)
│       └── T1-CS2-BP1 Chi đoàn cơ sở (intermediate)
│           └── T1-CS2-BP1-CD1         (1 member)
└── T2  Tỉnh đoàn B                     ← outsider (secretary at T2-CS1-CD1)
    └── T2-CS1 → T2-CS1-CD1            (1 member)
"""

from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from organizations.models import Post

from .factories import PASSWORD, MemberFactory, make_unit, make_user, refresh_counts

Role = Post.Role


# Rows that data migrations write. A transactional test (browser, worker, concurrency) ends by
# flushing every table, so the tests after it would find no levels: they are put back here.
SEED_MIGRATIONS = (
    "organizations.migrations.0002_standard_levels",
    "organizations.migrations.0004_level_kind_aliases",
    "organizations.migrations.0005_grassroots_levels",
    "members.migrations.0005_cadre_age_defaults",
)


@pytest.fixture(autouse=True)
def _migration_rows(request):
    names = set(request.fixturenames)
    if request.node.get_closest_marker("django_db"):
        request.getfixturevalue("_django_db_helper")
    elif names & {"db", "transactional_db"}:
        request.getfixturevalue("db" if "db" in names else "transactional_db")
    else:
        return
    from importlib import import_module

    from django.apps import apps

    from organizations.models import Level

    if not Level.objects.exists():
        for module in SEED_MIGRATIONS:
            import_module(module).forwards(apps, None)


@pytest.fixture
def tree(db):
    return build_tree()


def build_tree():
    """The tree drawn above (a plain function: module-scoped browser tests build it once)."""
    t = SimpleNamespace()
    t.root = make_unit(None, "TW", "Trung ương Đoàn", "tw")
    t.province = make_unit(t.root, "T1", "Tỉnh đoàn Thái Nguyên", "tinh")
    t.district = make_unit(t.province, "T1-H1", "Huyện đoàn Đại Từ", "huyen")
    t.grassroots = make_unit(t.district, "T1-H1-CS1", "Đoàn xã Hùng Sơn", "co-so")
    t.branch = make_unit(t.grassroots, "T1-H1-CS1-CD1", "Chi đoàn thôn Đồng Tâm", "chi-doan")
    t.branch2 = make_unit(t.grassroots, "T1-H1-CS1-CD2", "Chi đoàn thôn Tân Lập", "chi-doan")
    t.direct = make_unit(t.province, "T1-CS2", "Đoàn trường Cao đẳng Sư phạm", "co-so")
    t.intermediate = make_unit(t.direct, "T1-CS2-BP1", "Chi đoàn cơ sở khoa Toán", "trung-gian")
    t.branch3 = make_unit(t.intermediate, "T1-CS2-BP1-CD1", "Chi đoàn lớp K20A", "chi-doan")
    t.province2 = make_unit(t.root, "T2", "Tỉnh đoàn Hưng Yên", "tinh")
    t.grassroots2 = make_unit(t.province2, "T2-CS1", "Đoàn phường Hiến Nam", "co-so")
    t.branch_other = make_unit(t.grassroots2, "T2-CS1-CD1", "Chi đoàn khu phố 1", "chi-doan")
    t.members = MemberFactory.create_batch(3, branch=t.branch)
    t.members2 = MemberFactory.create_batch(2, branch=t.branch2)
    t.member3 = MemberFactory(branch=t.branch3)
    t.member_other = MemberFactory(branch=t.branch_other)
    refresh_counts()
    for name in vars(t).copy():
        obj = getattr(t, name)
        if hasattr(obj, "refresh_from_db") and hasattr(obj, "path"):
            obj.refresh_from_db()
    return t


@pytest.fixture
def users(tree):
    return build_users(tree)


def build_users(tree):
    """One user per role, keyed by name; each has password ``PASSWORD``."""
    u = SimpleNamespace()
    u.secretary = make_user("bithu", Role.SECRETARY, tree.branch)
    u.grassroots_secretary = make_user("bithu.coso", Role.SECRETARY, tree.grassroots)
    u.grassroots_approver = make_user("duyet.coso", Role.APPROVER, tree.grassroots)
    u.district_approver = make_user("duyet.huyen", Role.APPROVER, tree.district)
    u.province_staff = make_user("canbo.tinh", Role.STAFF, tree.province)
    u.province_approver = make_user("thuongtruc.tinh", Role.APPROVER, tree.province)
    u.province_admin = make_user("quantri.tinh", Role.ADMIN, tree.province)
    u.outsider = make_user("bithu.tinhkhac", Role.SECRETARY, tree.branch_other)
    u.superuser = make_user("root", is_superuser=True, is_staff=True)
    u.nopost = make_user("chuaco.chucvu")
    return u


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def login(client):
    """``login(user)`` logs the test client in as that user and returns the client."""

    def _login(user):
        client.force_login(user)
        return client

    return _login


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    # PBKDF2's deliberate slowness is for production; tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM = "/usr/bin/chromium"


@pytest.fixture
def page(live_server):
    """A Playwright page in Debian's Chromium, with ``page.base_url`` set to the live server.

    Skips (with the reason) when Chromium is absent, except where DOANHUB_REQUIRE_BROWSER is
    set (CI), where a missing browser is a failure."""
    import os

    if not os.path.exists(CHROMIUM):
        if os.environ.get("DOANHUB_REQUIRE_BROWSER"):
            pytest.fail("Chromium is required here: apt-get install chromium chromium-driver")
        pytest.skip("Debian's Chromium is not installed (apt-get install chromium chromium-driver)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the test makes
    # around it are still synchronous, so Django's async guard is lifted for browser tests.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 390, "height": 844}, locale="vi-VN")  # phone width
        pg = context.new_page()
        pg.set_default_timeout(15000)
        pg.base_url = live_server.url
        yield pg
        context.close()
        browser.close()


@pytest.fixture(scope="session", autouse=True)
def _end_leaked_connections(django_db_setup, django_db_blocker):
    """ORM calls made while Playwright's sync API runs happen in another greenlet, whose
    context-local Django connections are never closed; on PostgreSQL they would stop the test
    database from being dropped when the run ends. End them just before it is dropped."""
    yield
    from django.db import connection

    if connection.vendor == "postgresql":
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )


@pytest.fixture
def browser_login(page, password):
    """``browser_login(user)`` logs in through the login form, as a person would."""

    def _login(user):
        page.goto(f"{page.base_url}/dang-nhap/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{page.base_url}/")
        return page

    return _login


@pytest.fixture(autouse=True)
def _same_factory_data_in_any_order():
    # Factory sequences are process-wide: without a reset, a member's birth date (and so its age
    # band or eligibility) would depend on which tests ran before it in the same worker.
    MemberFactory.reset_sequence()


@pytest.fixture
def celery_app(monkeypatch):
    """The project's Celery app on the in-memory broker, restored after: a job a test enqueues never
    reaches the configured broker (the project's var/broker folder or Redis), where a real worker
    might run it. The apps with background jobs (members, reports) use it in every test."""
    # Celery reads CELERY_BROKER_URL before its settings (CI exports it): without this, a test's
    # broker (memory, a dead port, its own Redis database) would silently be CI's live Redis.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    import members.tasks  # noqa: F401 - registers the tasks on the app
    import reports.tasks  # noqa: F401
    from doanhub.celery import app

    from .worker_process import use_broker

    saved = {k: app.conf.get(k) for k in ("broker_url", "broker_transport_options", "task_always_eager")}
    # use_broker drops the producers' pool too: a task an earlier test sent (a transactional test's
    # on_commit, on the configured broker) left it bound to that broker, and .delay() would go on
    # publishing there while this test's worker listens on memory:// (CI's three stuck workers).
    use_broker(app, "memory://")
    app.conf.update(task_always_eager=False)
    yield app
    app.control.purge()  # messages no worker took die with the test
    use_broker(app, saved["broker_url"])
    app.conf.update(saved)


@pytest.fixture
def dead_broker(celery_app):
    """``with dead_broker():`` the workers' broker is down inside the block: Redis on a port of
    the job-fault tests' range (8111-8119) where nothing listens, or ``dead_broker(url)``; the
    in-memory broker after."""

    from .worker_process import use_broker

    @contextmanager
    def _down(url="redis://127.0.0.1:8119/6"):
        use_broker(celery_app, url)
        try:
            yield
        finally:
            use_broker(celery_app, "memory://")

    return _down


@pytest.fixture
def redis_broker(celery_app):
    """This process sends to the worker processes' Redis (db 6; tests/worker_process.py), emptied
    first and after."""
    from .worker_process import BROKER, use_broker

    use_broker(celery_app, BROKER)
    celery_app.control.purge()
    yield celery_app
    celery_app.control.purge()
    use_broker(celery_app, "memory://")


@pytest.fixture
def restore_schema():
    """A test that migrates backwards (tests/migrating.py) leaves the schema at the latest."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
