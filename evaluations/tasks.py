"""Celery tasks: thin wrappers that load ids and call the service (STYLE.md §8)."""

from celery import shared_task


@shared_task(name="evaluations.render_minutes")
def render_minutes(document_id: int) -> str:
    from .minutes import render

    return render(document_id=document_id).status
