"""Celery tasks: thin wrappers that load ids and call the service (STYLE.md §8), so tests run the
same code with or without a worker."""

from celery import shared_task


@shared_task(name="members.check_import")
def check_import(job_id: int) -> str:
    from .import_jobs import run_check

    return run_check(job_id=job_id)


@shared_task(name="members.write_import")
def write_import(job_id: int) -> str:
    from .import_jobs import run_write

    return run_write(job_id=job_id)
