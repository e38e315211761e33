"""Celery tasks: thin wrappers that load ids and call the service (STYLE.md §8)."""

from celery import shared_task


@shared_task(name="reports.run_report_job")
def run_report_job(job_id: int) -> str:
    from .services import run_job

    return run_job(job_id=job_id).status


@shared_task(name="reports.render_report_pdf")
def render_report_pdf(job_id: int) -> None:
    from .services import render_pdf

    render_pdf(job_id=job_id)
