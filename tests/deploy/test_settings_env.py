"""Production settings read from the environment (README "Settings"): admins, mail, Sentry."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_admins_come_from_one_variable(production_settings):
    prod = production_settings(DJANGO_ADMINS="Trần Văn Trực <truc@tinhdoan.vn>, ops@tinhdoan.vn")
    assert prod["ADMINS"] == [("Trần Văn Trực", "truc@tinhdoan.vn"), ("ops@tinhdoan.vn", "ops@tinhdoan.vn")]


def test_mail_goes_by_smtp_once_a_host_is_given(production_settings):
    prod = production_settings(EMAIL_HOST="smtp.tinhdoan.vn", EMAIL_PORT="465", EMAIL_HOST_USER="doanhub")
    assert prod["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert (prod["EMAIL_HOST"], prod["EMAIL_PORT"], prod["EMAIL_USE_SSL"], prod["EMAIL_USE_TLS"]) == (
        "smtp.tinhdoan.vn",
        465,
        True,
        False,
    )


def test_without_a_mail_host_mail_is_written_to_the_log(production_settings):
    assert production_settings()["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


def test_errors_are_mailed_to_the_admins(production_settings):
    logging = production_settings()["LOGGING"]
    assert logging["handlers"]["mail_admins"]["class"] == "django.utils.log.AdminEmailHandler"
    assert "mail_admins" in logging["root"]["handlers"] and "mail_admins" in logging["loggers"]["django"]["handlers"]


def sentry_loaded(**env) -> bool:
    code = "import django, sys; django.setup(); print('sentry_sdk' in sys.modules)"
    environment = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "doanhub.settings", **env}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    return out.stdout.strip().endswith("True")


def test_sentry_is_loaded_only_when_a_dsn_is_set(tmp_path):
    env = {"DOANHUB_VAR_DIR": str(tmp_path)}
    assert not sentry_loaded(**env)
    assert sentry_loaded(SENTRY_DSN="https://public@127.0.0.1:9/1", **env)  # nothing is sent at start-up
