"""The optional second factor: set up from the profile page (QR drawn on the server), then a
password and a 6-digit code at login; required for roles by setting; reset by an administrator above."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from organizations.models import AuditEntry

from .conftest import next_code, totp

pytestmark = pytest.mark.django_db


def _password_step(client, user, password):
    return client.post(reverse("login"), {"username": user.username, "password": password})


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


# --- setting it up ------------------------------------------------------------------------------


def test_an_approver_sets_it_up_from_the_profile_page(client, users):
    client.force_login(users.district_approver)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="second-factor-off"' in profile and "Bật xác thực hai bước" in profile

    assert client.post(reverse("accounts:second_factor_start")).url == reverse("accounts:second_factor_setup")
    page = client.get(reverse("accounts:second_factor_setup")).content.decode()
    assert '<svg width="' in page and 'class="segno"' in page and "<img" not in page  # inline, no image service
    secret = page.split('data-testid="secret">')[1].split("<")[0]
    assert not TOTPDevice.objects.get(user=users.district_approver).confirmed  # not asked at login yet

    done = client.post(reverse("accounts:second_factor_setup"), {"code": totp(secret)}, follow=True)
    assert "Đã bật xác thực hai bước" in done.content.decode()
    assert 'data-testid="second-factor-on"' in done.content.decode()
    entry = AuditEntry.objects.get(action="2fa_on")
    assert entry.by == users.district_approver and entry.object_id == users.district_approver.pk


def test_a_wrong_first_code_leaves_it_off(client, users):
    client.force_login(users.district_approver)
    client.post(reverse("accounts:second_factor_start"))
    page = client.post(reverse("accounts:second_factor_setup"), {"code": "000000"}).content.decode()
    assert "Mã xác thực không đúng hoặc đã hết hạn" in page
    assert not TOTPDevice.objects.filter(user=users.district_approver, confirmed=True).exists()


def test_a_secretary_is_not_offered_it(client, users):
    client.force_login(users.secretary)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert "dành cho tài khoản giữ chức vụ" in profile and reverse("accounts:second_factor_start") not in profile
    assert client.post(reverse("accounts:second_factor_start")).status_code == 403


def test_the_profile_page_needs_login_and_refuses_put(client, users):
    assert client.get(reverse("accounts:profile")).status_code == 302
    client.force_login(users.district_approver)
    assert client.put(reverse("accounts:profile")).status_code == 405
    assert client.get(reverse("accounts:second_factor_start")).status_code == 405


def test_the_profile_page_costs_the_same_queries_with_or_without_it(
    client, users, enable_second_factor, django_assert_max_num_queries
):
    client.force_login(users.province_approver)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:profile")).status_code == 200
    enable_second_factor(users.province_approver)
    client.force_login(users.province_approver)
    with django_assert_max_num_queries(6):
        assert client.get(reverse("accounts:profile")).status_code == 200


# --- logging in with it -------------------------------------------------------------------------


def test_login_asks_for_the_code_after_the_password(client, users, password, enable_second_factor):
    secret = enable_second_factor(users.district_approver)
    response = _password_step(client, users.district_approver, password)
    assert response.status_code == 302 and response.url == reverse("login_code")
    assert _logged_in_as(client) is None  # the password alone logs nobody in
    assert client.get(reverse("home")).status_code == 302
    page = client.get(reverse("login_code")).content.decode()
    assert "Mật khẩu của <strong>duyet.huyen</strong> đã đúng" in page

    done = client.post(reverse("login_code"), {"code": next_code(secret)})
    assert done.status_code == 302 and done.url == reverse("home")
    assert _logged_in_as(client) == str(users.district_approver.pk)


def test_a_wrong_code_is_refused_in_vietnamese(client, users, password, enable_second_factor):
    enable_second_factor(users.district_approver)
    _password_step(client, users.district_approver, password)
    page = client.post(reverse("login_code"), {"code": "123456"}).content.decode()
    assert "Mã xác thực không đúng hoặc đã hết hạn" in page and _logged_in_as(client) is None


def test_a_code_is_accepted_only_once(client, users, password, enable_second_factor):
    secret = enable_second_factor(users.district_approver)
    code = next_code(secret)
    _password_step(client, users.district_approver, password)
    client.post(reverse("login_code"), {"code": code})
    client.post(reverse("logout"))
    _password_step(client, users.district_approver, password)
    page = client.post(reverse("login_code"), {"code": code}).content.decode()
    assert "Mã xác thực không đúng" in page and _logged_in_as(client) is None


def test_wrong_codes_count_towards_the_lockout(client, users, password, enable_second_factor, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp's own growing delay is off, to reach axes' limit
    secret = enable_second_factor(users.district_approver)
    _password_step(client, users.district_approver, password)
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 200
    assert client.post(reverse("login_code"), {"code": "123456"}).status_code == 429
    locked = client.post(reverse("login_code"), {"code": next_code(secret)})
    assert locked.status_code == 429 and "đã bị tạm khóa" in locked.content.decode()
    assert _logged_in_as(client) is None


def test_the_code_step_without_a_password_step_goes_back_to_login(client, db):
    response = client.get(reverse("login_code"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("login")
    assert "Phiên đăng nhập đã hết hạn" in response.content.decode()


def test_a_user_turns_it_off_with_a_current_code(client, users, enable_second_factor):
    secret = enable_second_factor(users.district_approver)
    client.force_login(users.district_approver)
    page = client.post(reverse("accounts:second_factor_off"), {"code": next_code(secret)}, follow=True)
    assert "Đã tắt xác thực hai bước" in page.content.decode()
    assert not TOTPDevice.objects.filter(user=users.district_approver).exists()
    assert AuditEntry.objects.filter(action="2fa_off", by=users.district_approver).exists()


# --- required for roles -------------------------------------------------------------------------


def test_a_required_role_must_set_it_up_before_anything_else(client, users, settings, enable_second_factor):
    settings.DOANHUB_REQUIRE_2FA_ROLES = ["approver"]
    client.force_login(users.district_approver)
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("accounts:profile")
    assert "Vai trò của bạn bắt buộc xác thực hai bước" in response.content.decode()

    enable_second_factor(users.district_approver)
    client.force_login(users.district_approver)
    assert client.get(reverse("home")).status_code == 200


def test_a_role_not_listed_is_not_held_up(client, users, settings):
    settings.DOANHUB_REQUIRE_2FA_ROLES = ["approver"]
    client.force_login(users.secretary)
    assert client.get(reverse("home")).status_code == 200


def test_a_required_user_cannot_turn_it_off(client, users, settings, enable_second_factor):
    secret = enable_second_factor(users.district_approver)
    settings.DOANHUB_REQUIRE_2FA_ROLES = ["approver"]
    client.force_login(users.district_approver)
    page = client.post(reverse("accounts:second_factor_off"), {"code": next_code(secret)}, follow=True)
    assert "bắt buộc xác thực hai bước: không thể tắt" in page.content.decode()
    assert TOTPDevice.objects.filter(user=users.district_approver, confirmed=True).exists()


# --- reset by an administrator above --------------------------------------------------------------


def _reset(client, target, reason="Mất điện thoại"):
    return client.post(reverse("accounts:second_factor_reset", args=[target.pk]), {"reason": reason})


def test_an_administrator_above_resets_a_lost_phone(client, users, password, enable_second_factor):
    enable_second_factor(users.district_approver)
    client.force_login(users.province_admin)
    user_page = client.get(reverse("organizations:user", args=[users.district_approver.pk])).content.decode()
    assert "Đặt lại xác thực hai bước" in user_page

    response = _reset(client, users.district_approver)
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=users.district_approver).exists()
    entry = AuditEntry.objects.get(action="2fa_reset")
    assert entry.by == users.province_admin and entry.reason == "Mất điện thoại"
    assert entry.organization_id == users.district_approver.posts.get().organization_id

    client.post(reverse("logout"))
    assert _password_step(client, users.district_approver, password).url == reverse("home")


def test_a_reset_needs_a_reason(client, users, enable_second_factor):
    enable_second_factor(users.district_approver)
    client.force_login(users.province_admin)
    page = client.post(
        reverse("accounts:second_factor_reset", args=[users.district_approver.pk]), {"reason": "   "}, follow=True
    )
    assert "Cần ghi lý do đặt lại xác thực hai bước" in page.content.decode()
    assert TOTPDevice.objects.filter(user=users.district_approver).exists()


def test_an_administrator_at_the_same_node_cannot_reset_another_administrator(client, users, enable_second_factor):
    from tests.factories import make_user

    other_admin = make_user("quantri2.tinh", "admin", users.province_admin.posts.get().organization)
    enable_second_factor(other_admin)
    client.force_login(users.province_admin)
    assert _reset(client, other_admin).status_code == 403
    assert TOTPDevice.objects.filter(user=other_admin).exists()


def test_a_user_outside_the_scope_answers_404(client, tree, users, enable_second_factor):
    from tests.factories import make_user

    elsewhere = make_user("duyet.tinhkhac", "approver", tree.province2)
    enable_second_factor(elsewhere)
    client.force_login(users.province_admin)
    assert _reset(client, elsewhere).status_code == 404
    assert TOTPDevice.objects.filter(user=elsewhere).exists()


def test_an_officer_without_the_admin_role_cannot_reset(client, users, enable_second_factor):
    enable_second_factor(users.district_approver)
    client.force_login(users.province_approver)
    assert _reset(client, users.district_approver).status_code == 403


def test_the_reset_is_post_only(client, users):
    client.force_login(users.province_admin)
    url = reverse("accounts:second_factor_reset", args=[users.district_approver.pk])
    assert client.get(url).status_code == 405


def test_nobody_resets_their_own(users, enable_second_factor):
    from accounts import second_factor

    enable_second_factor(users.province_admin)
    assert not second_factor.may_reset(users.province_admin, users.province_admin)
    assert second_factor.may_reset(get_user_model().objects.get(username="root"), users.province_admin)
