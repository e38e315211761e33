"""Celery tasks: thin wrappers that load ids and call the service (STYLE.md §8)."""

from celery import shared_task


@shared_task(name="recognition.render_document")
def render_document(document_id: int) -> str:
    from .documents import render

    return render(document_id=document_id).status
