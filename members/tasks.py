"""Celery tasks: thin wrappers that load ids and call the service (STYLE.md §8), so tests run the
same code with or without a worker. Each step first expires day-old uploads (``sweep``): no
Celery beat is run, so the workers do the housekeeping."""

from celery import shared_task


@shared_task(name="members.check_import")
def check_import(job_id: int) -> str:
    from .import_jobs import run_check, sweep

    sweep()
    return run_check(job_id=job_id)


@shared_task(name="members.write_import")
def write_import(job_id: int) -> str:
    from .import_jobs import run_write, sweep

    sweep()
    return run_write(job_id=job_id)
