"""The mail server from DJANGO_EMAIL_URL or the usual EMAIL_* variables (doanhub.email_url), as
the settings module reads them."""

import runpy
from pathlib import Path

import pytest

from doanhub.email_url import CONSOLE, SMTP, Mail, from_env, parse

SETTINGS = Path(__file__).resolve().parents[2] / "doanhub" / "settings.py"


def test_an_smtp_url_with_starttls_and_an_encoded_user():
    mail = parse("smtp://doanhub%40tinhdoan.vn:p%3Ass@smtp.tinhdoan.vn:587?tls=1")
    assert mail == Mail(SMTP, "smtp.tinhdoan.vn", 587, "doanhub@tinhdoan.vn", "p:ss", True, False, 30)


@pytest.mark.parametrize(
    "url, port, tls, ssl",
    [
        ("smtps://u:p@mail.example.vn", 465, False, True),
        ("smtp://u:p@mail.example.vn?ssl=1", 465, False, True),
        ("smtp://mail.example.vn:25", 25, False, False),
        ("smtp://mail.example.vn", 587, True, False),
        ("smtp://mail.example.vn:2525?tls=yes&timeout=5", 2525, True, False),
    ],
)
def test_the_port_tls_and_ssl_follow_the_url(url, port, tls, ssl):
    mail = parse(url)
    assert (mail.port, mail.use_tls, mail.use_ssl) == (port, tls, ssl)
    assert mail.timeout == (5 if "timeout" in url else 30)


def test_console_and_an_unknown_scheme():
    assert parse("console://").backend == CONSOLE
    with pytest.raises(ValueError, match="smtp://, smtps:// or console://"):
        parse("imap://mail.example.vn")


def test_without_the_url_the_email_variables_hold_as_before():
    assert from_env({}).backend == CONSOLE
    mail = from_env({"EMAIL_HOST": "smtp.tinhdoan.vn", "EMAIL_PORT": "465", "EMAIL_HOST_USER": "doanhub"})
    assert (mail.backend, mail.port, mail.use_ssl, mail.use_tls, mail.user) == (SMTP, 465, True, False, "doanhub")


def test_the_url_wins_over_the_variables_and_the_backend_variable_over_both():
    env = {"DJANGO_EMAIL_URL": "smtp://a:b@url.example.vn", "EMAIL_HOST": "vars.example.vn"}
    assert from_env(env).host == "url.example.vn"
    assert from_env({**env, "DJANGO_EMAIL_BACKEND": "x.Backend"}).backend == "x.Backend"


def test_the_settings_module_reads_the_url(monkeypatch, tmp_path):
    monkeypatch.setenv("DOANHUB_VAR_DIR", str(tmp_path))
    monkeypatch.delenv("DJANGO_EMAIL_BACKEND", raising=False)
    monkeypatch.setenv("DJANGO_EMAIL_URL", "smtp://doanhub:secret@smtp.tinhdoan.vn:587?tls=1")
    names = runpy.run_path(str(SETTINGS))
    assert (names["EMAIL_BACKEND"], names["EMAIL_HOST"], names["EMAIL_PORT"]) == (SMTP, "smtp.tinhdoan.vn", 587)
    assert (names["EMAIL_HOST_USER"], names["EMAIL_HOST_PASSWORD"], names["EMAIL_USE_TLS"]) == (
        "doanhub",
        "secret",
        True,
    )
