"""Handing a job's step to the background workers (Celery), for every app with job rows.

A broker that is down must be a message to the user, never a 500 and never a job row or an upload
left behind waiting for ever. The message is sent after commit, so a worker never looks for a row
it cannot see yet (DESIGN.md); so the broker is asked first, inside the caller's transaction: when
it does not answer, the service raises and the transaction rolls back (no row, no audit entry;
the caller removes its file). Should the broker fail in the instant between the two, the job is
marked failed by ``on_failure`` with the same message, and may be re-run."""

import logging
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction

log = logging.getLogger(__name__)
WORKERS_DOWN = "Máy xử lý nền chưa sẵn sàng, vui lòng thử lại sau."
CHECK_TIMEOUT = 3  # seconds: the page waits no longer than this for a broker that does not answer


def enqueue_after_commit(task, job_id: int, *, on_failure: Callable[[], None]) -> None:
    """Queue ``task(job_id)`` once the caller's transaction commits; ValidationError(WORKERS_DOWN)
    now if the broker does not answer."""
    _require_broker(task.app)
    transaction.on_commit(lambda: _send(task, job_id, on_failure))


def _require_broker(app) -> None:
    if app.conf.task_always_eager:
        return
    try:
        # A new connection, not the pool's: a pooled one still reads as connected after the broker
        # died; a new one really connects (Redis: TCP and PING, about a millisecond).
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=0, timeout=CHECK_TIMEOUT)  # 0: fail on the first refusal
    except Exception as exc:  # noqa: BLE001 - any transport's error means the same to the user
        log.warning("broker unavailable, %s not queued: %s", app.conf.broker_url.split("@")[-1], exc)
        raise ValidationError(WORKERS_DOWN) from exc


def _send(task, job_id: int, on_failure: Callable[[], None]) -> None:
    try:
        task.delay(job_id)
    except Exception:  # noqa: BLE001 - the broker went away after the check: fail the job, not the page
        log.exception("could not queue %s for job %s", task.name, job_id)
        on_failure()
