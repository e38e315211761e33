"""The minutes of a chi đoàn's rating review meeting as a PDF (issue 15): "Biên bản họp chi đoàn
đánh giá, xếp loại đoàn viên", the record a chi đoàn sends up with its proposals (Hướng dẫn 33:
the chi đoàn's meeting reviews each member and proposes a level; the đoàn cơ sở decides).

Drawn from the sent batch (``Submission``): the Đoàn letterhead (the đoàn cơ sở over the chi
đoàn; place and meeting day), the attendance as recorded, each member's proposed level (and the
decided one once the level above decided it), the counts per level, the chi đoàn's own proposal,
the vote, the note, and the signatures of the one who chaired (chủ trì) and the one who wrote it
(thư ký). Rendered by a worker through ``organizations.pdfdocs``, like the "3 chủ động" PDFs.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string

from organizations import pdfdocs
from organizations.collation import person_order
from organizations.numbers import vn_decimal
from organizations.scoping import get_scoped_or_404
from organizations.text import fold
from organizations.xlsx import SIGN_HINT

from .models import LEVEL_ORDER, Assessment, ReviewMinutes, SubjectType, Submission

NOT_PROPOSED = "Chưa đề xuất"


@dataclass(frozen=True)
class LevelCount:
    label: str
    count: int
    share: str  # "33,3%" of the members reviewed


def has_minutes(submission: Submission | None) -> bool:
    """Minutes exist once the batch went up with its meeting recorded (the submit form's part)."""
    return submission is not None and submission.submitted_at is not None and submission.meeting_on is not None


def _counts(rows: list[Assessment]) -> list[LevelCount]:
    total = len(rows) or 1
    per = {lv: sum(1 for a in rows if a.proposed_level == lv) for lv in LEVEL_ORDER}
    out = [LevelCount(lv.label, n, f"{vn_decimal(100 * n / total)}%") for lv, n in per.items()]
    missing = len(rows) - sum(per.values())
    if missing:  # shown only when some member went up without a proposal (a residual, never hidden)
        out.append(LevelCount(NOT_PROPOSED, missing, f"{vn_decimal(100 * missing / total)}%"))
    return out


def html(submission: Submission) -> str:
    """The minutes as HTML (templates/evaluations/pdf/review_minutes.html): three queries."""
    unit, period = submission.unit, submission.period
    members = list(
        Assessment.objects.filter(submission=submission, subject_type=SubjectType.MEMBER)
        .select_related("member")
        .order_by(*person_order("member__full_name"), "pk")
    )
    own = (
        Assessment.objects.filter(submission=submission, organization=unit)
        .exclude(subject_type=SubjectType.COLLECTIVE)
        .first()
    )
    present, called = submission.attendance, submission.attendance_total
    context = {
        **pdfdocs.letterhead(unit, submission.meeting_on),
        "s": submission,
        "unit_name": unit.name,
        "year": period.year,
        "day": submission.meeting_on,
        "absent": called - present if called is not None and present is not None else None,
        "rows": members,
        "counts": _counts(members),
        "own": own,
        "sign_hint": SIGN_HINT,
    }
    return render_to_string("evaluations/pdf/review_minutes.html", context)


def latest(submission: Submission) -> ReviewMinutes | None:
    return ReviewMinutes.objects.filter(submission=submission).first()


def is_current(document: ReviewMinutes | None) -> bool:
    """The rendering holds the minutes as they read now (a decided level changes them)."""
    return document is not None and document.digest == pdfdocs.digest(html(document.submission))


@transaction.atomic
def request_pdf(*, submission: Submission, by) -> ReviewMinutes:
    """Ask a worker for the minutes' PDF (the view scoped the chi đoàn to ``by``: its secretary
    or an officer above it). Refused before the batch went up: there was no meeting to record."""
    if not has_minutes(submission):
        raise ValidationError(f"{submission.unit.name} chưa gửi hồ sơ xếp loại: chưa có biên bản họp.")
    from .tasks import render_minutes

    return pdfdocs.request(
        ReviewMinutes, target={"submission": submission}, html=html(submission), by=by, enqueue=render_minutes.delay
    )


def get_minutes_or_404(user, pk: int) -> ReviewMinutes:
    """A rendering whose chi đoàn is in the user's scope, as its rating page is; else 404."""
    qs = ReviewMinutes.objects.select_related("submission__unit__level", "submission__period")
    return get_scoped_or_404(user, qs, "submission__unit__path", pk=pk)


def filename(document: ReviewMinutes) -> str:
    """ "bien-ban-hop-xep-loai-2026-t1-h1-cs1-cd1.pdf"."""
    submission = document.submission
    words = "".join(ch if ch.isalnum() else " " for ch in fold(submission.unit.code)).split()
    return f"bien-ban-hop-xep-loai-{submission.period.year}-{'-'.join(words)}.pdf"


def render(*, document_id: int) -> ReviewMinutes:
    """The worker's step (``pdfdocs.render``): the minutes as they read now, or the row failed."""
    document = ReviewMinutes.objects.select_related("submission__unit", "submission__period").get(pk=document_id)
    return pdfdocs.render(document, html=lambda: html(document.submission), filename=filename(document))
