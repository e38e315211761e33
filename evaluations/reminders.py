"""The rating's deadlines as the daily reminders read them (notifications.reminders): every unit
of a level with a RatingDeadline that has not sent its batch, until the period is locked."""

from collections.abc import Iterator
from datetime import date, timedelta
from urllib.parse import quote

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.http import RFC3986_SUBDELIMS

from notifications.reminders import Obligation, lookahead, schedule_for
from organizations.models import Organization

from .models import RatingDeadline, Submission
from .selectors import SENT

CHUNK = 2000


def rating_obligations(today: date) -> Iterator[list[Obligation]]:
    deadlines = RatingDeadline.objects.filter(period__is_locked=False, period__locks_on__gte=today).select_related(
        "period", "period__root"
    )
    for deadline in deadlines.order_by("period_id", "due_on", "level_id"):
        key = f"rating:{deadline.period_id}"
        if deadline.due_on - timedelta(days=lookahead(schedule_for(key))) > today:
            continue
        yield from _pending(deadline, key)


def _pending(deadline: RatingDeadline, key: str) -> Iterator[list[Obligation]]:
    """Active units of the deadline's level with no batch sent, in path order, CHUNK at a time
    (keyset on path, so memory stays one chunk whatever the nation's size)."""
    period = deadline.period
    sent = Submission.objects.filter(period=period, unit=OuterRef("pk"), status__in=SENT)
    units = Organization.objects.filter(
        level_id=deadline.level_id, status=Organization.Status.ACTIVE, path__startswith=period.root.path
    ).filter(~Exists(sent))
    what = f"xếp loại chất lượng năm {period.year}"
    overview = reverse("evaluations:period", args=[period.pk])
    # One reverse() for the chunk's pages, the unit code put in after: reverse() a unit costs
    # more than the unit's query share at 10⁴ units; the code is quoted as reverse() does.
    page = reverse("evaluations:unit", args=[period.pk, "CODE"]).replace("CODE", "{}")
    after = ""
    while True:
        rows = list(units.filter(path__gt=after).order_by("path").values_list("pk", "path", "name", "code")[:CHUNK])
        if not rows:
            return
        yield [
            Obligation(
                key,
                pk,
                path,
                name,
                what,
                deadline.due_on,
                page.format(quote(code, safe=RFC3986_SUBDELIMS + "~:@")),
                overview,
            )
            for pk, path, name, code in rows
        ]
        after = rows[-1][1]
