"""The rating's deadlines as the daily reminders read them (notifications.reminders): every unit
of a level with a RatingDeadline that has not sent its batch, until the period is locked."""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db.models import Exists, OuterRef
from django.urls import reverse

from notifications.reminders import Obligation, lookahead, page_pattern, schedule_for, unit_chunks
from organizations.models import Organization

from .models import RatingDeadline, Submission
from .selectors import SENT


def rating_obligations(today: date) -> Iterator[list[Obligation]]:
    deadlines = RatingDeadline.objects.filter(period__is_locked=False, period__locks_on__gte=today).select_related(
        "period", "period__root"
    )
    for deadline in deadlines.order_by("period_id", "due_on", "level_id"):
        key = f"rating:{deadline.period_id}"
        if deadline.due_on - timedelta(days=lookahead(schedule_for(key))) > today:
            continue
        period = deadline.period
        sent = Submission.objects.filter(period=period, unit=OuterRef("pk"), status__in=SENT)
        units = Organization.objects.filter(
            level_id=deadline.level_id, status=Organization.Status.ACTIVE, path__startswith=period.root.path
        ).filter(~Exists(sent))
        yield from unit_chunks(
            units,
            source_key=key,
            what=f"xếp loại chất lượng năm {period.year}",
            due_on=deadline.due_on,
            page=page_pattern("evaluations:unit", period.pk),
            overview=reverse("evaluations:period", args=[period.pk]),
        )
