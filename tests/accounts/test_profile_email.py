"""Tài khoản của tôi: a user sets the email their reset link goes to, with their password."""

import pytest
from django.urls import reverse

from organizations.models import AuditEntry

pytestmark = pytest.mark.django_db


def _change(client, email, password):
    return client.post(reverse("accounts:profile"), {"email": email, "password": password}, follow=True)


def test_a_user_sets_their_email_and_the_reset_mail_goes_there(client, users, password, mailoutbox):
    client.force_login(users.secretary)
    page = _change(client, "bithu@doan.vn", password).content.decode()
    assert "Đã đổi email" in page
    users.secretary.refresh_from_db()
    assert users.secretary.email == "bithu@doan.vn"
    assert AuditEntry.objects.get(action="email").to_state == "bithu@doan.vn"
    client.post(reverse("logout"))
    client.post(reverse("password_reset"), {"email": "bithu@doan.vn"})
    assert mailoutbox[0].to == ["bithu@doan.vn"]


def test_a_wrong_password_keeps_the_old_email(client, users):
    client.force_login(users.secretary)
    page = _change(client, "ke.gian@doan.vn", "sai").content.decode()
    assert "Mật khẩu hiện tại không đúng: email chưa được đổi" in page
    users.secretary.refresh_from_db()
    assert users.secretary.email == ""


def test_an_email_of_another_account_is_refused(client, users, password):
    users.outsider.email = "trung@doan.vn"
    users.outsider.save(update_fields=["email"])
    client.force_login(users.secretary)
    page = _change(client, "Trung@doan.vn", password).content.decode()
    assert "Email Trung@doan.vn đã thuộc một tài khoản khác" in page


def test_an_invalid_address_is_named(client, users, password):
    client.force_login(users.secretary)
    assert "Địa chỉ email không hợp lệ" in _change(client, "khong-phai-email", password).content.decode()
