"""Quên mật khẩu: the email, the link, the new password, through the pages a person uses."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(users):
    users.district_approver.email = "duyet.huyen@doan.vn"
    users.district_approver.save(update_fields=["email"])
    return users.district_approver


def _link_in(message) -> str:
    return re.search(r"https?://[^/\s]+(/dat-lai-mat-khau/\S+/)", message.body).group(1)


def test_the_login_page_links_to_the_reset(client, db):
    body = client.get(reverse("login")).content.decode()
    assert f'href="{reverse("password_reset")}"' in body and "Quên mật khẩu?" in body


def test_a_user_resets_a_forgotten_password_by_email(client, officer, mailoutbox, password):
    page = client.get(reverse("password_reset"))
    assert page.status_code == 200 and "Nhập địa chỉ email của tài khoản" in page.content.decode()

    sent = client.post(reverse("password_reset"), {"email": "duyet.huyen@doan.vn"}, follow=True)
    assert "Kiểm tra hộp thư" in sent.content.decode()
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert message.to == ["duyet.huyen@doan.vn"]
    assert message.subject == "Đặt lại mật khẩu tài khoản DoanHub"
    assert "Có yêu cầu đặt lại mật khẩu cho tài khoản DoanHub “duyet.huyen”" in message.body

    form = client.get(_link_in(message), follow=True)
    assert "Đặt mật khẩu mới" in form.content.decode()
    new = "Mat-khau-moi-2026!"
    done = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new}, follow=True)
    assert "Mật khẩu mới đã được lưu" in done.content.decode()

    assert client.post(reverse("login"), {"username": "duyet.huyen", "password": password}).status_code == 200
    response = client.post(reverse("login"), {"username": "duyet.huyen", "password": new})
    assert response.status_code == 302 and response.url == reverse("home")


def test_a_used_link_is_refused_in_vietnamese(client, officer, mailoutbox):
    client.post(reverse("password_reset"), {"email": "duyet.huyen@doan.vn"})
    link = _link_in(mailoutbox[0])
    form = client.get(link, follow=True)
    new = "Mat-khau-moi-2026!"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    again = client.get(link, follow=True).content.decode()
    assert 'data-testid="invalid-link"' in again and "đã được dùng hoặc đã hết hạn" in again


def test_an_unknown_address_gets_no_mail_and_the_same_page(client, officer, mailoutbox):
    # The same answer either way, so the form cannot tell who has an account.
    response = client.post(reverse("password_reset"), {"email": "khong.co@doan.vn"}, follow=True)
    assert "Kiểm tra hộp thư" in response.content.decode()
    assert mailoutbox == []


def test_mismatched_new_passwords_are_named(client, officer, mailoutbox):
    client.post(reverse("password_reset"), {"email": "duyet.huyen@doan.vn"})
    form = client.get(_link_in(mailoutbox[0]), follow=True)
    page = client.post(
        form.redirect_chain[-1][0], {"new_password1": "Mat-khau-moi-2026!", "new_password2": "khac-han-2026"}
    )
    assert page.status_code == 200 and "Hai trường mật khẩu không giống nhau" in page.content.decode()


def test_the_reset_page_rejects_put(client, db):
    assert client.put(reverse("password_reset")).status_code == 405


def test_a_new_password_from_the_link_lifts_a_lockout(client, officer, mailoutbox, settings):
    settings.AXES_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("login"), {"username": "duyet.huyen", "password": "sai"})
    client.post(reverse("password_reset"), {"email": "duyet.huyen@doan.vn"})
    form = client.get(_link_in(mailoutbox[0]), follow=True)
    new = "Mat-khau-moi-2026!"
    client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    response = client.post(reverse("login"), {"username": "duyet.huyen", "password": new})
    assert response.status_code == 302 and response.url == reverse("home")
