"""Documents an officer signs, rendered to PDF by a worker (issue 15): one mechanism for every app
(the "3 chủ động" decision and minutes, the chi đoàn's rating review minutes).

A request stores a row (a concrete subclass of ``RenderedPdf``) with the digest of the document's
HTML and queues the worker after commit; the same text already rendered, or on its way, is not
queued again. The worker renders the text as it is then, so a document changed meanwhile is
never stored under the old one. Here, in the lowest app, so no app imports another for it.
"""

import hashlib
from collections.abc import Callable
from datetime import date

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone

from .models import Organization
from .xlsx import UNION, dated_line


class RenderedPdf(models.Model):
    """What every rendering keeps besides its target and its file (each model names those)."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Đang chờ"
        RUNNING = "running", "Đang tạo"
        DONE = "done", "Đã xong"
        FAILED = "failed", "Lỗi"

    digest = models.CharField(max_length=64)
    status = models.CharField("trạng thái", max_length=8, choices=Status.choices, default=Status.QUEUED)
    pages = models.PositiveSmallIntegerField("số trang", default=0)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


def digest(html: str) -> str:
    return hashlib.sha256(html.encode()).hexdigest()


def letterhead(unit: Organization, day: date, number: str = "") -> dict:
    """The Đoàn letterhead's parts: the level above and the issuing unit on the left (with the
    document's number), "ĐOÀN TNCS HỒ CHÍ MINH" and "<place>, ngày … tháng … năm …" on the right
    (templates/documents/_letterhead.html)."""
    parent = unit.parent()
    return {
        "union": UNION,
        "above": parent.name if parent else "",
        "unit": unit.name,
        "number": number,
        "dated_line": dated_line(unit.name, day),
    }


def request(model: type[RenderedPdf], *, target: dict, html: str, by, enqueue: Callable[[int], None]) -> RenderedPdf:
    """The last rendering of ``target`` (the model's target fields) when it holds ``html`` and has
    not failed; else a new row, queued to the worker (``enqueue(pk)``) once the caller commits."""
    wanted = digest(html)
    previous = model.objects.filter(**target).first()  # newest first (each model's ordering)
    if previous and previous.digest == wanted and previous.status != RenderedPdf.Status.FAILED:
        return previous
    document = model.objects.create(digest=wanted, requested_by=by, **target)
    transaction.on_commit(lambda: enqueue(document.pk))
    return document


def render(document: RenderedPdf, *, html: Callable[[], str], filename: str) -> RenderedPdf:
    """The worker's step: render the document's current text (``html()``) to PDF and store it
    under ``filename``; an error marks the row failed with its message (the page offers to try
    again)."""
    Status = RenderedPdf.Status
    document.status = Status.RUNNING
    document.save(update_fields=["status"])
    try:
        from weasyprint import HTML  # imported here: pango is loaded only by a worker that renders

        text = html()
        rendered = HTML(string=text).render()
        if document.file:
            document.file.delete(save=False)
        document.file.save(filename, ContentFile(rendered.write_pdf()), save=False)
        document.digest, document.pages, document.status = digest(text), len(rendered.pages), Status.DONE
    except Exception as exc:  # noqa: BLE001 - any failure is the row's to show, never a lost job
        document.status, document.error = Status.FAILED, f"{type(exc).__name__}: {exc}"
    document.finished_at = timezone.now()
    document.save()
    return document


MISSING = "Bản PDF này chưa tạo xong hoặc không còn."


def download(document: RenderedPdf, *, filename: str):
    """The finished PDF streamed under ``filename`` (the view has scoped ``document``); 404
    before it is done or once its file is gone."""
    from django.http import Http404

    from .views_helpers import stream_stored

    if document.status != RenderedPdf.Status.DONE:
        raise Http404(MISSING)
    return stream_stored(document.file, filename=filename, missing=MISSING)
