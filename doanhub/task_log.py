"""A line per Celery task for operators: task name, job id, duration, outcome. Every DoanHub task
takes its job's id as first argument (STYLE.md §8), so the line names the row to look at."""

import logging
import time

from celery.signals import task_postrun, task_prerun

log = logging.getLogger("doanhub.tasks")
_started: dict[str, float] = {}  # task id → monotonic start, per worker process


@task_prerun.connect
def _task_started(task_id=None, **_):
    _started[task_id] = time.monotonic()


@task_postrun.connect
def _task_finished(task_id=None, task=None, args=None, retval=None, state=None, **_):
    started = _started.pop(task_id, None)
    log.info(
        "task",
        extra={
            "task": task.name if task is not None else None,
            "task_id": task_id,
            "job_id": args[0] if args else None,
            "duration_ms": round((time.monotonic() - started) * 1000, 1) if started is not None else None,
            "outcome": state,  # SUCCESS / FAILURE / RETRY
            "result": retval if isinstance(retval, str | int | None) else type(retval).__name__,
        },
    )
