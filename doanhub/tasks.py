"""Housekeeping tasks sent by Celery beat (doanhub/celery.py): thin wrappers over services."""

from celery import shared_task


@shared_task(name="doanhub.expire_imports")
def expire_imports() -> int:
    """Day-old uploads never confirmed are removed (``manage.py expire_imports`` does the same)."""
    from members.import_jobs import expire_stale

    return expire_stale()


@shared_task(name="doanhub.sweep_stuck_jobs")
def sweep_stuck_jobs() -> dict:
    from .stuck_jobs import fail_stuck_jobs

    return fail_stuck_jobs()
