"""Real ``celery -A doanhub worker`` processes for tests that need a worker on a machine of its own
(its own DOANHUB_VAR_DIR, killed like a real one), on Redis db 6 (7, … for further pytest-xdist processes) against the test's PostgreSQL
database; the sending side is the ``redis_broker`` fixture (tests/conftest.py)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from tests.factories import wait_until

# One Redis database per pytest-xdist process (6, 7, …): two such tests running side by side must
# not purge each other's queue or lend their workers to the other's test database. Another Redis
# server may be named (DOANHUB_TEST_REDIS) where several checkouts' suites share one machine.
REDIS = os.environ.get("DOANHUB_TEST_REDIS", "redis://127.0.0.1:6379")
BROKER = f"{REDIS}/{6 + int(os.environ.get('PYTEST_XDIST_WORKER', 'gw0')[2:] or 0)}"
ROOT = Path(__file__).resolve().parents[1]


def use_broker(app, url: str) -> None:
    # Both pools: the producers' pool keeps the connections of the broker it was made for.
    app.conf.update(broker_url=url, broker_transport_options={})
    app._pool, app.amqp._producer_pool = None, None


def start(name: str, var_dir: Path, env: dict | None = None) -> subprocess.Popen:
    """A worker "machine": its own var dir (and log, ``var_dir/worker.log``), one task at a time."""
    if connection.vendor != "postgresql":
        pytest.skip("worker processes need a database server they can share (PostgreSQL)")
    env = {
        **os.environ,
        **(env or {}),
        "DOANHUB_VAR_DIR": str(var_dir),
        "CELERY_BROKER_URL": BROKER,
        "DATABASE_URL": _database_url(connection.settings_dict),
        "DJANGO_SETTINGS_MODULE": "doanhub.settings",
    }
    command = [sys.executable, "-m", "celery", "-A", "doanhub", "worker", "-P", "solo", "-n", f"{name}@%h"]
    return subprocess.Popen(
        [*command, "--loglevel=WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(var_dir / "worker.log", "wb"),  # noqa: SIM115 (read on failure)
    )


def _database_url(db: dict) -> str:
    """The test database (its test name) as the worker's DATABASE_URL, password and all."""
    from urllib.parse import quote

    login = quote(db["USER"]) + (f":{quote(db['PASSWORD'])}" if db.get("PASSWORD") else "")
    return f"postgres://{login}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def finished(model, var_dir: Path, done, timeout: float = 180):
    """The one job of ``model`` once ``done(job)``, or a failure that shows the worker's log."""
    try:
        return wait_until(model.objects.get(), done, timeout=timeout)
    except AssertionError as exc:
        raise AssertionError(f"{exc}; worker log:\n{(var_dir / 'worker.log').read_text()[-3000:]}") from None


def stop(worker: subprocess.Popen) -> None:
    worker.terminate()
    try:
        worker.wait(20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()
