"""The deploy kit is what README's Production section says it is. Docker cannot run here, so the
files are read: compose.yaml parses and runs the same commands as the systemd units and the smoke
test (deploy/smoke.sh, which runs them for real)."""

import runpy
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_has_every_part_of_the_site(compose):
    assert set(compose["services"]) >= {"web", "worker", "beat", "postgres", "redis", "caddy"}


def test_compose_runs_the_site_worker_and_beat_from_one_image(compose):
    services = compose["services"]
    assert {services[name]["image"] for name in ("web", "worker", "beat", "migrate")} == {"doanhub:latest"}
    assert services["web"]["command"] == ["gunicorn", "-c", "deploy/gunicorn.conf.py", "doanhub.wsgi"]
    assert services["worker"]["command"][:4] == ["celery", "-A", "doanhub", "worker"]
    assert "/var/lib/doanhub/celerybeat-schedule" in services["beat"]["command"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"


def test_compose_publishes_only_the_tls_proxy(compose):
    published = {name for name, service in compose["services"].items() if service.get("ports")}
    assert published == {"caddy"}
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in compose["services"]["caddy"]["volumes"]


def test_the_env_example_names_every_setting_compose_leaves_to_it():
    example = (ROOT / "deploy" / "env.example").read_text()
    for name in (
        "DJANGO_SECRET_KEY",
        "DJANGO_ALLOWED_HOSTS",
        "DJANGO_SECURE_SSL_REDIRECT",
        "DJANGO_ADMINS",
        "EMAIL_HOST",
    ):
        assert f"\n{name}=" in example


def test_gunicorn_serves_healthz_beside_slow_pages_and_logs_to_stdout(monkeypatch):
    monkeypatch.delenv("GUNICORN_THREADS", raising=False)
    conf = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert conf["worker_class"] == "gthread" and conf["threads"] > 1
    assert conf["accesslog"] == "-" and conf["errorlog"] == "-"


def test_the_image_is_built_from_runtime_requirements_and_runs_unprivileged():
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert dockerfile.startswith("# ") and "FROM python:3.11-slim" in dockerfile
    assert "pip install -r requirements.txt" in dockerfile and "requirements-dev" not in dockerfile
    assert "collectstatic --noinput" in dockerfile and "\nUSER doanhub\n" in dockerfile


@pytest.mark.parametrize(
    "unit, command",
    [
        ("doanhub-web", "gunicorn -c deploy/gunicorn.conf.py doanhub.wsgi"),
        ("doanhub-worker", "celery -A doanhub worker"),
        ("doanhub-beat", "celery -A doanhub beat"),
    ],
)
def test_the_systemd_units_run_the_same_commands(unit, command):
    text = (ROOT / "deploy" / "systemd" / f"{unit}.service").read_text()
    assert command in text and "EnvironmentFile=/etc/doanhub/env" in text and "User=doanhub" in text
