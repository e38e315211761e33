"""Housekeeping tasks sent by Celery beat (doanhub/celery.py): thin wrappers over the apps'
services, which the pages and commands use too."""

from celery import shared_task


@shared_task(name="doanhub.expire_imports")
def expire_imports() -> int:
    """Day-old uploads never confirmed are removed (``manage.py expire_imports`` does the same)."""
    from members.import_jobs import expire_stale

    return expire_stale()


@shared_task(name="doanhub.sweep_stuck_jobs")
def sweep_stuck_jobs() -> dict:
    """Imports and reports whose worker died (no heartbeat for DOANHUB_JOB_DEAD_SECONDS) are
    marked failed, so their pages offer "Chạy lại" (organizations.progress)."""
    from members.import_jobs import fail_dead_jobs as fail_dead_imports
    from reports.services import fail_dead_jobs as fail_dead_reports

    return {"imports": fail_dead_imports(), "reports": fail_dead_reports()}
