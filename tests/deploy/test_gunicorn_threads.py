"""gunicorn as deployed (deploy/gunicorn.conf.py, one process) answers /healthz while a slow page
holds a thread. The slow page is held until /healthz has answered, so with a thread-less worker
the probe would wait for it and this test would fail on its timeout: no timing is measured."""

import os
import subprocess
import sys
import threading
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PORT = 8102  # this area's ports are 8101-8109; deploy/smoke.sh uses 8101


def wait_for_file(path: Path, process, attempts: int = 600) -> None:
    for _ in range(attempts):
        if path.exists():
            return
        assert process.poll() is None, process.stdout.read().decode()
        threading.Event().wait(0.05)
    raise AssertionError(f"{path.name} never appeared")


@pytest.fixture
def gunicorn(tmp_path):
    env = {
        **os.environ,
        "DJANGO_DEBUG": "1",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "CELERY_BROKER_URL": "memory://",
        "DOANHUB_VAR_DIR": str(tmp_path / "var"),
        "GUNICORN_BIND": f"127.0.0.1:{PORT}",
        "GUNICORN_WORKERS": "1",
        "SLOW_SIGNALS": str(tmp_path),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("GUNICORN_THREADS", None)  # the shipped default
    command = [sys.executable, "-m", "gunicorn", "-c", "deploy/gunicorn.conf.py", "tests.deploy.slow_wsgi"]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for _ in range(600):  # up to 30 s for the worker to import Django
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=5)
                break
            except OSError:
                assert process.poll() is None, process.stdout.read().decode()
                threading.Event().wait(0.05)
        yield tmp_path, process
    finally:
        (tmp_path / "release").touch()
        process.terminate()
        process.wait(timeout=30)


def test_healthz_answers_while_a_slow_page_holds_a_thread(gunicorn):
    signals, process = gunicorn
    slow = {}

    def ask_slow_page():
        slow["body"] = urllib.request.urlopen(f"http://127.0.0.1:{PORT}/slow", timeout=40).read()

    thread = threading.Thread(target=ask_slow_page)
    thread.start()
    wait_for_file(signals / "started", process)
    answer = urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=10)
    assert answer.status == 200 and not slow  # answered while the slow page is still held
    (signals / "release").touch()
    thread.join(timeout=40)
    assert slow["body"] == b"slow page done"
