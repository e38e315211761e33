"""What the rating tells people (notifications.notify after the service's commit): a returned
batch and a changed level with their reasons, an approved batch. One function per event, so the
services carry one line each."""

from django.urls import reverse

from notifications.models import Kind
from notifications.services import event_key, notify_on_commit


def _unit_link(period_id: int, unit) -> str:
    return reverse("evaluations:unit", args=[period_id, unit.code])


def batch_returned(submission, reason: str) -> None:
    """The chi đoàn's secretary (and staff) see why, with the page to redo the batch."""
    notify_on_commit(
        kind=Kind.RETURNED,
        event_key=event_key("rating:return", submission.pk, at=submission.updated_at),
        title=f"Hồ sơ xếp loại {submission.period.year} của {submission.unit.name} bị trả lại",
        body=f"Lý do: {reason}",
        link=_unit_link(submission.period_id, submission.unit),
        unit=submission.unit,
    )


def level_changed(assessment, before: str, after: str, reason: str) -> None:
    """The unit that proposed sees the level the approver set instead, and why."""
    notify_on_commit(
        kind=Kind.LEVEL_CHANGED,
        event_key=event_key("rating:level", assessment.pk, at=assessment.updated_at),
        title=f"Mức xếp loại của {assessment.subject_name} ({assessment.period.year}) được đổi từ {before} thành {after}",
        body=f"Lý do: {reason}",
        link=reverse("evaluations:subject", args=[assessment.pk]),
        unit=assessment.unit,
    )


def batch_approved(submission) -> None:
    notify_on_commit(
        kind=Kind.APPROVED,
        event_key=f"rating:approved:{submission.pk}",
        title=f"Hồ sơ xếp loại {submission.period.year} của {submission.unit.name} đã được duyệt",
        link=_unit_link(submission.period_id, submission.unit),
        unit=submission.unit,
    )
