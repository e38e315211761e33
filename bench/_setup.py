"""Shared set-up for the benchmarks: a PostgreSQL database of their own, migrated.

Every bench script calls ``setup(name)`` first. It points DATABASE_URL at
``postgres://postgres@127.0.0.1:5432/doanhub_bench_<name>`` (unless BENCH_DATABASE_URL is set),
creates and migrates it, and returns after ``django.setup()``."""

import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def setup(name: str, fresh: bool = False) -> None:
    url = os.environ.get("BENCH_DATABASE_URL") or f"postgres://postgres@127.0.0.1:5432/doanhub_bench_{name}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "doanhub.settings")
    sys.path.insert(0, str(ROOT))
    dbname = url.rsplit("/", 1)[1]
    if fresh:
        subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", dbname], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", dbname], capture_output=True)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, check=True)
    import django

    django.setup()


@contextmanager
def timed(label: str, results: dict):
    started = time.perf_counter()
    yield
    results[label] = time.perf_counter() - started


def peak_rss_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
