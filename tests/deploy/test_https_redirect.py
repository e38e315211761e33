"""Behind the TLS proxy: every page is redirected to https, except /healthz, which a load
balancer probes over plain HTTP (README "Production")."""

import json

import pytest
from django.test import override_settings

SECURITY = ("SECURE_SSL_REDIRECT", "SECURE_REDIRECT_EXEMPT", "SECURE_PROXY_SSL_HEADER")


@pytest.fixture
def behind_proxy(production_settings):
    prod = production_settings()
    with override_settings(**{name: prod[name] for name in SECURITY}):
        yield prod


def test_it_answers_healthz_over_plain_http(behind_proxy, client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content)["status"] == "ok"


def test_it_redirects_a_page_asked_over_plain_http(behind_proxy, client, db):
    response = client.get("/dang-nhap/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/dang-nhap/"


def test_it_serves_a_page_the_proxy_says_came_over_https(behind_proxy, client, db):
    assert client.get("/dang-nhap/", HTTP_X_FORWARDED_PROTO="https").status_code == 200


def test_it_exempts_only_healthz(behind_proxy, client, db):
    assert client.get("/healthz/extra").status_code == 301
    assert client.get("/healthzz").status_code == 301


def test_the_redirect_can_be_turned_off_for_a_proxy_that_redirects_itself(production_settings):
    assert production_settings()["SECURE_SSL_REDIRECT"] is True
    assert production_settings(DJANGO_SECURE_SSL_REDIRECT="0")["SECURE_SSL_REDIRECT"] is False


def test_it_trusts_the_proxys_forwarded_proto_header(production_settings):
    assert production_settings()["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
