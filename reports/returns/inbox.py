"""What is waiting for a user in this app, shown on their home page (doanhub.dashboard): the
returns sent to a unit where they hold a post and not yet accepted or sent back, one line per
receiving unit, urgent once past their due date; and their own units' returns sent back. Two queries."""

from django.db.models import Count, Exists, Min, OuterRef
from django.urls import reverse

from organizations.inbox import InboxItem

from . import selectors
from .models import Return


def items(user) -> list[InboxItem]:
    if not getattr(user, "is_authenticated", False):
        return []
    units = {u.pk: u for u in selectors.own_units(user)}
    if not units:
        return []
    out = []
    waiting = (
        Return.objects.filter(receiver_id__in=units, status=Return.Status.SUBMITTED)
        .values("receiver_id")
        .annotate(n=Count("pk"), first=Min("submitted_at"))
        .order_by("receiver_id")
    )
    for row in waiting:
        unit = units[row["receiver_id"]]
        out.append(
            InboxItem(
                title=f"Báo cáo đơn vị trực thuộc gửi {unit.name}, chờ tiếp nhận",
                url=reverse("returns:index"),
                count=row["n"],
            )
        )
    newer = Return.objects.filter(
        kind=OuterRef("kind"), root=OuterRef("root"), year=OuterRef("year"), version__gt=OuterRef("version")
    )
    sent_back = Return.objects.filter(root_id__in=units, status=Return.Status.RETURNED).filter(~Exists(newer)).count()
    if sent_back:
        out.append(
            InboxItem(
                title="Báo cáo gửi cấp trên bị trả lại, cần gửi bản sửa",
                url=reverse("returns:index"),
                count=sent_back,
                urgent=True,
            )
        )
    return out
