"""Personal tokens through the profile page: created with the secret shown once, stored only as
a hash, usable until they expire or their owner revokes them."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiToken
from api.tokens import create_token, digest, revoke_token
from organizations.models import AuditEntry


def _client(secret):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {secret}")
    return client


def test_it_creates_a_token_on_the_profile_page_and_shows_the_secret_once(users, login):
    client = login(users.province_staff)
    response = client.post("/api/tokens/", {"name": "Phần mềm thống kê", "days": 30})
    assert response.status_code == 200
    secret = response.context["secret"]
    assert secret in response.content.decode()
    token = ApiToken.objects.get(user=users.province_staff)
    assert token.key_hash == digest(secret) and secret not in (token.key_hash + token.prefix)
    assert secret not in client.get("/tai-khoan/").content.decode()  # listed by name and prefix only
    assert "Phần mềm thống kê" in client.get("/tai-khoan/").content.decode()
    assert AuditEntry.objects.filter(action="api_token_created", by=users.province_staff).exists()


def test_it_refuses_a_nameless_or_too_long_token_with_a_message(users, login, settings):
    client = login(users.province_staff)
    response = client.post("/api/tokens/", {"name": "\u200b", "days": 30}, follow=True)
    assert "Cần đặt tên cho mã truy cập" in response.content.decode()
    response = client.post("/api/tokens/", {"name": "Công cụ", "days": settings.API_TOKEN_MAX_DAYS + 1}, follow=True)
    assert f"Thời hạn phải từ 1 đến {settings.API_TOKEN_MAX_DAYS} ngày" in response.content.decode()
    assert not ApiToken.objects.exists()


def test_a_token_acts_as_its_user_and_records_its_last_use(tree, users):
    token, secret = create_token(user=users.district_approver, name="Công cụ", days=1)
    assert token.last_used_at is None
    assert _client(secret).get(f"/api/v1/units/{tree.district.code}/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_an_expired_token_is_refused(tree, users):
    token, secret = create_token(user=users.district_approver, name="Công cụ", days=1)
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = _client(secret).get("/api/v1/units/")
    assert response.status_code == 401
    assert "hết hạn" in response.json()["detail"]


def test_a_token_revoked_on_the_profile_page_is_refused(tree, users, login):
    token, secret = create_token(user=users.district_approver, name="Công cụ", days=30)
    assert _client(secret).get("/api/v1/units/").status_code == 200
    response = login(users.district_approver).post(f"/api/tokens/{token.pk}/revoke/", follow=True)
    assert "Đã thu hồi mã truy cập “Công cụ”" in response.content.decode()
    assert _client(secret).get("/api/v1/units/").status_code == 401
    assert AuditEntry.objects.filter(action="api_token_revoked").count() == 1


def test_only_the_owner_revokes_a_token(tree, users, login):
    token, _ = create_token(user=users.district_approver, name="Công cụ", days=30)
    assert login(users.province_admin).post(f"/api/tokens/{token.pk}/revoke/").status_code == 404
    with pytest.raises(Exception, match="Chỉ người tạo"):
        revoke_token(token=token, by=users.province_admin)
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_token_pages_reject_get(users, login):
    assert login(users.secretary).get("/api/tokens/").status_code == 405


def test_a_wrong_secret_or_a_malformed_header_is_refused(tree, users):
    assert _client("dh_not-a-token").get("/api/v1/units/").status_code == 401
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer two parts")
    assert client.get("/api/v1/units/").status_code == 401


def test_a_token_of_a_deactivated_user_is_refused(tree, users):
    _, secret = create_token(user=users.district_approver, name="Công cụ", days=30)
    users.district_approver.is_active = False
    users.district_approver.save()
    assert _client(secret).get("/api/v1/units/").status_code == 401


def test_a_token_loses_what_its_user_no_longer_holds(tree, users):
    _, secret = create_token(user=users.district_approver, name="Công cụ", days=30)
    assert _client(secret).get(f"/api/v1/units/{tree.district.code}/").status_code == 200
    users.district_approver.posts.update(ended_on=timezone.localdate())  # the post ended today
    assert _client(secret).get(f"/api/v1/units/{tree.district.code}/").status_code == 404
