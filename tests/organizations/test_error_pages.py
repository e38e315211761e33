"""403/404/500 pages: the site's layout, Vietnamese, the way home; our own messages shown,
Django's English ones and the URL patterns never."""

from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import server_error


def test_an_out_of_scope_unit_answers_our_404_page(tree, users, login):
    response = login(users.secretary).get(reverse("organizations:detail", args=["T2"]))
    page = response.content.decode()
    assert response.status_code == 404 and 'data-testid="error-page"' in page
    assert "Không tìm thấy đơn vị trong phạm vi của bạn." in page and "Về trang chủ" in page
    assert 'class="navbar' in page  # the site's own layout, with its menu


def test_an_unknown_address_explains_without_the_url_patterns(users, login):
    response = login(users.secretary).get("/khong-co-trang-nay/")
    page = response.content.decode()
    assert response.status_code == 404 and "Không tìm thấy trang" in page
    assert "tried" not in page and "Page not found" not in page


def test_a_refused_action_answers_our_403_page(tree, users, login):
    response = login(users.secretary).get(reverse("organizations:user_create"))
    page = response.content.decode()
    assert response.status_code == 403 and "Bạn không có quyền làm việc này" in page
    assert "403 Forbidden" not in page and "Về trang chủ" in page


def test_the_500_page_needs_no_request_context():
    response = server_error(RequestFactory().get("/"))
    page = response.content.decode()
    assert response.status_code == 500 and "Hệ thống gặp lỗi" in page and 'lang="vi"' in page
