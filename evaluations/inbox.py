"""What is waiting for a user in the rating: batches to decide, own units not yet submitted."""

from datetime import date

from django.urls import reverse
from django.utils import timezone

from notifications.deadlines import due_note
from organizations.inbox import InboxItem

from . import selectors
from .models import Submission


def items(user, today: date | None = None) -> list[InboxItem]:
    today = today or timezone.localdate()
    period = selectors.current_period(user, today)
    if period is None or period.is_locked:
        return []
    found: list[InboxItem] = []
    waiting = selectors.queue(user, period).count()
    if waiting:
        found.append(
            InboxItem(f"{waiting} hồ sơ xếp loại chờ duyệt", reverse("evaluations:queue", args=[period.pk]), waiting)
        )
    deadlines = {d.level_id: d.due_on for d in period.deadlines.all()}
    units = list(selectors.entry_units(user, period))
    sent = set(
        Submission.objects.filter(period=period, unit__in=units, status__in=selectors.SENT).values_list(
            "unit_id", flat=True
        )
    )
    for unit in units:
        if unit.pk in sent:
            continue
        due = deadlines.get(unit.level_id)
        when = f" ({due_note(due, today)})" if due else ""
        found.append(
            InboxItem(
                f"Xếp loại {period.year} của {unit.name} chưa gửi{when}",
                reverse("evaluations:unit", args=[period.pk, unit.code]),
                urgent=bool(due and due < today),
            )
        )
    return found
