"""Helpers for the deploy tests: the settings module as production computes it from its environment."""

import runpy
from pathlib import Path

import pytest

SETTINGS = Path(__file__).resolve().parents[2] / "doanhub" / "settings.py"


@pytest.fixture
def production_settings(monkeypatch, tmp_path):
    """``production_settings(**env)`` → the settings module's names, computed afresh with
    DJANGO_DEBUG=0 and the given environment (the running test settings are left alone)."""

    def _load(**env) -> dict:
        base = {"DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "x" * 50, "DOANHUB_VAR_DIR": str(tmp_path)}
        for name, value in {**base, **env}.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS))

    return _load


@pytest.fixture(autouse=True)
def _memory_broker(celery_app):
    """No test here sends a message to the configured broker (tests/conftest.py)."""
    return celery_app
