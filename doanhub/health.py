"""What ``/healthz`` checks. A load balancer probes every few seconds on every node: the broker
answer is kept a few seconds per process (keyed by the broker URL), so probes never open a new
broker connection each, and a slow or dead broker costs one probe its timeout, not every probe."""

import logging
import threading
import time

from django.db import connection

log = logging.getLogger("doanhub.views")
BROKER_CHECK_SECONDS = 5.0
_lock = threading.Lock()
_broker_answer: dict[str, tuple[float, bool, str]] = {}  # broker URL → (checked at, ok, detail)


def _failure(exc: Exception) -> str:
    """The public answer names the kind of failure; hosts and credentials stay in the log."""
    log.warning("healthz: %s", exc, exc_info=False)
    return type(exc).__name__


def check_database() -> tuple[bool, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return True, connection.vendor
    except Exception as exc:  # any failure means "not reachable"
        return False, _failure(exc)


def _probe_broker(app) -> tuple[bool, str]:
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=2)  # one try: the next probe is the retry
        return True, app.conf.broker_url.split("://")[0]
    except Exception as exc:
        return False, _failure(exc)


def check_broker() -> tuple[bool, str]:
    from doanhub.celery import app

    url = app.conf.broker_url
    with _lock:  # one probe at a time per process; the others read its answer
        checked_at, ok, detail = _broker_answer.get(url, (float("-inf"), False, ""))
        if time.monotonic() - checked_at >= BROKER_CHECK_SECONDS:
            ok, detail = _probe_broker(app)
            _broker_answer[url] = (time.monotonic(), ok, detail)
    return ok, detail
