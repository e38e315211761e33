import json

import pytest
from django.urls import reverse


def test_login_logout_and_home_counts(client, tree, users, password):
    response = client.post(reverse("login"), {"username": "duyet.huyen", "password": password})
    assert response.status_code == 302 and response.url == reverse("home")
    body = client.get(reverse("home")).content.decode()
    assert "Huyện đoàn Đại Từ" in body
    assert 'data-testid="members-total">5<' in body  # 3 + 2 members under the district
    assert client.get(reverse("logout")).status_code == 405  # logout is POST-only
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302


def test_wrong_password_is_refused_in_vietnamese(client, tree, users):
    body = client.post(reverse("login"), {"username": "duyet.huyen", "password": "sai"}).content.decode()
    assert "tên đăng nhập" in body.lower() and "mật khẩu" in body.lower()


def test_change_password(client, tree, users, password):
    client.force_login(users.secretary)
    response = client.post(
        reverse("password_change"),
        {"old_password": password, "new_password1": "Moi-rat-kho-2026", "new_password2": "Moi-rat-kho-2026"},
    )
    assert response.status_code == 302
    users.secretary.refresh_from_db()
    assert users.secretary.check_password("Moi-rat-kho-2026")


def test_home_for_a_user_without_post_says_so(client, tree, users):
    client.force_login(users.nopost)
    assert "chưa được giao chức vụ" in client.get(reverse("home")).content.decode()


def test_home_formats_numbers_the_vietnamese_way(client, tree, users):
    from organizations.models import Organization

    Organization.objects.filter(pk=tree.province.pk).update(members_total=90511)
    client.force_login(users.province_staff)
    assert "90.511" in client.get(reverse("home")).content.decode()


def test_healthz_reports_database_and_broker(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body["status"] == "ok" and body["database"]["ok"] and body["broker"]["ok"]


def test_healthz_says_which_part_is_down(client, db, monkeypatch):
    from doanhub.celery import app

    old = app.conf.broker_url
    dead = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    monkeypatch.setenv("CELERY_BROKER_URL", dead)  # Celery prefers the variable to its settings
    app.conf.broker_url = dead
    try:
        response = client.get("/healthz")
    finally:
        app.conf.broker_url = old
    body = json.loads(response.content)
    assert response.status_code == 503
    assert body["database"]["ok"] and not body["broker"]["ok"]


def test_healthz_rejects_post(client, db):
    assert client.post("/healthz").status_code == 405


def test_language_can_be_switched_to_english(client, tree, users):
    client.force_login(users.province_staff)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    body = client.get(reverse("home")).content.decode()
    assert '<html lang="en">' in body and "Waiting for you" in body and ">Organisations<" in body
    client.post(reverse("set_language"), {"language": "vi", "next": "/"})
    assert "Việc chờ bạn xử lý" in client.get(reverse("home")).content.decode()


def test_an_english_browser_still_gets_vietnamese_until_the_user_switches(client, tree, users):
    client.force_login(users.province_staff)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="vi">' in body and "Việc chờ bạn xử lý" in body


@pytest.mark.parametrize("who", ["secretary", "grassroots_approver", "province_approver", "superuser"])
def test_home_costs_the_same_queries_however_much_waits(client, tree, users, who, django_assert_max_num_queries):
    """The inbox counts the user's own work: batches, late units, transfers and over-age cadres
    add rows to counts, never queries (issue 13)."""
    from datetime import date

    from members.models import MemberPosition
    from tests.evaluations.conftest import fill_and_submit, make_period
    from tests.factories import MemberFactory, make_unit, make_user

    period = make_period(tree)

    def add_branch(n):  # a chi đoàn with an over-age secretary and a batch waiting
        branch = make_unit(tree.grassroots, f"T1-H1-CS1-CDH{n}", f"Chi đoàn thêm {n}", "chi-doan")
        old = MemberFactory(branch=branch, birth_date=date(1980, 1, 1))
        MemberPosition.objects.create(member=old, title="bi_thu", unit=branch, since=date(2020, 1, 1))
        fill_and_submit(period, branch, make_user(f"bth{n}", "secretary", branch), ["HTTNV"])

    add_branch(0)
    fill_and_submit(period, tree.branch, users.secretary, ["HTTNV"] * 3)
    client.force_login(getattr(users, who))
    with django_assert_max_num_queries(40) as small:
        assert client.get(reverse("home")).status_code == 200
    for n in range(1, 4):
        add_branch(n)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(reverse("home")).status_code == 200
