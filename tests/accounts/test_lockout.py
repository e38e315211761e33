"""Login throttling (django-axes): wrong passwords lock the account from that address for the
cool-off, the login page says so in Vietnamese, and a right password resets the count."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone

pytestmark = pytest.mark.django_db
LIMIT = 5  # the default of DOANHUB_LOGIN_FAILURE_LIMIT


def _try(client, password, username="duyet.huyen", ip="10.0.0.7"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, times, **kwargs):
    for _ in range(times):
        assert _try(client, "sai-mat-khau", **kwargs).status_code == 200


def _lock(client, **kwargs):
    """The limit's wrong passwords: the last of them already answers with the lockout."""
    _fail(client, LIMIT - 1, **kwargs)
    assert _try(client, "sai-mat-khau", **kwargs).status_code == 429


def test_it_locks_after_the_limit_and_says_so(client, users, password):
    _fail(client, LIMIT - 1)
    response = _try(client, "sai-mat-khau")
    body = response.content.decode()
    assert response.status_code == 429
    assert 'data-testid="lockout"' in body
    assert "Tài khoản “duyet.huyen” đã bị tạm khóa đăng nhập từ máy này vì nhập sai mật khẩu 5 lần" in body
    assert "thử lại sau 15 phút" in body and 'name="password"' in body  # the login form is still there


def test_a_locked_account_is_refused_even_with_the_right_password(client, users, password):
    _lock(client)
    response = _try(client, password)
    assert response.status_code == 429 and "_auth_user_id" not in client.session
    assert client.get(reverse("home")).status_code == 302


def test_it_unlocks_after_the_cool_off(client, users, password):
    _lock(client)
    assert _try(client, password).status_code == 429
    # Sixteen minutes on: the attempt's clock is moved back rather than the test waiting.
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))
    response = _try(client, password)
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_right_password_resets_the_count(client, users, password):
    _fail(client, LIMIT - 1)
    assert _try(client, password).status_code == 302
    client.post(reverse("logout"))
    _fail(client, LIMIT - 1)
    assert _try(client, password).status_code == 302


def test_another_address_is_not_locked(client, users, password):
    # An office behind one intranet address is not locked out by one person's typos, and a
    # stranger cannot lock the approver out from elsewhere.
    _lock(client)
    assert _try(client, password, ip="10.0.0.8").status_code == 302


def test_the_limit_and_cool_off_follow_the_settings(client, users, password, settings):
    settings.AXES_FAILURE_LIMIT = 2
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    _fail(client, 1)
    body = _try(client, "sai-mat-khau").content.decode()
    assert "nhập sai mật khẩu 2 lần" in body and "thử lại sau 30 phút" in body


def test_the_admin_login_is_throttled_too(client, users, password):
    # The admin's login is the app's login page: a lockout there keeps the admin closed.
    _lock(client, username="root")
    login_page = client.get(reverse("admin:login"), follow=True)
    assert login_page.redirect_chain[-1][0].startswith(reverse("login"))
    assert _try(client, password, username="root").status_code == 429
    assert client.get(reverse("admin:index")).status_code == 302


def test_a_request_less_authenticate_still_works(users, password):
    # Code without a request (a shell, a command, the test client's login) is not throttled.
    from django.contrib.auth import authenticate

    assert authenticate(username="duyet.huyen", password=password) == users.district_approver


def test_behind_a_proxy_the_forwarded_address_counts(client, users, password, settings):
    settings.DOANHUB_TRUSTED_PROXIES = 1
    proxy = {"ip": "172.18.0.2"}  # every request arrives from the proxy's address

    def as_person(address, pw):
        return client.post(
            reverse("login"),
            {"username": "duyet.huyen", "password": pw},
            REMOTE_ADDR=proxy["ip"],
            HTTP_X_FORWARDED_FOR=f"1.2.3.4, {address}",  # the left entry is the client's own claim
        )

    for _ in range(LIMIT - 1):
        as_person("10.0.0.7", "sai")
    assert as_person("10.0.0.7", "sai").status_code == 429
    assert as_person("10.0.0.9", password).status_code == 302
